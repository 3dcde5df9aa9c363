/**
 * Numbers as people type them in spreadsheets: thousands separators, decimal commas, percent signs,
 * currency symbols, accounting negatives "(12)", and the usual placeholders for "no data".
 * Pure functions; a column's decimal separator is decided once (detectDecimal) and passed in.
 */

export type DecimalSeparator = 'dot' | 'comma';

export type NumberReason = 'not_a_number' | 'wrong_locale';

export type NumberResult =
	| {
			ok: true;
			/** null: the cell is blank or a "no data" marker (see isMissing). */
			value: number | null;
			/** "12%" → value 12, unit 'percent' (not 0.12: indicators are usually kept in percent). */
			unit?: 'percent';
			/** ISO code of a currency symbol or code found in the cell. */
			currency?: string;
	  }
	| { ok: false; reason: NumberReason };

const MISSING = new Set([
	'',
	'nd',
	'n.d.',
	'n.d',
	'n/d',
	'na',
	'n/a',
	'n.a.',
	'#n/a',
	'-',
	'--',
	'—',
	'–',
	'..',
	'...',
	'null',
	'none',
	'nan',
	's/o',
	's.o.'
]);

/** Blank, or a placeholder for "no data" (ND, N/A, NA, n.d., -, —, .., NULL …). */
export function isMissing(raw: string): boolean {
	const t = raw.trim();
	return t.length <= 5 && MISSING.has(t.toLowerCase());
}

const CURRENCY_SYMBOLS: Record<string, string> = {
	$: 'USD',
	US$: 'USD',
	CA$: 'CAD',
	C$: 'CAD',
	A$: 'AUD',
	'€': 'EUR',
	'£': 'GBP',
	'¥': 'JPY',
	'₹': 'INR',
	'₩': 'KRW',
	'₽': 'RUB',
	R$: 'BRL',
	Fr: 'CHF',
	CHF: 'CHF',
	USD: 'USD',
	EUR: 'EUR',
	GBP: 'GBP',
	CAD: 'CAD',
	AUD: 'AUD',
	MXN: 'MXN'
};
const CURRENCY_RE = /^(US\$|CA\$|C\$|A\$|R\$|[$€£¥₹₩₽]|(?:USD|EUR|GBP|CAD|AUD|MXN|CHF)\b)/;
const CURRENCY_END_RE = /(US\$|CA\$|[$€£¥₹₩₽]|\b(?:USD|EUR|GBP|CAD|AUD|MXN|CHF))$/;

// Spaces used as thousands separators: space, no-break space, narrow no-break space, thin space.
const SPACE_RE = /[\s\u00a0\u202f\u2009]/;

interface Stripped {
	body: string;
	negative: boolean;
	percent: boolean;
	currency?: string;
}

/** Peel signs, parentheses, percent and currency off the digits. */
function strip(raw: string): Stripped | null {
	let s = raw.trim();
	let negative = false;
	let percent = false;
	let currency: string | undefined;
	if (s.startsWith('(') && s.endsWith(')')) {
		negative = true;
		s = s.slice(1, -1).trim();
	}
	const sign = () => {
		if (s.startsWith('-') || s.startsWith('\u2212')) {
			if (negative) return false;
			negative = true;
			s = s.slice(1).trim();
		} else if (s.startsWith('+')) s = s.slice(1).trim();
		return true;
	};
	if (!sign()) return null;
	let m = CURRENCY_RE.exec(s);
	if (m) {
		currency = CURRENCY_SYMBOLS[m[1]];
		s = s.slice(m[1].length).trim();
		if (!sign()) return null;
	}
	if (s.endsWith('%')) {
		percent = true;
		s = s.slice(0, -1).trim();
	}
	m = CURRENCY_END_RE.exec(s);
	if (m && !currency) {
		currency = CURRENCY_SYMBOLS[m[1]];
		s = s.slice(0, -m[1].length).trim();
	}
	if (!percent && s.endsWith('%')) {
		percent = true;
		s = s.slice(0, -1).trim();
	}
	// Digits grouped by spaces ("1 234,5"), or Swiss apostrophes ("1'234.50").
	if (/^\d{1,3}([\s\u00a0\u202f\u2009']\d{3})+([.,]\d+)?$/.test(s))
		s = s.replace(/[\s\u00a0\u202f\u2009']/g, '');
	else if (SPACE_RE.test(s)) return null;
	return { body: s, negative, percent, currency };
}

const PLAIN_RE = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DOT_GROUPED_RE = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const COMMA_PLAIN_RE = /^(\d+,?\d*|,\d+)$/;
const COMMA_GROUPED_RE = /^\d{1,3}(\.\d{3})+(,\d+)?$/;

function digitsToNumber(body: string, decimal: DecimalSeparator): number | 'wrong_locale' | null {
	if (decimal === 'dot') {
		if (PLAIN_RE.test(body)) return Number(body);
		if (DOT_GROUPED_RE.test(body)) return Number(body.replace(/,/g, ''));
		if (COMMA_PLAIN_RE.test(body) || COMMA_GROUPED_RE.test(body)) return 'wrong_locale';
		return null;
	}
	if (COMMA_PLAIN_RE.test(body)) return Number(body.replace(',', '.'));
	if (COMMA_GROUPED_RE.test(body)) return Number(body.replace(/\./g, '').replace(',', '.'));
	if (/^\d+(,\d+)?e[+-]?\d+$/i.test(body)) return Number(body.replace(',', '.'));
	if (PLAIN_RE.test(body) || DOT_GROUPED_RE.test(body)) return 'wrong_locale';
	return null;
}

/**
 * Parse a number. `decimal` is the column's decimal separator ('dot' by default): "1.234,5" with
 * 'comma' is 1234.5, and with 'dot' it is refused as `wrong_locale`, so a column in the other
 * convention is noticed instead of silently read a thousand times off.
 */
const FAST_DOT = /^-?\d{1,15}(?:\.\d{1,15})?$/;
const FAST_COMMA = /^-?\d{1,15}(?:,\d{1,15})?$/;

export function parseNumber(raw: string, decimal: DecimalSeparator = 'dot'): NumberResult {
	// Most cells are plain numbers: skip the stripping below for them.
	if (decimal === 'dot' ? FAST_DOT.test(raw) : FAST_COMMA.test(raw)) {
		const n = Number(decimal === 'dot' ? raw : raw.replace(',', '.'));
		return { ok: true, value: Object.is(n, -0) ? 0 : n };
	}
	if (isMissing(raw)) return { ok: true, value: null };
	const st = strip(raw);
	if (!st || st.body === '') return { ok: false, reason: 'not_a_number' };
	const n = digitsToNumber(st.body, decimal);
	if (n === null) return { ok: false, reason: 'not_a_number' };
	if (n === 'wrong_locale') return { ok: false, reason: 'wrong_locale' };
	if (!Number.isFinite(n)) return { ok: false, reason: 'not_a_number' };
	const value = st.negative ? -n : n;
	const out: NumberResult = { ok: true, value: Object.is(value, -0) ? 0 : value };
	if (st.percent) out.unit = 'percent';
	if (st.currency) out.currency = st.currency;
	return out;
}

export interface DecimalVerdict {
	/** What to use: the evidence, or the fallback when the column never says. */
	decimal: DecimalSeparator;
	/** `evidence`: some value settles it; `ambiguous`: only values like "1,234" or "1.234"; `mixed`: both conventions appear. */
	basis: 'evidence' | 'ambiguous' | 'mixed' | 'none';
	dotVotes: number;
	commaVotes: number;
}

/**
 * Decide a column's decimal separator from its values. "1,5", "97,4", "1.234,5" say comma;
 * "1.5", "1,234.5" say dot; "1,234" or "1.234" alone say nothing. `fallback` decides ambiguous
 * columns (use 'comma' when the file is semicolon-separated: that is the European convention).
 */
export function detectDecimal(
	values: Iterable<string>,
	fallback: DecimalSeparator = 'dot'
): DecimalVerdict {
	let dot = 0;
	let comma = 0;
	let numeric = 0;
	for (const raw of values) {
		if (isMissing(raw)) continue;
		const st = strip(raw);
		if (!st) continue;
		const b = st.body;
		if (!/^[\d.,]+(e[+-]?\d+)?$/i.test(b) || !/\d/.test(b)) continue;
		if (!/[.,]/.test(b)) continue; // 113: fine in either convention, says nothing
		numeric++;
		const lastDot = b.lastIndexOf('.');
		const lastComma = b.lastIndexOf(',');
		if (lastDot !== -1 && lastComma !== -1) {
			if (lastComma > lastDot) comma++;
			else dot++;
		} else if (lastComma !== -1) {
			if (/^\d{1,3}(,\d{3})+$/.test(b)) continue; // 1,234: either way
			if (b.indexOf(',') === lastComma) comma++;
			else dot++; // 1,234,567 malformed for comma locale: thousands commas
		} else if (lastDot !== -1) {
			if (b.indexOf('.') !== lastDot)
				comma++; // 1.234.567
			else if (!/^\d{1,3}\.\d{3}$/.test(b)) dot++;
		}
	}
	if (dot && comma)
		return {
			decimal: dot >= comma ? 'dot' : 'comma',
			basis: 'mixed',
			dotVotes: dot,
			commaVotes: comma
		};
	if (dot) return { decimal: 'dot', basis: 'evidence', dotVotes: dot, commaVotes: 0 };
	if (comma) return { decimal: 'comma', basis: 'evidence', dotVotes: 0, commaVotes: comma };
	return { decimal: fallback, basis: numeric ? 'ambiguous' : 'none', dotVotes: 0, commaVotes: 0 };
}

/** Text that must stay text: a code with leading zeros ("00123", "0612"), not the number 123. */
export function hasLeadingZero(raw: string): boolean {
	const t = raw.trim();
	return t.length > 1 && t[0] === '0' && /^\d+$/.test(t);
}
