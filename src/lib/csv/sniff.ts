/**
 * Dialect sniffing on a decoded sample: delimiter, title rows above the header, the header itself.
 * Quotes are respected because the sample is parsed with papaparse's own parser, the same one the
 * streaming parse uses, so record indexes found here are the ones the stream sees.
 */
import Papa from 'papaparse';

export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
export type Newline = '\n' | '\r\n' | '\r' | 'mixed' | 'none';

export interface Dialect {
	delimiter: Delimiter;
	/** As found in the file; the parser normalises every line break to \n before parsing. */
	newline: Newline;
}

export interface SniffResult {
	dialect: Dialect;
	/** Records before the header (title rows, blank lines): skipped. */
	headerIndex: number;
	/** Fields per data row expected from here on. */
	fieldCount: number;
	/** Share of sampled data rows with the expected field count (1 = perfectly regular). */
	consistency: number;
	/** The header as found (before normalisation). */
	rawHeader: string[];
	/** Normalised header names: trimmed, empty → "Column N", duplicates → "Name (2)". */
	headers: string[];
	/** The sampled records after the header (raw, for previews and column inference). */
	sampleRows: string[][];
	/** Whether the delimiter was detected (false: forced by the caller, or no delimiter found). */
	delimiterDetected: boolean;
}

const MAX_SAMPLE_RECORDS = 200;
const MAX_TITLE_ROWS = 20;

/** Count line breaks outside quotes to report the style (and spot files that mix them). */
export function detectNewline(sample: string): Newline {
	let crlf = 0;
	let lf = 0;
	let cr = 0;
	let quoted = false;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		if (c === 34) quoted = !quoted;
		else if (!quoted && c === 13) {
			if (sample.charCodeAt(i + 1) === 10) {
				crlf++;
				i++;
			} else cr++;
		} else if (!quoted && c === 10) lf++;
	}
	const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
	if (kinds === 0) return 'none';
	if (kinds > 1) return 'mixed';
	return crlf ? '\r\n' : lf ? '\n' : '\r';
}

/**
 * Turns CRLF and lone CR into LF, so files that mix line endings (or use old Mac CR) parse with one
 * newline. A CR at the very end of a chunk is held back until the next chunk shows whether an LF
 * follows. (CRs inside quoted values become LF too, which is harmless for cell text.)
 */
export function createNewlineNormaliser(): { push(text: string): string; flush(): string } {
	let heldCR = false;
	return {
		push(text) {
			let t = heldCR ? '\r' + text : text;
			heldCR = false;
			if (t.indexOf('\r') === -1) return t;
			if (t.charCodeAt(t.length - 1) === 13) {
				heldCR = true;
				t = t.slice(0, -1);
			}
			return t.replace(/\r\n?/g, '\n');
		},
		flush() {
			const out = heldCR ? '\n' : '';
			heldCR = false;
			return out;
		}
	};
}

/** Parse text (already newline-normalised) into records; `complete` = the text is the whole file. */
export function parseRecords(
	text: string,
	delimiter: Delimiter,
	complete: boolean,
	limit = MAX_SAMPLE_RECORDS
): string[][] {
	const parser = new Papa.Parser({ delimiter, newline: '\n', quoteChar: '"', preview: limit });
	const res = parser.parse(text, 0, !complete) as { data: string[][] };
	return res.data;
}

export function isBlankRecord(r: string[]): boolean {
	for (const f of r) if (f.trim() !== '') return false;
	return true;
}

function nonEmptyCount(r: string[]): number {
	let n = 0;
	for (const f of r) if (f.trim() !== '') n++;
	return n;
}

function median(xs: number[]): number {
	if (xs.length === 0) return 0;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
}

/** Rows that fit a header of `count` fields: exactly, or with one trailing empty field. */
function fits(r: string[], count: number): boolean {
	return r.length === count || (r.length === count + 1 && r[count].trim() === '');
}

interface Candidate {
	delimiter: Delimiter;
	records: string[][];
	headerIndex: number;
	fieldCount: number;
	consistency: number;
	headerFields: number;
}

function findHeaderIndex(records: string[][]): number {
	const counts = records.filter((r) => !isBlankRecord(r)).map(nonEmptyCount);
	const typical = median(counts);
	// A title row has a lone cell ("Weekly figures, 2016",,,); a header fills most of its cells.
	const threshold = typical >= 2 ? Math.max(2, Math.ceil(typical * 0.5)) : 1;
	for (let i = 0; i < Math.min(records.length, MAX_TITLE_ROWS + 1); i++) {
		if (!isBlankRecord(records[i]) && nonEmptyCount(records[i]) >= threshold) return i;
	}
	return records.findIndex((r) => !isBlankRecord(r));
}

function evaluate(delimiter: Delimiter, records: string[][], forcedHeader?: number): Candidate {
	let headerIndex = forcedHeader ?? findHeaderIndex(records);
	if (headerIndex < 0) headerIndex = 0;
	const header = records[headerIndex] ?? [];
	const data = records.slice(headerIndex + 1).filter((r) => !isBlankRecord(r));
	let fieldCount = header.length;
	// More fields in most data rows than in the header, with values in them: the header is short
	// (its missing names become "Column N"), not every row ragged.
	const byCount = new Map<number, number>();
	for (const r of data) byCount.set(r.length, (byCount.get(r.length) ?? 0) + 1);
	let mode = fieldCount;
	let best = 0;
	for (const [count, n] of byCount)
		if (n > best || (n === best && count > mode)) [mode, best] = [count, n];
	if (
		mode > fieldCount + 1 ||
		(mode === fieldCount + 1 &&
			data.some((r) => r.length > fieldCount && r[fieldCount].trim() !== ''))
	) {
		if (best > data.length / 2) fieldCount = mode;
	}
	const fitting = data.filter((r) => fits(r, fieldCount)).length;
	const consistency = data.length ? fitting / data.length : 1;
	return { delimiter, records, headerIndex, fieldCount, consistency, headerFields: header.length };
}

export interface SniffOptions {
	/** The sample is the whole file (its last record is complete). */
	complete: boolean;
	delimiter?: Delimiter | null;
	/** Force the header to this record index (0-based, counting title rows and blank lines). */
	headerIndex?: number | null;
}

/** Sniff a decoded sample (BOM already removed by the decoder; a stray one is stripped here). */
export function sniff(sampleText: string, opts: SniffOptions): SniffResult {
	const newline = detectNewline(sampleText.slice(0, 65536));
	const text = createNewlineNormaliser().push(sampleText.replace(/^\ufeff/, ''));
	const tried = (opts.delimiter ? [opts.delimiter] : DELIMITERS).map((d) =>
		evaluate(d, parseRecords(text, d, opts.complete), opts.headerIndex ?? undefined)
	);
	let chosen = tried[0];
	let detected = false;
	if (!opts.delimiter) {
		const usable = tried.filter((c) => c.headerFields >= 2);
		for (const c of usable) {
			if (
				!detected ||
				c.consistency > chosen.consistency + 1e-9 ||
				(Math.abs(c.consistency - chosen.consistency) < 1e-9 && c.fieldCount > chosen.fieldCount)
			) {
				chosen = c;
				detected = true;
			}
		}
		if (!detected) chosen = tried[0]; // one column: no delimiter in the header at all
	}
	const rawHeader = (chosen.records[chosen.headerIndex] ?? []).slice();
	while (rawHeader.length < chosen.fieldCount) rawHeader.push('');
	const sampleRows = chosen.records.slice(chosen.headerIndex + 1).filter((r) => !isBlankRecord(r));
	return {
		dialect: { delimiter: chosen.delimiter, newline },
		headerIndex: chosen.headerIndex,
		fieldCount: chosen.fieldCount,
		consistency: chosen.consistency,
		rawHeader,
		headers: normaliseHeaders(rawHeader),
		sampleRows,
		delimiterDetected: detected
	};
}

/**
 * Header names a person can map: BOM and surrounding space removed, inner runs of whitespace (a
 * line break in a quoted header) made one space, empty names → "Column N" (1-based position),
 * repeated names (compared case-insensitively) → "Name (2)", "Name (3)".
 */
export function normaliseHeaders(raw: string[]): string[] {
	const cleaned = raw.map((h, i) => {
		const t = h
			.replace(/^\ufeff/, '')
			.replace(/\s+/g, ' ')
			.trim();
		return t === '' ? `Column ${i + 1}` : t;
	});
	const taken = new Set(cleaned.map((h) => h.toLowerCase()));
	const seen = new Set<string>();
	return cleaned.map((h) => {
		const key = h.toLowerCase();
		if (!seen.has(key)) {
			seen.add(key);
			return h;
		}
		let n = 2;
		while (taken.has(`${key} (${n})`) || seen.has(`${key} (${n})`)) n++;
		const name = `${h} (${n})`;
		seen.add(name.toLowerCase());
		return name;
	});
}
