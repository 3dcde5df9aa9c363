/**
 * The forms of the dialogue pages. Limits match the database's checks; the database still has the
 * last word (and says why in a sentence, translated in dialogue-messages.ts).
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { DECISION_METHODS } from '$lib/dialogues/decisions.ts';
import { isUuid } from './agency.ts';

export const TITLE_MAX = 200;
export const PLACE_MAX = 300;
export const LINK_MAX = 1000;
export const CARD_MAX = 1000;
export const NOTE_MAX = 4000;
export const QUESTION_MAX = 500;
export const ACTION_MAX = 300;
export const SUMMARY_MAX = 8000;
export const AMENDMENT_MAX = 4000;
export const TEMPLATE_NAME_MAX = 200;
export const TEMPLATE_DESCRIPTION_MAX = 2000;
export const GUIDANCE_MAX = 4000;
export const EMBED_KINDS = [
	'none',
	'indicator',
	'friction_point',
	'pressure_ranking',
	'follow_ups'
] as const;

const tooLong = (max: number) => () => m.dialogues_error_too_long({ max });

const required = (max: number, empty: () => string) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, { error: empty })
		.max(max, { error: tooLong(max) });

/** Optional text: blank becomes null. */
const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: tooLong(max) })
		.optional()
		.transform((v) => v || null);

const optionalId = z
	.string()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || isUuid(v), { error: () => m.dialogues_error_generic() });

const wholeNumber = (min: number, max: number, message: () => string) =>
	z
		.string({ error: message })
		.trim()
		.regex(/^\d+$/, { error: message })
		.transform(Number)
		.refine((n) => n >= min && n <= max, { error: message });

/**
 * A `datetime-local` value (no zone) plus the browser's offset from UTC in minutes
 * (`Date.getTimezoneOffset()`, sent by the page's script; without script the time is UTC).
 */
export function zonedInstant(local: string, offsetMinutes: string | undefined): string | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
	if (!match) return null;
	const [, y, mo, d, h, mi] = match.map(Number);
	const offset = offsetMinutes && /^-?\d{1,4}$/.test(offsetMinutes) ? Number(offsetMinutes) : 0;
	const ms = Date.UTC(y, mo - 1, d, h, mi) + offset * 60_000;
	const check = new Date(Date.UTC(y, mo - 1, d, h, mi));
	if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
	return new Date(ms).toISOString();
}

export const ScheduleForm = z
	.object({
		template_id: z
			.string({ error: () => m.dialogues_error_template() })
			.refine(isUuid, { error: () => m.dialogues_error_template() }),
		title: required(TITLE_MAX, () => m.dialogues_error_title()),
		starts_at: z
			.string({ error: () => m.dialogues_error_starts_at() })
			.refine((v) => zonedInstant(v, '0') !== null, { error: () => m.dialogues_error_starts_at() }),
		tz_offset: z.string().optional(),
		duration_minutes: wholeNumber(5, 600, () => m.dialogues_error_duration()),
		location: optional(PLACE_MAX),
		call_link: optional(LINK_MAX).refine((v) => v === null || /^https?:\/\/[^\s/]+/i.test(v), {
			error: () => m.dialogues_error_url()
		}),
		indicator_id: optionalId,
		friction_point_id: optionalId
	})
	.transform((v, ctx) => {
		const starts = zonedInstant(v.starts_at, v.tz_offset);
		if (!starts) {
			ctx.addIssue({ code: 'custom', path: ['starts_at'], message: m.dialogues_error_starts_at() });
			return z.NEVER;
		}
		return {
			template_id: v.template_id,
			title: v.title,
			starts_at: starts,
			duration_minutes: v.duration_minutes,
			location: v.location,
			call_link: v.call_link,
			indicator_id: v.indicator_id,
			friction_point_id: v.friction_point_id
		};
	});

export const CardForm = z.object({
	body: required(CARD_MAX, () => m.dialogues_error_card_empty())
});

export const NoteForm = z.object({
	body: required(NOTE_MAX, () => m.dialogues_error_note_empty())
});

export const DecisionForm = z.object({
	question: required(QUESTION_MAX, () => m.dialogues_error_question()),
	method: z.enum(DECISION_METHODS, { error: () => m.dialogues_error_method() })
});

export const VoteForm = z.object({
	decision_id: z
		.string({ error: () => m.dialogues_error_generic() })
		.refine(isUuid, { error: () => m.dialogues_error_generic() }),
	value: wholeNumber(0, 5, () => m.dialogues_error_vote())
});

export const ActionItemForm = z.object({
	title: required(ACTION_MAX, () => m.dialogues_error_action_title()),
	assignee_id: optionalId,
	due_on: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
			error: () => m.dialogues_error_date()
		})
});

export const CloseForm = z.object({
	summary: optional(SUMMARY_MAX),
	confirm_unassigned: z
		.string()
		.optional()
		.transform((v) => v === 'yes')
});

export const AmendmentForm = z.object({
	body: required(AMENDMENT_MAX, () => m.dialogues_error_amendment_empty())
});

const pulseScore = wholeNumber(1, 5, () => m.dialogues_error_pulse());
export const PulseForm = z.object({ safe: pulseScore, heard: pulseScore, useful: pulseScore });

export const TemplateForm = z.object({
	name: required(TEMPLATE_NAME_MAX, () => m.dialogues_error_template_name()),
	description: optional(TEMPLATE_DESCRIPTION_MAX)
});

export interface PhaseInput {
	title: string;
	minutes: string;
	guidance: string;
	embed_kind: string;
}

export type PhaseErrors = Record<string, string>;

/**
 * The phases of a template form (fields `phase_title_N`, `phase_minutes_N`, `phase_guidance_N`,
 * `phase_embed_N`): rows with no title are dropped; errors are keyed by field name.
 */
export function parsePhases(values: Record<string, string>): {
	phases: Array<{ title: string; minutes: number; guidance: string | null; embed_kind: string }>;
	errors: PhaseErrors;
} {
	const indexes = Object.keys(values)
		.map((k) => /^phase_title_(\d+)$/.exec(k)?.[1])
		.filter((i): i is string => i !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
	const phases = [];
	const errors: PhaseErrors = {};
	for (const i of indexes) {
		const title = (values[`phase_title_${i}`] ?? '').trim();
		if (!title) continue;
		const minutesText = (values[`phase_minutes_${i}`] ?? '').trim();
		const minutes = /^\d+$/.test(minutesText) ? Number(minutesText) : NaN;
		const guidance = (values[`phase_guidance_${i}`] ?? '').trim();
		const embed = values[`phase_embed_${i}`] ?? 'none';
		if (title.length > TITLE_MAX) errors[`phase_title_${i}`] = tooLong(TITLE_MAX)();
		if (!(minutes >= 1 && minutes <= 240))
			errors[`phase_minutes_${i}`] = m.dialogues_error_minutes();
		if (guidance.length > GUIDANCE_MAX) errors[`phase_guidance_${i}`] = tooLong(GUIDANCE_MAX)();
		if (!(EMBED_KINDS as readonly string[]).includes(embed))
			errors[`phase_embed_${i}`] = m.dialogues_error_generic();
		phases.push({ title, minutes, guidance: guidance || null, embed_kind: embed });
	}
	if (!phases.length && !Object.keys(errors).length) errors.phases = m.dialogues_error_no_phases();
	if (phases.length > 30) errors.phases = m.dialogues_error_too_many_phases();
	return { phases, errors };
}
