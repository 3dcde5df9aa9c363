/**
 * The import run, shared by the Web Worker and the main-thread mode: inspect a file (encoding,
 * delimiter, header, suggested mapping), then stream it through parse → validate with a chosen
 * mapping, keeping only what the wizard shows (counts, the first records, the first problem rows,
 * the errors up to a cap). The valid records are not kept: when the run stages them, they leave in
 * chunks as they are made (`send`), one chunk in flight while the next is gathered, so memory
 * stays flat however long the file. The file itself is read by ranges and never held whole.
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
	type RowIssueCode,
	hashKey
} from '../csv/index.ts';
import { ChunkBuilder, type Chunk } from './compact.ts';

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
	/** Records handed to `send` (duplicates included: the server keeps the last of each). */
	staged: number;
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
	/** Rows read, the fraction of the file read, and rows staged (acknowledged by `send`). */
	onProgress?: (p: { fraction: number; rows: number; staged: number }) => void;
	/** Awaited between batches and every ~slice ms inside one (main-thread runs). */
	pause?: () => Promise<void>;
	/** Milliseconds of work between pauses (main-thread runs; default: pause per batch only). */
	slice?: number;
	signal?: AbortSignal;
	/** Parser chunk and batch sizes (smaller on the main thread). */
	chunkSize?: number;
	batchSize?: number;
	/**
	 * Stage the valid records: called with each chunk (compact.ts) as soon as it is full, and
	 * awaited before the next one goes, so a slow server slows the reading rather than letting
	 * rows pile up. A refusal stops the run (its promise rejects). Without it nothing is sent.
	 */
	send?: (chunk: Chunk) => Promise<void>;
	/** Most rows per chunk sent (default CHUNK_ROWS). */
	chunkRows?: number;
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
 * Parse and validate the whole file with `mapping`, staging the valid records through
 * `hooks.send` when given. Returns the summary; no record is kept beyond the preview.
 */
export async function run(
	source: ByteSource,
	opts: ReadOptions,
	mapping: Mapping,
	hooks: RunHooks = {}
): Promise<RunSummary> {
	const started = Date.now();
	const summary: RunSummary = {
		ok: false,
		fileError: null,
		info: null,
		parse: null,
		rows: 0,
		records: 0,
		staged: 0,
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
	const { pause, slice, signal, send } = hooks;
	let sliceStart = performance.now();

	// Distinct agency + indicator pairs, as hashes: a file with a million indicators stays small.
	const pairs = new Set<number>();
	let lastAgency: string | null = null;
	let lastIndicator = '';
	const preview = summary.preview;
	const builder = send ? new ChunkBuilder(hooks.chunkRows) : null;
	const full: Chunk[] = [];
	let inflight: Promise<void> | null = null;

	const onRecord = (r: MeasurementRecord, supersedes: number | null) => {
		if (supersedes !== null) {
			// The preview shows what will be imported: drop the earlier row this one replaces.
			const i = preview.findIndex(
				(p) =>
					p.source_row === supersedes &&
					p.period_start === r.period_start &&
					p.period_end === r.period_end &&
					p.indicator.toLowerCase() === r.indicator.toLowerCase() &&
					(p.agency ?? '').toLowerCase() === (r.agency ?? '').toLowerCase()
			);
			if (i !== -1) preview.splice(i, 1);
		}
		if (preview.length < PREVIEW_ROWS) preview.push(r);
		if (r.agency !== lastAgency || r.indicator !== lastIndicator) {
			lastAgency = r.agency;
			lastIndicator = r.indicator;
			const key = hashKey(`${(r.agency ?? '').toLowerCase()}\u001f${r.indicator.toLowerCase()}`);
			if (!pairs.has(key)) {
				pairs.add(key);
				if (summary.indicators.length < INDICATORS_KEPT)
					summary.indicators.push({ agency: r.agency, indicator: r.indicator });
			}
		}
		if (builder) {
			const chunk = builder.add(r);
			if (chunk) full.push(chunk);
		}
	};

	/** Send the full chunks, each after the one before has been answered. */
	const drain = async () => {
		while (full.length) {
			const chunk = full.shift()!;
			if (inflight) await inflight;
			signal?.throwIfAborted();
			inflight = send!(chunk).then(() => {
				summary.staged += chunk.rows;
			});
			// Seen when awaited; until then a refusal must not count as unhandled.
			inflight.catch(() => undefined);
		}
	};

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
			validator = createValidator(ev.info.headers, mapping, {
				maxErrors: ERRORS_KEPT,
				keepRecords: false,
				onRecord
			});
		} else if (ev.type === 'rows') {
			const v = validator!;
			// One row at a time: the validator's per-call error count tells which rows failed, so the
			// first problem rows can be kept as read for the highlighted preview.
			for (let i = 0; i < ev.rows.length; i++) {
				const res = v.push([ev.rows[i]], [ev.rowNumbers[i]]);
				if (res.errors && problemRows.length < PROBLEM_ROWS)
					problemRows.push({ row: ev.rowNumbers[i], cells: ev.rows[i] });
				if (full.length) await drain();
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
			hooks.onProgress?.({
				fraction: ev.progress.fraction,
				rows: ev.progress.rows,
				staged: summary.staged
			});
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
	if (validator) {
		const result = validator.finish();
		summary.rows = result.rows;
		summary.records = result.recordCount;
		summary.rejectedRows = result.rejectedRows;
		summary.counts = result.counts;
		summary.errors = result.errors;
		summary.errorsTruncated = result.errorsTruncated;
		summary.indicatorCount = pairs.size;
	}
	summary.problemRows = problemRows.sort((a, b) => a.row - b.row);
	summary.warningCounts = summary.parse?.issueCounts ?? {};
	// A file-level error (an unclosed quote) stops the import: the caller cancels what was staged.
	if (builder && !summary.fileError) {
		const last = builder.flush();
		if (last) full.push(last);
		await drain();
	}
	if (inflight) await inflight;
	summary.millis = Date.now() - started;
	return summary;
}

export interface StageTarget {
	/** Absolute address of the wizard's JSON endpoint. */
	url: string;
	importId: string;
}

/** A chunk the server refused (`status` > 0, the message is its sentence) or never answered (0). */
export class StageError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
	}
}

/**
 * A `send` for `run` that posts each chunk to the wizard's endpoint (`stage_import_rows` behind
 * it) and checks the server's running count. Throws StageError with the server's sentence (or
 * the HTTP status) when refused, and the fetch's own error when the network fails.
 */
export function endpointSender(
	target: StageTarget,
	signal?: AbortSignal
): (chunk: Chunk) => Promise<void> {
	const prefix = `{"action":"stage","import_id":${JSON.stringify(target.importId)},"rows":`;
	let sent = 0;
	return async (chunk) => {
		let res: Response;
		try {
			res = await fetch(target.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: prefix + chunk.json + '}',
				credentials: 'same-origin',
				signal
			});
		} catch (e) {
			if (signal?.aborted) throw e;
			// No answer at all (offline, server down): status 0 tells the wizard it was the network.
			throw new StageError(e instanceof Error ? e.message : String(e), 0);
		}
		const body = (await res.json().catch(() => null)) as {
			staged?: number;
			error?: string;
		} | null;
		if (!res.ok || !body || typeof body.staged !== 'number')
			throw new StageError(body?.error ?? `HTTP ${res.status}`, res.status);
		sent += chunk.rows;
		if (body.staged !== sent)
			throw new StageError(`${body.staged} rows staged after ${sent} were sent`, 409);
	};
}
