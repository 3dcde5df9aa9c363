import { describe, expect, it } from 'vitest';
import { computeProgress, type ProgressInput } from './progress.ts';

const week = (end: string, value: number) => ({ period_start: end, period_end: end, value });

const base: ProgressInput = {
	direction: 'up',
	baseline: 60,
	baselineDate: null,
	startDate: '2026-01-01',
	target: 80,
	points: [week('2026-01-07', 60), week('2026-02-07', 70)]
};

describe('computeProgress', () => {
	it('says there is no data yet when the indicator has no figures', () => {
		expect(computeProgress({ ...base, points: [] })).toEqual({ kind: 'no-data' });
	});

	it('has the latest figure but no share without a target', () => {
		const p = computeProgress({ ...base, target: null });
		expect(p).toEqual({ kind: 'no-target', latest: week('2026-02-07', 70) });
	});

	it('counts the way from baseline to target for a higher-is-better indicator', () => {
		const p = computeProgress(base);
		expect(p).toMatchObject({ kind: 'measured', percent: 50, reached: false, worse: false });
	});

	it('moves with a new measurement', () => {
		const p = computeProgress({ ...base, points: [...base.points, week('2026-03-07', 80)] });
		expect(p).toMatchObject({ percent: 100, reached: true });
	});

	it('counts down for a lower-is-better indicator and flags ground lost', () => {
		const down = { ...base, direction: 'down' as const, baseline: 12, target: 4 };
		expect(computeProgress({ ...down, points: [week('2026-02-01', 10)] })).toMatchObject({
			percent: 25,
			worse: false
		});
		expect(computeProgress({ ...down, points: [week('2026-02-01', 14)] })).toMatchObject({
			percent: 0,
			worse: true,
			reached: false
		});
	});

	it('measures closeness for an indicator whose target is a value', () => {
		const p = computeProgress({
			...base,
			direction: 'target',
			baseline: 30,
			target: 20,
			points: [week('2026-02-01', 18)]
		});
		expect(p).toMatchObject({ percent: 80, reached: false });
	});

	it('takes the baseline from the first figure since the baseline date when none is set', () => {
		const p = computeProgress({
			...base,
			baseline: null,
			baselineDate: '2026-02-01',
			points: [week('2026-01-07', 10), week('2026-02-07', 50), week('2026-03-07', 65)]
		});
		expect(p).toMatchObject({ baseline: 50, baselineFrom: 'data', percent: 50 });
	});
});
