/**
 * CSV export that a spreadsheet cannot turn into a formula. A text cell beginning with =, +, -, @,
 * tab, CR or NUL gets a leading single quote, whatever follows (papaparse's `escapeFormulae` tests
 * /^[=+\-@\t\r].*$/, which fails on "=cmd\n…" because `.` stops at the line break, and ignores NUL).
 *
 * Numbers stay numbers: a column declared `number` writes finite numbers as they are, so -12 is
 * -12, not '-12. A text cell that merely looks negative ("-12" typed as text, "-fix") is
 * neutralised, because spreadsheets evaluate "-1+1" typed in a text column.
 */

export interface ExportColumn<T> {
	/** Property to read, or a function of the row. */
	key: keyof T | ((row: T) => unknown);
	header: string;
	/** `number` cells that hold finite numbers are written raw; anything else is text. */
	type?: 'number' | 'text';
}

export interface CsvOptions {
	delimiter?: ',' | ';' | '\t';
	/** Line ending between records (default CRLF, as RFC 4180). */
	newline?: '\r\n' | '\n';
	/** Start with a UTF-8 BOM so Excel reads accents right (default true). */
	bom?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r\0]/;

/** Neutralise one text cell (exported for tests and for callers building their own rows). */
export function neutralise(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(value: unknown, type: 'number' | 'text'): string {
	if (value === null || value === undefined) return '';
	if (type === 'number' && typeof value === 'number' && Number.isFinite(value))
		return String(value);
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
	return neutralise(String(value));
}

function quote(text: string, delimiter: string): string {
	if (text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r'))
		return `"${text.replace(/"/g, '""')}"`;
	return text;
}

export function toCsv<T>(
	rows: Iterable<T>,
	columns: ExportColumn<T>[],
	opts: CsvOptions = {}
): string {
	const d = opts.delimiter ?? ',';
	const nl = opts.newline ?? '\r\n';
	const lines: string[] = [columns.map((c) => quote(neutralise(c.header), d)).join(d)];
	for (const row of rows) {
		lines.push(
			columns
				.map((c) => {
					const v = typeof c.key === 'function' ? c.key(row) : row[c.key];
					return quote(cellText(v, c.type ?? (typeof v === 'number' ? 'number' : 'text')), d);
				})
				.join(d)
		);
	}
	return (opts.bom === false ? '' : '\ufeff') + lines.join(nl) + nl;
}
