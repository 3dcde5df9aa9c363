import { describe, expect, it } from 'vitest';
import { detectDecimal, hasLeadingZero, isMissing, parseNumber } from './numbers.ts';

const v = (raw: string, d: 'dot' | 'comma' = 'dot') => {
	const r = parseNumber(raw, d);
	return r.ok ? r.value : r.reason;
};

describe('parseNumber', () => {
	it.each([
		['1234', 1234],
		['1,234.5', 1234.5],
		['1,234,567', 1234567],
		['-12.5', -12.5],
		['+3', 3],
		['.5', 0.5],
		['1e-44', 1e-44],
		['1.5E+3', 1500],
		['(12)', -12],
		['($1,200.50)', -1200.5],
		['-$1,200', -1200],
		['$-1,200', -1200],
		['\u22125', -5],
		['  42  ', 42],
		["1'234.50", 1234.5],
		['0', 0],
		['-0', 0]
	])('dot locale: %j → %j', (raw, expected) => expect(v(raw)).toBe(expected));

	it.each([
		['1.234,5', 1234.5],
		['97,4', 97.4],
		['1947,40', 1947.4],
		['200.000.000', 200000000],
		['1 234,75', 1234.75],
		['1\u00a0234,5', 1234.5],
		['1\u202f234', 1234],
		['€ 3,50', 3.5],
		['3,50 €', 3.5],
		['-3,5', -3.5],
		['(1.000,00)', -1000],
		['12', 12]
	])('comma locale: %j → %j', (raw, expected) => expect(v(raw, 'comma')).toBe(expected));

	it('reports percent and currency hints', () => {
		expect(parseNumber('12%')).toEqual({ ok: true, value: 12, unit: 'percent' });
		expect(parseNumber('87,5 %', 'comma')).toEqual({ ok: true, value: 87.5, unit: 'percent' });
		expect(parseNumber('-4.5%')).toEqual({ ok: true, value: -4.5, unit: 'percent' });
		expect(parseNumber('$1,200')).toEqual({ ok: true, value: 1200, currency: 'USD' });
		expect(parseNumber('€ 3,50', 'comma')).toEqual({ ok: true, value: 3.5, currency: 'EUR' });
		expect(parseNumber('£7')).toEqual({ ok: true, value: 7, currency: 'GBP' });
		expect(parseNumber('1,000 USD')).toEqual({ ok: true, value: 1000, currency: 'USD' });
	});

	it('treats blanks and no-data markers as missing, not zero', () => {
		for (const raw of ['', '  ', 'ND', 'N/A', 'NA', 'n.d.', '-', '—', '–', '..', 'NULL', 'n/a'])
			expect(parseNumber(raw), raw).toEqual({ ok: true, value: null });
	});

	it('refuses numbers written in the other convention instead of misreading them', () => {
		expect(v('1.234,5')).toBe('wrong_locale');
		expect(v('12,5')).toBe('wrong_locale');
		expect(v('1,234.5', 'comma')).toBe('wrong_locale');
		expect(v('1.5', 'comma')).toBe('wrong_locale');
	});

	it('refuses text', () => {
		for (const raw of ['abc', '12abc', '1,2,3', '1..2', '$', '%', '((1))', '--5', '1 2', '12-'])
			expect(v(raw), raw).toBe('not_a_number');
	});
});

describe('detectDecimal', () => {
	it('reads the evidence in a column', () => {
		expect(detectDecimal(['1,5', '2', '3,25'])).toMatchObject({
			decimal: 'comma',
			basis: 'evidence'
		});
		expect(detectDecimal(['1.5', '2', '1,234.5'])).toMatchObject({
			decimal: 'dot',
			basis: 'evidence'
		});
		expect(detectDecimal(['1.234,5', 'ND'])).toMatchObject({ decimal: 'comma' });
		expect(detectDecimal(['200.000.000'])).toMatchObject({ decimal: 'comma' });
		expect(detectDecimal(['1,234,567'])).toMatchObject({ decimal: 'dot' });
	});
	it('says when the column never settles it, and uses the fallback', () => {
		expect(detectDecimal(['1,234', '5,000'])).toMatchObject({ decimal: 'dot', basis: 'ambiguous' });
		expect(detectDecimal(['1.234'], 'comma')).toMatchObject({
			decimal: 'comma',
			basis: 'ambiguous'
		});
		expect(detectDecimal(['', 'N/A', 'abc'])).toMatchObject({ basis: 'none' });
	});
	it('flags columns that mix conventions', () => {
		expect(detectDecimal(['1.5', '2,5', '3,5'])).toMatchObject({
			decimal: 'comma',
			basis: 'mixed'
		});
	});
});

describe('isMissing and codes', () => {
	it('knows the markers', () => {
		expect(isMissing('N/A')).toBe(true);
		expect(isMissing('0')).toBe(false);
		expect(isMissing('Nadia')).toBe(false);
	});
	it('spots codes with leading zeros', () => {
		expect(hasLeadingZero('00123')).toBe(true);
		expect(hasLeadingZero('0')).toBe(false);
		expect(hasLeadingZero('0.5')).toBe(false);
		expect(hasLeadingZero('123')).toBe(false);
	});
});
