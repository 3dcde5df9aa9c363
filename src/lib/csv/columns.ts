/**
 * What each column holds, from a sample of its values: numbers (and in which decimal convention),
 * periods (and in which day/month order), years, months, codes with leading zeros, or text.
 * Drives the mapping suggestion and the per-column parse settings the validator uses.
 */
import {
	detectDateOrder,
	looksFiscal,
	parseMonth,
	parsePeriod,
	parseYear,
	type DateOrderVerdict,
	type Grain
} from './dates.ts';
import {
	detectDecimal,
	hasLeadingZero,
	isMissing,
	parseNumber,
	type DecimalSeparator,
	type DecimalVerdict
} from './numbers.ts';

export type ColumnKind = 'empty' | 'number' | 'period' | 'year' | 'month' | 'code' | 'text';

export interface ColumnProfile {
	index: number;
	name: string;
	kind: ColumnKind;
	/** Non-missing values in the sample. */
	filled: number;
	/** Share of non-missing values that parse as numbers (with the detected decimal separator). */
	numberRate: number;
	/** Share that look like periods (impossible dates such as 31/02/2024 included). */
	periodRate: number;
	yearRate: number;
	monthRate: number;
	decimal: DecimalVerdict;
	dateOrder: DateOrderVerdict;
	/** Most common grain among parsed periods. */
	grain: Grain | null;
	/** Split years like "2012-13" seen: read "2011-12" as a fiscal year. */
	fiscal: boolean;
	/** Some values are "%" (a unit hint for the indicator). */
	percent: boolean;
	currency: string | null;
	/** Digits-only values starting with 0 ("00123"): a code, keep as text. */
	leadingZeros: boolean;
	/** Distinct non-missing values in the sample (capped at 1000). */
	distinct: number;
	/** A few non-missing values, for the mapping screen. */
	examples: string[];
}

export interface ProfileOptions {
	/** Decimal separator for columns whose values never settle it ("1,234"). */
	decimalFallback?: DecimalSeparator;
}

const COMPACT_DATE = /^\d{8}$|^\d{6}$/;

export function profileColumn(
	name: string,
	index: number,
	values: string[],
	opts: ProfileOptions = {}
): ColumnProfile {
	const present = values.filter((v) => !isMissing(v));
	const filled = present.length;
	const decimal = detectDecimal(present, opts.decimalFallback ?? 'dot');
	const dateOrder = detectDateOrder(present);
	const fiscal = looksFiscal(present);
	let numbers = 0;
	let periods = 0;
	let years = 0;
	let months = 0;
	let percent = false;
	let currency: string | null = null;
	let leadingZeros = false;
	let compact = 0;
	const grains = new Map<Grain, number>();
	const distinct = new Set<string>();
	for (const v of present) {
		if (distinct.size < 1000) distinct.add(v.trim());
		const n = parseNumber(v, decimal.decimal);
		if (n.ok && n.value !== null) {
			numbers++;
			if (n.unit === 'percent') percent = true;
			if (n.currency) currency = n.currency;
		}
		const p = parsePeriod(v, { order: dateOrder.order ?? 'mdy', preferFiscal: fiscal });
		if (p.ok && p.value) {
			periods++;
			grains.set(p.value.grain, (grains.get(p.value.grain) ?? 0) + 1);
		} else if (!p.ok && p.reason !== 'not_a_date') periods++; // a date, if a wrong one (31/02)
		if (parseYear(v) !== null) years++;
		if (parseMonth(v) !== null) months++;
		if (hasLeadingZero(v)) leadingZeros = true;
		if (COMPACT_DATE.test(v.trim())) compact++;
	}
	const rate = (x: number) => (filled ? x / filled : 0);
	let grain: Grain | null = null;
	let best = 0;
	for (const [g, c] of grains) if (c > best) [grain, best] = [g, c];
	const profile: ColumnProfile = {
		index,
		name,
		kind: 'text',
		filled,
		numberRate: rate(numbers),
		periodRate: rate(periods),
		yearRate: rate(years),
		monthRate: rate(months),
		decimal,
		dateOrder,
		grain,
		fiscal,
		percent,
		currency,
		leadingZeros,
		distinct: distinct.size,
		examples: [...distinct].slice(0, 5)
	};
	if (filled === 0) profile.kind = 'empty';
	else if (
		leadingZeros &&
		rate(numbers) >= 0.9 &&
		!(compact === filled && profile.periodRate >= 0.9)
	)
		profile.kind = 'code';
	else if (profile.yearRate >= 0.9) profile.kind = 'year';
	else if (profile.monthRate >= 0.9 && profile.numberRate < 0.5) profile.kind = 'month';
	else if (profile.periodRate >= 0.8 && (profile.numberRate < 0.8 || compact >= filled * 0.8))
		profile.kind = 'period';
	else if (profile.numberRate >= 0.8) profile.kind = 'number';
	return profile;
}

/** Profile every column from sample rows (rows already fitted to the header's width). */
export function profileColumns(
	headers: string[],
	rows: string[][],
	opts: ProfileOptions = {}
): ColumnProfile[] {
	return headers.map((h, i) =>
		profileColumn(
			h,
			i,
			rows.map((r) => r[i] ?? ''),
			opts
		)
	);
}
