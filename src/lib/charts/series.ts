/**
 * Series as pages hand them to the charts (dates as 'YYYY-MM-DD'), and the pure transforms the
 * chart, its data table and its summary share: sorted {x, y} data that chart.js can use without
 * parsing, the target line, noted points, figures for the screen-reader summary, table rows and
 * the indexed ("first value = 100") form used when units differ.
 */
import { type Direction, type TargetStatus, targetStatus } from './target.ts';
import { dayToMs, formatPeriod } from './time.ts';

export interface ChartPoint {
	/** The date the value is plotted at, 'YYYY-MM-DD' (usually the period's end). */
	x: string;
	y: number;
	/** Start of the period when it is longer than a day, for the table. */
	start?: string | null;
	target?: number | null;
	note?: string | null;
}

export interface ChartSeries {
	label: string;
	unit?: string | null;
	points: ChartPoint[];
}

export interface XY {
	x: number;
	y: number;
}

export interface NotedXY extends XY {
	note: string;
	date: string;
}

function byX<T extends { x: number }>(a: T, b: T): number {
	return a.x - b.x;
}

function sorted<T extends { x: number }>(rows: T[]): T[] {
	for (let i = 1; i < rows.length; i++) {
		if (rows[i].x < rows[i - 1].x) return rows.sort(byX);
	}
	return rows;
}

/** The points as sorted {x: epoch ms, y}, dropping undated or non-numeric ones. */
export function xyData(points: readonly ChartPoint[]): XY[] {
	const out: XY[] = [];
	for (const p of points) {
		const x = dayToMs(p.x);
		if (Number.isFinite(x) && typeof p.y === 'number' && Number.isFinite(p.y))
			out.push({ x, y: p.y });
	}
	return sorted(out);
}

/** The points that carry a note: drawn highlighted, listed under the chart. */
export function notedPoints(points: readonly ChartPoint[]): NotedXY[] {
	const out: NotedXY[] = [];
	for (const p of points) {
		const note = p.note?.trim();
		const x = dayToMs(p.x);
		if (note && Number.isFinite(x) && Number.isFinite(p.y))
			out.push({ x, y: p.y, note, date: p.x });
	}
	return sorted(out);
}

/**
 * The target line: the measurements' own targets where they have them (a step line that follows
 * changes of target), else the goal's target across the whole series, else nothing.
 */
export function targetLine(points: readonly ChartPoint[], goalTarget?: number | null): XY[] {
	const own: XY[] = [];
	for (const p of points) {
		const x = dayToMs(p.x);
		if (p.target != null && Number.isFinite(p.target) && Number.isFinite(x))
			own.push({ x, y: p.target });
	}
	if (own.length > 0) return sorted(own);
	if (goalTarget == null || !Number.isFinite(goalTarget)) return [];
	const xs = xyData(points);
	if (xs.length === 0) return [];
	return [
		{ x: xs[0].x, y: goalTarget },
		{ x: xs[xs.length - 1].x, y: goalTarget }
	];
}

/** The target the shading and the summary use: the latest measurement's own, else the goal's. */
export function currentTarget(
	points: readonly ChartPoint[],
	goalTarget?: number | null
): number | null {
	let latest: { x: number; target: number } | null = null;
	for (const p of points) {
		const x = dayToMs(p.x);
		if (p.target != null && Number.isFinite(p.target) && (!latest || x >= latest.x))
			latest = { x, target: p.target };
	}
	if (latest) return latest.target;
	return goalTarget != null && Number.isFinite(goalTarget) ? goalTarget : null;
}

export interface SeriesStats {
	count: number;
	first: ChartPoint;
	last: ChartPoint;
	min: ChartPoint;
	max: ChartPoint;
}

/** What the screen-reader summary says: how many points, over which dates, latest, lowest, highest. */
export function seriesStats(points: readonly ChartPoint[]): SeriesStats | null {
	const valid = points.filter((p) => Number.isFinite(dayToMs(p.x)) && Number.isFinite(p.y));
	if (valid.length === 0) return null;
	let first = valid[0];
	let last = valid[0];
	let min = valid[0];
	let max = valid[0];
	for (const p of valid) {
		if (p.x < first.x) first = p;
		if (p.x >= last.x) last = p;
		if (p.y < min.y) min = p;
		if (p.y > max.y) max = p;
	}
	return { count: valid.length, first, last, min, max };
}

/** A number as the viewer writes it, with the unit ("92.5%", "1,204 patients"). */
export function formatValue(
	value: number | null | undefined,
	unit: string | null | undefined,
	locale: string
): string {
	if (value == null || !Number.isFinite(value)) return '';
	const text = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
	if (!unit) return text;
	return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** A column of the table view (DataTable). */
export interface TableColumn {
	key: string;
	label: string;
	/** Right-aligned, for figures. */
	numeric?: boolean;
}

export interface TableRow {
	/** 'YYYY-MM-DD' start of the period (same as date for a single day). */
	start: string;
	series: string;
	unit: string | null;
	/** 'YYYY-MM-DD', for sorting and CSV. */
	date: string;
	period: string;
	value: number;
	target: number | null;
	status: TargetStatus;
	note: string | null;
}

/** One row per point, series after series, in date order: the chart's table view and CSV. */
export function tableRows(
	series: readonly ChartSeries[],
	direction: Direction,
	locale: string,
	goalTarget?: number | null
): TableRow[] {
	const rows: TableRow[] = [];
	for (const s of series) {
		const points = [...s.points]
			.filter((p) => Number.isFinite(dayToMs(p.x)) && Number.isFinite(p.y))
			.sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : 0));
		for (const p of points) {
			const target = p.target ?? goalTarget ?? null;
			rows.push({
				series: s.label,
				unit: s.unit ?? null,
				date: p.x,
				start: p.start ?? p.x,
				period: formatPeriod(p.start ?? p.x, p.x, locale),
				value: p.y,
				target,
				status: targetStatus(p.y, target, direction),
				note: p.note?.trim() || null
			});
		}
	}
	return rows;
}

/**
 * Each series as an index of its first non-zero value (= 100), so series in different units can
 * share one axis. A series with no non-zero value cannot be indexed and comes back empty.
 */
export function indexSeries(points: readonly XY[]): XY[] {
	const base = points.find((p) => p.y !== 0)?.y;
	if (base === undefined) return [];
	return points.map((p) => ({ x: p.x, y: (p.y / base) * 100 }));
}

/** Whether series need indexing to share an axis: they are in more than one unit. */
export function unitsDiffer(series: readonly ChartSeries[]): boolean {
	return new Set(series.map((s) => (s.unit ?? '').trim().toLowerCase())).size > 1;
}
