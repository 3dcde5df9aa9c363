import { describe, expect, it } from 'vitest';
import { progressChartConfig, type ProgressChartInput } from './initiative-progress-config.ts';
import { dayToMs } from './time.ts';

const input: ProgressChartInput = {
	label: 'Seen within 4 hours',
	unit: '%',
	direction: 'up',
	points: [
		{ x: '2026-01-31', y: 70 },
		{ x: '2026-02-28', y: 75 }
	],
	baseline: 70,
	target: 95,
	startDate: '2026-01-01',
	deadline: '2026-12-31',
	milestones: [{ title: 'Petition', due_on: '2026-06-01' }],
	locale: 'en',
	labels: {
		target: 'Target',
		notes: 'Notes',
		index: 'Index',
		baseline: 'Baseline',
		milestones: 'Milestones'
	}
};

const byLabel = (config: ReturnType<typeof progressChartConfig>, label: string) =>
	config.data.datasets.find((d) => d.label === label);

describe('progressChartConfig', () => {
	it('draws the indicator, the target and the baseline across start to deadline', () => {
		const c = progressChartConfig(input);
		const x = c.options!.scales!.x as { min: number; max: number };
		expect(x.min).toBe(dayToMs('2026-01-01'));
		expect(x.max).toBe(dayToMs('2026-12-31'));
		expect(byLabel(c, 'Seen within 4 hours')!.data).toHaveLength(2);
		expect(byLabel(c, 'Target')!.data).toEqual([
			{ x: x.min, y: 95 },
			{ x: x.max, y: 95 }
		]);
		expect(byLabel(c, 'Baseline')!.data).toEqual([
			{ x: x.min, y: 70 },
			{ x: x.max, y: 70 }
		]);
	});

	it('marks milestones on the time axis', () => {
		const c = progressChartConfig(input);
		expect(byLabel(c, 'Milestones')!.data).toEqual([{ x: dayToMs('2026-06-01'), y: 70 }]);
	});

	it('has no baseline line or milestones when there are none, and still spans the dates', () => {
		const c = progressChartConfig({ ...input, baseline: null, milestones: [], points: [] });
		expect(byLabel(c, 'Baseline')).toBeUndefined();
		expect(byLabel(c, 'Milestones')).toBeUndefined();
		expect((c.options!.scales!.x as { max: number }).max).toBe(dayToMs('2026-12-31'));
	});
});
