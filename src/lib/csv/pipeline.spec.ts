import { describe, expect, it } from 'vitest';
import { importCsv, yieldToMain } from './pipeline.ts';
import { fixture } from './spec-helpers.ts';

describe('importCsv over the fixtures (decode → parse → map → validate)', () => {
	it('long format: every row becomes a record', async () => {
		const progress: number[] = [];
		const r = await importCsv(await fixture('long-format.csv'), {
			onProgress: (p) => progress.push(p.fraction),
			pause: yieldToMain
		});
		expect(r.ok).toBe(true);
		expect(r.mapping?.columns).toEqual({
			agency: 'Agency',
			indicator: 'Indicator',
			period: 'Period',
			value: 'Value',
			target: 'Target',
			unit: 'Unit',
			note: 'Note'
		});
		expect(r.validation?.errors).toEqual([]);
		expect(r.validation?.records).toHaveLength(5);
		expect(r.validation?.records[3]).toMatchObject({
			indicator: 'Ridership',
			value: 1204331,
			target: null,
			unit: 'riders'
		});
		expect(progress[progress.length - 1]).toBe(1);
	});

	it('semicolons, decimal commas, French month names, percent and ND', async () => {
		const r = await importCsv(await fixture('semicolon-decimal-comma.csv'));
		expect(r.info?.dialect.delimiter).toBe(';');
		expect(r.mapping?.columns).toMatchObject({
			indicator: 'Indicateur',
			period: 'Mois',
			value: 'Valeur',
			target: 'Cible'
		});
		const v = r.validation!;
		expect(v.records.map((x) => [x.indicator, x.period_start, x.value, x.unit])).toEqual([
			['Délai moyen', '2024-01-01', 12.5, null],
			['Délai moyen', '2024-02-01', 1234.75, null],
			['Taux de réponse', '2024-01-01', 87.5, '%']
		]);
		expect(v.errors).toEqual([
			expect.objectContaining({ row: 4, column: 'Valeur', reason: 'missing_value', value: 'ND' })
		]);
	});

	it('title rows above the header', async () => {
		const r = await importCsv(await fixture('title-rows.csv'));
		expect(r.info?.titleRows).toBe(3);
		expect(
			r.validation?.records.map((x) => [x.source_row, x.period_start, x.value, x.target])
		).toEqual([
			[5, '2024-01-01', 120, 100],
			[6, '2024-02-01', 95, 100],
			[7, '2024-03-01', 130, 100]
		]);
	});

	it('wide by period and wide by indicator', async () => {
		const p = await importCsv(await fixture('wide-periods.csv'));
		expect(p.mapping?.melt?.by).toBe('period');
		expect(p.validation?.records).toHaveLength(5);
		expect(p.validation?.skippedBlanks).toBe(1);
		const i = await importCsv(await fixture('wide-indicators.csv'));
		expect(i.mapping?.melt?.by).toBe('indicator');
		expect(i.mapping?.columns).toEqual({ year: 'Year', month: 'Month' });
		expect(i.validation?.records.map((x) => [x.indicator, x.period_start, x.value])).toEqual([
			['Grant Amount', '2019-01-01', 446992.74],
			['Leveraged Resources', '2019-01-01', 1200000],
			['Grant Amount', '2019-02-01', 12000],
			['Leveraged Resources', '2019-02-01', -500]
		]);
	});

	it('duplicates within the file: the last row wins', async () => {
		const r = await importCsv(await fixture('duplicates.csv'));
		expect(r.validation?.records.map((x) => [x.source_row, x.value])).toEqual([
			[3, 90],
			[4, 92],
			[5, 88]
		]);
		expect(r.validation?.errors).toEqual([
			expect.objectContaining({ row: 2, reason: 'duplicate' })
		]);
	});

	it('dates that do not parse, each at its row', async () => {
		const r = await importCsv(await fixture('bad-dates.csv'));
		expect(r.validation?.records).toHaveLength(1);
		expect(r.validation?.errors.map((e) => [e.row, e.reason, e.value])).toEqual([
			[3, 'invalid_date', '2024-13-01'],
			[4, 'invalid_date', '31/02/2024'],
			[5, 'not_a_date', 'soon'],
			[6, 'missing_period', '']
		]);
	});

	it('numbers in the wrong locale are refused, not misread', async () => {
		const r = await importCsv(await fixture('wrong-locale-numbers.csv'));
		expect(r.suggestion?.decisions).toContainEqual({
			kind: 'decimal',
			column: 'value',
			basis: 'mixed'
		});
		const v = r.validation!;
		expect(v.records).toHaveLength(2);
		expect(v.counts.wrong_locale).toBe(1);
	});

	it('day/month order: settled by the column, or asked', async () => {
		const dmy = await importCsv(await fixture('mixed-dates-dmy.csv'));
		expect(dmy.validation?.records.map((x) => x.period_start)).toEqual([
			'2024-05-03',
			'2024-05-13',
			'2024-05-20'
		]);
		const amb = await importCsv(await fixture('ambiguous-dates.csv'));
		expect(amb.suggestion?.decisions).toContainEqual({
			kind: 'date_order',
			column: 'date',
			verdict: 'ambiguous'
		});
		// 05/05/2024 reads the same either way.
		expect(amb.validation?.counts.ambiguous_order).toBe(2);
		const chosen = await importCsv(await fixture('ambiguous-dates.csv'), {
			mapping: { ...amb.mapping!, settings: { ...amb.mapping!.settings, date: { order: 'dmy' } } }
		});
		expect(chosen.validation?.records.map((x) => x.period_start)).toEqual([
			'2024-05-03',
			'2024-05-04',
			'2024-05-05'
		]);
	});

	it('codes with leading zeros stay text', async () => {
		const r = await importCsv(await fixture('leading-zeros.csv'));
		expect(r.suggestion?.profiles[0].kind).toBe('code');
		expect(r.validation?.records.map((x) => [x.indicator, x.grain])).toEqual([
			['Wait time', 'quarter'],
			['Queue length', 'quarter']
		]);
	});

	it('ragged rows reach the error report with their row', async () => {
		const r = await importCsv(await fixture('ragged.csv'));
		expect(r.validation?.errors).toContainEqual(
			expect.objectContaining({ row: 3, reason: 'ragged_row' })
		);
		expect(r.issues).toContainEqual(expect.objectContaining({ row: 4, code: 'short_row' }));
	});

	it('file-level errors stop before mapping', async () => {
		for (const [name, code] of [
			['empty.csv', 'empty_file'],
			['binary-png.csv', 'binary_file'],
			['header-only.csv', 'header_only']
		]) {
			const r = await importCsv(await fixture(name));
			expect(r.ok, name).toBe(false);
			expect(r.fileError?.code, name).toBe(code);
		}
		const u = await importCsv(await fixture('unterminated-quote.csv'));
		expect(u.fileError).toMatchObject({ code: 'unterminated_quote', row: 3 });
	});

	it('UTF-16 and Windows-1252 files import with their accents', async () => {
		const u = await importCsv(await fixture('utf16le-bom.csv'));
		expect(u.validation?.records[0]).toMatchObject({ indicator: 'Équipe réseau', value: 12.5 });
		const w = await importCsv(await fixture('windows-1252.csv'));
		expect(w.validation?.records.map((x) => [x.agency, x.indicator, x.value, x.note])).toEqual([
			['Régie', 'Délai\u00a0moyen', 1234.5, 'coût 5 €'],
			['Régie', 'Délai\u00a0moyen', 1100, 'ça va']
		]);
	});
});
