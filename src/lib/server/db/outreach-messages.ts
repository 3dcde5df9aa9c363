/**
 * The outreach area's refusals in the visitor's language, beside the field they concern. The data
 * modules return the database's sentence (first letter capitalised); unknown sentences are shown as
 * the database wrote them.
 */
import { m } from '$lib/paraglide/messages.js';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';

/** Pattern, the form field it belongs to, our words. */
const SENTENCES: Array<[RegExp, string, () => string]> = [
	[
		/^the team already has an official with that name and office$/i,
		'name',
		() => m.outreach_db_duplicate()
	],
	[/^the email is not a valid email address$/i, 'email', () => m.outreach_error_email()],
	[/^the phone number is not a valid phone number/i, 'phone', () => m.outreach_error_phone()],
	[/^the website must be a web address/i, 'website', () => m.data_error_url()],
	[/^the term cannot end before it starts$/i, 'term_end', () => m.outreach_error_term()],
	[
		/^a past interaction cannot be in the future/i,
		'occurred_local',
		() => m.outreach_error_held_future()
	],
	[
		/^a planned interaction cannot be in the past/i,
		'occurred_local',
		() => m.outreach_error_planned_past()
	],
	[
		/^only a leader can write a confidential note$/i,
		'confidential',
		() => m.outreach_db_leader_only()
	],
	[
		/^a commitment cannot be due before it was made$/i,
		'due_on',
		() => m.outreach_error_commitment_due()
	],
	[
		/^a follow-up cannot be due before the interaction it follows$/i,
		'due_on',
		() => m.outreach_error_follow_up_due()
	],
	[
		/^the point person must be a member of the team$/i,
		'point_person_id',
		() => m.outreach_db_point_person()
	],
	[
		/^a person, official or agency chosen is not in the team$/i,
		'form',
		() => m.outreach_db_not_in_team()
	],
	[/^this team is archived/i, 'form', () => m.outreach_archived()],
	[/^you cannot change this team/i, 'form', () => m.outreach_db_not_allowed()],
	[
		/^only (leaders and organizers|a member of the team) can /i,
		'form',
		() => m.outreach_db_not_allowed()
	],
	[/^choose two different officials to merge$/i, 'form', () => m.outreach_db_merge_same()],
	[
		/^that (official|interaction|commitment|follow-up|staff member|agency) does not exist$/i,
		'form',
		() => m.outreach_db_gone()
	]
];

/** A refusal as form errors: beside its field when it has one, else on the form. */
export function outreachRefusal(message: string): FieldErrors {
	for (const [pattern, field, text] of SENTENCES) {
		if (pattern.test(message)) return oneError(field, text());
	}
	return oneError('form', message);
}

/** An import refusal ("Row 7: the email is not a valid email address") in the visitor's language. */
export function importRefusal(message: string): string {
	const row = /^row (\d+): (.*)$/is.exec(message);
	if (!row) return Object.values(outreachRefusal(message))[0] ?? message;
	const inner = Object.values(outreachRefusal(row[2]))[0] ?? row[2];
	return m.outreach_import_row_refused({ row: row[1], reason: inner });
}
