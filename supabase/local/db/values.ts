/**
 * Value conversion shared by both engines, so that a row read from PGlite and the same row read
 * from PostgreSQL are identical JS values.
 *
 * Results (text format from the server), by column type:
 * - bool → boolean; int2, int4, oid, float4, float8 → number (NaN/Infinity included)
 * - json, jsonb → parsed JSON
 * - bytea → Buffer
 * - arrays of the types above and of text-like types (text, varchar, bpchar, name, uuid, int8,
 *   numeric, timestamptz, timestamp, date) → JS arrays of the element values
 * - everything else → the string Postgres prints: int8 and numeric (exact, like `pg`), uuid,
 *   timestamptz/timestamp/date/time/interval (exact, microseconds kept; both engines run with
 *   TimeZone UTC and DateStyle ISO so timestamptz reads like `2024-01-31 12:00:00.123456+00`),
 *   enums, arrays of enums or other types (`{a,b}`), ranges, …
 *
 * Parameters are sent as text: null/undefined → NULL; Date → ISO string; Buffer/Uint8Array → bytea
 * hex; arrays → a Postgres array literal; other objects → JSON; everything else → String(value).
 */

const identity = (s: string) => s;

function parseBool(s: string): boolean {
	return s === 't' || s === 'true';
}

function parseBytea(s: string): Buffer {
	if (s.startsWith('\\x')) return Buffer.from(s.slice(2), 'hex');
	// bytea_output = escape: octal escapes and doubled backslashes.
	const out: number[] = [];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '\\') {
			if (s[i + 1] === '\\') {
				out.push(92);
				i++;
			} else {
				out.push(parseInt(s.slice(i + 1, i + 4), 8));
				i += 3;
			}
		} else out.push(s.charCodeAt(i));
	}
	return Buffer.from(out);
}

type ElementParser = (s: string) => unknown;

const scalarParsers: Record<number, ElementParser> = {
	16: parseBool,
	17: parseBytea,
	21: Number,
	23: Number,
	26: Number,
	700: Number,
	701: Number,
	114: (s) => JSON.parse(s),
	3802: (s) => JSON.parse(s)
};

/** Array type oid → element parser. Element types not listed here come back as raw text. */
const arrayParsers: Record<number, ElementParser> = {
	1000: parseBool, // bool[]
	1001: parseBytea, // bytea[]
	1005: Number, // int2[]
	1007: Number, // int4[]
	1028: Number, // oid[]
	1021: Number, // float4[]
	1022: Number, // float8[]
	199: (s) => JSON.parse(s), // json[]
	3807: (s) => JSON.parse(s), // jsonb[]
	1009: identity, // text[]
	1015: identity, // varchar[]
	1014: identity, // bpchar[]
	1003: identity, // name[]
	2951: identity, // uuid[]
	1016: identity, // int8[]
	1231: identity, // numeric[]
	1185: identity, // timestamptz[]
	1115: identity, // timestamp[]
	1182: identity // date[]
};

/** Parses a Postgres array literal (text format, `,` delimiter) into nested JS arrays. */
export function parseArray(text: string, element: ElementParser): unknown[] {
	let i = 0;
	// Arrays with explicit bounds look like `[1:2]={a,b}`.
	if (text[0] === '[') i = text.indexOf('=') + 1;
	const parseLevel = (): unknown[] => {
		const out: unknown[] = [];
		i++; // '{'
		while (i < text.length) {
			const c = text[i];
			if (c === '}') {
				i++;
				return out;
			}
			if (c === ',') {
				i++;
				continue;
			}
			if (c === '{') {
				out.push(parseLevel());
				continue;
			}
			if (c === '"') {
				let s = '';
				i++;
				while (i < text.length && text[i] !== '"') {
					if (text[i] === '\\') i++;
					s += text[i++];
				}
				i++;
				out.push(element(s));
				continue;
			}
			let j = i;
			while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
			const raw = text.slice(i, j);
			i = j;
			out.push(raw === 'NULL' ? null : element(raw));
		}
		return out;
	};
	return parseLevel();
}

/** Converts one non-null text value of type `oid` to its JS value (see the module comment). */
export function parseValue(text: string, oid: number): unknown {
	const scalar = scalarParsers[oid];
	if (scalar) return scalar(text);
	const element = arrayParsers[oid];
	if (element) return parseArray(text, element);
	return text;
}

function arrayLiteral(values: unknown[]): string {
	return (
		'{' +
		values
			.map((v) => {
				if (v === null || v === undefined) return 'NULL';
				if (Array.isArray(v)) return arrayLiteral(v);
				const s = serializeParam(v) as string;
				return '"' + s.replaceAll('\\', '\\\\').replaceAll('"', '\\"') + '"';
			})
			.join(',') +
		'}'
	);
}

/** Converts a query parameter to the text both engines receive (see the module comment). */
export function serializeParam(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof Date) return value.toISOString();
	if (value instanceof Uint8Array) return '\\x' + Buffer.from(value).toString('hex');
	if (Array.isArray(value)) return arrayLiteral(value);
	return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Commands whose count is reported as `affectedRows` (as PGlite does). */
export const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/**
 * A Postgres error as both engines raise it. PGlite's and pg's `DatabaseError` both carry these
 * fields; `isDatabaseError` lets callers branch on `code` (SQLSTATE) without caring which engine.
 */
export interface DbError extends Error {
	code: string;
	detail?: string;
	hint?: string;
	where?: string;
	schema?: string;
	table?: string;
	column?: string;
	constraint?: string;
	position?: string;
	severity?: string;
}

export function isDatabaseError(e: unknown): e is DbError {
	return (
		e instanceof Error &&
		typeof (e as { code?: unknown }).code === 'string' &&
		/^[0-9A-Z]{5}$/.test((e as unknown as { code: string }).code)
	);
}
