import { m } from '$lib/paraglide/messages.js';
import type { ArchiveProblem } from './archive.ts';
import type { NotImported } from './tables.ts';

/** One problem as the sentence the import page shows, with its file and row where it has them. */
export function problemText(p: ArchiveProblem): string {
	switch (p.code) {
		case 'not_zip':
			return m.archive_import_p_not_zip();
		case 'broken_zip':
			return m.archive_import_p_broken_zip();
		case 'no_manifest':
			return m.archive_import_p_no_manifest();
		case 'manifest_json':
			return m.archive_import_p_manifest_json();
		case 'manifest_format':
			return m.archive_import_p_manifest_format();
		case 'newer_version':
			return m.archive_import_p_newer_version({ version: p.version });
		case 'manifest_invalid':
			return m.archive_import_p_manifest_invalid({ where: p.where });
		case 'unknown_table':
			return m.archive_import_p_unknown_table({ file: p.file, table: p.table });
		case 'missing_file':
			return m.archive_import_p_missing_file({ file: p.file });
		case 'checksum':
			return m.archive_import_p_checksum({ file: p.file });
		case 'row_count':
			return m.archive_import_p_row_count({
				file: p.file,
				expected: String(p.expected),
				found: String(p.found)
			});
		case 'header':
			return m.archive_import_p_header({
				file: p.file,
				expected: p.expected.join(', '),
				found: p.found.join(', ') || '-'
			});
		case 'width':
			return m.archive_import_p_width({
				file: p.file,
				row: String(p.row),
				expected: String(p.expected),
				found: String(p.found)
			});
		case 'required':
			return m.archive_import_p_required({ file: p.file, row: String(p.row), column: p.column });
		case 'type':
			return m.archive_import_p_type({
				file: p.file,
				row: String(p.row),
				column: p.column,
				type: p.type
			});
	}
}

/** Why a table's rows stay in the file only. */
export function notImportedText(reason: NotImported): string {
	switch (reason) {
		case 'people':
			return m.archive_import_no_people();
		case 'invitations':
			return m.archive_import_no_invitations();
		case 'referrals':
			return m.archive_import_no_referrals();
		case 'imports':
			return m.archive_import_no_imports();
	}
}
