import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import type { FieldErrors } from '$lib/schemas/form.ts';
import { SHAREABLE, SPLIT_KINDS, type SplitPlan, type SplitKind } from '$lib/split/plan.ts';

/** The same limit as the teams table. */
export const SPLIT_NAME_MAX = 80;

const Name = z
	.string({ error: () => m.split_error_name() })
	.trim()
	.min(1, { error: () => m.split_error_name() })
	.max(SPLIT_NAME_MAX, { error: () => m.split_error_name() });

const Side = z.enum(['source', 'new'], { error: () => m.split_error_side() });
const Role = z.enum(['leader', 'organizer', 'member'], { error: () => m.split_error_role() });
const Choice = z.enum(['stays', 'moves', 'shared']);

/** Form field names: `side:<user>`, `role:<user>`, `<kind>:<id>`. */
export const sideField = (userId: string) => `side:${userId}`;
export const roleField = (userId: string) => `role:${userId}`;
export const choiceField = (kind: SplitKind, id: string) => `${kind}:${id}`;

/**
 * The wizard's form as a plan for split_team(): every member listed (with their side and role),
 * every choice other than "stays". Field errors are keyed by the field they belong to; `members`
 * for a problem with the whole list.
 */
export function parseSplitForm(
	values: Record<string, string>,
	memberIds: readonly string[]
): { plan: SplitPlan; errors?: undefined } | { plan?: undefined; errors: FieldErrors } {
	const errors: FieldErrors = {};
	const name = Name.safeParse(values.name ?? '');
	if (!name.success) errors.name = name.error.issues[0].message;
	const members: SplitPlan['members'] = [];
	for (const id of memberIds) {
		const side = Side.safeParse(values[sideField(id)]);
		const role = Role.safeParse(values[roleField(id)]);
		if (!side.success) errors[sideField(id)] ??= side.error.issues[0].message;
		if (!role.success) errors[roleField(id)] ??= role.error.issues[0].message;
		if (side.success && role.success)
			members.push({ user_id: id, side: side.data, role: role.data });
	}
	const plan: SplitPlan = {
		name: name.success ? name.data : '',
		members,
		agencies: {},
		officials: {},
		friction_points: {},
		initiatives: {},
		tasks: {}
	};
	for (const [key, raw] of Object.entries(values)) {
		const [kind, id] = key.split(':');
		if (!id || !(SPLIT_KINDS as readonly string[]).includes(kind)) continue;
		const k = kind as SplitKind;
		const choice = Choice.safeParse(raw);
		if (!choice.success || (choice.data === 'shared' && !SHAREABLE.has(k))) {
			errors[key] = m.split_error_choice();
			continue;
		}
		if (choice.data !== 'stays') plan[k][id] = choice.data;
	}
	return Object.keys(errors).length ? { errors } : { plan };
}
