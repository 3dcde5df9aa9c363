/**
 * The forms of advocacy initiatives. Limits match the database's checks; the database still has the
 * last word (and says why in a sentence).
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { TASK_STATUSES } from '$lib/initiatives/board.ts';
import { INITIATIVE_STATUSES, STRATEGY_KINDS } from '$lib/initiatives/enums.ts';
import { isUuid } from './agency.ts';

export const TITLE_MAX = 200;
export const PROBLEM_MAX = 4000;
export const VISION_MAX = 2000;
export const OBJECTIVE_MAX = 1000;
export const NOTE_MAX = 1000;
export const REFLECTION_MAX = 4000;
export const SENSITIVE_MAX = 4000;
export const LINE_MAX = 500;
export const TASK_TITLE_MAX = 300;
export const TASK_DESCRIPTION_MAX = 4000;
export const COMMENT_MAX = 2000;
/** Values as the database bounds them (|value| < 10^15). */
export const VALUE_LIMIT = 1e15;

export { INITIATIVE_STATUSES, STRATEGY_KINDS, TASK_STATUSES };

const tooLong = (max: number) => () => m.initiatives_error_too_long({ max });

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

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

const optionalDate = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || isDate(v), { error: () => m.initiatives_error_date() });

const requiredDate = (empty: () => string) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, { error: empty })
		.refine(isDate, { error: () => m.initiatives_error_date() });

/** A number as people type it ("1,250.5" or "95"), blank for none, bounded like the database. */
const optionalValue = z
	.string()
	.trim()
	.optional()
	.transform((v) => (v ? v.replace(/[\s,]/g, '') : ''))
	.refine((v) => v === '' || /^-?\d+(\.\d+)?$/.test(v), {
		error: () => m.initiatives_error_number()
	})
	.transform((v) => (v === '' ? null : Number(v)))
	.refine((v) => v === null || Math.abs(v) < VALUE_LIMIT, {
		error: () => m.initiatives_error_number_range()
	});

const optionalId = z
	.string()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || isUuid(v), { error: () => m.initiatives_error_generic() });

const id = (message: () => string = () => m.initiatives_error_generic()) =>
	z.string({ error: message }).refine(isUuid, { error: message });

const checked = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true');

/** The plan's details, as started or edited. The deadline may not be before the start. */
export const InitiativeForm = z
	.object({
		title: required(TITLE_MAX, () => m.initiatives_error_title()),
		problem: optional(PROBLEM_MAX),
		vision: optional(VISION_MAX),
		mission: optional(VISION_MAX),
		objective: optional(OBJECTIVE_MAX),
		indicator_id: optionalId,
		baseline_value: optionalValue,
		baseline_date: optionalDate,
		target_value: optionalValue,
		start_date: requiredDate(() => m.initiatives_error_start()),
		deadline: optionalDate,
		sensitive_notes: optional(SENSITIVE_MAX)
	})
	.superRefine((v, ctx) => {
		if (v.deadline && v.start_date && v.deadline < v.start_date) {
			ctx.addIssue({
				code: 'custom',
				path: ['deadline'],
				message: m.initiatives_error_deadline_before_start()
			});
		}
	});
export type InitiativeValues = z.infer<typeof InitiativeForm>;

/** The friction points ticked on the new-initiative form (checkboxes named friction_point_id). */
export function frictionPointIds(data: FormData): string[] {
	return [...new Set(data.getAll('friction_point_id').map(String).filter(isUuid))];
}

export const StatusForm = z.object({
	status: z.enum(INITIATIVE_STATUSES, { error: () => m.initiatives_error_status() }),
	note: optional(NOTE_MAX),
	reflection: optional(REFLECTION_MAX)
});

export const StrategyItemForm = z.object({
	kind: z.enum(STRATEGY_KINDS, { error: () => m.initiatives_error_kind() }),
	body: required(LINE_MAX, () => m.initiatives_error_line()),
	sensitive: checked
});

/** A target: "official:<id>" or "agency:<id>" from one select, primary or secondary. */
export const TargetForm = z.object({
	target: z
		.string({ error: () => m.initiatives_error_target() })
		.regex(/^(official|agency):[0-9a-f-]{36}$/i, { error: () => m.initiatives_error_target() })
		.transform((v) => {
			const [kind, value] = v.split(':');
			return kind === 'official'
				? { official_id: value, agency_id: null }
				: { official_id: null, agency_id: value };
		}),
	role: z.enum(['primary', 'secondary'], { error: () => m.initiatives_error_role() }),
	note: optional(NOTE_MAX)
});

export const TacticForm = z.object({
	target_id: id(() => m.initiatives_error_tactic_target()),
	description: required(LINE_MAX, () => m.initiatives_error_tactic()),
	planned_on: requiredDate(() => m.initiatives_error_tactic_date())
});

export const MilestoneForm = z.object({
	title: required(TITLE_MAX, () => m.initiatives_error_milestone_title()),
	due_on: requiredDate(() => m.initiatives_error_due())
});

export const TaskForm = z.object({
	title: required(TASK_TITLE_MAX, () => m.initiatives_error_task_title()),
	description: optional(TASK_DESCRIPTION_MAX),
	assignee_id: optionalId,
	due_on: optionalDate,
	milestone_id: optionalId,
	status: z.enum(TASK_STATUSES, { error: () => m.initiatives_error_task_status() }).default('todo')
});

/** A card moved to a column and place (by dragging), or one step (by keyboard or button). */
export const MoveForm = z.union([
	z.object({ id: id(), step: z.enum(['left', 'right', 'up', 'down']) }),
	z.object({
		id: id(),
		status: z.enum(TASK_STATUSES, { error: () => m.initiatives_error_task_status() }),
		position: z
			.string()
			.regex(/^\d{1,5}$/, { error: () => m.initiatives_error_generic() })
			.transform(Number)
	})
]);

export const CommentForm = z.object({
	body: required(COMMENT_MAX, () => m.initiatives_error_comment())
});

export const FrictionLinkForm = z.object({
	friction_point_id: id(() => m.initiatives_error_friction_point())
});

export const InteractionLinkForm = z.object({
	interaction_id: id(() => m.initiatives_error_interaction())
});

export const IdForm = z.object({ id: id() });
