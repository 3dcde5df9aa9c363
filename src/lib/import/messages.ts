/**
 * The pipeline's codes (file errors, row error reasons, decisions) as sentences in the visitor's
 * language. The pipeline itself writes English; the wizard shows these instead.
 */
import type { FileError } from '../csv/parse.ts';
import type { RowError, RowErrorReason } from '../csv/validate.ts';
import { m } from '$lib/paraglide/messages.js';

export function fileErrorMessage(e: FileError, columns = 0): string {
	switch (e.code) {
		case 'empty_file':
			return m.import_file_empty();
		case 'header_only':
			return m.import_file_header_only();
		case 'unterminated_quote':
			return m.import_file_unterminated_quote({ row: e.row ?? '?' });
		case 'too_many_columns':
			return m.import_file_too_many_columns({ count: columns });
		case 'binary_file':
			switch (e.binaryKind) {
				case 'zip':
					return m.import_file_binary_zip();
				case 'ole':
					return m.import_file_binary_xls();
				case 'pdf':
					return m.import_file_binary_pdf();
				case 'gzip':
					return m.import_file_binary_gzip();
				case 'image':
					return m.import_file_binary_image();
				default:
					return m.import_file_binary();
			}
	}
}

export const REASONS: Record<RowErrorReason, () => string> = {
	missing_value: () => m.import_reason_missing_value(),
	not_a_number: () => m.import_reason_not_a_number(),
	wrong_locale: () => m.import_reason_wrong_locale(),
	missing_period: () => m.import_reason_missing_period(),
	not_a_date: () => m.import_reason_not_a_date(),
	invalid_date: () => m.import_reason_invalid_date(),
	ambiguous_order: () => m.import_reason_ambiguous_order(),
	fiscal_year_start_needed: () => m.import_reason_fiscal_year_start_needed(),
	missing_indicator: () => m.import_reason_missing_indicator(),
	too_long: () => m.import_reason_too_long(),
	duplicate: () => m.import_reason_duplicate(),
	ragged_row: () => m.import_reason_ragged_row(),
	invalid: () => m.import_reason_invalid()
};

/** One row error as a sentence: the reason, and where and what when it concerns one cell. */
export function rowErrorMessage(e: RowError): string {
	const reason = REASONS[e.reason]?.() ?? e.message;
	if (e.reason === 'duplicate') return m.import_error_duplicate({ detail: e.value });
	if (e.reason === 'ragged_row') return m.import_error_ragged({ detail: e.value });
	if (!e.column) return reason;
	if (e.value.trim() === '') return m.import_error_in_column_blank({ reason, column: e.column });
	return m.import_error_in_column({ reason, column: e.column, value: e.value });
}
