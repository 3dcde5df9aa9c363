/**
 * The parts of chart.js the charts use, registered once. Imported only through `loadChart()`
 * (a dynamic import), so chart.js is its own chunk that pages without charts never download, and
 * only these controllers end up in it (no `chart.js/auto`).
 */
import {
	Chart,
	Decimation,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Decimation);

export { Chart };
