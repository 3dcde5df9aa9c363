/**
 * The import run, shared by the Web Worker and the main-thread mode: inspect a file (encoding,
 * delimiter, header, suggested mapping), then stream it through parse → validate with a chosen
 * mapping, keeping only what the wizard shows (counts, the first records, the first problem rows,
 * the errors up to a cap) plus the valid records for staging. The file itself is read by ranges
 * and never held whole.
 */
import {
	createValidator,
	inspectCsv,
	parseCsv,
	suggestMapping,
	type ByteSource,
	type CsvInfo,
	type FileError,
	type Mapping,
	type MappingSuggestion,
	type MeasurementRecord,
	type ParseOptions,
	type ParseSummary,
	type RowError,
	type RowErrorReason,
	type RowIssue,
	type RowIssueCode
} from '../csv/index.ts';
import { chunkRecords } from './compact.ts';

/** What the user can override about how the file is read. */
export interface ReadOptions {
	encoding?: ParseOptions['encoding'];
	delimiter?: ParseOptions['delimiter'];
	headerIndex?: ParseOptions['headerIndex'];
	fiscalYearStartMonth?: number;
}

export interface Inspection {
	ok: boolean;
	error: FileError | null;
	info: CsvInfo | null;
	suggestion: MappingSuggestion | null;
}

export interface ProblemRow {
	row: number;
	cells: string[];
}

export interface RunSummary {
	ok: boolean;
	fileError: FileError | null;
	info: CsvInfo | null;
	parse: ParseSummary | null;
	/** Data rows read. */
	rows: number;
	/** Valid records (after in-file duplicates were dropped). */
	records: number;
	rejectedRows: number;
	counts: Partial<Record<RowErrorReason, number>>;
	/** Errors by row, up to ERRORS_KEPT (counts stay exact). */
	errors: RowError[];
	errorsTruncated: boolean;
	/** The first records, for the preview. */
	preview: MeasurementRecord[];
	/** The first rows with a problem, as read, for highlighting. */
	problemRows: ProblemRow[];
	/** Parser warnings (kept rows: short rows, NUL bytes, stray quotes), the first ones. */
	warnings: RowIssue[];
	warningCounts: Partial<Record<RowIssueCode, number>>;
	/** Distinct agency + indicator pairs among the records (the first ones). */
	indicators: { agency: string | null; indicator: string }[];
	indicatorCount: number;
	/** How long the run took. */
	millis: number;
}

export const PREVIEW_ROWS = 50;
export const PROBLEM_ROWS = 50;
export const ERRORS_KEPT = 10_000;
const WARNINGS_KEPT = 100;
const INDICATORS_KEPT = 200;

export interface RunHooks {
	onProgress?: (p: { fraction: number; rows: number }) => void;
	/** Awaited between batches and every ~slice ms inside one (main-thread runs). */
	pause?: () => Promise<void>;
	/** Milliseconds of work between pauses (main-thread runs; default: pause per batch only). */
	slice?: number;
	signal?: AbortSignal;
	/** Parser chunk and batch sizes (smaller on the main thread). */
	chunkSize?: number;
	batchSize?: number;
}

/** Read the head of the file: what it is, how it is laid out, and a suggested mapping. */
export async function inspect(source: ByteSource, opts: ReadOptions = {}): Promise<Inspection> {
	const res = await inspectCsv(source, opts);
	if (!res.ok) return { ok: false, error: res.error, info: res.info ?? null, suggestion: null };
	const suggestion = suggestMapping(res.info.headers, res.info.sampleRows, {
		decimalFallback: res.info.dialect.delimiter === ';' ? 'comma' : 'dot',
		fiscalYearStartMonth: opts.fiscalYearStartMonth
	});
	return { ok: true, error: null, info: res.info, suggestion };
}

/**
 * Parse and validate the whole file with `mapping`. Returns the summary and the valid records
 * (kept by the caller for staging; never sent to the page in worker mode).
 */
export async function run(
	source: ByteSource,
	opts: ReadOptions,
	mapping: Mapping,
	hooks: RunHooks = {}
): Promise<{ summary: RunSummary; records: MeasurementRecord[] }> {
	const started = Date.now();
	const summary: RunSummary = {
		ok: false,
		fileError: null,
		info: null,
		parse: null,
		rows: 0,
		records: 0,
		rejectedRows: 0,
		counts: {},
		errors: [],
		errorsTruncated: false,
		preview: [],
		problemRows: [],
		warnings: [],
		warningCounts: {},
		indicators: [],
		indicatorCount: 0,
		millis: 0
	};
	let validator: ReturnType<typeof createValidator> | null = null;
	const problemRows: ProblemRow[] = [];
	const { pause, slice, signal } = hooks;
	let sliceStart = performance.now();

	const events = parseCsv(source, {
		encoding: opts.encoding,
		delimiter: opts.delimiter,
		headerIndex: opts.headerIndex,
		chunkSize: hooks.chunkSize,
		batchSize: hooks.batchSize,
		signal
	});
	for await (const ev of events) {
		if (ev.type === 'start') {
			summary.info = ev.info;
			validator = createValidator(ev.info.headers, mapping, { maxErrors: ERRORS_KEPT });
		} else if (ev.type === 'rows') {
			const v = validator!;
			// One row at a time: the validator's per-call error count tells which rows failed, so the
			// first problem rows can be kept as read for the highlighted preview.
			for (let i = 0; i < ev.rows.length; i++) {
				const res = v.push([ev.rows[i]], [ev.rowNumbers[i]]);
				if (res.errors && problemRows.length < PROBLEM_ROWS)
					problemRows.push({ row: ev.rowNumbers[i], cells: ev.rows[i] });
				if (pause && slice && (i & 255) === 255 && performance.now() - sliceStart > slice) {
					await pause();
					signal?.throwIfAborted();
					sliceStart = performance.now();
				}
			}
			const rejected = ev.issues.filter((x) => x.severity === 'error');
			if (rejected.length) {
				v.pushParseErrors(rejected);
				for (const x of rejected)
					if (x.raw && problemRows.length < PROBLEM_ROWS)
						problemRows.push({ row: x.row, cells: x.raw });
			}
			for (const x of ev.issues)
				if (x.severity === 'warning' && summary.warnings.length < WARNINGS_KEPT)
					summary.warnings.push(x);
			hooks.onProgress?.({ fraction: ev.progress.fraction, rows: ev.progress.rows });
			if (pause) {
				await pause();
				signal?.throwIfAborted();
				sliceStart = performance.now();
			}
		} else if (ev.type === 'done') {
			summary.parse = ev.summary;
			summary.ok = true;
		} else {
			summary.fileError = ev.error;
			summary.parse = ev.summary ?? null;
		}
	}
	let records: MeasurementRecord[] = [];
	if (validator) {
		const result = validator.finish();
		records = result.records;
		summary.rows = result.rows;
		summary.records = records.length;
		summary.rejectedRows = result.rejectedRows;
		summary.counts = result.counts;
		summary.errors = result.errors;
		summary.errorsTruncated = result.errorsTruncated;
		summary.preview = records.slice(0, PREVIEW_ROWS);
		const seen = new Set<string>();
		for (const r of records) {
			const key = `${(r.agency ?? '').toLowerCase()}\u001f${r.indicator.toLowerCase()}`;
			if (seen.has(key)) continue;
			seen.add(key);
			if (summary.indicators.length < INDICATORS_KEPT)
				summary.indicators.push({ agency: r.agency, indicator: r.indicator });
		}
		summary.indicatorCount = seen.size;
	}
	summary.problemRows = problemRows.sort((a, b) => a.row - b.row);
	summary.warningCounts = summary.parse?.issueCounts ?? {};
	// A file-level error (an unclosed quote) stops the import: nothing from it is staged.
	if (summary.fileError) records = [];
	summary.millis = Date.now() - started;
	return { summary, records };
}

export interface StageTarget {
	/** Absolute address of the wizard's JSON endpoint. */
	url: string;
	importId: string;
}

export class StageError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
	}
}

/**
 * Send the records to the endpoint in chunks (`stage_import_rows` behind it), one request at a
 * time, reporting rows sent. Stops at the first refusal with the server's sentence.
 */
export async function stage(
	records: readonly MeasurementRecord[],
	target: StageTarget,
	hooks: { onProgress?: (sent: number, total: number) => void; pause?: () => Promise<void> } = {}
): Promise<number> {
	let sent = 0;
	let staged = 0;
	const prefix = `{"action":"stage","import_id":${JSON.stringify(target.importId)},"rows":`;
	for (const chunk of chunkRecords(records)) {
		const res = await fetch(target.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: prefix + chunk.json + '}',
			credentials: 'same-origin'
		});
		const body = (await res.json().catch(() => null)) as {
			staged?: number;
			error?: string;
		} | null;
		if (!res.ok || !body || typeof body.staged !== 'number')
			throw new StageError(body?.error ?? `HTTP ${res.status}`, res.status);
		staged = body.staged;
		sent += chunk.rows;
		hooks.onProgress?.(sent, records.length);
		if (hooks.pause) await hooks.pause();
	}
	return staged;
}
