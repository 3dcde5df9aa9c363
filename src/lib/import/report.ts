/**
 * The error report: the rejected rows, one line per problem, with the spreadsheet row, the column,
 * the reason code, a sentence and the raw value, written through `toCsv` so a value like
 * `=HYPERLINK(…)` from a hostile file is never run as a formula when the report is opened.
 */
import { toCsv } from '../csv/export.ts';
import type { RowError } from '../csv/validate.ts';

export interface ReportHeaders {
	row: string;
	column: string;
	reason: string;
	message: string;
	value: string;
}

const ENGLISH: ReportHeaders = {
	row: 'row',
	column: 'column',
	reason: 'reason',
	message: 'message',
	value: 'value'
};

export function errorReportCsv(errors: Iterable<RowError>, headers: ReportHeaders = ENGLISH) {
	return toCsv(errors, [
		{ key: 'row', header: headers.row, type: 'number' },
		{ key: (e) => e.column ?? '', header: headers.column },
		{ key: 'reason', header: headers.reason },
		{ key: 'message', header: headers.message },
		{ key: 'value', header: headers.value, type: 'text' }
	]);
}

/** A file name for the report, from the imported file's name: `rides.csv` → `rides-errors.csv`. */
export function reportFileName(fileName: string): string {
	const base = fileName.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-') || 'import';
	return `${base.slice(0, 80)}-errors.csv`;
}

/** Errors kept with an import (the history's report): at most this many… */
export const STORED_ERRORS_MAX = 10_000;
/** …and at most about this many bytes of JSON, so the start request fits the body limit. */
export const STORED_ERRORS_BYTES = 350_000;

/**
 * The errors to store with the import: the first ones by row, up to the count and byte caps, with
 * long values shortened. `truncated` says whether some were left out (the history says so).
 */
export function errorsForStorage(
	errors: readonly RowError[],
	maxCount = STORED_ERRORS_MAX,
	maxBytes = STORED_ERRORS_BYTES
): { errors: RowError[]; truncated: boolean } {
	const out: RowError[] = [];
	let bytes = 2;
	for (const e of errors) {
		if (out.length >= maxCount) return { errors: out, truncated: true };
		const value = e.value.length > 200 ? e.value.slice(0, 200) + '…' : e.value;
		const kept = { row: e.row, column: e.column, reason: e.reason, value, message: e.message };
		const size = JSON.stringify(kept).length * 2 + 1;
		if (bytes + size > maxBytes) return { errors: out, truncated: true };
		bytes += size;
		out.push(kept);
	}
	return { errors: out, truncated: false };
}
