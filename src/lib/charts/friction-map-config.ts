/**
 * The friction map as a chart.js bubble chart: each friction point at x = severity (0–100),
 * y = leverage of its best pressure point (1–5; 0 when it has none yet), with the bubble's area
 * following the people affected. Pure: only types come from chart.js. Clicking a bubble calls
 * `onOpen` with its id; the table beside the chart lists the same points with links for the
 * keyboard.
 */
import type { ActiveElement, ChartConfiguration, ChartEvent, TooltipItem } from 'chart.js';
import { PALETTE } from './config.ts';

export interface MapPoint {
	id: string;
	title: string;
	severity: number;
	/** null: no pressure point scored yet (drawn on the baseline). */
	leverage: number | null;
	/** null: not estimated (drawn at the smallest size). */
	people: number | null;
	/** Which colour: an index into the palette (e.g. per agency). */
	group: number;
}

export interface MapBubble {
	x: number;
	y: number;
	r: number;
	id: string;
	title: string;
	people: number | null;
}

export type MapConfig = ChartConfiguration<'bubble', MapBubble[]>;

export const R_MIN = 5;
export const R_MAX = 28;

/**
 * Radius for a number of people: the bubble's area is proportional to it (square root), scaled
 * so the largest point on the map gets R_MAX; unknown or 0 get R_MIN.
 */
export function bubbleRadius(people: number | null, largest: number): number {
	if (people == null || people <= 0 || largest <= 0) return R_MIN;
	return Math.round((R_MIN + (R_MAX - R_MIN) * Math.sqrt(people / largest)) * 10) / 10;
}

export interface MapLabels {
	severity: string;
	leverage: string;
	/** Tooltip line for people affected, given the formatted number or null. */
	people: (n: string | null) => string;
	/** Dataset label for each group (e.g. the agency's name). */
	groups: string[];
}

export function frictionMapConfig(
	points: readonly MapPoint[],
	opts: {
		labels: MapLabels;
		locale: string;
		onOpen?: (id: string) => void;
		reducedMotion?: boolean;
	}
): MapConfig {
	const largest = Math.max(0, ...points.map((p) => p.people ?? 0));
	const number = new Intl.NumberFormat(opts.locale);
	const groups = new Map<number, MapBubble[]>();
	for (const p of points) {
		const list = groups.get(p.group) ?? [];
		list.push({
			x: Math.min(100, Math.max(0, p.severity)),
			y: p.leverage ?? 0,
			r: bubbleRadius(p.people, largest),
			id: p.id,
			title: p.title,
			people: p.people
		});
		groups.set(p.group, list);
	}
	const datasets = [...groups.entries()]
		.sort(([a], [b]) => a - b)
		.map(([group, data]) => {
			const colour = PALETTE[group % PALETTE.length];
			return {
				type: 'bubble' as const,
				label: opts.labels.groups[group] ?? '',
				data,
				backgroundColor: `${colour}99`,
				borderColor: colour,
				borderWidth: 1.5,
				hoverBorderWidth: 3
			};
		});

	return {
		type: 'bubble',
		data: { datasets },
		options: {
			// Parsed (not `parsing: false`): the bubble controller takes each radius from its parse.
			responsive: true,
			maintainAspectRatio: false,
			animation: opts.reducedMotion ? false : { duration: 250 },
			onClick: (_event: ChartEvent, elements: ActiveElement[], chart) => {
				const hit = elements[0];
				if (!hit || !opts.onOpen) return;
				const bubble = chart.data.datasets[hit.datasetIndex]?.data[hit.index] as
					MapBubble | undefined;
				if (bubble) opts.onOpen(bubble.id);
			},
			scales: {
				x: {
					type: 'linear',
					min: 0,
					max: 100,
					title: { display: true, text: opts.labels.severity },
					grid: { color: '#e6e8e6' }
				},
				y: {
					type: 'linear',
					min: 0,
					max: 5.5,
					ticks: {
						stepSize: 1,
						callback: (v: number | string) => (Number(v) > 5 ? '' : String(v))
					},
					title: { display: true, text: opts.labels.leverage },
					grid: { color: '#e6e8e6' }
				}
			},
			plugins: {
				legend: { display: datasets.length > 1 },
				tooltip: {
					callbacks: {
						title: (items: TooltipItem<'bubble'>[]) =>
							items.length ? (items[0].raw as MapBubble).title : '',
						label: (item: TooltipItem<'bubble'>) => {
							const b = item.raw as MapBubble;
							return [
								`${opts.labels.severity}: ${number.format(b.x)}`,
								`${opts.labels.leverage}: ${b.y || '–'}`,
								opts.labels.people(b.people == null ? null : number.format(b.people))
							];
						}
					}
				}
			}
		}
	};
}
