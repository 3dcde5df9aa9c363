/**
 * Row validation: mapped cells → typed values → a zod-checked measurement record, or a list of
 * errors with row, column, reason and the raw value. Counts by reason; in-file duplicates (same
 * agency, indicator and period twice) keep the last row and report the earlier ones.
 */
import { z } from 'zod';
import { parsePeriod, periodFromYearMonth, type Grain, type PeriodResult } from './dates.ts';
import type { Mapping } from './mapping.ts';
import { isMissing, parseNumber, type NumberResult } from './numbers.ts';

export const INDICATOR_MAX = 300;
export const AGENCY_MAX = 200;
export const NOTE_MAX = 2000;

const isoDate = z.iso.date();

export const MeasurementRecord = z
	.object({
		agency: z.string().min(1).max(AGENCY_MAX).nullable(),
		program: z.string().min(1).max(AGENCY_MAX).nullable(),
		indicator: z.string().min(1).max(INDICATOR_MAX),
		period_start: isoDate,
		period_end: isoDate,
		grain: z.enum(['day', 'month', 'quarter', 'year', 'fiscal_year']),
		value: z.number(),
		target: z.number().nullable(),
		unit: z.string().max(50).nullable(),
		note: z.string().max(NOTE_MAX).nullable(),
		source_row: z.number().int().positive()
	})
	.refine((r) => r.period_start <= r.period_end, {
		path: ['period_end'],
		message: 'period ends before it starts'
	});

export type MeasurementRecord = z.infer<typeof MeasurementRecord>;

export type RowErrorReason =
	| 'missing_value'
	| 'not_a_number'
	| 'wrong_locale'
	| 'missing_period'
	| 'not_a_date'
	| 'invalid_date'
	| 'ambiguous_order'
	| 'fiscal_year_start_needed'
	| 'missing_indicator'
	| 'too_long'
	| 'duplicate'
	| 'ragged_row'
	| 'invalid';

export interface RowError {
	row: number;
	/** Header name of the offending column (null when the row as a whole is the problem). */
	column: string | null;
	reason: RowErrorReason;
	/** The raw cell text (or a summary for row-level problems). */
	value: string;
	message: string;
}

export interface ValidatorOptions {
	/** Keep at most this many error objects (counts stay exact). Default 100,000. */
	maxErrors?: number;
	/**
	 * Called with each valid record as soon as it is made, and with the spreadsheet row of the
	 * earlier record it supersedes (same agency, indicator and period), if any.
	 */
	onRecord?: (record: MeasurementRecord, supersedes: number | null) => void;
	/**
	 * false: hand records out through `onRecord` only and keep none, so memory does not grow with
	 * the file (duplicates are then found by a 53-bit hash of the key: a false match among a
	 * million keys is about one chance in 36,000, and it only misreports, as whoever receives the
	 * records dedupes by the real key). `finish().records` is then empty. Default true.
	 */
	keepRecords?: boolean;
}

export interface ValidationResult {
	/** The valid records, superseded duplicates dropped (empty with `keepRecords: false`). */
	records: MeasurementRecord[];
	/** How many valid records there are, superseded duplicates dropped (kept or not). */
	recordCount: number;
	errors: RowError[];
	/** Errors by reason, exact even past maxErrors. */
	counts: Partial<Record<RowErrorReason, number>>;
	/** Data rows seen. */
	rows: number;
	/** Rows with at least one error (duplicates included). */
	rejectedRows: number;
	/** Blank cells skipped in wide files (a sparse table is not an error). */
	skippedBlanks: number;
	errorsTruncated: boolean;
}

const MESSAGES: Record<RowErrorReason, (col: string | null, value: string) => string> = {
	missing_value: (c) => `No value in "${c}" (blank or a no-data marker such as ND or N/A).`,
	not_a_number: (c, v) => `"${v}" in "${c}" is not a number.`,
	wrong_locale: (c, v) =>
		`"${v}" in "${c}" is written with the other decimal separator than the rest of the column; check the number format.`,
	missing_period: (c) => `No period in "${c}".`,
	not_a_date: (c, v) => `"${v}" in "${c}" is not a date or period this importer understands.`,
	invalid_date: (c, v) => `"${v}" in "${c}" is not a real date (no such day or month).`,
	ambiguous_order: (c, v) =>
		`"${v}" in "${c}" could be day/month or month/day; choose the date order for this column.`,
	fiscal_year_start_needed: (c, v) =>
		`"${v}" in "${c}" is a fiscal year; choose the month the fiscal year starts.`,
	missing_indicator: (c) => `No indicator name${c ? ` in "${c}"` : ''}.`,
	too_long: (c) => `The text in "${c}" is too long.`,
	duplicate: (_c, v) => `Same indicator and period as a later row (${v}); the later row is kept.`,
	ragged_row: (_c, v) => `The row has the wrong number of fields (${v}).`,
	invalid: (c, v) => `"${v}" in "${c}" is not valid.`
};

/** murmur3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix32(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 53-bit hash of a string (two FNV-style 32-bit lanes, finalised, folded into one safe
 * integer): keys kept as numbers instead of strings, so a million of them fit in tens of MB.
 */
export function hashKey(s: string): number {
	let a = 0x811c9dc5;
	let b = 0x9747b28c;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		a = Math.imul(a ^ ch, 0x01000193);
		b = Math.imul(b ^ ch, 0x5bd1e995);
	}
	const lo = fmix32(a ^ s.length);
	const hi = fmix32(b ^ lo);
	return (hi & 0x1fffff) * 0x100000000 + lo;
}

/**
 * hashKey → spreadsheet row, in two typed arrays (open addressing, linear probing, at most half
 * full): a million keys take 24 MB outside the JavaScript heap, where a Map would take about
 * twice that inside it, as objects the garbage collector has to walk.
 */
export class RowByHash {
	private keys = new Float64Array(1 << 12);
	private rows = new Int32Array(1 << 12);
	size = 0;

	/** The row stored for `hash` (0 when none: rows are ≥ 1), storing `row` in its place. */
	swap(hash: number, row: number): number {
		if ((this.size + 1) * 2 > this.keys.length) this.grow();
		const key = hash + 1; // 0 marks an empty slot
		const mask = this.keys.length - 1;
		let i = hash % this.keys.length;
		for (;;) {
			const k = this.keys[i];
			if (k === 0) {
				this.keys[i] = key;
				this.rows[i] = row;
				this.size++;
				return 0;
			}
			if (k === key) {
				const old = this.rows[i];
				this.rows[i] = row;
				return old;
			}
			i = (i + 1) & mask;
		}
	}

	private grow() {
		const keys = this.keys;
		const rows = this.rows;
		this.keys = new Float64Array(keys.length * 2);
		this.rows = new Int32Array(keys.length * 2);
		this.size = 0;
		for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.swap(keys[i] - 1, rows[i]);
	}
}

export function errorMessage(reason: RowErrorReason, column: string | null, value: string): string {
	return MESSAGES[reason](column, value);
}

interface Target {
	column: string;
	index: number;
}

export interface Validator {
	/** Validate a batch of rows (fitted to the header) with their spreadsheet row numbers. */
	push(rows: string[][], rowNumbers: number[]): { records: number; errors: number };
	/** Record rows the parser already rejected (ragged rows), so they appear in the report. */
	pushParseErrors(
		errors: { row: number; message: string; fields?: number; expected?: number }[]
	): void;
	/** Finish: drop superseded duplicates and return everything. */
	finish(): ValidationResult;
}

/** Build a validator for one file's header and mapping. */
export function createValidator(
	headers: string[],
	mapping: Mapping,
	opts: ValidatorOptions = {}
): Validator {
	const maxErrors = opts.maxErrors ?? 100_000;
	const keepRecords = opts.keepRecords ?? true;
	const onRecord = opts.onRecord;
	const col = (name: string | undefined): Target | null => {
		if (name === undefined) return null;
		const index = headers.indexOf(name);
		if (index === -1)
			throw new Error(`The mapping names a column that is not in the file: ${name}`);
		return { column: name, index };
	};
	const c = mapping.columns;
	const agencyCol = col(c.agency);
	const programCol = col(c.program);
	const indicatorCol = col(c.indicator);
	const periodCol = col(c.period);
	const yearCol = col(c.year);
	const monthCol = col(c.month);
	const valueCol = col(c.value);
	const targetCol = col(c.target);
	const unitCol = col(c.unit);
	const noteCol = col(c.note);
	const consts = mapping.constants ?? {};
	const settings = mapping.settings ?? {};
	const fiscalYearStartMonth = mapping.fiscalYearStartMonth;
	const decimalOf = (name: string) => settings[name]?.decimal ?? 'dot';
	const melt = mapping.melt ? mapping.melt.values.map((v) => ({ ...v, ...col(v.column)! })) : null;

	const periodOpts = periodCol
		? {
				order: settings[periodCol.column]?.order ?? null,
				fiscalYearStartMonth,
				preferFiscal: settings[periodCol.column]?.fiscal ?? false
			}
		: {};
	// Periods repeat on every row of a long file: parse each distinct text once.
	const periodCache = new Map<string, PeriodResult>();
	const periodOf = (raw: string): PeriodResult => {
		let r = periodCache.get(raw);
		if (!r) {
			r = parsePeriod(raw, periodOpts);
			if (periodCache.size < 50_000) periodCache.set(raw, r);
		}
		return r;
	};

	const records: (MeasurementRecord | undefined)[] = [];
	const errors: RowError[] = [];
	const counts: Partial<Record<RowErrorReason, number>> = {};
	// Kept records: key → index in records. Streamed: hashed key → the record's spreadsheet row.
	const byKey = new Map<string, number>();
	const rowByHash = keepRecords ? null : new RowByHash();
	let accepted = 0;
	let superseded = 0;
	let rows = 0;
	let rejectedRows = 0;
	// A wide row holds several values: count it once however many of them later rows supersede.
	const supersededRows = new Set<number>();
	let skippedBlanks = 0;
	let errorsTruncated = false;

	const addError = (row: number, column: string | null, reason: RowErrorReason, value: string) => {
		counts[reason] = (counts[reason] ?? 0) + 1;
		if (errors.length >= maxErrors) {
			errorsTruncated = true;
			return;
		}
		errors.push({ row, column, reason, value, message: errorMessage(reason, column, value) });
	};

	const text = (r: string[], t: Target | null, fallback: string | undefined): string | null => {
		const v = t ? r[t.index].trim() : (fallback ?? '').trim();
		return v === '' ? null : v;
	};

	function numberCell(r: string[], t: Target): NumberResult {
		return parseNumber(r[t.index], decimalOf(t.column));
	}

	function accept(rec: MeasurementRecord, row: number, errs: number): number {
		const parsed = MeasurementRecord.safeParse(rec);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const field = String(issue.path[0] ?? '');
				const column =
					field === 'agency'
						? c.agency
						: field === 'indicator'
							? c.indicator
							: field === 'note'
								? c.note
								: field === 'program'
									? c.program
									: field === 'unit'
										? c.unit
										: null;
				const reason: RowErrorReason = issue.code === 'too_big' ? 'too_long' : 'invalid';
				const value = String((rec as unknown as Record<string, unknown>)[field] ?? '');
				addError(row, column ?? null, reason, value.length > 80 ? value.slice(0, 80) + '…' : value);
			}
			return errs + 1;
		}
		const r = parsed.data;
		const text = `${(r.agency ?? '').toLowerCase()}\u001f${r.indicator.toLowerCase()}\u001f${r.period_start}\u001f${r.period_end}`;
		let oldRow: number | null = null;
		if (rowByHash) {
			oldRow = rowByHash.swap(hashKey(text), r.source_row) || null;
		} else {
			const earlier = byKey.get(text);
			if (earlier !== undefined) {
				oldRow = records[earlier]!.source_row;
				records[earlier] = undefined;
			}
			byKey.set(text, records.length);
			records.push(r);
		}
		if (oldRow !== null) {
			superseded++;
			addError(
				oldRow,
				null,
				'duplicate',
				`row ${row}: ${r.indicator}, ${r.period_start}…${r.period_end}`
			);
			if (!supersededRows.has(oldRow)) {
				supersededRows.add(oldRow);
				rejectedRows++;
			}
		}
		accepted++;
		onRecord?.(r, oldRow);
		return errs;
	}

	function pushRow(r: string[], row: number): number {
		let errs = 0;
		const agency = text(r, agencyCol, consts.agency);
		const program = text(r, programCol, consts.program);
		const unitText = text(r, unitCol, consts.unit);
		const note = text(r, noteCol, undefined);
		const indicator = text(r, indicatorCol, consts.indicator);

		let period: { start: string; end: string; grain: Grain } | null = null;
		if (!mapping.melt || mapping.melt.by !== 'period') {
			let res: PeriodResult;
			let column: string | null;
			let raw: string;
			if (periodCol) {
				raw = r[periodCol.index];
				column = periodCol.column;
				res = periodOf(raw.trim());
			} else if (yearCol) {
				raw = monthCol ? `${r[yearCol.index]} / ${r[monthCol.index]}` : r[yearCol.index];
				column = yearCol.column;
				res = periodFromYearMonth(r[yearCol.index], monthCol ? r[monthCol.index] : '');
			} else {
				raw = '';
				column = null;
				res = { ok: true, value: null };
			}
			if (!res.ok) {
				addError(row, column, res.reason, raw);
				errs++;
			} else if (!res.value) {
				addError(row, column, 'missing_period', raw);
				errs++;
			} else period = res.value;
		}

		if (!melt) {
			if (!indicator) {
				addError(row, c.indicator ?? null, 'missing_indicator', '');
				errs++;
			}
			let value: number | null = null;
			let unit = unitText;
			if (!valueCol) {
				addError(row, null, 'missing_value', '');
				errs++;
			} else {
				const v = numberCell(r, valueCol);
				if (!v.ok) {
					addError(row, valueCol.column, v.reason, r[valueCol.index]);
					errs++;
				} else if (v.value === null) {
					addError(row, valueCol.column, 'missing_value', r[valueCol.index]);
					errs++;
				} else {
					value = v.value;
					if (!unit && v.unit === 'percent') unit = '%';
				}
			}
			let target: number | null = null;
			if (targetCol) {
				const t = numberCell(r, targetCol);
				if (!t.ok) {
					addError(row, targetCol.column, t.reason, r[targetCol.index]);
					errs++;
				} else target = t.value;
			}
			if (errs) return errs;
			return accept(
				{
					agency,
					program,
					indicator: indicator!,
					period_start: period!.start,
					period_end: period!.end,
					grain: period!.grain,
					value: value!,
					target,
					unit,
					note,
					source_row: row
				},
				row,
				0
			);
		}

		// Wide: one record per value column.
		if (errs) return errs;
		if (mapping.melt!.by === 'period' && !indicator) {
			addError(row, c.indicator ?? null, 'missing_indicator', '');
			return 1;
		}
		for (const m of melt) {
			const cell = r[m.index];
			if (isMissing(cell)) {
				skippedBlanks++;
				continue;
			}
			const v = numberCell(r, m);
			if (!v.ok) {
				addError(row, m.column, v.reason, cell);
				errs++;
				continue;
			}
			const p = m.period ?? period!;
			errs = accept(
				{
					agency,
					program,
					indicator: m.period ? indicator! : (m.indicator ?? m.column),
					period_start: p.start,
					period_end: p.end,
					grain: p.grain,
					value: v.value!,
					target: null,
					unit: unitText ?? (v.unit === 'percent' ? '%' : null),
					note,
					source_row: row
				},
				row,
				errs
			);
		}
		return errs;
	}

	return {
		push(batch, rowNumbers) {
			let e = 0;
			const before = accepted;
			for (let i = 0; i < batch.length; i++) {
				rows++;
				const n = pushRow(batch[i], rowNumbers[i]);
				if (n) {
					rejectedRows++;
					e += n;
				}
			}
			return { records: accepted - before, errors: e };
		},
		pushParseErrors(list) {
			for (const p of list) {
				rows++;
				rejectedRows++;
				addError(
					p.row,
					null,
					'ragged_row',
					`${p.fields ?? '?'} fields, expected ${p.expected ?? '?'}`
				);
			}
		},
		finish() {
			const kept: MeasurementRecord[] = [];
			for (const r of records) if (r) kept.push(r);
			errors.sort((a, b) => a.row - b.row);
			return {
				records: kept,
				recordCount: accepted - superseded,
				errors,
				counts,
				rows,
				rejectedRows,
				skippedBlanks,
				errorsTruncated
			};
		}
	};
}
