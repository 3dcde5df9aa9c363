import { describe, expect, it } from 'vitest';
import {
	detectDateOrder,
	fiscalYearPeriod,
	looksFiscal,
	parseMonth,
	parsePeriod,
	periodFromYearMonth,
	type PeriodOptions
} from './dates.ts';

const p = (raw: string, opts?: PeriodOptions) => {
	const r = parsePeriod(raw, opts);
	if (!r.ok) return r.reason;
	return r.value ? `${r.value.start}..${r.value.end} ${r.value.grain}` : null;
};

describe('parsePeriod', () => {
	it.each([
		['2024-03-05', '2024-03-05..2024-03-05 day'],
		['2024-03-05T10:00', '2024-03-05..2024-03-05 day'],
		['2013-11-23T02:30:31-08:00', '2013-11-23..2013-11-23 day'],
		['2020-01-01 09:15:00', '2020-01-01..2020-01-01 day'],
		['2024/3/5', '2024-03-05..2024-03-05 day'],
		['20230625', '2023-06-25..2023-06-25 day'],
		['20240102 00:00:00', '2024-01-02..2024-01-02 day'],
		['13/05/2024', '2024-05-13..2024-05-13 day'],
		['05/13/2024', '2024-05-13..2024-05-13 day'],
		['06/05/2018 12:00:00 AM', 'ambiguous_order'],
		['03/03/2024', '2024-03-03..2024-03-03 day'],
		['31.12.2012', '2012-12-31..2012-12-31 day'],
		['1/2/24', 'ambiguous_order'],
		['2024-03', '2024-03-01..2024-03-31 month'],
		['2024/03', '2024-03-01..2024-03-31 month'],
		['202402', '2024-02-01..2024-02-29 month'],
		['03/2024', '2024-03-01..2024-03-31 month'],
		['Mar 2024', '2024-03-01..2024-03-31 month'],
		['March 2024', '2024-03-01..2024-03-31 month'],
		['mars 2024', '2024-03-01..2024-03-31 month'],
		['marzo de 2024', '2024-03-01..2024-03-31 month'],
		['févr. 2023', '2023-02-01..2023-02-28 month'],
		['Décembre 2023', '2023-12-01..2023-12-31 month'],
		['Mar-24', '2024-03-01..2024-03-31 month'],
		['2024 March', '2024-03-01..2024-03-31 month'],
		['5 March 2024', '2024-03-05..2024-03-05 day'],
		['March 5, 2024', '2024-03-05..2024-03-05 day'],
		['1er mars 2024', '2024-03-01..2024-03-01 day'],
		['5 de marzo de 2024', '2024-03-05..2024-03-05 day'],
		['05-Mar-2024', '2024-03-05..2024-03-05 day'],
		['2024 Q1', '2024-01-01..2024-03-31 quarter'],
		['Q2 2024', '2024-04-01..2024-06-30 quarter'],
		['2024-Q3', '2024-07-01..2024-09-30 quarter'],
		['2024Q4', '2024-10-01..2024-12-31 quarter'],
		['T1 2024', '2024-01-01..2024-03-31 quarter'],
		['2e trimestre 2024', '2024-04-01..2024-06-30 quarter'],
		['2024', '2024-01-01..2024-12-31 year'],
		['FY2024', '2023-07-01..2024-06-30 fiscal_year'],
		['FY 2023/24', '2023-07-01..2024-06-30 fiscal_year'],
		['FY24', '2023-07-01..2024-06-30 fiscal_year'],
		['2017-2018', '2017-07-01..2018-06-30 fiscal_year'],
		['2023-24', '2023-07-01..2024-06-30 fiscal_year'],
		['2011-12', '2011-12-01..2011-12-31 month']
	])('%j → %s', (raw, expected) => expect(p(raw)).toBe(expected));

	it('gives missing cells as null', () => {
		for (const raw of ['', ' ', 'N/A', 'NA', 'ND', '-', '—']) expect(p(raw), raw).toBeNull();
	});

	it('refuses dates that do not exist or do not parse, with the reason', () => {
		expect(p('2024-13-01')).toBe('invalid_date');
		expect(p('31/02/2024')).toBe('invalid_date');
		expect(p('2023-02-29')).toBe('invalid_date');
		expect(p('2024-13')).toBe('invalid_date');
		expect(p('13/13/2024')).toBe('invalid_date');
		expect(p('soon')).toBe('not_a_date');
		expect(p('Q5 2024')).toBe('not_a_date');
		expect(p('2017-2019')).toBe('not_a_date');
		expect(p('March')).toBe('not_a_date');
		expect(p('12.5')).toBe('not_a_date');
	});

	it('uses an explicit day/month order for ambiguous dates', () => {
		expect(p('03/05/2024', { order: 'mdy' })).toBe('2024-03-05..2024-03-05 day');
		expect(p('03/05/2024', { order: 'dmy' })).toBe('2024-05-03..2024-05-03 day');
		expect(p('13/05/2024', { order: 'mdy' })).toBe('invalid_date');
	});

	it('honours the fiscal year start', () => {
		expect(p('FY2024', { fiscalYearStartMonth: 10 })).toBe('2023-10-01..2024-09-30 fiscal_year');
		expect(p('2017-2018', { fiscalYearStartMonth: 4 })).toBe('2017-04-01..2018-03-31 fiscal_year');
		expect(p('FY2024', { fiscalYearStartMonth: 1 })).toBe('2024-01-01..2024-12-31 fiscal_year');
		expect(p('2017-2018', { fiscalYearStartMonth: 1 })).toBe('fiscal_year_start_needed');
		expect(p('2011-12', { preferFiscal: true })).toBe('2011-07-01..2012-06-30 fiscal_year');
		expect(fiscalYearPeriod(2024, 13)).toEqual({ ok: false, reason: 'invalid_date' });
	});
});

describe('detectDateOrder', () => {
	it('settles the order from any value with a part above 12', () => {
		expect(detectDateOrder(['03/05/2024', '13/05/2024']).verdict).toBe('dmy');
		expect(detectDateOrder(['03/05/2024', '05/13/2024 10:00 PM']).verdict).toBe('mdy');
	});
	it('says ambiguous when every value fits both orders, and conflict when they disagree', () => {
		expect(detectDateOrder(['03/05/2024', '04/05/2024'])).toMatchObject({
			verdict: 'ambiguous',
			order: null,
			ambiguous: 2
		});
		expect(detectDateOrder(['13/05/2024', '05/13/2024']).verdict).toBe('conflict');
		expect(detectDateOrder(['2024-03-05', 'x']).verdict).toBe('none');
	});
});

describe('parts', () => {
	it('months by name or number, years, and year + month columns', () => {
		expect(parseMonth('January')).toBe(1);
		expect(parseMonth('août')).toBe(8);
		expect(parseMonth('dic')).toBe(12);
		expect(parseMonth('Sept.')).toBe(9);
		expect(parseMonth('07')).toBe(7);
		expect(parseMonth('13')).toBeNull();
		expect(periodFromYearMonth('2018', '7')).toEqual({
			ok: true,
			value: { start: '2018-07-01', end: '2018-07-31', grain: 'month' }
		});
		expect(periodFromYearMonth('2019', 'February')).toMatchObject({
			ok: true,
			value: { end: '2019-02-28' }
		});
		expect(periodFromYearMonth('2019', '')).toMatchObject({ ok: true, value: { grain: 'year' } });
		expect(periodFromYearMonth('20x9', '1')).toEqual({ ok: false, reason: 'invalid_date' });
		expect(periodFromYearMonth('2019', 'Smarch')).toEqual({ ok: false, reason: 'not_a_date' });
	});
	it('tells fiscal columns from year-month ones', () => {
		expect(looksFiscal(['2011-12', '2012-13'])).toBe(true);
		expect(looksFiscal(['2011-12', '2012-01'])).toBe(false);
		expect(looksFiscal(['FY2020'])).toBe(true);
	});
});
