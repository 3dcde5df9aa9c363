import { describe, expect, it } from 'vitest';
import { barChartConfig, lineChartConfig } from './review-config.ts';

describe('barChartConfig', () => {
	it('stacks bar series and draws line series over them', () => {
		const c = barChartConfig({
			labels: ['Jan', 'Feb'],
			series: [
				{ label: 'On', data: [1, 2], colour: '#00805c' },
				{ label: 'Off', data: [3, 0] },
				{ label: 'Could attend', data: [4, 4], line: true }
			],
			axisLabel: 'Indicators',
			stacked: true,
			locale: 'en'
		});
		expect(c.data.labels).toEqual(['Jan', 'Feb']);
		const sets = c.data.datasets;
		expect(sets.map((d) => d.type)).toEqual(['bar', 'bar', 'line']);
		expect(sets[0]).toMatchObject({ backgroundColor: '#00805c', stack: 'all' });
		expect(sets[2]).not.toHaveProperty('stack');
		const scales = c.options!.scales as Record<
			string,
			{ stacked?: boolean; title?: { text: string } }
		>;
		expect(scales.x.stacked).toBe(true);
		expect(scales.y.title!.text).toBe('Indicators');
		expect(c.options!.plugins!.legend!.display).toBe(true);
	});

	it('lays bars along y and formats percentages', () => {
		const c = barChartConfig({
			labels: ['Clinic hours'],
			series: [{ label: 'Milestones reached', data: [0.5] }],
			axisLabel: 'Reached',
			horizontal: true,
			percent: true,
			locale: 'en',
			reducedMotion: true
		});
		expect(c.options!.indexAxis).toBe('y');
		expect(c.options!.animation).toBe(false);
		const x = (
			c.options!.scales as Record<
				string,
				{ max?: number; ticks: { callback?: (v: number) => string } }
			>
		).x;
		expect(x.max).toBe(1);
		expect(x.ticks.callback!(0.5)).toBe('50%');
		expect(c.options!.plugins!.legend!.display).toBe(false);
	});
});

describe('lineChartConfig', () => {
	it('draws one line per series on a fixed range, leaving gaps', () => {
		const c = lineChartConfig({
			labels: ['1 Nov', '8 Nov'],
			series: [
				{ label: 'Safe', data: [4.2, null] },
				{ label: 'Heard', data: [3.8, 4] }
			],
			axisLabel: 'Average (1–5)',
			min: 1,
			max: 5
		});
		expect(c.type).toBe('line');
		expect(c.data.datasets.map((d) => d.label)).toEqual(['Safe', 'Heard']);
		expect(c.data.datasets[0]).toMatchObject({ spanGaps: false, data: [4.2, null] });
		const y = (c.options!.scales as Record<string, { min?: number; max?: number }>).y;
		expect([y.min, y.max]).toEqual([1, 5]);
	});
});
