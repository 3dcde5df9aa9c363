/**
 * Derives the demo team's indicator series from Public Health Scotland's weekly A&E activity file
 * (Open Government Licence v3.0): Scotland-wide weekly totals, in the long format the importer
 * reads. Kept so the file can be made again from a newer extract:
 *
 *   npx tsx scripts/derive-demo-data.ts [source.csv] [out.csv]
 *
 * Defaults: ../shared/data/performance/phs_scotland__weekly_ae_activity_20230625.csv →
 * supabase/seed-data/phs_scotland_ae_weekly.csv. Credit: supabase/seed-data/NOTICE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const DEMO_AGENCY = 'NHS Scotland A&E services';
export const SEEN_WITHIN_4_HOURS = 'Patients seen within 4 hours';
export const ATTENDANCES = 'Attendances';

const DEFAULT_SOURCE = '../shared/data/performance/phs_scotland__weekly_ae_activity_20230625.csv';
const DEFAULT_OUT = 'supabase/seed-data/phs_scotland_ae_weekly.csv';

/** One line of the source: quoted or bare fields, no commas inside them (checked). */
function fields(line: string): string[] {
	return line.split(',').map((f) => f.replace(/^"(.*)"$/, '$1'));
}

export function derive(source: string): string {
	const lines = source
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.filter((l) => l.trim() !== '');
	const header = fields(lines[0]);
	const col = (name: string) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`the source has no ${name} column`);
		return i;
	};
	const week = col('WeekEndingDate');
	const attendances = col('NumberOfAttendancesEpisode');
	const within = col('NumberWithin4HoursEpisode');
	const totals = new Map<string, { attendances: number; within: number }>();
	for (const [n, line] of lines.slice(1).entries()) {
		const f = fields(line);
		if (f.length !== header.length) throw new Error(`line ${n + 2} has ${f.length} fields`);
		const w = f[week];
		if (!/^\d{8}$/.test(w)) throw new Error(`line ${n + 2}: week ending ${w} is not YYYYMMDD`);
		const a = Number(f[attendances]);
		const x = Number(f[within]);
		if (!Number.isFinite(a) || !Number.isFinite(x)) throw new Error(`line ${n + 2}: not a number`);
		const t = totals.get(w) ?? { attendances: 0, within: 0 };
		t.attendances += a;
		t.within += x;
		totals.set(w, t);
	}
	const out = ['agency,indicator,week_ending,value,target,unit'];
	for (const w of [...totals.keys()].sort()) {
		const t = totals.get(w)!;
		const date = `${w.slice(0, 4)}-${w.slice(4, 6)}-${w.slice(6, 8)}`;
		const share = t.attendances ? Math.round((t.within / t.attendances) * 1000) / 10 : 0;
		out.push(`${DEMO_AGENCY},${SEEN_WITHIN_4_HOURS},${date},${share.toFixed(1)},95,%`);
		out.push(`${DEMO_AGENCY},${ATTENDANCES},${date},${t.attendances},,attendances`);
	}
	return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [source = DEFAULT_SOURCE, target = DEFAULT_OUT] = process.argv.slice(2);
	const csv = derive(readFileSync(source, 'utf8'));
	writeFileSync(target, csv);
	console.log(`${target}: ${csv.split('\n').length - 2} rows`);
}
