/**
 * The parts of chart.js the charts use, registered once. Imported only through `loadChart()`
 * (a dynamic import), so chart.js is its own chunk that pages without charts never download, and
 * only these controllers end up in it (no `chart.js/auto`).
 */
import {
	BarController,
	BarElement,
	BubbleController,
	CategoryScale,
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
// The friction map (bubbles) and the force-field chart (horizontal bars on a category axis).
Chart.register(BubbleController, BarController, BarElement, CategoryScale);

export { Chart };
