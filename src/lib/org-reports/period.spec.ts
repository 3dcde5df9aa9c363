import { describe, expect, it } from 'vitest';
import {
	bucketLabel,
	bucketStart,
	bucketStarts,
	defaultPeriod,
	isDay,
	parsePeriod,
	periodQuery
} from './period.ts';

const q = (s: string) => new URLSearchParams(s);

describe('report period', () => {
	it('defaults to the last twelve months by month', () => {
		expect(defaultPeriod('2026-12-03')).toEqual({
			from: '2026-01-01',
			to: '2026-12-03',
			by: 'month'
		});
		expect(parsePeriod(q(''), '2026-03-15')).toEqual({
			period: { from: '2025-04-01', to: '2026-03-15', by: 'month' },
			problems: {},
			values: { from: '', to: '', by: '' }
		});
	});

	it('reads a period from the URL and writes it back', () => {
		const { period, problems } = parsePeriod(
			q('from=2025-01-01&to=2025-12-31&by=quarter'),
			'2026-12-03'
		);
		expect(problems).toEqual({});
		expect(period).toEqual({ from: '2025-01-01', to: '2025-12-31', by: 'quarter' });
		expect(periodQuery(period)).toBe('from=2025-01-01&to=2025-12-31&by=quarter');
	});

	it('names the problem of each bad field and falls back to the default', () => {
		const bad = parsePeriod(q('from=2025-02-30&to=soon&by=week'), '2026-12-03');
		expect(bad.problems).toEqual({ from: 'from_invalid', to: 'to_invalid', by: 'by_invalid' });
		expect(bad.period).toEqual(defaultPeriod('2026-12-03'));
		expect(bad.values).toEqual({ from: '2025-02-30', to: 'soon', by: 'week' });
		expect(parsePeriod(q('from=2026-05-01&to=2026-04-30'), '2026-12-03').problems).toEqual({
			to: 'order'
		});
		expect(parsePeriod(q('from=2000-01-01&to=2026-01-01'), '2026-12-03').problems).toEqual({
			to: 'too_long'
		});
		// A good grouping is kept when only the dates are wrong.
		expect(parsePeriod(q('from=x&by=year'), '2026-12-03').period.by).toBe('year');
	});

	it('knows real days', () => {
		expect(isDay('2024-02-29')).toBe(true);
		expect(isDay('2025-02-29')).toBe(false);
		expect(isDay('2025-1-01')).toBe(false);
	});

	it('buckets like date_trunc and generate_series', () => {
		expect(bucketStart('2026-05-17', 'quarter')).toBe('2026-04-01');
		expect(bucketStart('2026-05-17', 'year')).toBe('2026-01-01');
		expect(bucketStarts({ from: '2025-11-15', to: '2026-02-01', by: 'month' })).toEqual([
			'2025-11-01',
			'2025-12-01',
			'2026-01-01',
			'2026-02-01'
		]);
		expect(bucketStarts({ from: '2025-12-03', to: '2026-12-03', by: 'quarter' })).toEqual([
			'2025-10-01',
			'2026-01-01',
			'2026-04-01',
			'2026-07-01',
			'2026-10-01'
		]);
		expect(bucketStarts({ from: '2025-12-03', to: '2026-12-03', by: 'year' })).toEqual([
			'2025-01-01',
			'2026-01-01'
		]);
	});

	it('labels buckets for people', () => {
		expect(bucketLabel('2026-03-01', 'month', 'en')).toBe('Mar 2026');
		expect(bucketLabel('2026-04-01', 'quarter', 'en')).toBe('Q2 2026');
		expect(bucketLabel('2026-01-01', 'year', 'es')).toBe('2026');
	});
});
