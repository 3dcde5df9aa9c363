import { describe, expect, it } from 'vitest';
import {
	dayToMs,
	formatDay,
	formatPeriod,
	msToDay,
	tickFormatter,
	tickStep,
	timeTicks
} from './time.ts';

const days = (ticks: number[]) => ticks.map(msToDay);

describe('dates as epoch milliseconds', () => {
	it('reads a calendar day at UTC midnight and writes it back', () => {
		expect(dayToMs('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
		expect(msToDay(dayToMs('2024-02-29'))).toBe('2024-02-29');
		expect(dayToMs('2024-03-05T13:00:00Z')).toBe(Date.UTC(2024, 2, 5));
		expect(dayToMs('not a date')).toBeNaN();
	});

	it('formats in UTC, so 1 January never shows as 31 December in the Americas', () => {
		expect(formatDay('2024-01-01', 'en-US')).toBe('Jan 1, 2024');
		expect(formatDay('2024-01-01', 'es')).toBe('1 ene 2024');
		expect(tickFormatter('year', 'en')(dayToMs('2024-01-01'))).toBe('2024');
		expect(tickFormatter('month', 'en-GB')(dayToMs('2024-03-01'))).toBe('Mar 2024');
	});

	it('writes a period as a range only when it is longer than a day', () => {
		expect(formatPeriod('2024-01-01', '2024-01-01', 'en-GB')).toBe('1 Jan 2024');
		// ICU versions differ in the spaces around the dash.
		expect(formatPeriod('2024-01-01', '2024-01-07', 'en-GB')).toMatch(/^1\s?–\s?7 Jan 2024$/);
		expect(formatPeriod('2023-07-01', '2024-06-30', 'en-GB')).toMatch(
			/^1 Jul 2023\s?–\s?30 Jun 2024$/
		);
	});
});

describe('calendar ticks on a linear axis', () => {
	it('puts ten years of daily data on year boundaries', () => {
		const { ticks, unit } = timeTicks(dayToMs('2015-03-10'), dayToMs('2024-12-31'), 8);
		expect(unit).toBe('year');
		expect(days(ticks)).toEqual([
			'2016-01-01',
			'2018-01-01',
			'2020-01-01',
			'2022-01-01',
			'2024-01-01'
		]);
	});

	it('uses months for a year and Mondays for a few weeks', () => {
		const year = timeTicks(dayToMs('2024-01-15'), dayToMs('2024-12-20'), 6);
		expect(year.unit).toBe('month');
		expect(days(year.ticks)).toEqual([
			'2024-03-01',
			'2024-05-01',
			'2024-07-01',
			'2024-09-01',
			'2024-11-01'
		]);
		const weeks = timeTicks(dayToMs('2024-03-06'), dayToMs('2024-04-02'), 5);
		expect(weeks.unit).toBe('week');
		expect(days(weeks.ticks)).toEqual(['2024-03-11', '2024-03-18', '2024-03-25', '2024-04-01']);
		for (const t of weeks.ticks) expect(new Date(t).getUTCDay()).toBe(1);
	});

	it('includes a boundary that is exactly the first value', () => {
		const { ticks } = timeTicks(dayToMs('2020-01-01'), dayToMs('2023-06-30'), 4);
		expect(msToDay(ticks[0])).toBe('2020-01-01');
	});

	it('never gives more ticks than asked, whatever the span', () => {
		for (const [a, b] of [
			['2024-01-01', '2024-01-03'],
			['2024-01-01', '2024-02-15'],
			['1990-01-01', '2024-12-31'],
			['1900-01-01', '2100-01-01']
		]) {
			for (const max of [2, 4, 8]) {
				const { ticks } = timeTicks(dayToMs(a), dayToMs(b), max);
				expect(ticks.length).toBeLessThanOrEqual(max);
				expect(ticks.length).toBeGreaterThan(0);
			}
		}
	});

	it('handles one point and nonsense without throwing', () => {
		expect(timeTicks(5, 5).ticks).toEqual([5]);
		expect(timeTicks(Number.NaN, 5).ticks).toEqual([]);
		expect(timeTicks(10, 5).ticks).toEqual([]);
		expect(tickStep(0, 0, 5).unit).toBe('day');
	});
});
