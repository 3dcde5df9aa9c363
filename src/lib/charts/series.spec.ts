import { describe, expect, it } from 'vitest';
import {
	type ChartPoint,
	currentTarget,
	formatValue,
	indexSeries,
	notedPoints,
	seriesStats,
	tableRows,
	targetLine,
	unitsDiffer,
	xyData
} from './series.ts';
import { dayToMs } from './time.ts';

const ms = dayToMs;

describe('series for chart.js', () => {
	it('sorts points by date and drops undated or non-numeric ones', () => {
		const points: ChartPoint[] = [
			{ x: '2024-03-01', y: 3 },
			{ x: '2024-01-01', y: 1 },
			{ x: 'nope', y: 9 },
			{ x: '2024-02-01', y: Number.NaN },
			{ x: '2024-02-01', y: 2 }
		];
		expect(xyData(points)).toEqual([
			{ x: ms('2024-01-01'), y: 1 },
			{ x: ms('2024-02-01'), y: 2 },
			{ x: ms('2024-03-01'), y: 3 }
		]);
	});

	it('keeps already sorted data as it is (no copy for long series)', () => {
		const points = Array.from({ length: 3650 }, (_, i) => ({
			x: new Date(Date.UTC(2015, 0, 1 + i)).toISOString().slice(0, 10),
			y: i
		}));
		const data = xyData(points);
		expect(data).toHaveLength(3650);
		expect(data.every((p, i) => i === 0 || p.x > data[i - 1].x)).toBe(true);
	});

	it('collects the noted points, trimmed, and ignores blank notes', () => {
		expect(
			notedPoints([
				{ x: '2024-01-01', y: 1, note: '  ' },
				{ x: '2024-02-01', y: 2, note: ' New intake system \n' },
				{ x: '2024-03-01', y: 3, note: null }
			])
		).toEqual([{ x: ms('2024-02-01'), y: 2, note: 'New intake system', date: '2024-02-01' }]);
	});
});

describe('target line', () => {
	it("follows the measurements' own targets when they have them", () => {
		const line = targetLine(
			[
				{ x: '2024-02-01', y: 1, target: 90 },
				{ x: '2024-01-01', y: 1, target: 90 },
				{ x: '2024-03-01', y: 1, target: 95 }
			],
			80
		);
		expect(line.map((p) => p.y)).toEqual([90, 90, 95]);
	});

	it("else spans the series at the goal's target", () => {
		const line = targetLine(
			[
				{ x: '2024-01-01', y: 1 },
				{ x: '2024-06-01', y: 2 }
			],
			80
		);
		expect(line).toEqual([
			{ x: ms('2024-01-01'), y: 80 },
			{ x: ms('2024-06-01'), y: 80 }
		]);
		expect(targetLine([{ x: '2024-01-01', y: 1 }], null)).toEqual([]);
	});

	it("the current target is the latest measurement's, else the goal's", () => {
		expect(
			currentTarget(
				[
					{ x: '2024-03-01', y: 1, target: 95 },
					{ x: '2024-01-01', y: 1, target: 90 },
					{ x: '2024-04-01', y: 1 }
				],
				80
			)
		).toBe(95);
		expect(currentTarget([{ x: '2024-01-01', y: 1 }], 80)).toBe(80);
		expect(currentTarget([{ x: '2024-01-01', y: 1 }], null)).toBeNull();
	});
});

describe('summary figures and table rows', () => {
	const points: ChartPoint[] = [
		{ x: '2024-01-07', start: '2024-01-01', y: 40, note: '=HYPERLINK("x")' },
		{ x: '2024-01-21', start: '2024-01-15', y: 25 },
		{ x: '2024-01-14', start: '2024-01-08', y: 31, target: 28 }
	];

	it('finds first, latest, lowest and highest', () => {
		const stats = seriesStats(points)!;
		expect(stats.count).toBe(3);
		expect(stats.first.x).toBe('2024-01-07');
		expect(stats.last.y).toBe(25);
		expect(stats.min.y).toBe(25);
		expect(stats.max.y).toBe(40);
		expect(seriesStats([])).toBeNull();
	});

	it('gives one row per point in date order, with status against the target', () => {
		const rows = tableRows([{ label: 'Days to repair', points }], 'down', 'en-GB', 30);
		expect(rows.map((r) => [r.date, r.value, r.target, r.status])).toEqual([
			['2024-01-07', 40, 30, 'off'],
			['2024-01-14', 31, 28, 'off'],
			['2024-01-21', 25, 30, 'on']
		]);
		expect(rows[0].period).toMatch(/^1\s?–\s?7 Jan 2024$/);
		expect(rows[0].note).toBe('=HYPERLINK("x")');
		expect(rows[0].series).toBe('Days to repair');
	});

	it('formats values with their unit in the viewer’s language', () => {
		expect(formatValue(1234.567, 'patients', 'en')).toBe('1,234.57 patients');
		expect(formatValue(92.5, '%', 'es')).toBe('92,5%');
		expect(formatValue(null, '%', 'en')).toBe('');
	});
});

describe('indexing series in different units', () => {
	it('makes the first non-zero value 100', () => {
		expect(
			indexSeries([
				{ x: 1, y: 0 },
				{ x: 2, y: 50 },
				{ x: 3, y: 75 }
			])
		).toEqual([
			{ x: 1, y: 0 },
			{ x: 2, y: 100 },
			{ x: 3, y: 150 }
		]);
		expect(indexSeries([{ x: 1, y: 0 }])).toEqual([]);
	});

	it('notices when units differ (ignoring case and blanks)', () => {
		expect(
			unitsDiffer([
				{ label: 'a', unit: '%', points: [] },
				{ label: 'b', unit: '%', points: [] }
			])
		).toBe(false);
		expect(
			unitsDiffer([
				{ label: 'a', unit: 'Days', points: [] },
				{ label: 'b', unit: 'days ', points: [] }
			])
		).toBe(false);
		expect(
			unitsDiffer([
				{ label: 'a', unit: '%', points: [] },
				{ label: 'b', unit: 'days', points: [] }
			])
		).toBe(true);
	});
});
