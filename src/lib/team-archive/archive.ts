/**
 * The zip: manifest.json and one CSV file per table. Built on the server at export, read in the
 * browser at import (both with fflate and Web Crypto, so the same code is unit-tested in Node).
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { decodeTable, encodeTable, type CellProblem, type Row } from './csv.ts';
import {
	ARCHIVE_FORMAT,
	ARCHIVE_VERSION,
	MANIFEST_FILE,
	Manifest,
	ManifestHead,
	type ArchiveColumn,
	type ArchivePerson
} from './manifest.ts';
import { archiveTable } from './tables.ts';

export interface TableData {
	name: string;
	columns: ArchiveColumn[];
	rows: Row[];
}

export interface ArchiveInput {
	appVersion: string;
	exportedAt: Date;
	team: Manifest['team'];
	confidentialIncluded: boolean;
	people: ArchivePerson[];
	tables: TableData[];
}

/** Everything wrong with a file, each with where it is (file, row, column) when it has a place. */
export type ArchiveProblem =
	| { code: 'not_zip' | 'broken_zip' | 'no_manifest' | 'manifest_json' }
	| { code: 'manifest_format' }
	| { code: 'newer_version'; version: string }
	| { code: 'manifest_invalid'; where: string }
	| { code: 'unknown_table'; file: string; table: string }
	| { code: 'missing_file'; file: string }
	| { code: 'checksum'; file: string }
	| { code: 'row_count'; file: string; expected: number; found: number }
	| ({ file: string } & CellProblem);

export type ReadResult =
	| { ok: true; manifest: Manifest; tables: Map<string, Row[]> }
	| { ok: false; problems: ArchiveProblem[]; manifest?: Manifest };

async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function buildArchive(
	input: ArchiveInput
): Promise<{ zip: Uint8Array; manifest: Manifest }> {
	const files: Record<string, Uint8Array> = {};
	const tables: Manifest['tables'] = [];
	for (const table of input.tables) {
		const spec = archiveTable(table.name);
		if (!spec) throw new Error(`${table.name} is not an archive table`);
		const bytes = strToU8(encodeTable(table.columns, table.rows));
		files[spec.file] = bytes;
		tables.push({
			name: table.name,
			file: spec.file,
			columns: table.columns,
			rows: table.rows.length,
			sha256: await sha256(bytes),
			imported: !spec.notImported
		});
	}
	const manifest: Manifest = {
		format: ARCHIVE_FORMAT,
		version: ARCHIVE_VERSION,
		app_version: input.appVersion,
		exported_at: input.exportedAt.toISOString(),
		team: input.team,
		confidential_included: input.confidentialIncluded,
		people: input.people,
		tables
	};
	files[MANIFEST_FILE] = strToU8(JSON.stringify(manifest, null, '\t'));
	return { zip: zipSync(files, { level: 6 }), manifest };
}

const isZip = (b: Uint8Array) =>
	b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4;

function readManifest(files: Record<string, Uint8Array>): Manifest | ArchiveProblem {
	const raw = files[MANIFEST_FILE];
	if (!raw) return { code: 'no_manifest' };
	let json: unknown;
	try {
		json = JSON.parse(strFromU8(raw));
	} catch {
		return { code: 'manifest_json' };
	}
	const head = ManifestHead.safeParse(json);
	if (!head.success || head.data.format !== ARCHIVE_FORMAT) return { code: 'manifest_format' };
	const version = head.data.version;
	if (typeof version !== 'number' || !Number.isInteger(version)) return { code: 'manifest_format' };
	if (version > ARCHIVE_VERSION) return { code: 'newer_version', version: String(version) };
	const parsed = Manifest.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { code: 'manifest_invalid', where: issue.path.join('.') || '-' };
	}
	return parsed.data;
}

/** Opens an archive and checks everything an import relies on, reporting every problem found. */
export async function readArchive(bytes: Uint8Array): Promise<ReadResult> {
	if (!isZip(bytes)) return { ok: false, problems: [{ code: 'not_zip' }] };
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes);
	} catch {
		return { ok: false, problems: [{ code: 'broken_zip' }] };
	}
	const manifest = readManifest(files);
	if ('code' in manifest) return { ok: false, problems: [manifest] };
	const problems: ArchiveProblem[] = [];
	const tables = new Map<string, Row[]>();
	for (const entry of manifest.tables) {
		const spec = archiveTable(entry.name);
		if (!spec || spec.file !== entry.file) {
			problems.push({ code: 'unknown_table', file: entry.file, table: entry.name });
			continue;
		}
		const raw = files[entry.file];
		if (!raw) {
			problems.push({ code: 'missing_file', file: entry.file });
			continue;
		}
		if ((await sha256(raw)) !== entry.sha256) {
			problems.push({ code: 'checksum', file: entry.file });
			continue;
		}
		const decoded = decodeTable(strFromU8(raw), entry.columns);
		for (const p of decoded.problems) problems.push({ file: entry.file, ...p });
		if (decoded.problems.length === 0 && decoded.rows.length !== entry.rows)
			problems.push({
				code: 'row_count',
				file: entry.file,
				expected: entry.rows,
				found: decoded.rows.length
			});
		tables.set(entry.name, decoded.rows);
	}
	if (problems.length) return { ok: false, problems, manifest };
	return { ok: true, manifest, tables };
}
