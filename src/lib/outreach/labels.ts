/**
 * The outreach enums in the visitor's language, for pages, tables and the calendar feed.
 */
import { m } from '$lib/paraglide/messages.js';
import type {
	Atmosphere,
	CommitmentStatus,
	InteractionStatus,
	InteractionType,
	Level
} from '$lib/schemas/officials.ts';
import type { Movement } from './movement.ts';

export function typeLabel(type: InteractionType): string {
	return {
		meeting: m.outreach_type_meeting,
		call: m.outreach_type_call,
		email: m.outreach_type_email,
		letter: m.outreach_type_letter,
		testimony: m.outreach_type_testimony,
		event: m.outreach_type_event,
		site_visit: m.outreach_type_site_visit
	}[type]();
}

export function statusLabel(status: InteractionStatus): string {
	return status === 'held' ? m.outreach_status_held() : m.outreach_status_planned();
}

export function atmosphereLabel(a: Atmosphere): string {
	return {
		positive: m.outreach_atmosphere_positive,
		neutral: m.outreach_atmosphere_neutral,
		negative: m.outreach_atmosphere_negative
	}[a]();
}

export function levelLabel(level: Level): string {
	return {
		local: m.outreach_level_local,
		regional: m.outreach_level_regional,
		state: m.outreach_level_state,
		national: m.outreach_level_national,
		international: m.outreach_level_international
	}[level]();
}

/** The five-point stance scale, 1 (opposed) to 5 (champion). */
export function stanceLabel(stance: number | null): string {
	if (stance === null) return m.outreach_stance_unknown();
	return [
		m.outreach_stance_1,
		m.outreach_stance_2,
		m.outreach_stance_3,
		m.outreach_stance_4,
		m.outreach_stance_5
	][stance - 1]();
}

export function commitmentStatusLabel(status: CommitmentStatus): string {
	return {
		pending: m.outreach_commitment_pending,
		kept: m.outreach_commitment_kept,
		partly_kept: m.outreach_commitment_partly_kept,
		broken: m.outreach_commitment_broken
	}[status]();
}

export function movementLabel(movement: Movement): string {
	return {
		better: m.outreach_movement_better,
		worse: m.outreach_movement_worse,
		unchanged: m.outreach_movement_unchanged,
		unknown: m.outreach_movement_unknown
	}[movement]();
}

/** A date-time in the visitor's language, in UTC (the server renders it; the zone is named). */
export function formatWhen(iso: string, locale: string): string {
	// dateStyle/timeStyle cannot be combined with timeZoneName, so the parts are spelled out.
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'UTC',
		timeZoneName: 'short'
	}).format(new Date(iso));
}

/** An official's field by name, for the merge form. */
export function mergeFieldLabel(field: string): string {
	const labels: Record<string, () => string> = {
		name: m.outreach_field_name,
		title: m.outreach_field_title,
		office: m.outreach_field_office,
		agency_id: m.outreach_field_agency,
		jurisdiction: m.outreach_field_jurisdiction,
		level: m.outreach_field_level,
		party: m.outreach_field_party,
		email: m.outreach_field_email,
		phone: m.outreach_field_phone,
		website: m.outreach_field_website,
		term_start: m.outreach_field_term_start,
		term_end: m.outreach_field_term_end,
		point_person_id: m.outreach_field_point_person,
		stance: m.outreach_field_stance,
		influence: m.outreach_field_influence,
		interest: m.outreach_field_interest,
		cadence_days: m.outreach_field_cadence
	};
	return (labels[field] ?? (() => field))();
}

/** A field of the officials CSV mapping. */
export function importFieldLabel(field: string): string {
	return field === 'agency' ? m.outreach_field_agency() : mergeFieldLabel(field);
}
