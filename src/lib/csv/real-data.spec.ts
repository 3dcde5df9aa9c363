/**
 * The pipeline over real public files: the small copies in tests/fixtures/real (always), and every
 * file of the shared sample set in ../shared/data when it is present on this machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from './pipeline.ts';
import { FIXTURES, SHARED_DATA, fileSource, hasSharedData } from './spec-helpers.ts';

const REAL = join(FIXTURES, '../real');

describe('real files committed as fixtures', () => {
	it('French barometer (Licence Ouverte): 59 indicators mapped from French headers', async () => {
		const r = await importCsv(
			await fileSource(join(REAL, 'fr_barometre__barometre-resultats-synthese-national.csv'))
		);
		expect(r.ok).toBe(true);
		expect(r.parse?.rows).toBe(59);
		expect(r.mapping?.columns).toMatchObject({
			indicator: 'indicateur',
			value: 'valeur_actuelle',
			period: 'date_valeur_actuelle',
			target: 'cible',
			unit: 'unite'
		});
		const v = r.validation!;
		expect(v.records.length + v.rejectedRows).toBe(59);
		expect(v.records.filter((x) => x.target === null).length).toBeGreaterThan(0);
		expect(v.records.every((x) => x.grain === 'day')).toBe(true);
	});

	it('Public Health Scotland A&E (OGL, first 200 rows): YYYYMMDD weeks, one column per indicator', async () => {
		const r = await importCsv(
			await fileSource(join(REAL, 'phs_scotland__weekly_ae_activity_20230625.first200.csv'))
		);
		expect(r.parse?.rows).toBe(200);
		expect(r.mapping?.columns.period).toBe('WeekEndingDate');
		expect(r.mapping?.columns.agency).toBeUndefined();
		expect(r.mapping?.melt?.by).toBe('indicator');
		expect(r.mapping?.melt?.values.map((v) => v.column)).toContain('PercentageWithin4HoursEpisode');
		expect(r.validation?.records[0]).toMatchObject({ grain: 'day', period_start: '2015-02-22' });
	});

	it('ONS weekly deaths (Excel-derived, NA everywhere) goes through without a crash', async () => {
		const r = await importCsv(
			await fileSource(join(REAL, 'ons_via_nhsr__2016Mortality-Weekly_figures_2016.csv'))
		);
		expect(r.ok).toBe(true);
		expect(r.info?.headers).toHaveLength(54);
		expect(r.parse?.rows).toBe(67);
	});

	it('UTF-16 LE with BOM, Latin-1, and prototype-polluting header names', async () => {
		const u = await importCsv(await fileSource(join(REAL, 'csvkit__test_utf16_little.csv')));
		expect(u.info?.encoding).toMatchObject({ encoding: 'utf-16le', source: 'bom' });
		expect(u.info?.headers).toEqual(['a', 'b', 'c']);
		const l = await importCsv(await fileSource(join(REAL, 'csvkit__test_latin1.csv')));
		expect(l.parse?.encoding).toBe('windows-1252');
		const p = await importCsv(await fileSource(join(REAL, 'papaparse__poisoned-sample.csv')));
		expect(p.info?.headers).toEqual(['__proto__', 'toString', 'valueOf', '__proto__ (2)']);
		expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
	});
});

interface ManifestEntry {
	dest: string;
	encoding: string;
	delimiter: 'comma' | 'semicolon' | 'tab' | 'pipe';
	data_rows: number;
	header: string[];
}
const DELIMS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;

// The shared sample set lives beside the repository and is not part of it: on machines (and CI)
// without it these tests are skipped, and the committed copies above still run.
describe.skipIf(!hasSharedData)(
	'shared sample data (../shared/data): every file imports sensibly',
	() => {
		const manifest: ManifestEntry[] = hasSharedData
			? JSON.parse(readFileSync(join(SHARED_DATA, 'MANIFEST.json'), 'utf8'))
			: [];
		const files = manifest.filter(
			(m) => /^(performance|service_requests|messy)\//.test(m.dest) && m.dest.endsWith('.csv')
		);

		it('finds the expected files', () => {
			const onDisk = ['performance', 'service_requests'].flatMap((d) =>
				readdirSync(join(SHARED_DATA, d))
			);
			expect(onDisk.length).toBeGreaterThanOrEqual(9);
			expect(files.length).toBeGreaterThanOrEqual(50);
		});

		it.each(files.map((m) => [m.dest, m] as const))('%s', async (_name, m) => {
			const r = await importCsv(await fileSource(join(SHARED_DATA, m.dest)));
			expect(r.fileError).toBeUndefined();
			expect(r.ok).toBe(true);
			const info = r.info!;
			const enc = r.parse!.encoding;
			if (m.encoding.startsWith('non-UTF-8')) expect(enc).toBe('windows-1252');
			else if (m.encoding.startsWith('UTF-16LE')) expect(enc).toBe('utf-16le');
			else expect(enc).toBe('utf-8');
			if (m.encoding.includes('BOM')) expect(info.encoding.bomLength).toBeGreaterThan(0);
			expect(info.dialect.delimiter).toBe(DELIMS[m.delimiter]);
			// Every record is accounted for: a data row, a blank row, a ragged row, or a title row
			// (the manifest counts title rows as data under a first-line "header").
			const counts = r.parse!;
			expect(
				counts.rows + counts.blankRows + (counts.issueCounts.ragged_row ?? 0) + info.titleRows
			).toBe(m.data_rows);
			if (info.titleRows === 0) expect(info.rawHeaders.slice(0, m.header.length)).toEqual(m.header);
			const v = r.validation!;
			expect(v.rows).toBe(counts.rows + (counts.issueCounts.ragged_row ?? 0));
		});

		it('MTA NYC Transit: Windows-1252 found mid-file, year + month columns, every row a record', async () => {
			const r = await importCsv(
				await fileSource(join(SHARED_DATA, 'performance/mta_nyct__Performance_NYCT.csv'))
			);
			expect(r.info?.encoding.source).toBe('ascii');
			expect(r.parse?.encoding).toBe('windows-1252');
			expect(r.parse?.fellBackAt).toBe(344926);
			expect(r.mapping?.columns).toMatchObject({
				agency: 'AGENCY_NAME',
				indicator: 'INDICATOR_NAME',
				year: 'PERIOD_YEAR',
				month: 'PERIOD_MONTH',
				value: 'MONTHLY_ACTUAL',
				target: 'MONTHLY_TARGET',
				unit: 'INDICATOR_UNIT'
			});
			expect(r.validation?.records).toHaveLength(9213);
			expect(r.validation?.rejectedRows).toBe(0);
		});

		it('Canada service standards: fiscal years "2017-2018", BOM, bilingual headers', async () => {
			const r = await importCsv(
				await fileSource(join(SHARED_DATA, 'performance/gc_canada__2017-2018_standards.csv')),
				{ fiscalYearStartMonth: 4 }
			);
			expect(r.mapping?.columns).toMatchObject({
				period: 'fiscal_yr',
				value: 'performance',
				target: 'service_std_target',
				agency: 'department_name_en'
			});
			expect(r.suggestion?.decisions).toContainEqual({
				kind: 'fiscal_year_start',
				column: 'fiscal_yr'
			});
			expect(r.validation?.records[0]).toMatchObject({
				period_start: '2017-04-01',
				period_end: '2018-03-31',
				grain: 'fiscal_year'
			});
		});

		it('Chicago SBIF: BOM, quoted money, one column per indicator', async () => {
			const r = await importCsv(
				await fileSource(
					join(
						SHARED_DATA,
						'performance/chicago__Performance_Metrics_-_Housing___Economic_Development_-_Small_Business_Improvement_Fund__SBIF_.csv'
					)
				)
			);
			expect(r.mapping?.melt?.values.map((v) => v.column)).toEqual([
				'Grant Amount',
				'Leveraged Resources'
			]);
			expect(r.validation?.records).toHaveLength(196);
		});
	}
);
