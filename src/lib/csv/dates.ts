/**
 * Dates and periods as agencies publish them, each turned into a period {start, end, grain}:
 * ISO dates (time of day ignored), US and European day/month order (with per-column ambiguity
 * detection), month names in English, French and Spanish, year-month, YYYYMMDD, quarters, fiscal
 * years and plain years. Pure functions.
 */

export type Grain = 'day' | 'month' | 'quarter' | 'year' | 'fiscal_year';
export const GRAINS: readonly Grain[] = ['day', 'month', 'quarter', 'year', 'fiscal_year'];

export interface Period {
	/** First day, YYYY-MM-DD. */
	start: string;
	/** Last day (inclusive), YYYY-MM-DD. */
	end: string;
	grain: Grain;
}

/** Order of numeric dates like 03/05/2024: month first (US) or day first (most of the world). */
export type DateOrder = 'mdy' | 'dmy';

export interface PeriodOptions {
	/** Needed only for ambiguous numeric dates (both parts ≤ 12); detectDateOrder finds it per column. */
	order?: DateOrder | null;
	/**
	 * First month of the fiscal year (1–12, default 7: July). Fiscal years are named by the calendar
	 * year they end in: with July, FY2024 = 2023-07-01 … 2024-06-30, and "2023-24" is the same year.
	 * With 1, FY2024 is the calendar year 2024.
	 */
	fiscalYearStartMonth?: number;
	/**
	 * Read "2011-12" as fiscal year 2011-12 rather than December 2011. Set for columns where other
	 * values are split years that cannot be months ("2012-13").
	 */
	preferFiscal?: boolean;
}

export type PeriodReason =
	/** Not a date in any supported format. */
	| 'not_a_date'
	/** Looks like a date, but no such day or month (2024-13-01, 31/02/2024). */
	| 'invalid_date'
	/** 03/05/2024 without knowing the column's order: ask the user. */
	| 'ambiguous_order'
	/** A split year like "2017-2018" while the fiscal year is set to start in January. */
	| 'fiscal_year_start_needed';

export type PeriodResult = { ok: true; value: Period | null } | { ok: false; reason: PeriodReason };

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const iso = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;

export function daysInMonth(y: number, m: number): number {
	return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validYear(y: number): boolean {
	return y >= 1800 && y <= 2200;
}

function dayPeriod(y: number, m: number, d: number): PeriodResult {
	if (!validYear(y) || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m))
		return { ok: false, reason: 'invalid_date' };
	const s = iso(y, m, d);
	return { ok: true, value: { start: s, end: s, grain: 'day' } };
}

export function monthPeriod(y: number, m: number): PeriodResult {
	if (!validYear(y) || m < 1 || m > 12) return { ok: false, reason: 'invalid_date' };
	return {
		ok: true,
		value: { start: iso(y, m, 1), end: iso(y, m, daysInMonth(y, m)), grain: 'month' }
	};
}

function quarterPeriod(y: number, q: number): PeriodResult {
	if (!validYear(y) || q < 1 || q > 4) return { ok: false, reason: 'invalid_date' };
	const m = (q - 1) * 3 + 1;
	return {
		ok: true,
		value: { start: iso(y, m, 1), end: iso(y, m + 2, daysInMonth(y, m + 2)), grain: 'quarter' }
	};
}

function yearPeriod(y: number): PeriodResult {
	if (!validYear(y)) return { ok: false, reason: 'invalid_date' };
	return { ok: true, value: { start: iso(y, 1, 1), end: iso(y, 12, 31), grain: 'year' } };
}

/** The fiscal year that ends in calendar year `endYear`. */
export function fiscalYearPeriod(endYear: number, startMonth = 7): PeriodResult {
	if (!validYear(endYear) || startMonth < 1 || startMonth > 12 || !Number.isInteger(startMonth))
		return { ok: false, reason: 'invalid_date' };
	if (startMonth === 1) {
		return {
			ok: true,
			value: { start: iso(endYear, 1, 1), end: iso(endYear, 12, 31), grain: 'fiscal_year' }
		};
	}
	const endMonth = startMonth - 1;
	return {
		ok: true,
		value: {
			start: iso(endYear - 1, startMonth, 1),
			end: iso(endYear, endMonth, daysInMonth(endYear, endMonth)),
			grain: 'fiscal_year'
		}
	};
}

function fold(s: string): string {
	return s
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');
}

const MONTHS: Record<string, number> = {};
(
	[
		// English
		['january', 'jan'],
		['february', 'feb'],
		['march', 'mar'],
		['april', 'apr'],
		['may'],
		['june', 'jun'],
		['july', 'jul'],
		['august', 'aug'],
		['september', 'sep', 'sept'],
		['october', 'oct'],
		['november', 'nov'],
		['december', 'dec']
	] as string[][]
).forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));
(
	[
		// French (accents folded)
		['janvier', 'janv'],
		['fevrier', 'fevr', 'fev'],
		['mars'],
		['avril', 'avr'],
		['mai'],
		['juin'],
		['juillet', 'juil'],
		['aout'],
		['septembre'],
		['octobre'],
		['novembre'],
		['decembre']
	] as string[][]
).forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));
(
	[
		// Spanish
		['enero', 'ene'],
		['febrero'],
		['marzo'],
		['abril', 'abr'],
		['mayo'],
		['junio'],
		['julio'],
		['agosto', 'ago'],
		['septiembre', 'setiembre', 'set'],
		['octubre'],
		['noviembre'],
		['diciembre', 'dic']
	] as string[][]
).forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

/** A month on its own, by name ("March", "mars", "marzo", "Mar.") or number (1–12, "03"). */
export function parseMonth(raw: string): number | null {
	const t = fold(raw.trim()).replace(/\.$/, '');
	if (/^\d{1,2}$/.test(t)) {
		const n = Number(t);
		return n >= 1 && n <= 12 ? n : null;
	}
	return MONTHS[t] ?? null;
}

/** A plain calendar year (1800–2200). */
export function parseYear(raw: string): number | null {
	const t = raw.trim().replace(/\.0+$/, '');
	if (!/^\d{4}$/.test(t)) return null;
	const y = Number(t);
	return validYear(y) ? y : null;
}

function twoDigitYear(yy: number): number {
	// Agency data is recent: 00–69 → 2000s, 70–99 → 1900s (the POSIX strptime pivot).
	return yy < 70 ? 2000 + yy : 1900 + yy;
}

const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO_RE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`, 'i');
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(?:[T ]\d{2}:?\d{2}(?::?\d{2})?)?$/;
const NUMERIC_RE = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`, 'i');
const YEAR_MONTH_RE = /^(\d{4})\s*[-/.]\s*(\d{1,2})$/;
const MONTH_YEAR_RE = /^(\d{1,2})\s*[-/.]\s*(\d{4})$/;
const QUARTER_RE = [
	/^(\d{4})\s*[-/ ]?\s*[qt]([1-4])$/i,
	/^[qt]([1-4])\s*[-/ ]?\s*(\d{4})$/i,
	/^([1-4])\s*(?:er|e|nd|rd|st|th)?\s*(?:quarter|trimestre|trim\.?)\s*(?:de\s+)?(\d{4})$/i
];
const FY_RE = /^(?:fy|fye|af|ef)\s*'?\s*(\d{4}|\d{2})(?:\s*[-/]\s*(\d{4}|\d{2}))?$/i;
const SPLIT_YEAR_RE = /^(\d{4})\s*[-/–]\s*(\d{4}|\d{2})$/;

function splitYearEnd(first: number, secondRaw: string): number | null {
	const second = Number(secondRaw);
	if (secondRaw.length === 4) return second === first + 1 ? second : null;
	return second === (first + 1) % 100 ? first + 1 : null;
}

function fiscal(endYear: number, opts: PeriodOptions, split: boolean): PeriodResult {
	const start = opts.fiscalYearStartMonth ?? 7;
	if (split && start === 1) return { ok: false, reason: 'fiscal_year_start_needed' };
	return fiscalYearPeriod(endYear, start);
}

/** Numeric day/month parts in a known or inferred order. */
function numericDate(
	a: number,
	b: number,
	y: number,
	order: DateOrder | null | undefined
): PeriodResult {
	if (order === 'mdy') return dayPeriod(y, a, b);
	if (order === 'dmy') return dayPeriod(y, b, a);
	if (a > 12 && b <= 12) return dayPeriod(y, b, a);
	if (b > 12 && a <= 12) return dayPeriod(y, a, b);
	if (a > 12 && b > 12) return { ok: false, reason: 'invalid_date' };
	if (a === b) return dayPeriod(y, a, b);
	return { ok: false, reason: 'ambiguous_order' };
}

const FILLER = new Set(['de', 'del', 'of', 'the', 'le', 'el', 'en']);

/** "March 2024", "mars 2024", "5 March 2024", "March 5, 2024", "5 de marzo de 2024", "Mar-24". */
function namedMonth(t: string): PeriodResult | null {
	const tokens = fold(t)
		.split(/[\s,/.\-']+/)
		.filter((x) => x !== '' && !FILLER.has(x))
		.map((x) => x.replace(/^(\d{1,2})(?:st|nd|rd|th|er|re|e|o|º)$/, '$1'));
	const mi = tokens.findIndex((x) => MONTHS[x] !== undefined);
	if (mi === -1 || tokens.length < 2 || tokens.length > 3) return null;
	const month = MONTHS[tokens[mi]];
	const nums = tokens.filter((_, i) => i !== mi);
	if (!nums.every((x) => /^\d{1,4}$/.test(x))) return null;
	if (nums.length === 1) {
		const x = nums[0];
		if (x.length === 4) return monthPeriod(Number(x), month);
		if (x.length === 2 && mi === 0) return monthPeriod(twoDigitYear(Number(x)), month); // Mar-24
		return null;
	}
	const yearIdx = nums.findIndex((x) => x.length === 4);
	if (yearIdx === -1) return null;
	const day = Number(nums[1 - yearIdx]);
	return dayPeriod(Number(nums[yearIdx]), month, day);
}

/**
 * Parse one cell as a period. Blank and "no data" cells give `{ok: true, value: null}`.
 * Numeric dates whose order cannot be told (03/05/2024) give `ambiguous_order` unless
 * `opts.order` says.
 */
export function parsePeriod(raw: string, opts: PeriodOptions = {}): PeriodResult {
	const t = raw.trim();
	if (t === '' || /^(?:n\/?a|n\.?d\.?|-|—|–|\.\.|null)$/i.test(t)) return { ok: true, value: null };
	let m: RegExpExecArray | null;
	if ((m = ISO_RE.exec(t))) return dayPeriod(+m[1], +m[2], +m[3]);
	if ((m = COMPACT_RE.exec(t))) return dayPeriod(+m[1], +m[2], +m[3]);
	if ((m = NUMERIC_RE.exec(t))) {
		const y = m[3].length === 2 ? twoDigitYear(+m[3]) : +m[3];
		return numericDate(+m[1], +m[2], y, opts.order);
	}
	if ((m = FY_RE.exec(t))) {
		const first = m[1].length === 2 ? twoDigitYear(+m[1]) : +m[1];
		if (!m[2]) return fiscal(first, opts, false);
		const end = splitYearEnd(first, m[2]);
		return end === null ? { ok: false, reason: 'invalid_date' } : fiscal(end, opts, false);
	}
	if ((m = SPLIT_YEAR_RE.exec(t))) {
		const first = +m[1];
		const end = splitYearEnd(first, m[2]);
		const asMonth =
			m[2].length <= 2 && +m[2] >= 1 && +m[2] <= 12 && /^\d{4}\s*[-/.]\s*\d{1,2}$/.test(t);
		if (end !== null && (!asMonth || opts.preferFiscal)) return fiscal(end, opts, true);
		if (!asMonth)
			return {
				ok: false,
				reason: end === null && m[2].length === 4 ? 'not_a_date' : 'invalid_date'
			};
	}
	if ((m = YEAR_MONTH_RE.exec(t))) return monthPeriod(+m[1], +m[2]);
	if ((m = MONTH_YEAR_RE.exec(t))) return monthPeriod(+m[2], +m[1]);
	if (/^\d{6}$/.test(t)) {
		const y = +t.slice(0, 4);
		const mo = +t.slice(4);
		if (validYear(y) && mo >= 1 && mo <= 12) return monthPeriod(y, mo);
		return { ok: false, reason: 'invalid_date' };
	}
	for (const re of QUARTER_RE) {
		if ((m = re.exec(t))) {
			const yearFirst = re === QUARTER_RE[0];
			return quarterPeriod(yearFirst ? +m[1] : +m[2], yearFirst ? +m[2] : +m[1]);
		}
	}
	const y = parseYear(t);
	if (y !== null) return yearPeriod(y);
	const named = namedMonth(t);
	if (named) return named;
	return { ok: false, reason: 'not_a_date' };
}

/** Period from separate year and month columns (MTA's PERIOD_YEAR + PERIOD_MONTH, Chicago's Month + Year). */
export function periodFromYearMonth(yearRaw: string, monthRaw: string): PeriodResult {
	const yt = yearRaw.trim();
	const mt = monthRaw.trim();
	if (yt === '' && mt === '') return { ok: true, value: null };
	const y = parseYear(yt);
	if (y === null) return { ok: false, reason: yt === '' ? 'not_a_date' : 'invalid_date' };
	if (mt === '') return yearPeriod(y);
	const mo = parseMonth(mt);
	if (mo === null) return { ok: false, reason: 'not_a_date' };
	return monthPeriod(y, mo);
}

export interface DateOrderVerdict {
	/** `mdy`/`dmy`: settled by the values; `ambiguous`: every value fits both (ask the user);
	 * `conflict`: some values need month-first and others day-first; `none`: no numeric dates. */
	verdict: DateOrder | 'ambiguous' | 'conflict' | 'none';
	order: DateOrder | null;
	monthFirst: number;
	dayFirst: number;
	ambiguous: number;
}

/** Decide the day/month order of a column: one value with a first part > 12 makes it day-first. */
export function detectDateOrder(values: Iterable<string>): DateOrderVerdict {
	let mdy = 0;
	let dmy = 0;
	let amb = 0;
	for (const raw of values) {
		const m = NUMERIC_RE.exec(raw.trim());
		if (!m) continue;
		const a = +m[1];
		const b = +m[2];
		if (a > 12 && b <= 12) dmy++;
		else if (b > 12 && a <= 12) mdy++;
		else if (a <= 12 && b <= 12) amb++;
	}
	const base = { monthFirst: mdy, dayFirst: dmy, ambiguous: amb };
	if (mdy && dmy) return { verdict: 'conflict', order: null, ...base };
	if (mdy) return { verdict: 'mdy', order: 'mdy', ...base };
	if (dmy) return { verdict: 'dmy', order: 'dmy', ...base };
	return { verdict: amb ? 'ambiguous' : 'none', order: null, ...base };
}

/** Whether a column's split years ("2012-13") say that "2011-12" means a fiscal year too. */
export function looksFiscal(values: Iterable<string>): boolean {
	for (const raw of values) {
		const t = raw.trim();
		if (FY_RE.test(t)) return true;
		const m = SPLIT_YEAR_RE.exec(t);
		if (m && splitYearEnd(+m[1], m[2]) !== null && (m[2].length === 4 || +m[2] > 12)) return true;
	}
	return false;
}
