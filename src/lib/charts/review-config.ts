/**
 * The review and group-health charts: bars on a category axis (months, members, initiatives),
 * optionally stacked, with an optional line drawn over them, and lines on a category axis (pulse
 * checks per dialogue). Pure functions of the figures (only types come from chart.js), like
 * `config.ts`; the bar, line and category pieces are registered in `chartjs.ts`.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { PALETTE } from './config.ts';

export interface BarSeries {
	label: string;
	data: Array<number | null>;
	/** A colour of its own; the palette's next one otherwise. */
	colour?: string;
	/** Drawn as a line over the bars (a total, a capacity), not stacked with them. */
	line?: boolean;
}

export interface BarChartInput {
	labels: string[];
	series: BarSeries[];
	/** The value axis's title. */
	axisLabel: string;
	stacked?: boolean;
	/** Bars along the y axis (long category names: initiatives, members). */
	horizontal?: boolean;
	/** Values are fractions shown as percentages, 0–100%. */
	percent?: boolean;
	locale: string;
	reducedMotion?: boolean;
}

export type ReviewChartConfig = ChartConfiguration<'bar' | 'line', Array<number | null>, string>;

function percentTick(locale: string): (value: number | string) => string {
	const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
	return (value) => format.format(Number(value));
}

/** Bars per category, one dataset per series; series marked `line` are drawn over the bars. */
export function barChartConfig(input: BarChartInput): ReviewChartConfig {
	const valueAxis = input.horizontal ? 'x' : 'y';
	const categoryAxis = input.horizontal ? 'y' : 'x';
	const datasets = input.series.map((s, i): ChartDataset<'bar' | 'line', Array<number | null>> => {
		const colour = s.colour ?? PALETTE[i % PALETTE.length];
		if (s.line) {
			return {
				type: 'line',
				label: s.label,
				data: s.data,
				borderColor: colour,
				backgroundColor: colour,
				borderDash: [4, 3],
				borderWidth: 2,
				pointRadius: 2,
				spanGaps: true,
				order: 0
			};
		}
		return {
			type: 'bar',
			label: s.label,
			data: s.data,
			backgroundColor: colour,
			stack: input.stacked ? 'all' : undefined,
			order: 1
		};
	});
	const value = {
		stacked: input.stacked ?? false,
		beginAtZero: true,
		...(input.percent ? { max: 1 } : {}),
		ticks: input.percent ? { callback: percentTick(input.locale) } : { precision: 0 },
		title: { display: true, text: input.axisLabel }
	};
	return {
		type: 'bar',
		data: { labels: input.labels, datasets },
		options: {
			indexAxis: input.horizontal ? 'y' : 'x',
			responsive: true,
			maintainAspectRatio: false,
			animation: input.reducedMotion ? false : undefined,
			scales: {
				[categoryAxis]: { stacked: input.stacked ?? false },
				[valueAxis]: value
			},
			plugins: { legend: { display: input.series.length > 1, position: 'bottom' } }
		}
	};
}

export interface LineChartInput {
	labels: string[];
	series: Array<{ label: string; data: Array<number | null> }>;
	axisLabel: string;
	/** The value axis's range (pulse checks: 1 to 5). */
	min?: number;
	max?: number;
	reducedMotion?: boolean;
}

/** Lines over a category axis (one point per dialogue); gaps where a value is missing. */
export function lineChartConfig(input: LineChartInput): ReviewChartConfig {
	return {
		type: 'line',
		data: {
			labels: input.labels,
			datasets: input.series.map((s, i) => ({
				type: 'line' as const,
				label: s.label,
				data: s.data,
				borderColor: PALETTE[i % PALETTE.length],
				backgroundColor: PALETTE[i % PALETTE.length],
				borderWidth: 2,
				pointRadius: 3,
				spanGaps: false
			}))
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: input.reducedMotion ? false : undefined,
			scales: {
				y: {
					min: input.min,
					max: input.max,
					ticks: { precision: 0 },
					title: { display: true, text: input.axisLabel }
				}
			},
			plugins: { legend: { display: true, position: 'bottom' } }
		}
	};
}
