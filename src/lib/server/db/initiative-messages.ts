/**
 * The initiatives' refusals in the visitor's language, beside the field they concern.
 * initiatives.ts returns the database's sentence (first letter capitalised); unknown sentences are
 * shown on the form as the database wrote them.
 */
import { m } from '$lib/paraglide/messages.js';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';

const SENTENCES: Array<[RegExp, string, () => string]> = [
	[
		/^the deadline cannot be before the start$/i,
		'deadline',
		() => m.initiatives_error_deadline_before_start()
	],
	[/^the baseline is too large$/i, 'baseline_value', () => m.initiatives_error_number_range()],
	[/^the target is too large$/i, 'target_value', () => m.initiatives_error_number_range()],
	[/^that indicator does not exist$/i, 'indicator_id', () => m.initiatives_error_indicator()],
	[
		/^that friction point (does not exist|is already linked)$/i,
		'friction_point_id',
		() => m.initiatives_error_friction_point()
	],
	[
		/^that official is not in the team's directory$/i,
		'target',
		() => m.initiatives_error_target_team()
	],
	[/^that agency is not one of the team's$/i, 'target', () => m.initiatives_error_target_team()],
	[
		/^that (official|agency) is already a target$/i,
		'target',
		() => m.initiatives_error_target_taken()
	],
	[
		/^that target is not one of the initiative's$/i,
		'target_id',
		() => m.initiatives_error_tactic_target()
	],
	[
		/^a milestone cannot be due before the initiative starts$/i,
		'due_on',
		() => m.initiatives_error_milestone_early()
	],
	[
		/^the assignee must be a member of the team$/i,
		'assignee_id',
		() => m.initiatives_error_assignee()
	],
	[
		/^that milestone is not one of the initiative's$/i,
		'milestone_id',
		() => m.initiatives_error_milestone()
	],
	[
		/^that interaction (does not exist|is already linked)$/i,
		'interaction_id',
		() => m.initiatives_error_interaction()
	],
	[/^this team is archived/i, 'form', () => m.initiatives_archived()],
	[/^you cannot change this team/i, 'form', () => m.initiatives_error_not_allowed()],
	[
		/^that (initiative|line|target|tactic|milestone|task|comment|force|interaction|friction point) does not exist$/i,
		'form',
		() => m.initiatives_error_gone()
	]
];

/** A refusal as form errors: beside its field when it has one, else on the form. */
export function initiativeRefusal(message: string): FieldErrors {
	for (const [pattern, field, text] of SENTENCES) {
		if (pattern.test(message)) return oneError(field, text());
	}
	return oneError('form', message);
}
