/**
 * An officials list read with the CSV import library (`$lib/csv`): which column holds which field,
 * guessed from the headers, and each row turned into an official or a row-level error. Pure.
 */
import { normaliseHeader } from '$lib/csv/mapping.ts';
import { parsePeriod } from '$lib/csv/dates.ts';
import { parseCsv, type FileErrorCode } from '$lib/csv/parse.ts';
import type { ByteSource } from '$lib/csv/source.ts';
import { fieldErrors } from '$lib/schemas/form.ts';
import {
	LEVELS,
	OfficialImportRow,
	type Level,
	type OfficialImportInput
} from '$lib/schemas/officials.ts';

export const IMPORT_FIELDS = [
	'name',
	'title',
	'office',
	'agency',
	'jurisdiction',
	'level',
	'party',
	'email',
	'phone',
	'website',
	'term_start',
	'term_end'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index per field (null: not in the file). */
export type OfficialMapping = Record<ImportField, number | null>;

/** Header words that name each field, normalised (see `normaliseHeader`). */
const SYNONYMS: Record<ImportField, string[]> = {
	name: ['name', 'full name', 'official', 'official name', 'nombre'],
	title: ['title', 'position', 'role', 'cargo'],
	office: ['office', 'seat', 'district', 'area', 'chamber', 'oficina'],
	agency: ['agency', 'department', 'organisation', 'organization', 'agencia'],
	jurisdiction: ['jurisdiction', 'state', 'city name', 'city', 'region', 'jurisdiccion'],
	level: ['level', 'level of government', 'nivel'],
	party: ['party', 'group', 'partido'],
	email: ['email', 'e mail', 'email address', 'correo'],
	phone: ['phone', 'telephone', 'phone number', 'tel', 'telefono'],
	website: ['website', 'url', 'web', 'homepage', 'sitio web'],
	term_start: ['term start', 'start date', 'start', 'inicio'],
	term_end: ['term end', 'end date', 'end', 'fin']
};

/** The mapping the headers suggest: exact synonyms first, each column used once. */
export function guessMapping(headers: readonly string[]): OfficialMapping {
	const names = headers.map(normaliseHeader);
	const used = new Set<number>();
	const out = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as OfficialMapping;
	for (const field of IMPORT_FIELDS) {
		for (const word of SYNONYMS[field]) {
			const i = names.findIndex((n, idx) => n === word && !used.has(idx));
			if (i >= 0) {
				out[field] = i;
				used.add(i);
				break;
			}
		}
	}
	return out;
}

const LEVEL_WORDS: Record<string, Level> = {
	local: 'local',
	city: 'local',
	municipal: 'local',
	county: 'local',
	regional: 'regional',
	region: 'regional',
	state: 'state',
	provincial: 'state',
	province: 'state',
	national: 'national',
	federal: 'national',
	international: 'international'
};

/** A level as people write it ("City", "Federal"), or the text itself when unknown (refused later). */
export function readLevel(raw: string): string {
	const t = raw.trim().toLowerCase();
	return LEVEL_WORDS[t] ?? ((LEVELS as readonly string[]).includes(t) ? t : raw.trim());
}

/** A date as the import library reads it (2024-01-03, 3 January 2024…): a single day, else as is. */
export function readDay(raw: string): string {
	const t = raw.trim();
	if (!t) return '';
	const p = parsePeriod(t, { order: 'mdy' });
	return p.ok && p.value && p.value.grain === 'day' ? p.value.start : t;
}

export interface MappedOfficial extends OfficialImportInput {
	/** The spreadsheet row number. */
	row: number;
	/** The agency named in the file (matched to the team's agencies by name). */
	agency: string | null;
}

export interface RowProblem {
	row: number;
	field: string;
	message: string;
	value: string;
}

/** Each row as an official, or the problems that keep it out. */
export function mapRows(
	rows: readonly string[][],
	rowNumbers: readonly number[],
	mapping: OfficialMapping
): { officials: MappedOfficial[]; problems: RowProblem[] } {
	const officials: MappedOfficial[] = [];
	const problems: RowProblem[] = [];
	rows.forEach((cells, i) => {
		const row = rowNumbers[i] ?? i + 2;
		const cell = (f: ImportField) => {
			const idx = mapping[f];
			return idx === null ? '' : (cells[idx] ?? '').trim();
		};
		const raw = {
			name: cell('name'),
			title: cell('title'),
			office: cell('office'),
			jurisdiction: cell('jurisdiction'),
			level: cell('level') ? readLevel(cell('level')) : '',
			party: cell('party'),
			email: cell('email'),
			phone: cell('phone'),
			website: cell('website'),
			term_start: readDay(cell('term_start')),
			term_end: readDay(cell('term_end'))
		};
		const parsed = OfficialImportRow.safeParse(raw);
		if (!parsed.success) {
			for (const [field, message] of Object.entries(fieldErrors(parsed.error))) {
				problems.push({
					row,
					field,
					message: message ?? '',
					value: field in raw ? raw[field as keyof typeof raw] : ''
				});
			}
			return;
		}
		officials.push({ ...parsed.data, row, agency: cell('agency') || null });
	});
	return { officials, problems };
}

/** At most this many officials in one file (import_officials takes 5000). */
export const MAX_IMPORT_ROWS = 5000;

export type ReadResult =
	| {
			ok: true;
			headers: string[];
			rows: string[][];
			rowNumbers: number[];
			/** Rows the parser left out (ragged, bad quotes), with the reason. */
			skipped: Array<{ row: number; message: string }>;
			encoding: string;
	  }
	| { ok: false; code: FileErrorCode | 'too_many_rows'; row?: number };

/** Reads a whole officials file with the import library: encoding, delimiter and header detected. */
export async function readOfficialsCsv(source: ByteSource): Promise<ReadResult> {
	const rows: string[][] = [];
	const rowNumbers: number[] = [];
	const skipped: Array<{ row: number; message: string }> = [];
	let headers: string[] = [];
	let encoding = 'utf-8';
	for await (const event of parseCsv(source)) {
		if (event.type === 'error') return { ok: false, code: event.error.code, row: event.error.row };
		if (event.type === 'start') {
			headers = event.info.headers;
			encoding = event.info.encoding.encoding;
		}
		if (event.type === 'rows') {
			rows.push(...event.rows);
			rowNumbers.push(...event.rowNumbers);
			for (const issue of event.issues)
				if (issue.severity === 'error') skipped.push({ row: issue.row, message: issue.message });
			if (rows.length > MAX_IMPORT_ROWS) return { ok: false, code: 'too_many_rows' };
		}
	}
	return { ok: true, headers, rows, rowNumbers, skipped, encoding };
}
