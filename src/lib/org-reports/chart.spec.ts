import { describe, expect, it } from 'vitest';
import { reportChartConfig } from './chart.ts';
import { combine } from './figures.ts';

describe('report chart', () => {
	it('has one bar group per period and one series per figure, in the visitor’s words', () => {
		const empty = combine([]);
		const config = reportChartConfig({
			periods: [
				{
					period_start: '2026-01-01',
					figures: { ...empty, dialogues_held: 2, initiatives_won: 1 }
				},
				{ period_start: '2026-02-01', figures: { ...empty, friction_found: 3 } }
			],
			periodLabel: (s) => `P ${s}`,
			seriesLabel: (k) => k.toUpperCase(),
			axisLabel: 'Count',
			reducedMotion: true
		});
		expect(config.data.labels).toEqual(['P 2026-01-01', 'P 2026-02-01']);
		expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
			['DIALOGUES_HELD', [2, 0]],
			['FRICTION_FOUND', [0, 3]],
			['FRICTION_RESOLVED', [0, 0]],
			['COMMITMENTS_KEPT', [0, 0]],
			['INITIATIVES_WON', [1, 0]]
		]);
		expect(config.options?.animation).toBe(false);
	});
});
