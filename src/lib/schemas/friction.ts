/**
 * The forms of the friction map. Limits and score ranges match the database's checks; the database
 * still has the last word (and says why in a sentence).
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { FORCE_DIRECTIONS, PRESSURE_KINDS, STATUSES } from '$lib/friction/enums.ts';
import { isUuid } from './agency.ts';

export const TITLE_MAX = 200;
export const OBSERVED_MAX = 4000;
export const AFFECTED_WHO_MAX = 1000;
export const AFFECTED_HOW_MAX = 2000;
export const NOTE_MAX = 1000;
export const PRIVATE_NOTES_MAX = 4000;
export const EVIDENCE_TITLE_MAX = 300;
export const EVIDENCE_URL_MAX = 1000;
export const EVIDENCE_BODY_MAX = 4000;
export const CITED_NOTE_MAX = 2000;
export const CAUSE_MAX = 1000;
export const PRESSURE_TARGET_MAX = 200;
export const PRESSURE_DESCRIPTION_MAX = 2000;
export const FORCE_MAX = 300;

export { FORCE_DIRECTIONS, PRESSURE_KINDS, STATUSES } from '$lib/friction/enums.ts';
export type { PressureKindValue, Status } from '$lib/friction/enums.ts';

const tooLong = (max: number) => () => m.friction_error_too_long({ max });

const required = (max: number, empty: () => string) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, { error: empty })
		.max(max, { error: tooLong(max) });

/** Optional text: blank becomes null, so clearing a field clears it in the database. */
const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: tooLong(max) })
		.optional()
		.transform((v) => v || null);

/** An id from a select: blank is none. */
const optionalId = z
	.string()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || isUuid(v), { error: () => m.friction_error_generic() });

const id = z.string({ error: () => m.friction_error_generic() }).refine(isUuid, {
	error: () => m.friction_error_generic()
});

/** A whole-number score from 1 to 5, with the field's own sentence. */
const score = (message: () => string) =>
	z
		.string({ error: message })
		.trim()
		.regex(/^\d+$/, { error: message })
		.transform(Number)
		.refine((n) => n >= 1 && n <= 5, { error: message });

const optionalCount = z
	.string()
	.trim()
	.optional()
	.transform((v) => (v ? v.replace(/[\s,.]/g, '') : ''))
	.refine((v) => v === '' || /^\d{1,9}$/.test(v), { error: () => m.friction_error_people() })
	.transform((v) => (v === '' ? null : Number(v)));

const optionalDate = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
		error: () => m.friction_error_date()
	});

const optionalUrl = optional(EVIDENCE_URL_MAX).refine(
	(v) => v === null || /^https?:\/\/[^\s/]+/i.test(v),
	{ error: () => m.friction_error_url() }
);

/** The details of a friction point, as added or edited. */
export const FrictionPointForm = z.object({
	title: required(TITLE_MAX, () => m.friction_error_title()),
	goal_id: optionalId,
	observed: optional(OBSERVED_MAX),
	affected_who: optional(AFFECTED_WHO_MAX),
	affected_how: optional(AFFECTED_HOW_MAX),
	people_affected: optionalCount,
	team_rating: score(() => m.friction_error_rating()),
	owner_id: optionalId,
	private_notes: optional(PRIVATE_NOTES_MAX)
});
export type FrictionPointValues = z.infer<typeof FrictionPointForm>;

export const NewFrictionPointForm = FrictionPointForm.extend({
	agency_id: z
		.string({ error: () => m.friction_error_agency() })
		.refine(isUuid, { error: () => m.friction_error_agency() })
});

export const StatusForm = z.object({
	status: z.enum(STATUSES, { error: () => m.friction_error_status() }),
	note: optional(NOTE_MAX)
});

const sensitive = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true');

export const DocumentForm = z.object({
	title: required(EVIDENCE_TITLE_MAX, () => m.friction_error_document_title()),
	url: optionalUrl,
	document_date: optionalDate,
	body: optional(EVIDENCE_BODY_MAX),
	sensitive
});

export const ObservationForm = z.object({
	body: required(EVIDENCE_BODY_MAX, () => m.friction_error_observation()),
	sensitive
});

export const IndicatorEvidenceForm = z.object({
	indicator_id: z
		.string({ error: () => m.friction_error_indicator() })
		.refine(isUuid, { error: () => m.friction_error_indicator() }),
	body: optional(EVIDENCE_BODY_MAX),
	sensitive
});

export const InteractionEvidenceForm = z.object({
	interaction_id: z
		.string({ error: () => m.friction_error_interaction() })
		.refine(isUuid, { error: () => m.friction_error_interaction() }),
	note: optional(CITED_NOTE_MAX)
});

export const CauseForm = z.object({
	statement: required(CAUSE_MAX, () => m.friction_error_cause()),
	parent_id: optionalId
});

export const MoveCauseForm = z.object({
	id,
	statement: required(CAUSE_MAX, () => m.friction_error_cause()),
	parent_id: optionalId
});

export const PressureForm = z.object({
	kind: z.enum(PRESSURE_KINDS, { error: () => m.friction_error_kind() }),
	target: required(PRESSURE_TARGET_MAX, () => m.friction_error_target()),
	official_id: optionalId,
	description: optional(PRESSURE_DESCRIPTION_MAX),
	leverage: score(() => m.friction_error_leverage()),
	achievability: score(() => m.friction_error_achievability()),
	salience: score(() => m.friction_error_salience())
});

export const ForceForm = z.object({
	direction: z.enum(FORCE_DIRECTIONS, { error: () => m.friction_error_direction() }),
	description: required(FORCE_MAX, () => m.friction_error_force()),
	weight: score(() => m.friction_error_weight())
});

export const AcceptForm = z.object({
	indicator_id: id,
	title: required(TITLE_MAX, () => m.friction_error_title()),
	goal_id: optionalId,
	observed: optional(OBSERVED_MAX)
});

export const IndicatorIdForm = z.object({ indicator_id: id });

export const IdForm = z.object({ id });
