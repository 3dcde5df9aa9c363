/**
 * The friction map's refusals in the visitor's language, beside the field they concern. friction.ts
 * returns the database's sentence (first letter capitalised); unknown sentences are shown on the
 * form as the database wrote them.
 */
import { m } from '$lib/paraglide/messages.js';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';

const SENTENCES: Array<[RegExp, string, () => string]> = [
	[/^leverage must be/i, 'leverage', () => m.friction_error_leverage()],
	[/^achievability must be/i, 'achievability', () => m.friction_error_achievability()],
	[/^public salience must be/i, 'salience', () => m.friction_error_salience()],
	[/^the weight must be/i, 'weight', () => m.friction_error_weight()],
	[/^the team's rating must be/i, 'team_rating', () => m.friction_error_rating()],
	[/^a cause cannot sit under itself/i, 'parent_id', () => m.friction_error_cause_loop()],
	[
		/^(that parent cause does not exist|the parent cause belongs to another friction point)$/i,
		'parent_id',
		() => m.friction_error_parent()
	],
	[/^the owner must be a member of the team$/i, 'owner_id', () => m.friction_error_owner()],
	[
		/^(that goal does not exist|the goal belongs to another indicator|the indicator must be one of the agency's)$/i,
		'goal_id',
		() => m.friction_error_goal()
	],
	[/^that indicator does not exist$/i, 'indicator_id', () => m.friction_error_indicator()],
	[/^that agency does not exist$/i, 'agency_id', () => m.friction_error_agency()],
	[/^the address must be a web address/i, 'url', () => m.friction_error_url()],
	[/^this team is archived/i, 'form', () => m.friction_archived()],
	[/^you cannot change this team/i, 'form', () => m.friction_error_not_allowed()],
	[
		/^that (friction point|piece of evidence|cause|pressure point|force) does not exist$/i,
		'form',
		() => m.friction_error_gone()
	]
];

/** A refusal as form errors: beside its field when it has one, else on the form. */
export function frictionRefusal(message: string): FieldErrors {
	for (const [pattern, field, text] of SENTENCES) {
		if (pattern.test(message)) return oneError(field, text());
	}
	return oneError('form', message);
}
