/**
 * The outreach forms: officials and their staff, interactions, commitments and follow-ups, and one
 * row of an officials CSV. Limits match the database's checks; the database still has the last
 * word (and says why in a sentence).
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from './agency.ts';

export const LEVELS = ['local', 'regional', 'state', 'national', 'international'] as const;
export type Level = (typeof LEVELS)[number];
export const INTERACTION_TYPES = [
	'meeting',
	'call',
	'email',
	'letter',
	'testimony',
	'event',
	'site_visit'
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];
export const INTERACTION_STATUSES = ['held', 'planned'] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];
export const ATMOSPHERES = ['positive', 'neutral', 'negative'] as const;
export type Atmosphere = (typeof ATMOSPHERES)[number];
export const COMMITMENT_STATUSES = ['pending', 'kept', 'partly_kept', 'broken'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export const SCORES = [1, 2, 3, 4, 5] as const;

/** How far a "held" time may run ahead of the clock, and a "planned" one behind (clock drift). */
export const CLOCK_SLACK_MS = 5 * 60_000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()\-.]+$/;

/** Lenient E.164-ish: digits, spaces, +, -, dots and parentheses, 7–20 digits. */
export function isPhone(value: string): boolean {
	const digits = value.replace(/\D/g, '').length;
	return PHONE.test(value) && digits >= 7 && digits <= 20;
}

export function isEmail(value: string): boolean {
	return EMAIL.test(value) && value.length <= 320;
}

const required = (max: number, empty: () => string) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, { error: empty })
		.max(max, { error: () => m.data_error_too_long({ max }) });

/** Optional text: blank becomes null, so clearing a field clears it in the database. */
const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: () => m.data_error_too_long({ max }) })
		.optional()
		.transform((v) => v || null);

const optionalEmail = optional(320).refine((v) => v === null || isEmail(v), {
	error: () => m.outreach_error_email()
});
const optionalPhone = optional(40).refine((v) => v === null || isPhone(v), {
	error: () => m.outreach_error_phone()
});
const optionalUrl = optional(500).refine((v) => v === null || /^https?:\/\/[^\s/]+/i.test(v), {
	error: () => m.data_error_url()
});
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const optionalDate = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || isDay(v), { error: () => m.data_error_date() });
const requiredDate = z
	.string({ error: () => m.data_error_date() })
	.trim()
	.refine(isDay, { error: () => m.data_error_date() });
const optionalScore = z
	.string()
	.optional()
	.transform((v) => (v ? Number(v) : null))
	.refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 5), {
		error: () => m.outreach_error_score()
	});
const optionalId = z
	.string()
	.optional()
	.transform((v) => (v ? v : null))
	.refine((v) => v === null || isUuid(v), { error: () => m.data_error_generic() });
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, error: () => string) =>
	z
		.string()
		.optional()
		.transform((v) => (v ? v : null))
		.refine((v): v is T[number] | null => v === null || (values as readonly string[]).includes(v), {
			error
		});

const termOrder = <T extends { term_start: string | null; term_end: string | null }>(v: T) =>
	!v.term_start || !v.term_end || v.term_end >= v.term_start;

const officialFields = {
	name: required(200, () => m.outreach_error_name()),
	title: optional(200),
	office: optional(200),
	jurisdiction: optional(200),
	level: optionalEnum(LEVELS, () => m.outreach_error_level()),
	party: optional(100),
	email: optionalEmail,
	phone: optionalPhone,
	website: optionalUrl,
	term_start: optionalDate,
	term_end: optionalDate
};

export const OfficialForm = z
	.object({
		...officialFields,
		agency_id: optionalId,
		point_person_id: optionalId,
		stance: optionalScore,
		influence: optionalScore,
		interest: optionalScore,
		cadence_days: z
			.string()
			.optional()
			.transform((v) => (v?.trim() ? Number(v) : null))
			.refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 365), {
				error: () => m.outreach_error_cadence()
			}),
		notes: optional(4000)
	})
	.refine(termOrder, { path: ['term_end'], error: () => m.outreach_error_term() });
export type OfficialInput = z.infer<typeof OfficialForm>;

export const StaffForm = z.object({
	name: required(200, () => m.outreach_error_name()),
	role: optional(200),
	email: optionalEmail,
	phone: optionalPhone
});
export type StaffInput = z.infer<typeof StaffForm>;

/**
 * `occurred_local` is a datetime-local value (YYYY-MM-DDTHH:MM) in the browser's time zone;
 * `tz_offset` is that zone's `getTimezoneOffset()` in minutes (0, UTC, without JavaScript).
 */
export function occurredAt(local: string, tzOffset: string | undefined): string | null {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
	const ms = Date.parse(`${local}:00Z`);
	if (Number.isNaN(ms)) return null;
	const offset = Number(tzOffset ?? 0);
	return new Date(ms + (Number.isFinite(offset) ? offset : 0) * 60_000).toISOString();
}

/**
 * The interaction form, judged against `now` (held ones not in the future, planned not past).
 * `storedAt`: when editing, the time already saved; a planned interaction whose day has passed can
 * still be edited without moving it (as the database judges only a changed time).
 */
export function interactionForm(now: number = Date.now(), storedAt: string | null = null) {
	return z
		.object({
			type: z.enum(INTERACTION_TYPES, { error: () => m.outreach_error_type() }),
			status: z.enum(INTERACTION_STATUSES, { error: () => m.outreach_error_status() }),
			occurred_local: z.string({ error: () => m.outreach_error_when() }),
			tz_offset: z.string().optional(),
			title: required(200, () => m.outreach_error_title()),
			location: optional(300),
			purpose: optional(4000),
			asks: optional(4000),
			response: optional(4000),
			next_steps: optional(4000),
			atmosphere: optionalEnum(ATMOSPHERES, () => m.outreach_error_atmosphere()),
			atmosphere_reason: optional(1000),
			agency_id: optionalId,
			confidential: optional(8000)
		})
		.transform((v, ctx) => {
			const at = occurredAt(v.occurred_local, v.tz_offset);
			if (!at) {
				ctx.addIssue({
					code: 'custom',
					path: ['occurred_local'],
					message: m.outreach_error_when()
				});
				return z.NEVER;
			}
			const t = Date.parse(at);
			if (v.status === 'held' && t > now + CLOCK_SLACK_MS) {
				ctx.addIssue({
					code: 'custom',
					path: ['occurred_local'],
					message: m.outreach_error_held_future()
				});
				return z.NEVER;
			}
			const unchanged = storedAt !== null && Date.parse(storedAt) === t;
			if (v.status === 'planned' && t < now - CLOCK_SLACK_MS && !unchanged) {
				ctx.addIssue({
					code: 'custom',
					path: ['occurred_local'],
					message: m.outreach_error_planned_past()
				});
				return z.NEVER;
			}
			const { occurred_local: _local, tz_offset: _tz, ...rest } = v;
			return { ...rest, occurred_at: at };
		});
}
export type InteractionInput = z.output<ReturnType<typeof interactionForm>>;

export const CommitmentForm = z
	.object({
		official_id: z.string().refine(isUuid, { error: () => m.outreach_error_official() }),
		description: required(2000, () => m.outreach_error_commitment()),
		made_on: requiredDate,
		due_on: optionalDate,
		indicator_id: optionalId,
		goal_id: optionalId
	})
	.refine((v) => !v.due_on || v.due_on >= v.made_on, {
		path: ['due_on'],
		error: () => m.outreach_error_commitment_due()
	});
export type CommitmentInput = z.infer<typeof CommitmentForm>;

export const CommitmentStatusForm = z.object({
	id: z.string().refine(isUuid, { error: () => m.data_error_generic() }),
	status: z.enum(COMMITMENT_STATUSES, { error: () => m.outreach_error_commitment_status() }),
	evidence: optional(4000)
});

/** A follow-up of an interaction that took place on `interactionDay` (YYYY-MM-DD). */
export function followUpForm(interactionDay: string | null) {
	return z
		.object({
			title: required(300, () => m.outreach_error_follow_up_title()),
			due_on: requiredDate,
			assignee_id: z.string().refine(isUuid, { error: () => m.outreach_error_assignee() }),
			official_id: optionalId
		})
		.refine((v) => !interactionDay || v.due_on >= interactionDay, {
			path: ['due_on'],
			error: () => m.outreach_error_follow_up_due()
		});
}
export type FollowUpInput = z.output<ReturnType<typeof followUpForm>>;

/** One officials row from a CSV file, after mapping: every value a string or absent. */
export const OfficialImportRow = z
	.object(officialFields)
	.refine(termOrder, { path: ['term_end'], error: () => m.outreach_error_term() });
export type OfficialImportInput = z.infer<typeof OfficialImportRow>;
