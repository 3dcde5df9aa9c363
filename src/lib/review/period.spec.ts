import { describe, expect, it } from 'vitest';
import { monthsBefore, monthsOf, parseDay, parsePeriod, periodQuery } from './period.ts';

const TODAY = '2026-12-03';
const q = (s: string) => new URLSearchParams(s);

describe('parsePeriod', () => {
	it('defaults to the last twelve months', () => {
		expect(parsePeriod(q(''), TODAY)).toEqual({
			ok: true,
			period: { kind: '12m', from: '2025-12-04', to: TODAY }
		});
	});

	it('reads the presets', () => {
		expect(parsePeriod(q('period=3m'), TODAY)).toEqual({
			ok: true,
			period: { kind: '3m', from: '2026-09-04', to: TODAY }
		});
		expect(parsePeriod(q('period=all'), TODAY)).toEqual({
			ok: true,
			period: { kind: 'all', from: null, to: TODAY }
		});
		expect(parsePeriod(q('period=nonsense'), TODAY)).toMatchObject({ period: { kind: '12m' } });
		// The form always sends its date fields: a chosen preset wins over them.
		expect(parsePeriod(q('period=3m&from=2020-01-01&to=2020-02-01'), TODAY)).toMatchObject({
			period: { kind: '3m', from: '2026-09-04' }
		});
	});

	it('takes a custom range, an open start or an open end', () => {
		expect(parsePeriod(q('period=custom&from=2026-01-01&to=2026-03-31'), TODAY)).toEqual({
			ok: true,
			period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' }
		});
		expect(parsePeriod(q('from=2026-01-01'), TODAY)).toMatchObject({
			period: { from: '2026-01-01', to: TODAY }
		});
		expect(parsePeriod(q('to=2026-06-30'), TODAY)).toMatchObject({
			period: { from: null, to: '2026-06-30' }
		});
	});

	it('refuses a bad range with the problem beside the right field', () => {
		expect(parsePeriod(q('from=2026-05-01&to=2026-04-01'), TODAY)).toEqual({
			ok: false,
			values: { from: '2026-05-01', to: '2026-04-01' },
			errors: { from: 'order' }
		});
		expect(parsePeriod(q('from=2026-02-30&to=2026-04-01'), TODAY)).toMatchObject({
			errors: { from: 'date_invalid' }
		});
		expect(parsePeriod(q('from=2026-01-01&to=soon'), TODAY)).toMatchObject({
			errors: { to: 'date_invalid' }
		});
		expect(parsePeriod(q('to=2027-01-01'), TODAY)).toMatchObject({
			errors: { to: 'date_future' }
		});
		expect(parsePeriod(q('from=1990-01-01&to=2026-01-01'), TODAY)).toMatchObject({
			errors: { from: 'too_long' }
		});
	});
});

describe('period helpers', () => {
	it('checks calendar days', () => {
		expect(parseDay('2024-02-29')).toBe('2024-02-29');
		expect(parseDay('2025-02-29')).toBeNull();
		expect(parseDay('3 May')).toBeNull();
	});

	it('counts months back, clamping to the month end', () => {
		expect(monthsBefore('2026-05-31', 3)).toBe('2026-03-01');
		expect(monthsBefore('2026-03-15', 12)).toBe('2025-03-16');
	});

	it('lists months across a year end', () => {
		expect(monthsOf('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
		expect(monthsOf('2026-02', '2026-01')).toEqual([]);
	});

	it('writes the query back', () => {
		expect(periodQuery({ kind: '3m', from: '2026-09-04', to: TODAY })).toBe('?period=3m');
		expect(periodQuery({ kind: 'custom', from: '2026-01-01', to: '2026-02-01' })).toBe(
			'?period=custom&from=2026-01-01&to=2026-02-01'
		);
		expect(periodQuery({ kind: 'custom', from: null, to: '2026-02-01' })).toBe(
			'?period=custom&to=2026-02-01'
		);
	});
});
