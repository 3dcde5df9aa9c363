import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | null = null;

/** chart.js, fetched the first time a chart is drawn on the page and reused afterwards. */
export function loadChart(): Promise<typeof Chart> {
	loading ??= import('./chartjs.ts').then((mod) => mod.Chart);
	return loading;
}
