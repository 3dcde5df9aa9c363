/**
 * The whole pipeline in one call: decode → parse → map → validate. The wizard can drive the steps
 * itself (inspectCsv, suggestMapping, parseCsv + createValidator); this is the same thing for a
 * Web Worker (post the outcome back) or a page (pass `yieldToMain` as `pause`).
 */
import { suggestMapping, type Mapping, type MappingSuggestion } from './mapping.ts';
import {
	parseCsv,
	type CsvInfo,
	type FileError,
	type ParseOptions,
	type ParseSummary,
	type Progress,
	type RowIssue
} from './parse.ts';
import type { ByteSource } from './source.ts';
import { createValidator, type ValidationResult } from './validate.ts';

export interface ImportOptions extends ParseOptions {
	/** The mapping to use; suggested from the sample when absent. */
	mapping?: Mapping;
	fiscalYearStartMonth?: number;
	onProgress?: (p: Progress) => void;
	/** Awaited between batches: let the page paint (main-thread runs). */
	pause?: () => Promise<void>;
	/** Keep at most this many parse warnings (default 10,000). */
	maxIssues?: number;
}

export interface ImportOutcome {
	ok: boolean;
	fileError?: FileError;
	info?: CsvInfo;
	suggestion?: MappingSuggestion;
	mapping?: Mapping;
	parse?: ParseSummary;
	/** Parser warnings (short rows, NUL bytes, malformed quotes); ragged rows are in validation errors. */
	issues: RowIssue[];
	validation?: ValidationResult;
}

export async function importCsv(
	source: ByteSource,
	opts: ImportOptions = {}
): Promise<ImportOutcome> {
	const out: ImportOutcome = { ok: false, issues: [] };
	const maxIssues = opts.maxIssues ?? 10_000;
	let validator: ReturnType<typeof createValidator> | null = null;
	for await (const ev of parseCsv(source, opts)) {
		if (ev.type === 'start') {
			out.info = ev.info;
			if (opts.mapping) out.mapping = opts.mapping;
			else {
				out.suggestion = suggestMapping(ev.info.headers, ev.info.sampleRows, {
					decimalFallback: ev.info.dialect.delimiter === ';' ? 'comma' : 'dot',
					fiscalYearStartMonth: opts.fiscalYearStartMonth
				});
				out.mapping = out.suggestion.mapping;
			}
			validator = createValidator(ev.info.headers, out.mapping);
		} else if (ev.type === 'rows') {
			validator!.push(ev.rows, ev.rowNumbers);
			const rejected = ev.issues.filter((i) => i.severity === 'error');
			if (rejected.length) validator!.pushParseErrors(rejected);
			for (const i of ev.issues)
				if (i.severity === 'warning' && out.issues.length < maxIssues) out.issues.push(i);
			opts.onProgress?.(ev.progress);
			if (opts.pause) await opts.pause();
		} else if (ev.type === 'done') {
			out.parse = ev.summary;
			out.ok = true;
		} else {
			out.fileError = ev.error;
			out.parse = ev.summary;
		}
	}
	if (validator) out.validation = validator.finish();
	return out;
}

/**
 * Give the event loop a turn (a page running the import on its main thread calls this between
 * batches so input and painting go on). Uses scheduler.yield where the browser has it.
 */
export function yieldToMain(): Promise<void> {
	const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
	if (s?.yield) return s.yield();
	return new Promise((resolve) => setTimeout(resolve, 0));
}
