import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeGap, shortfall, slope } from './gap.ts';
import { hospitalSeries, mtaSeries, scotlandSeries } from './real-series.ts';

const FIXTURE = readFileSync(
	resolve('tests/fixtures/real/phs_scotland__weekly_ae_activity_20230625.first200.csv'),
	'utf8'
);
/** The full files live beside the checkout on developers' machines, not in the repository. */
const SHARED = resolve('..', 'shared', 'data', 'performance');
const FULL_AE = join(SHARED, 'phs_scotland__weekly_ae_activity_20230625.csv');
const MTA = join(SHARED, 'mta_nyct__Performance_NYCT.csv');

const pts = (values: number[], target: number | null = null) =>
	values.map((value, i) => {
		const d = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
		return { period_start: d, period_end: d, value, target };
	});

describe('shortfall and slope', () => {
	it('measures the worse side of the target for each direction', () => {
		expect(shortfall(90, 95, 'up')).toBe(5);
		expect(shortfall(97, 95, 'up')).toBe(0);
		expect(shortfall(35, 30, 'down')).toBe(5);
		expect(shortfall(25, 30, 'down')).toBe(0);
		// target: the ±5% band around 100 is on target; beyond it counts from the band's edge.
		expect(shortfall(104, 100, 'target')).toBe(0);
		expect(shortfall(110, 100, 'target')).toBe(5);
	});

	it('fits a least-squares line', () => {
		expect(slope([1, 2, 3, 4])).toBe(1);
		expect(slope([4, 4, 4])).toBe(0);
		expect(slope([5])).toBeNull();
	});
});

describe('the gap of a series', () => {
	it('counts the run off target up to the latest period and where it started', () => {
		const gap = computeGap(pts([96, 94, 96, 93, 92, 91]), 'up', 95);
		expect(gap.consecutiveOff).toBe(3);
		expect(gap.runStarted).toBe('2024-01-04');
		expect(gap.off).toBe(4);
		expect(gap.judged).toBe(6);
		expect(gap.relativeGap).toBeCloseTo(4 / 95, 10);
		expect(gap.slopeAway).toBeGreaterThan(0);
	});

	it('prefers each period’s own target to the goal’s', () => {
		const gap = computeGap(pts([10, 10, 10], 12), 'up', 5);
		expect(gap.latest?.judgedTarget).toBe(12);
		expect(gap.consecutiveOff).toBe(3);
	});

	it('has no measured gap without any target', () => {
		const gap = computeGap(pts([1, 2, 3]), 'up', null);
		expect(gap.relativeGap).toBeNull();
		expect(gap.slopeAway).toBeNull();
		expect(gap.consecutiveOff).toBe(0);
		expect(gap.latest?.status).toBe('none');
	});

	it('an improving series trends toward the goal (negative slope away)', () => {
		const gap = computeGap(pts([40, 38, 36, 34, 32]), 'down', 30);
		expect(gap.slopeAway).toBeCloseTo(-2 / 30, 10);
	});

	it('on a real hospital series (PHS A&E, A111H, seven weeks of 2015 against 95%)', () => {
		const series = hospitalSeries(FIXTURE, 'A111H');
		expect(series.map((p) => p.value)).toEqual([82.8, 86.8, 90.1, 88.6, 83.7, 81.1, 87.6]);
		const gap = computeGap(series, 'up', 95);
		expect(gap.consecutiveOff).toBe(7);
		expect(gap.runStarted).toBe('2015-02-16');
		expect(gap.latest?.period_end).toBe('2015-04-05');
		expect(gap.relativeGap).toBeCloseTo((95 - 87.6) / 95, 10);
		// Slightly worse week on week: the fitted line falls by about 0.12 points a week.
		expect(gap.slopeAway).toBeCloseTo(0.0012782, 6);
	});

	it('on a real hospital that recovered (A210H ends on target)', () => {
		const gap = computeGap(hospitalSeries(FIXTURE, 'A210H'), 'up', 95);
		expect(gap.latest?.value).toBe(95.1);
		expect(gap.consecutiveOff).toBe(0);
		expect(gap.runStarted).toBeNull();
		expect(gap.relativeGap).toBe(0);
		expect(gap.slopeAway).toBeCloseTo(-0.0321805, 6);
	});

	// The full file is 13,000 rows and is not in the repository: it sits in ../shared/data beside
	// the checkout. Where it is absent (a fresh clone, CI) this test has nothing to read.
	it.skipIf(!existsSync(FULL_AE))(
		'on Scotland’s full weekly series 2015–2023: off the standard every week since July 2020',
		() => {
			const series = scotlandSeries(readFileSync(FULL_AE, 'utf8'));
			expect(series).toHaveLength(436);
			const gap = computeGap(series, 'up', 95);
			expect(gap.latest?.period_end).toBe('2023-06-25');
			expect(gap.latest?.value).toBeCloseTo(68.88, 2);
			expect(gap.consecutiveOff).toBe(155);
			expect(gap.recent).toHaveLength(12);
			expect(gap.off).toBe(12);
			expect(gap.relativeGap).toBeCloseTo((95 - 68.8835) / 95, 4);
		}
	);

	// Not in the repository either (see above); the MTA publishes it in Windows-1252.
	it.skipIf(!existsSync(MTA))(
		'on NYC Transit’s lost-time injury rate, lower is better, each month against its own target',
		() => {
			const series = mtaSeries(
				readFileSync(MTA, 'latin1'),
				'Employee Lost Time and Restricted Duty Rate'
			);
			expect(series).toHaveLength(124);
			const gap = computeGap(series, 'down', null);
			// April 2018: 2.85 against 3.39, on target; five of the last twelve months were over.
			expect(gap.latest).toMatchObject({ value: 2.85, judgedTarget: 3.39, status: 'on' });
			expect(gap.consecutiveOff).toBe(0);
			expect(gap.off).toBe(5);
			expect(gap.relativeGap).toBe(0);
			expect(gap.slopeAway).toBeCloseTo(-0.0158013, 6);
			// A month earlier the run had just started: March 2018, 3.65 against 3.39.
			const march = computeGap(series.slice(0, -1), 'down', null);
			expect(march.consecutiveOff).toBe(1);
			expect(march.runStarted).toBe('2018-03-01');
			expect(march.relativeGap).toBeCloseTo((3.65 - 3.39) / 3.39, 10);
		}
	);
});
