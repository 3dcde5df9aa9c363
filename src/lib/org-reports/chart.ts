/**
 * The report's chart: per period, grouped bars of what the teams did (dialogues held, friction
 * points found and resolved, commitments kept, initiatives won). A pure function of the figures,
 * like the other chart configs; the page shows the same numbers in a table beside it.
 */
import type { ChartConfiguration } from 'chart.js';
import { PALETTE } from '$lib/charts/config.ts';
import type { PeriodFigures } from './figures.ts';

export const CHART_KEYS = [
	'dialogues_held',
	'friction_found',
	'friction_resolved',
	'commitments_kept',
	'initiatives_won'
] as const;
export type ChartKey = (typeof CHART_KEYS)[number];

export interface ReportChartInput {
	periods: readonly PeriodFigures[];
	/** Each period's name ("Mar 2026"). */
	periodLabel: (start: string) => string;
	/** Each series' name in the visitor's language. */
	seriesLabel: (key: ChartKey) => string;
	axisLabel: string;
	reducedMotion?: boolean;
}

export function reportChartConfig(
	input: ReportChartInput
): ChartConfiguration<'bar', number[], string> {
	return {
		type: 'bar',
		data: {
			labels: input.periods.map((p) => input.periodLabel(p.period_start)),
			datasets: CHART_KEYS.map((key, i) => ({
				label: input.seriesLabel(key),
				data: input.periods.map((p) => p.figures[key]),
				backgroundColor: PALETTE[i % PALETTE.length]
			}))
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: input.reducedMotion ? false : undefined,
			scales: {
				y: {
					beginAtZero: true,
					ticks: { precision: 0 },
					title: { display: true, text: input.axisLabel }
				}
			},
			plugins: { legend: { position: 'bottom' } }
		}
	};
}
