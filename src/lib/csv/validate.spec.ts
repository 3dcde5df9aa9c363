import { describe, expect, it } from 'vitest';
import type { Mapping } from './mapping.ts';
import { createValidator, hashKey, RowByHash, type MeasurementRecord } from './validate.ts';

const long: Mapping = {
	format: 'long',
	columns: {
		agency: 'agency',
		indicator: 'indicator',
		period: 'period',
		value: 'value',
		target: 'target',
		note: 'note'
	}
};
const headers = ['agency', 'indicator', 'period', 'value', 'target', 'note'];

function run(rows: string[][], mapping = long, h = headers) {
	const v = createValidator(h, mapping);
	v.push(
		rows,
		rows.map((_, i) => i + 2)
	);
	return v.finish();
}

describe('createValidator: long format', () => {
	it('turns good rows into measurement records', () => {
		const r = run([
			['Transit', 'On-time', '2024-01', '91.5', '90', ''],
			['Transit', 'Ridership', 'Q1 2024', '1,204,331', '', 'snow']
		]);
		expect(r.errors).toEqual([]);
		expect(r.records).toEqual([
			{
				agency: 'Transit',
				program: null,
				indicator: 'On-time',
				period_start: '2024-01-01',
				period_end: '2024-01-31',
				grain: 'month',
				value: 91.5,
				target: 90,
				unit: null,
				note: null,
				source_row: 2
			},
			{
				agency: 'Transit',
				program: null,
				indicator: 'Ridership',
				period_start: '2024-01-01',
				period_end: '2024-03-31',
				grain: 'quarter',
				value: 1204331,
				target: null,
				unit: null,
				note: 'snow',
				source_row: 3
			}
		]);
	});

	it('reports each problem at its row and column, with counts by reason', () => {
		const r = run([
			['Transit', 'On-time', '2024-13-01', '91.5', '', ''],
			['Transit', 'On-time', 'soon', 'abc', '', ''],
			['Transit', '', '2024-02', 'ND', '', ''],
			['Transit', 'On-time', '', '12,5', 'x', '']
		]);
		expect(r.records).toEqual([]);
		expect(r.rejectedRows).toBe(4);
		expect(r.errors.map((e) => [e.row, e.column, e.reason, e.value])).toEqual([
			[2, 'period', 'invalid_date', '2024-13-01'],
			[3, 'period', 'not_a_date', 'soon'],
			[3, 'value', 'not_a_number', 'abc'],
			[4, 'indicator', 'missing_indicator', ''],
			[4, 'value', 'missing_value', 'ND'],
			[5, 'period', 'missing_period', ''],
			[5, 'value', 'wrong_locale', '12,5'],
			[5, 'target', 'not_a_number', 'x']
		]);
		expect(r.counts).toEqual({
			invalid_date: 1,
			not_a_date: 1,
			not_a_number: 2,
			missing_indicator: 1,
			missing_value: 1,
			missing_period: 1,
			wrong_locale: 1
		});
		expect(r.errors[0].message).toBe(
			'"2024-13-01" in "period" is not a real date (no such day or month).'
		);
	});

	it('keeps the last of in-file duplicates and reports the earlier one', () => {
		const r = run([
			['Transit', 'On-time', '2024-01', '91.5', '', ''],
			['Transit', 'On-time', '2024-02', '90', '', ''],
			['Transit', 'on-time', '2024-01-01', '92', '', ''], // a day, not the month: not a duplicate
			['Transit', 'On-time', 'Jan 2024', '93', '', '']
		]);
		expect(r.records.map((x) => [x.source_row, x.value])).toEqual([
			[3, 90],
			[4, 92],
			[5, 93]
		]);
		expect(r.errors).toEqual([
			expect.objectContaining({ row: 2, reason: 'duplicate', column: null })
		]);
		expect(r.errors[0].value).toContain('row 5');
		expect(r.counts.duplicate).toBe(1);
	});

	it('hands records out one by one without keeping them, still finding duplicates', () => {
		const out: [number, number | null][] = [];
		const kept: MeasurementRecord[] = [];
		const v = createValidator(headers, long, {
			keepRecords: false,
			onRecord: (rec, supersedes) => {
				out.push([rec.source_row, supersedes]);
				kept.push(rec);
			}
		});
		const rows = [
			['Transit', 'On-time', '2024-01', '91.5', '', ''],
			['Transit', 'On-time', '2024-02', '90', '', ''],
			['Transit', 'On-time', '2024-03', 'lots', '', ''],
			['TRANSIT', 'on-time', 'Jan 2024', '93', '', '']
		];
		expect(v.push(rows, [2, 3, 4, 5])).toEqual({ records: 3, errors: 1 });
		const r = v.finish();
		expect(out).toEqual([
			[2, null],
			[3, null],
			[5, 2]
		]);
		expect(kept.map((x) => x.value)).toEqual([91.5, 90, 93]);
		expect(r.records).toEqual([]);
		expect(r.recordCount).toBe(2);
		expect(r.rejectedRows).toBe(2);
		expect(r.errors.map((e) => [e.row, e.reason])).toEqual([
			[2, 'duplicate'],
			[4, 'not_a_number']
		]);
		// The same answers as when the records are kept.
		const same = run(rows);
		expect(same.recordCount).toBe(2);
		expect(same.errors).toEqual(r.errors);
	});

	it('hashes keys to distinct safe integers', () => {
		const seen = new Set<number>();
		let unsafe = 0;
		for (let i = 0; i < 200_000; i++) {
			const h = hashKey(`agency\u001findicator ${i % 500}\u001f2024-01-${i}\u001f2024-01-${i}`);
			if (!Number.isSafeInteger(h) || h < 0) unsafe++;
			seen.add(h);
		}
		expect(unsafe).toBe(0);
		expect(seen.size).toBe(200_000);
		expect(hashKey('a')).toBe(hashKey('a'));
		expect(hashKey('ab')).not.toBe(hashKey('ba'));
	});

	it('keeps the row per hashed key across growth', () => {
		const t = new RowByHash();
		let fresh = 0;
		for (let i = 0; i < 20_000; i++) if (t.swap(hashKey(`k${i}`), i + 2) === 0) fresh++;
		expect([fresh, t.size]).toEqual([20_000, 20_000]);
		expect(t.swap(hashKey('k0'), 99)).toBe(2);
		expect(t.swap(hashKey('k19999'), 100)).toBe(20_001);
		expect(t.swap(hashKey('k0'), 101)).toBe(99);
		expect(t.size).toBe(20_000);
	});

	it('counts a wide row whose values are all superseded as one rejected row', () => {
		const wide: Mapping = {
			format: 'wide',
			columns: { period: 'period' },
			melt: {
				by: 'indicator',
				values: [
					{ column: 'a', indicator: 'a' },
					{ column: 'b', indicator: 'b' }
				]
			}
		};
		const r = run(
			[
				['2024-01', '1', '2'],
				['2024-01', '3', '4']
			],
			wide,
			['period', 'a', 'b']
		);
		expect(r.counts.duplicate).toBe(2);
		expect(r.rows).toBe(2);
		expect(r.rejectedRows).toBe(1);
		expect(r.records.map((x) => x.value)).toEqual([3, 4]);
	});

	it('uses column settings: decimal comma, date order, fiscal start, constants', () => {
		const m: Mapping = {
			format: 'long',
			columns: { indicator: 'indicator', period: 'period', value: 'value' },
			constants: { agency: 'Mairie' },
			settings: { value: { decimal: 'comma' }, period: { order: 'dmy' } }
		};
		const r = run([['Délai', '03/05/2024', '1.234,5']], m, ['indicator', 'period', 'value']);
		expect(r.records[0]).toMatchObject({
			agency: 'Mairie',
			period_start: '2024-05-03',
			value: 1234.5
		});
		const amb = run([['Délai', '03/05/2024', '1']], { ...m, settings: {} }, [
			'indicator',
			'period',
			'value'
		]);
		expect(amb.errors[0].reason).toBe('ambiguous_order');
		const fy = run([['x', 'FY2024', '1']], { ...m, settings: {}, fiscalYearStartMonth: 4 }, [
			'indicator',
			'period',
			'value'
		]);
		expect(fy.records[0]).toMatchObject({
			period_start: '2023-04-01',
			period_end: '2024-03-31',
			grain: 'fiscal_year'
		});
	});

	it('builds periods from year and month columns and keeps codes as text', () => {
		const m: Mapping = {
			format: 'long',
			columns: { indicator: 'code', year: 'y', month: 'm', value: 'v' }
		};
		const r = run(
			[
				['00123', '2018', '7', '5'],
				['00123', '2018', 'August', '12%']
			],
			m,
			['code', 'y', 'm', 'v']
		);
		expect(
			r.records.map((x) => [x.indicator, x.period_start, x.period_end, x.value, x.unit])
		).toEqual([
			['00123', '2018-07-01', '2018-07-31', 5, null],
			['00123', '2018-08-01', '2018-08-31', 12, '%']
		]);
	});

	it('rejects text longer than the schema allows', () => {
		const r = run([['Transit', 'x'.repeat(400), '2024-01', '1', '', '']]);
		expect(r.errors).toEqual([
			expect.objectContaining({ reason: 'too_long', column: 'indicator', row: 2 })
		]);
	});

	it('records rows the parser rejected', () => {
		const v = createValidator(headers, long);
		v.pushParseErrors([{ row: 7, message: 'x', fields: 8, expected: 6 }]);
		const r = v.finish();
		expect(r.errors).toEqual([
			expect.objectContaining({ row: 7, reason: 'ragged_row', value: '8 fields, expected 6' })
		]);
		expect(r.rejectedRows).toBe(1);
	});

	it('refuses a mapping naming a column the file does not have', () => {
		expect(() => createValidator(['a'], long)).toThrow(/not in the file/);
	});
});

describe('createValidator: wide format', () => {
	it('melts one column per period, skipping blank cells', () => {
		const m: Mapping = {
			format: 'wide',
			columns: { indicator: 'Indicator' },
			melt: {
				by: 'period',
				values: [
					{ column: '2022', period: { start: '2022-01-01', end: '2022-12-31', grain: 'year' } },
					{ column: '2023', period: { start: '2023-01-01', end: '2023-12-31', grain: 'year' } }
				]
			}
		};
		const v = createValidator(['Indicator', '2022', '2023'], m);
		v.push(
			[
				['Trees', '1,350', 'N/A'],
				['Closed', '84%', 'lots']
			],
			[2, 3]
		);
		const r = v.finish();
		expect(r.records.map((x) => [x.indicator, x.period_start, x.value, x.unit])).toEqual([
			['Trees', '2022-01-01', 1350, null],
			['Closed', '2022-01-01', 84, '%']
		]);
		expect(r.skippedBlanks).toBe(1);
		expect(r.errors).toEqual([
			expect.objectContaining({ row: 3, column: '2023', reason: 'not_a_number' })
		]);
	});
	it('melts one column per indicator', () => {
		const m: Mapping = {
			format: 'wide',
			columns: { period: 'Year-Month' },
			melt: {
				by: 'indicator',
				values: [
					{ column: 'Grants', indicator: 'Grants' },
					{ column: 'Leveraged', indicator: 'Leveraged resources' }
				]
			}
		};
		const v = createValidator(['Year-Month', 'Grants', 'Leveraged'], m);
		v.push([['2011-01', '$446,992.74', '($500.00)']], [2]);
		expect(v.finish().records.map((x) => [x.indicator, x.period_start, x.value])).toEqual([
			['Grants', '2011-01-01', 446992.74],
			['Leveraged resources', '2011-01-01', -500]
		]);
	});
});
