/**
 * One table as CSV, losslessly: a value read back is the value written. Null is an empty cell
 * (an empty text is not kept apart from null: the database turns blank text into null anyway);
 * JSON and array columns hold JSON; numbers keep every digit because they stay text end to end.
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR, NUL) gets a leading
 * single quote, and so does one that already starts with a quote, so reading drops exactly one.
 */
import Papa from 'papaparse';
import type { ArchiveColumn } from './manifest.ts';

export type Row = Record<string, unknown>;

export type CellProblem =
	| { code: 'header'; expected: string[]; found: string[] }
	| { code: 'width'; row: number; expected: number; found: number }
	| { code: 'required'; row: number; column: string }
	| { code: 'type'; row: number; column: string; type: string };

const GUARDED = /^[=+\-@\t\r\0']/;
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'citext']);

const isJson = (type: string) => type === 'json' || type === 'jsonb' || type.startsWith('_');

const CHECKS: Record<string, RegExp> = {
	uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
	smallint: /^-?\d{1,5}$/,
	integer: /^-?\d{1,10}$/,
	bigint: /^-?\d{1,19}$/,
	numeric: /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/,
	'double precision': /^(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|NaN|-?Infinity)$/,
	real: /^(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|NaN|-?Infinity)$/,
	boolean: /^(true|false)$/,
	date: /^\d{4}-\d{2}-\d{2}$/,
	'timestamp with time zone':
		/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/
};

export function encodeCell(value: unknown, type: string): string {
	if (value === null || value === undefined) return '';
	if (isJson(type) || (typeof value === 'object' && !(value instanceof Date)))
		return JSON.stringify(value);
	const text = value instanceof Date ? value.toISOString() : String(value);
	return TEXT_TYPES.has(type) && GUARDED.test(text) ? `'${text}` : text;
}

/** The value of one cell, or undefined when it does not fit the column's type. */
export function decodeCell(text: string, type: string): unknown {
	if (text === '') return null;
	if (isJson(type)) {
		try {
			const value: unknown = JSON.parse(text);
			if (type.startsWith('_') && !Array.isArray(value)) return undefined;
			return value;
		} catch {
			return undefined;
		}
	}
	if (TEXT_TYPES.has(type)) return text.startsWith("'") ? text.slice(1) : text;
	const check = CHECKS[type];
	if (check && !check.test(text)) return undefined;
	if (type === 'boolean') return text === 'true';
	return text;
}

export function encodeTable(columns: readonly ArchiveColumn[], rows: Iterable<Row>): string {
	const data: string[][] = [];
	for (const row of rows) data.push(columns.map((c) => encodeCell(row[c.name], c.type)));
	return Papa.unparse(
		{ fields: columns.map((c) => c.name), data },
		{ newline: '\r\n', quotes: false, escapeFormulae: false }
	);
}

/** Rows of a file, checked against the manifest's columns; row numbers count the header as 1. */
export function decodeTable(
	text: string,
	columns: readonly ArchiveColumn[]
): { rows: Row[]; problems: CellProblem[] } {
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
		header: false,
		skipEmptyLines: false
	});
	const lines = parsed.data;
	// A file ends with one line break at most; papaparse reads it as one empty record.
	if (lines.length > 1 && lines.at(-1)!.length === 1 && lines.at(-1)![0] === '') lines.pop();
	const expected = columns.map((c) => c.name);
	const found = lines[0] ?? [];
	if (found.length !== expected.length || found.some((name, i) => name !== expected[i]))
		return { rows: [], problems: [{ code: 'header', expected, found }] };
	const rows: Row[] = [];
	const problems: CellProblem[] = [];
	for (let i = 1; i < lines.length && problems.length < 50; i++) {
		const cells = lines[i];
		const row = i + 1;
		if (cells.length !== columns.length) {
			problems.push({ code: 'width', row, expected: columns.length, found: cells.length });
			continue;
		}
		const out: Row = {};
		columns.forEach((c, j) => {
			const value = decodeCell(cells[j], c.type);
			if (value === undefined) problems.push({ code: 'type', row, column: c.name, type: c.type });
			else if (value === null && !c.nullable)
				problems.push({ code: 'required', row, column: c.name });
			out[c.name] = value;
		});
		rows.push(out);
	}
	return { rows, problems };
}
