/**
 * chart.js configurations as pure functions of the data (only types come from chart.js, so this
 * module costs nothing on pages without charts and is testable without a canvas).
 *
 * Built for long series: data arrives sorted as {x, y} so chart.js skips parsing (`parsing: false`,
 * `normalized: true`), LTTB decimation draws about one point per pixel column, points are hidden
 * and animation is off when there are many of them. Noted points are a separate small dataset so
 * decimation never drops a note.
 */
import type { ChartConfiguration, ChartDataset, Plugin, Scale, TooltipItem } from 'chart.js';
import {
	type ChartSeries,
	currentTarget,
	formatValue,
	indexSeries,
	type NotedXY,
	notedPoints,
	targetLine,
	xyData,
	type XY
} from './series.ts';
import { type Direction, targetBands } from './target.ts';
import { formatDay, msToDay, type TickUnit, tickFormatter, timeTicks } from './time.ts';

/** Colour-blind-safe series colours (Okabe–Ito, darkened where needed for contrast on white). */
export const PALETTE = [
	'#1f5f4a',
	'#0072b2',
	'#c0500a',
	'#b3407f',
	'#00805c',
	'#8a6d00',
	'#3b6fa0',
	'#000000',
	'#7f3c8d',
	'#6b6f63'
];
export const TARGET_COLOUR = '#1b1f1d';
export const NOTE_COLOUR = '#c25e00';
export const BETTER_FILL = 'rgba(29, 107, 53, 0.12)';
export const WORSE_FILL = 'rgba(164, 38, 44, 0.08)';

/** Above this many points in all, animation is off and points are drawn only on hover. */
export const MANY_POINTS = 1000;

export interface ChartLabels {
	/** Dataset label of the target line. */
	target: string;
	/** Dataset label of the noted points. */
	notes: string;
	/** y axis title when series are indexed. */
	index: string;
}

export interface IndicatorConfigInput {
	series: readonly ChartSeries[];
	/** Shading relative to the target; none when null or when several series share the chart. */
	direction?: Direction | null;
	/** The goal's target, used when measurements carry none of their own. */
	goalTarget?: number | null;
	/** Index every series to its first value (= 100): for series in different units. */
	indexed?: boolean;
	locale: string;
	labels: ChartLabels;
	/** Turns animation off (prefers-reduced-motion). */
	reducedMotion?: boolean;
}

type LineData = XY | NotedXY;
export type LineConfig = ChartConfiguration<'line', LineData[]>;

/**
 * Shades the plot area better/worse relative to the target, under the lines. One plugin object
 * per chart, so its options need no global chart.js typing.
 */
export function targetBandsPlugin(
	target: number | null,
	direction: Direction | null
): Plugin<'line'> {
	return {
		id: 'targetBands',
		beforeDatasetsDraw(chart) {
			const y = chart.scales.y;
			if (target == null || !direction || !y) return;
			const { ctx, chartArea } = chart;
			ctx.save();
			for (const band of targetBands(target, direction, y.min, y.max)) {
				const top = y.getPixelForValue(band.to);
				const bottom = y.getPixelForValue(band.from);
				ctx.fillStyle = band.kind === 'better' ? BETTER_FILL : WORSE_FILL;
				ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
			}
			ctx.restore();
		}
	};
}

/** Calendar ticks for the linear time axis, as many as fit at ~90 px each. */
function timeAxis(locale: string, min: number | undefined, max: number | undefined) {
	let unit: TickUnit = 'month';
	let format = tickFormatter(unit, locale);
	return {
		type: 'linear' as const,
		min,
		max,
		afterBuildTicks(axis: Scale) {
			const maxTicks = Math.max(2, Math.floor((axis.chart.width || 360) / 90));
			const built = timeTicks(axis.min, axis.max, maxTicks);
			if (built.unit !== unit) {
				unit = built.unit;
				format = tickFormatter(unit, locale);
			}
			axis.ticks = built.ticks.map((value) => ({ value }));
		},
		ticks: {
			autoSkip: true,
			maxRotation: 0,
			callback: (value: number | string) => format(Number(value))
		},
		grid: { color: '#e6e8e6' }
	};
}

export function indicatorConfig(input: IndicatorConfigInput): LineConfig {
	const { series, locale, labels } = input;
	const single = series.length === 1;
	const indexed = Boolean(input.indexed);
	const datasets: ChartDataset<'line', LineData[]>[] = [];
	let total = 0;
	let xMin = Infinity;
	let xMax = -Infinity;

	series.forEach((s, i) => {
		const raw = xyData(s.points);
		const data = indexed ? indexSeries(raw) : raw;
		total += data.length;
		if (data.length > 0) {
			xMin = Math.min(xMin, data[0].x);
			xMax = Math.max(xMax, data[data.length - 1].x);
		}
		const colour = PALETTE[i % PALETTE.length];
		datasets.push({
			type: 'line',
			label: s.label,
			data,
			borderColor: colour,
			backgroundColor: colour,
			borderWidth: 2,
			pointRadius: data.length > 120 ? 0 : 2.5,
			pointHoverRadius: 4,
			tension: 0,
			spanGaps: true,
			normalized: true,
			order: 2
		});
	});

	const first = series[0];
	const target = single && !indexed ? currentTarget(first.points, input.goalTarget) : null;
	if (single && !indexed) {
		const line = targetLine(first.points, input.goalTarget);
		if (line.length > 0) {
			const own = first.points.some((p) => p.target != null);
			datasets.push({
				type: 'line',
				label: labels.target,
				data: line,
				borderColor: TARGET_COLOUR,
				backgroundColor: TARGET_COLOUR,
				borderDash: [6, 4],
				borderWidth: 1.5,
				pointRadius: 0,
				pointHoverRadius: 0,
				stepped: own ? 'before' : false,
				normalized: true,
				order: 3
			});
		}
		const notes = notedPoints(first.points);
		if (notes.length > 0) {
			datasets.push({
				type: 'line',
				label: labels.notes,
				data: notes,
				showLine: false,
				pointStyle: 'rectRot',
				pointRadius: 7,
				pointHoverRadius: 9,
				borderColor: '#ffffff',
				borderWidth: 1.5,
				backgroundColor: NOTE_COLOUR,
				normalized: true,
				order: 1
			});
		}
	}

	const many = total > MANY_POINTS;
	const unit = single ? first.unit : null;
	const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });

	return {
		type: 'line',
		data: { datasets },
		plugins: [targetBandsPlugin(target, single && !indexed ? (input.direction ?? null) : null)],
		options: {
			parsing: false,
			normalized: true,
			animation: many || input.reducedMotion ? false : { duration: 250 },
			responsive: true,
			maintainAspectRatio: false,
			interaction: { mode: 'nearest', axis: 'x', intersect: false },
			scales: {
				x: timeAxis(
					locale,
					Number.isFinite(xMin) ? xMin : undefined,
					Number.isFinite(xMax) ? xMax : undefined
				),
				y: {
					type: 'linear',
					grace: '5%',
					title: {
						display: Boolean(indexed || unit),
						text: indexed ? labels.index : (unit ?? '')
					},
					ticks: { callback: (value: number | string) => number.format(Number(value)) },
					grid: { color: '#e6e8e6' }
				}
			},
			plugins: {
				decimation: { enabled: true, algorithm: 'lttb' },
				// One series: the key above the chart explains target and notes in words instead.
				legend: { display: !single, labels: { boxHeight: 2 } },
				tooltip: {
					callbacks: {
						title: (items: TooltipItem<'line'>[]) =>
							items.length > 0 ? formatDay(msToDay(items[0].parsed.x ?? 0), locale) : '',
						label: (item: TooltipItem<'line'>) => {
							const s = series[item.datasetIndex];
							const value = indexed
								? number.format(item.parsed.y ?? 0)
								: formatValue(item.parsed.y, s?.unit ?? unit, locale);
							return `${item.dataset.label ?? ''}: ${value}`;
						},
						afterLabel: (item: TooltipItem<'line'>) => {
							const raw = item.raw as Partial<NotedXY>;
							return typeof raw.note === 'string' ? raw.note : '';
						}
					}
				}
			}
		}
	};
}
