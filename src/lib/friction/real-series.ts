/**
 * Real public series for the friction computations' tests: Public Health Scotland's weekly A&E
 * activity (Open Government Licence v3.0, see tests/fixtures/NOTICE), as GapPoints per hospital or
 * for all of Scotland (share seen within four hours, against the four-hour standard of 95%).
 * Test-only; kept out of the app's bundles because nothing in src/routes imports it.
 */
import Papa from 'papaparse';
import type { GapPoint } from './gap.ts';

interface AeRow {
	WeekEndingDate: string;
	TreatmentLocation: string;
	NumberOfAttendancesEpisode: string;
	NumberWithin4HoursEpisode: string;
	PercentageWithin4HoursEpisode: string;
}

const day = (yyyymmdd: string) =>
	`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** The week (Monday to Sunday) ending on `end`, as a point. */
function week(end: string, value: number): GapPoint {
	const start = new Date(Date.parse(`${end}T00:00:00Z`) - 6 * 86_400_000)
		.toISOString()
		.slice(0, 10);
	return { period_start: start, period_end: end, value, target: null };
}

function rowsOf(csv: string): AeRow[] {
	return Papa.parse<AeRow>(csv, { header: true, skipEmptyLines: true }).data;
}

/** One hospital's weekly share seen within four hours, as published (one decimal). */
export function hospitalSeries(csv: string, location: string): GapPoint[] {
	return rowsOf(csv)
		.filter((r) => r.TreatmentLocation === location)
		.map((r) => week(day(r.WeekEndingDate), Number(r.PercentageWithin4HoursEpisode)))
		.sort((a, b) => a.period_end.localeCompare(b.period_end));
}

/** Scotland's weekly share seen within four hours: all sites' counts summed per week. */
export function scotlandSeries(csv: string): GapPoint[] {
	const weeks = new Map<string, [number, number]>();
	for (const r of rowsOf(csv)) {
		const w = weeks.get(r.WeekEndingDate) ?? [0, 0];
		w[0] += Number(r.NumberWithin4HoursEpisode);
		w[1] += Number(r.NumberOfAttendancesEpisode);
		weeks.set(r.WeekEndingDate, w);
	}
	return [...weeks.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([end, [within, all]]) => week(day(end), (within / all) * 100));
}

interface MtaRow {
	INDICATOR_NAME: string;
	PERIOD_YEAR: string;
	PERIOD_MONTH: string;
	MONTHLY_TARGET: string;
	MONTHLY_ACTUAL: string;
}

/** One NYC Transit indicator's monthly actuals with each month's own target, in period order. */
export function mtaSeries(csv: string, indicator: string): GapPoint[] {
	return Papa.parse<MtaRow>(csv, { header: true, skipEmptyLines: true })
		.data.filter((r) => r.INDICATOR_NAME.trim() === indicator && r.MONTHLY_ACTUAL !== '')
		.map((r) => {
			const y = Number(r.PERIOD_YEAR);
			const m = Number(r.PERIOD_MONTH);
			const start = `${y}-${String(m).padStart(2, '0')}-01`;
			const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
			return {
				period_start: start,
				period_end: end,
				value: Number(r.MONTHLY_ACTUAL),
				target: r.MONTHLY_TARGET === '' ? null : Number(r.MONTHLY_TARGET)
			};
		})
		.sort((a, b) => a.period_start.localeCompare(b.period_start));
}
