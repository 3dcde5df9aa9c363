import { describe, expect, it } from 'vitest';
import type { MeasurementRecord } from '../csv/validate.ts';
import { chunkRecords, toCompact } from './compact.ts';

const rec = (i: number, indicator = 'On-time'): MeasurementRecord => ({
	agency: 'Transit',
	program: null,
	indicator,
	period_start: '2024-01-01',
	period_end: '2024-01-31',
	grain: 'month',
	value: i,
	target: null,
	unit: '%',
	note: null,
	source_row: i + 2
});

describe('compact rows for stage_import_rows', () => {
	it('puts the fields in the rpc order, row number last', () => {
		expect(toCompact(rec(5))).toEqual([
			'Transit',
			null,
			'On-time',
			'2024-01-01',
			'2024-01-31',
			'month',
			5,
			null,
			'%',
			null,
			7
		]);
	});

	it('cuts chunks at the row limit, each a JSON array of arrays', () => {
		const chunks = [
			...chunkRecords(
				Array.from({ length: 12 }, (_, i) => rec(i)),
				5
			)
		];
		expect(chunks.map((c) => c.rows)).toEqual([5, 5, 2]);
		const rows = chunks.flatMap((c) => JSON.parse(c.json) as unknown[][]);
		expect(rows).toHaveLength(12);
		expect(rows[11][10]).toBe(13);
	});

	it('cuts chunks by bytes too, counting accented text as wider', () => {
		const ascii = [
			...chunkRecords(
				Array.from({ length: 100 }, (_, i) => rec(i)),
				5000,
				2000
			)
		];
		expect(ascii.length).toBeGreaterThan(1);
		for (const c of ascii)
			expect(new TextEncoder().encode(c.json).length).toBeLessThanOrEqual(2000);
		const long = 'Délai moyen de réponse '.repeat(10);
		const accented = [
			...chunkRecords(
				Array.from({ length: 50 }, (_, i) => rec(i, long)),
				5000,
				4000
			)
		];
		for (const c of accented)
			expect(new TextEncoder().encode(c.json).length).toBeLessThanOrEqual(4000);
	});

	it('sends a row larger than the byte limit alone rather than dropping it', () => {
		const chunks = [...chunkRecords([rec(1, 'x'.repeat(300)), rec(2)], 5000, 100)];
		expect(chunks.map((c) => c.rows)).toEqual([1, 1]);
	});

	it('gives nothing for no records', () => {
		expect([...chunkRecords([])]).toEqual([]);
	});
});
