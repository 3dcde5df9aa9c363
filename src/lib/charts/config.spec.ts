import { describe, expect, it } from 'vitest';
import { indicatorConfig, MANY_POINTS, NOTE_COLOUR } from './config.ts';
import type { ChartSeries } from './series.ts';

const labels = { target: 'Target', notes: 'Notes', index: 'Index (first value = 100)' };

function daily(label: string, n: number, unit = 'days'): ChartSeries {
	return {
		label,
		unit,
		points: Array.from({ length: n }, (_, i) => ({
			x: new Date(Date.UTC(2015, 0, 1 + i)).toISOString().slice(0, 10),
			y: 50 + Math.sin(i / 30) * 10
		}))
	};
}

describe('indicator chart configuration', () => {
	it('draws the series, a dashed target line and noted points apart from the series', () => {
		const series: ChartSeries = {
			label: 'Days to repair',
			unit: 'days',
			points: [
				{ x: '2024-01-01', y: 40 },
				{ x: '2024-02-01', y: 35, note: 'New contractor' },
				{ x: '2024-03-01', y: 28 }
			]
		};
		const config = indicatorConfig({
			series: [series],
			direction: 'down',
			goalTarget: 30,
			locale: 'en',
			labels
		});
		const [line, target, notes] = config.data.datasets;
		expect(line.label).toBe('Days to repair');
		expect(line.data).toHaveLength(3);
		expect(target.label).toBe('Target');
		expect(target.borderDash).toEqual([6, 4]);
		expect(target.data.map((p) => p.y)).toEqual([30, 30]);
		expect(notes.label).toBe('Notes');
		expect(notes.showLine).toBe(false);
		expect(notes.backgroundColor).toBe(NOTE_COLOUR);
		expect(notes.data).toEqual([expect.objectContaining({ note: 'New contractor', y: 35 })]);
		expect(config.plugins?.map((p) => p.id)).toEqual(['targetBands']);
		expect(config.options?.scales?.y?.title).toMatchObject({ display: true, text: 'days' });
		// One series: the page's key explains the lines, not a legend.
		expect(config.options?.plugins?.legend?.display).toBe(false);
	});

	it('is set up for long series: no parsing, sorted data, LTTB decimation, no animation', () => {
		const config = indicatorConfig({
			series: Array.from({ length: 10 }, (_, i) => daily(`Indicator ${i}`, 3650)),
			locale: 'en',
			labels
		});
		expect(config.options?.parsing).toBe(false);
		expect(config.options?.normalized).toBe(true);
		expect(config.options?.animation).toBe(false);
		expect(config.options?.plugins?.decimation).toMatchObject({ enabled: true, algorithm: 'lttb' });
		expect(config.options?.scales?.x?.type).toBe('linear');
		expect(config.data.datasets).toHaveLength(10);
		for (const d of config.data.datasets) {
			expect(d.pointRadius).toBe(0);
			expect(d.data.every((p, i) => i === 0 || p.x > d.data[i - 1].x)).toBe(true);
		}
		// Many series share the chart: a legend, and no target or shading of one of them.
		expect(config.options?.plugins?.legend?.display).toBe(true);
	});

	it('animates small charts unless motion is reduced', () => {
		const small = { series: [daily('a', 10)], locale: 'en', labels };
		expect(indicatorConfig(small).options?.animation).not.toBe(false);
		expect(indicatorConfig({ ...small, reducedMotion: true }).options?.animation).toBe(false);
		expect(MANY_POINTS).toBeLessThan(3650);
	});

	it('indexes series when asked, with no target line', () => {
		const config = indicatorConfig({
			series: [daily('a', 5, 'days'), { ...daily('b', 5, '%') }],
			indexed: true,
			goalTarget: 10,
			direction: 'up',
			locale: 'en',
			labels
		});
		expect(config.data.datasets).toHaveLength(2);
		expect(config.data.datasets[0].data[0].y).toBe(100);
		expect(config.options?.scales?.y?.title).toMatchObject({ text: labels.index });
	});
});
