/**
 * Force-field analysis as the classic two-sided chart: one horizontal bar per force, driving forces
 * to the left of the centre line pushing toward the change, restraining forces to the right
 * holding it back, bar length = weight (1–5). Pure: only types come from chart.js.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';

export const DRIVING_COLOUR = '#1f5f4a';
export const RESTRAINING_COLOUR = '#a4262c';

export interface FieldForce {
	description: string;
	direction: 'driving' | 'restraining';
	weight: number;
}

export type ForceFieldConfig = ChartConfiguration<'bar', Array<number | null>, string>;

export function forceFieldConfig(
	forces: readonly FieldForce[],
	opts: {
		labels: { driving: string; restraining: string; weight: string };
		reducedMotion?: boolean;
	}
): ForceFieldConfig {
	// Driving forces first, strongest first on each side, so the picture reads top to bottom.
	const ordered = [...forces].sort(
		(a, b) =>
			(a.direction === b.direction ? 0 : a.direction === 'driving' ? -1 : 1) || b.weight - a.weight
	);
	const max = Math.max(5, ...ordered.map((f) => f.weight));
	return {
		type: 'bar',
		data: {
			labels: ordered.map((f) => f.description),
			datasets: [
				{
					label: opts.labels.driving,
					data: ordered.map((f) => (f.direction === 'driving' ? -f.weight : null)),
					backgroundColor: DRIVING_COLOUR,
					borderColor: DRIVING_COLOUR,
					borderWidth: 1,
					grouped: false
				},
				{
					label: opts.labels.restraining,
					data: ordered.map((f) => (f.direction === 'restraining' ? f.weight : null)),
					backgroundColor: RESTRAINING_COLOUR,
					borderColor: RESTRAINING_COLOUR,
					borderWidth: 1,
					grouped: false
				}
			]
		},
		options: {
			indexAxis: 'y',
			responsive: true,
			maintainAspectRatio: false,
			animation: opts.reducedMotion ? false : { duration: 250 },
			scales: {
				x: {
					type: 'linear',
					min: -max,
					max,
					ticks: { stepSize: 1, callback: (v: number | string) => String(Math.abs(Number(v))) },
					title: { display: true, text: opts.labels.weight },
					grid: { color: (ctx) => (ctx.tick?.value === 0 ? '#1b1f1d' : '#e6e8e6') }
				},
				y: { type: 'category', grid: { display: false } }
			},
			plugins: {
				legend: { display: true },
				tooltip: {
					callbacks: {
						label: (item: TooltipItem<'bar'>) =>
							`${item.dataset.label ?? ''}: ${Math.abs(Number(item.raw))}`
					}
				}
			}
		}
	};
}
