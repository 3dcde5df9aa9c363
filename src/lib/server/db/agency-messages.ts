/**
 * The data area's refusals in the visitor's language. agency.ts returns the database's sentence
 * (first letter capitalised); the data pages show it beside the field it concerns, the import
 * wizard and its history as one sentence. Unknown sentences are shown as the database wrote them.
 */
import { m } from '$lib/paraglide/messages.js';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';
import { capitalise, translateDbMessage, type KnownMessages } from './errors.ts';

/** The pages' sentences: pattern, the form field it belongs to, our words. */
const FORM_SENTENCES: Array<[RegExp, string, () => string]> = [
	[/^the team already has an agency with that name$/i, 'name', () => m.data_db_agency_exists()],
	[/^the agency already has a program with that name$/i, 'name', () => m.data_db_program_exists()],
	[
		/^the agency already has an indicator with that name$/i,
		'name',
		() => m.data_db_indicator_exists()
	],
	[
		/^this team is archived: unarchive it before changing its data$/i,
		'form',
		() => m.data_archived()
	],
	[/^you cannot change this team/i, 'form', () => m.data_db_not_allowed()],
	[/^the website must be a web address/i, 'website', () => m.data_error_url()],
	[/^the source address must be a web address/i, 'source_url', () => m.data_error_url()],
	[
		/^that (agency|program|indicator|goal|measurement) does not exist$/i,
		'form',
		() => m.data_db_gone()
	]
];

/** The wizard's sentences; an unknown one gets the full stop ours end with. */
const IMPORT_SENTENCES: KnownMessages = [
	[/^that import does not exist/i, () => m.import_db_no_such_import()],
	[/^this team is archived/i, () => m.import_db_archived()],
	[
		/^(\d+) indicators? do(?:es)? not exist yet: (.*)$/i,
		(x) => m.import_db_missing({ names: x[2] })
	],
	[/^undo the later import/i, () => m.import_db_undo_later()],
	[/^.*[^.!?…]$/s, (x) => `${capitalise(x[0])}.`]
];

/** A refusal as form errors: beside its field when it has one, else on the form. */
export function formRefusal(message: string): FieldErrors {
	for (const [pattern, field, text] of FORM_SENTENCES) {
		if (pattern.test(message)) return oneError(field, text());
	}
	return oneError('form', message);
}

/** A refusal of an import step (start, stage, check, commit, cancel, undo, saving a mapping). */
export function importRefusal(message: string): string {
	return translateDbMessage(message, IMPORT_SENTENCES);
}
