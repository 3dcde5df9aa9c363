/**
 * The progress chart of an initiative: its objective's indicator against the baseline and the
 * target, with the milestones marked on the time axis. Built on `indicatorConfig` (same time axis,
 * target line and shading), with a baseline line and a milestone row added, and the axis stretched
 * from the start to the deadline so the remaining time shows.
 */
import type { ChartDataset } from 'chart.js';
import { indicatorConfig, type LineConfig } from './config.ts';
import type { ChartPoint, XY } from './series.ts';
import type { Direction } from './target.ts';
import { dayToMs } from './time.ts';

export const BASELINE_COLOUR = '#6b6f63';
export const MILESTONE_COLOUR = '#0072b2';

export interface ProgressChartInput {
	label: string;
	unit: string | null;
	direction: Direction;
	points: ChartPoint[];
	baseline: number | null;
	target: number | null;
	startDate: string;
	deadline: string | null;
	milestones: ReadonlyArray<{ title: string; due_on: string }>;
	locale: string;
	labels: { target: string; notes: string; index: string; baseline: string; milestones: string };
	reducedMotion?: boolean;
}

type Dataset = ChartDataset<'line', XY[]>;

export function progressChartConfig(input: ProgressChartInput): LineConfig {
	const config = indicatorConfig({
		series: [{ label: input.label, unit: input.unit, points: input.points }],
		direction: input.direction,
		goalTarget: input.target,
		locale: input.locale,
		labels: input.labels,
		reducedMotion: input.reducedMotion
	});
	const xs = [
		dayToMs(input.startDate),
		...(input.deadline ? [dayToMs(input.deadline)] : []),
		...input.points.map((p) => dayToMs(p.x)),
		...input.milestones.map((m) => dayToMs(m.due_on))
	].filter(Number.isFinite);
	const min = Math.min(...xs);
	const max = Math.max(...xs);
	const datasets = config.data.datasets as Dataset[];
	// The objective's own target, across the whole span (the measurements may carry none).
	const target = datasets.find((d) => d.label === input.labels.target);
	if (target && input.target !== null) {
		target.data = [
			{ x: min, y: input.target },
			{ x: max, y: input.target }
		];
		target.stepped = false;
	}
	if (input.baseline !== null) {
		datasets.push({
			type: 'line',
			label: input.labels.baseline,
			data: [
				{ x: min, y: input.baseline },
				{ x: max, y: input.baseline }
			],
			borderColor: BASELINE_COLOUR,
			backgroundColor: BASELINE_COLOUR,
			borderDash: [2, 3],
			borderWidth: 1.5,
			pointRadius: 0,
			pointHoverRadius: 0,
			normalized: true,
			order: 4
		});
	}
	if (input.milestones.length > 0) {
		// On the baseline (or the target, or the first figure): the row the eye reads dates along.
		const y = input.baseline ?? input.target ?? input.points[0]?.y ?? 0;
		datasets.push({
			type: 'line',
			label: input.labels.milestones,
			data: input.milestones.map((m) => ({ x: dayToMs(m.due_on), y })).sort((a, b) => a.x - b.x),
			showLine: false,
			pointStyle: 'triangle',
			pointRadius: 8,
			pointHoverRadius: 10,
			borderColor: '#ffffff',
			borderWidth: 1,
			backgroundColor: MILESTONE_COLOUR,
			normalized: true,
			order: 0
		});
	}
	const x = config.options!.scales!.x as { min?: number; max?: number };
	x.min = min;
	x.max = max;
	// The key explains the lines: there are several now.
	config.options!.plugins!.legend = { display: true, labels: { boxHeight: 2 } };
	return config;
}
