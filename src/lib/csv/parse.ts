/**
 * Streaming CSV parse: bytes → text (encoding.ts) → records (papaparse's Parser, fed one chunk at
 * a time with the unfinished last record carried over) → batches of rows with their spreadsheet row
 * numbers, problems found on the way, and progress. An async generator, so a Web Worker can post
 * each event and a page can await between chunks; cancel with an AbortSignal or by leaving the loop.
 *
 * Row numbers are 1-based record numbers counted from the top of the file, title rows and header
 * included: the number a spreadsheet shows for that row (a quoted value spanning lines is one row).
 */
import Papa from 'papaparse';
import {
	createDecoder,
	detectBinary,
	detectEncoding,
	type BinaryKind,
	type CsvEncoding,
	type EncodingGuess
} from './encoding.ts';
import {
	createNewlineNormaliser,
	isBlankRecord,
	sniff,
	type Delimiter,
	type Dialect
} from './sniff.ts';
import type { ByteSource } from './source.ts';

export interface ParseOptions {
	/** Override the detected encoding (the wizard's "characters look wrong?" choice). */
	encoding?: CsvEncoding | null;
	/** Override the detected delimiter. */
	delimiter?: Delimiter | null;
	/** Override the header position: 0-based record index (title rows and blank lines counted). */
	headerIndex?: number | null;
	/** Bytes read per step (default 1 MiB: small enough to keep a page responsive). */
	chunkSize?: number;
	/** Rows per yielded batch (default 5000). */
	batchSize?: number;
	signal?: AbortSignal;
	/** Refuse files wider than this (default 5000; 200+ columns are fine). */
	maxColumns?: number;
	/**
	 * A record still open after this many characters is taken as an unterminated quote (default
	 * 8 Mi): stops a stray quote from swallowing the rest of a 100 MB file into one cell.
	 */
	maxRecordChars?: number;
	/** Bytes read for detection (default 64 KiB). */
	sampleBytes?: number;
}

export type FileErrorCode =
	'empty_file' | 'binary_file' | 'header_only' | 'unterminated_quote' | 'too_many_columns';

export interface FileError {
	code: FileErrorCode;
	message: string;
	/** Row where the problem starts, when it has one (unterminated quote). */
	row?: number;
	/** For binary files: what it looks like (an .xlsx is a `zip`, an old .xls `ole`). */
	binaryKind?: BinaryKind;
}

export type RowIssueCode = 'ragged_row' | 'short_row' | 'invalid_quotes' | 'nul_bytes';

export interface RowIssue {
	row: number;
	code: RowIssueCode;
	/** `error`: the row is left out of the batches; `warning`: the row is kept (as described). */
	severity: 'error' | 'warning';
	message: string;
	fields?: number;
	expected?: number;
	/** Column name, for problems in one cell. */
	column?: string;
	/** The row as parsed, for the downloadable error report (only for rows left out). */
	raw?: string[];
}

export interface CsvInfo {
	fileName?: string;
	size: number;
	encoding: EncodingGuess;
	dialect: Dialect;
	delimiterDetected: boolean;
	/** Records skipped above the header (title rows and blank lines). */
	titleRows: number;
	/** The header's spreadsheet row number (titleRows + 1). */
	headerRow: number;
	rawHeaders: string[];
	headers: string[];
	/** Share of sampled rows with the expected field count. */
	consistency: number;
	/** The first data rows (up to 200) from the sample, for previews and type inference. */
	sampleRows: string[][];
}

export type InspectResult =
	{ ok: true; info: CsvInfo } | { ok: false; error: FileError; info?: CsvInfo };

export interface Progress {
	bytesRead: number;
	totalBytes: number;
	/** Data rows delivered so far. */
	rows: number;
	/** 0..1 */
	fraction: number;
}

export interface ParseSummary {
	rows: number;
	blankRows: number;
	issueCounts: Partial<Record<RowIssueCode, number>>;
	/** Encoding actually used to the end (differs from the guess after a Windows-1252 fallback). */
	encoding: CsvEncoding;
	fellBackAt: number | null;
	replacements: number;
	bytes: number;
}

export type ParseEvent =
	| { type: 'start'; info: CsvInfo }
	| {
			type: 'rows';
			rows: string[][];
			/** Spreadsheet row number of each row, same order. */
			rowNumbers: number[];
			issues: RowIssue[];
			progress: Progress;
	  }
	| { type: 'done'; summary: ParseSummary }
	| { type: 'error'; error: FileError; summary?: ParseSummary };

const KiB = 1024;
const MiB = 1024 * KiB;

const BINARY_MESSAGES: Record<BinaryKind, string> = {
	zip: 'This looks like an Excel or OpenDocument workbook (.xlsx/.ods), not a CSV file. Save it as CSV and try again.',
	ole: 'This looks like an old Excel workbook (.xls), not a CSV file. Save it as CSV and try again.',
	pdf: 'This is a PDF file, not a CSV file.',
	gzip: 'This file is compressed (gzip). Uncompress it first.',
	image: 'This is an image, not a CSV file.',
	'control-chars':
		'This file contains binary data (NUL bytes or control characters), not text. Is it really a CSV file?'
};

async function readHead(source: ByteSource, bytes: number): Promise<Uint8Array> {
	return source.read(0, Math.min(bytes, source.size));
}

/** Detect encoding, delimiter, title rows and header from the first bytes of the file. */
export async function inspectCsv(
	source: ByteSource,
	opts: ParseOptions = {}
): Promise<InspectResult> {
	if (source.size === 0) return { ok: false, error: fileError('empty_file') };
	let sampleSize = opts.sampleBytes ?? 64 * KiB;
	for (;;) {
		opts.signal?.throwIfAborted();
		const head = await readHead(source, sampleSize);
		const complete = head.length >= source.size;
		const guess = detectEncoding(head, opts.encoding);
		const decoder = createDecoder(guess);
		const text = decoder.decode(head) + (complete ? decoder.flush() : '');
		const binary = detectBinary(head.subarray(guess.bomLength), text);
		if (binary)
			return {
				ok: false,
				error: { ...fileError('binary_file'), binaryKind: binary, message: BINARY_MESSAGES[binary] }
			};
		if (text.replace(/^\ufeff/, '').trim() === '')
			return { ok: false, error: fileError('empty_file') };
		const s = sniff(text, {
			complete,
			delimiter: opts.delimiter,
			headerIndex: opts.headerIndex
		});
		// A record longer than the sample (a huge quoted cell): read more before judging.
		if (!complete && s.sampleRows.length < 2 && sampleSize < 4 * MiB) {
			sampleSize *= 4;
			continue;
		}
		const info: CsvInfo = {
			fileName: source.name,
			size: source.size,
			encoding: { ...guess, encoding: decoder.encoding },
			dialect: s.dialect,
			delimiterDetected: s.delimiterDetected,
			titleRows: s.headerIndex,
			headerRow: s.headerIndex + 1,
			rawHeaders: s.rawHeader,
			headers: s.headers,
			consistency: s.consistency,
			sampleRows: s.sampleRows.map((r) => fitRow(r, s.headers.length))
		};
		const maxColumns = opts.maxColumns ?? 5000;
		if (info.headers.length > maxColumns) {
			return {
				ok: false,
				info,
				error: {
					code: 'too_many_columns',
					message: `This file has ${info.headers.length} columns; at most ${maxColumns} are supported.`
				}
			};
		}
		if (complete && s.sampleRows.length === 0) {
			return { ok: false, info, error: fileError('header_only', info.headerRow) };
		}
		return { ok: true, info };
	}
}

function fileError(code: FileErrorCode, row?: number): FileError {
	const messages: Record<FileErrorCode, string> = {
		empty_file: 'The file is empty.',
		binary_file: BINARY_MESSAGES['control-chars'],
		header_only: 'The file has a header row but no data rows.',
		unterminated_quote: `A quoted value starting in row ${row} is never closed (a missing "), so the rest of the file cannot be read reliably.`,
		too_many_columns: 'The file has too many columns.'
	};
	return { code, message: messages[code], ...(row !== undefined ? { row } : {}) };
}

/** Pad short rows with empty cells and drop empty trailing cells beyond the header. */
function fitRow(r: string[], n: number): string[] {
	if (r.length === n) return r;
	if (r.length < n) {
		const out = r.slice();
		while (out.length < n) out.push('');
		return out;
	}
	return r.slice(0, n);
}

/** Stream the whole file. The first event is `start` (or `error`), the last `done` or `error`. */
export async function* parseCsv(
	source: ByteSource,
	opts: ParseOptions = {}
): AsyncGenerator<ParseEvent, void, undefined> {
	const inspected = await inspectCsv(source, opts);
	if (!inspected.ok) {
		yield { type: 'error', error: inspected.error };
		return;
	}
	const info = inspected.info;
	yield { type: 'start', info };

	const chunkSize = Math.max(opts.chunkSize ?? MiB, 4);
	const batchSize = Math.max(opts.batchSize ?? 5000, 1);
	const maxRecordChars = opts.maxRecordChars ?? 8 * MiB;
	const K = info.headers.length;
	const headerIndex = info.titleRows;
	const decoder = createDecoder(info.encoding);
	const newlines = createNewlineNormaliser();
	const parser = new Papa.Parser({
		delimiter: info.dialect.delimiter,
		newline: '\n',
		quoteChar: '"'
	});

	let pending = '';
	let recordIndex = 0;
	let delivered = 0;
	let blankRows = 0;
	const issueCounts: Partial<Record<RowIssueCode, number>> = {};
	let rows: string[][] = [];
	let rowNumbers: number[] = [];
	let issues: RowIssue[] = [];
	let bytesRead = 0;

	const summary = (): ParseSummary => ({
		rows: delivered,
		blankRows,
		issueCounts,
		encoding: decoder.encoding,
		fellBackAt: decoder.fellBackAt,
		replacements: decoder.replacements,
		bytes: bytesRead
	});
	const issue = (i: RowIssue) => {
		issues.push(i);
		issueCounts[i.code] = (issueCounts[i.code] ?? 0) + 1;
	};

	function takeRecords(data: string[][], errors: Papa.ParseError[], hasNul: boolean): void {
		const base = recordIndex;
		for (const e of errors) {
			// Errors about the unfinished last record come back when it is parsed whole.
			if (e.code !== 'InvalidQuotes' || e.row === undefined || e.row >= data.length) continue;
			if (base + e.row <= headerIndex) continue;
			issue({
				row: base + e.row + 1,
				code: 'invalid_quotes',
				severity: 'warning',
				message: `Row ${base + e.row + 1} has a quote character inside a quoted value that is not doubled (""); the value was read as best as possible.`
			});
		}
		for (const rec of data) {
			const idx = recordIndex++;
			if (idx <= headerIndex) continue;
			const row = idx + 1;
			if (isBlankRecord(rec)) {
				blankRows++;
				continue;
			}
			let r = rec;
			if (r.length !== K) {
				if (r.length > K) {
					let extra = false;
					for (let j = K; j < r.length; j++) if (r[j].trim() !== '') extra = true;
					if (extra) {
						issue({
							row,
							code: 'ragged_row',
							severity: 'error',
							fields: r.length,
							expected: K,
							message: `Row ${row} has ${r.length} fields, expected ${K} (an unquoted delimiter inside a value?).`,
							raw: r
						});
						continue;
					}
					r = r.slice(0, K);
				} else {
					issue({
						row,
						code: 'short_row',
						severity: 'warning',
						fields: r.length,
						expected: K,
						message: `Row ${row} has ${r.length} fields, expected ${K}; the missing cells are read as empty.`
					});
					r = fitRow(r, K);
				}
			}
			if (hasNul) {
				for (let j = 0; j < r.length; j++) {
					if (r[j].indexOf('\0') !== -1) {
						r[j] = r[j].replace(/\0/g, '');
						issue({
							row,
							code: 'nul_bytes',
							severity: 'warning',
							column: info.headers[j],
							message: `Row ${row}, column "${info.headers[j]}" contains NUL bytes, which were removed.`
						});
					}
				}
			}
			rows.push(r);
			rowNumbers.push(row);
			delivered++;
		}
	}

	function* flushBatches(): Generator<ParseEvent> {
		const progress = (): Progress => ({
			bytesRead,
			totalBytes: source.size,
			rows: delivered,
			fraction: source.size ? bytesRead / source.size : 1
		});
		// Every chunk ends with at least one event, so progress moves even inside a huge cell.
		do {
			const n = Math.min(batchSize, rows.length);
			yield {
				type: 'rows',
				rows: rows.slice(0, n),
				rowNumbers: rowNumbers.slice(0, n),
				issues,
				progress: progress()
			};
			rows = rows.slice(n);
			rowNumbers = rowNumbers.slice(n);
			issues = [];
		} while (rows.length > 0);
	}

	for (let offset = 0; offset < source.size; offset += chunkSize) {
		opts.signal?.throwIfAborted();
		const bytes = await source.read(offset, offset + chunkSize);
		bytesRead = offset + bytes.length;
		const last = bytesRead >= source.size;
		let text = newlines.push(decoder.decode(bytes));
		if (last) text += newlines.push(decoder.flush()) + newlines.flush();
		const input = pending.length ? pending + text : text;
		const res = parser.parse(input, 0, !last) as {
			data: string[][];
			errors: Papa.ParseError[];
			meta: { cursor: number };
		};
		const missing = last ? res.errors.find((e) => e.code === 'MissingQuotes') : undefined;
		if (missing) {
			// The unclosed record is the last one parsed: keep the rows before it.
			const before = res.data.slice(0, res.data.length - 1);
			takeRecords(before, res.errors, input.indexOf('\0') !== -1);
			const row = recordIndex + 1;
			yield* flushBatches();
			yield { type: 'error', error: fileError('unterminated_quote', row), summary: summary() };
			return;
		}
		// A final line break leaves one empty record behind: it is not a blank row of the file.
		const d = res.data;
		if (
			last &&
			d.length &&
			d[d.length - 1].length === 1 &&
			d[d.length - 1][0] === '' &&
			input.endsWith('\n')
		)
			d.pop();
		takeRecords(d, res.errors, input.indexOf('\0') !== -1);
		pending = last ? '' : input.slice(res.meta.cursor);
		if (pending.length > maxRecordChars) {
			yield* flushBatches();
			yield {
				type: 'error',
				error: fileError('unterminated_quote', recordIndex + 1),
				summary: summary()
			};
			return;
		}
		yield* flushBatches();
	}
	if (delivered === 0) {
		yield { type: 'error', error: fileError('header_only', info.headerRow), summary: summary() };
		return;
	}
	yield { type: 'done', summary: summary() };
}
