import { describe, expect, it } from 'vitest';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { blobSource } from '../csv/source.ts';
import { fixture, FIXTURES } from '../csv/spec-helpers.ts';
import { yieldToMain } from '../csv/pipeline.ts';
import { inspect, run } from './core.ts';

describe('import run (what the worker and the main-thread mode do)', () => {
	it('inspects, then keeps the counts, the first problem rows as read and the valid records', async () => {
		const src = await fixture('wizard-bad-rows.csv');
		const found = await inspect(src);
		expect(found.ok).toBe(true);
		expect(found.info?.headers).toEqual(['Indicator', 'Week ending', 'Value', 'Target']);
		const mapping = { ...found.suggestion!.mapping, constants: { agency: 'NHS' } };
		const progress: number[] = [];
		const { summary, records } = await run(src, {}, mapping, {
			onProgress: (p) => progress.push(p.fraction)
		});
		expect(summary.ok).toBe(true);
		expect([summary.rows, summary.records, summary.rejectedRows]).toEqual([9, 5, 4]);
		expect(summary.counts).toEqual({
			not_a_date: 1,
			not_a_number: 1,
			missing_value: 1,
			duplicate: 1
		});
		expect(summary.problemRows).toEqual([
			{ row: 4, cells: ['Attendances', 'soon', '805', ''] },
			{ row: 5, cells: ['Attendances', '2024-01-28', 'lots', ''] },
			{ row: 6, cells: ['Attendances', '2024-02-04', '', ''] }
		]);
		expect(summary.indicators).toEqual([
			{ agency: 'NHS', indicator: 'Attendances' },
			{ agency: 'NHS', indicator: 'Seen within 4 hours' }
		]);
		expect(records.map((r) => r.source_row)).toEqual([2, 3, 7, 9, 10]);
		expect(summary.preview).toHaveLength(5);
		expect(progress.at(-1)).toBe(1);
	});

	it('keeps ragged rows (left out by the parser) among the problem rows', async () => {
		const src = await fixture('ragged.csv');
		const found = await inspect(src);
		const { summary } = await run(src, {}, found.suggestion!.mapping);
		expect(summary.counts.ragged_row).toBe(1);
		expect(summary.problemRows.map((p) => p.row)).toContain(3);
		expect(summary.problemRows.find((p) => p.row === 3)?.cells).toEqual([
			'On-time',
			'2024-02',
			'90',
			'1'
		]);
	});

	it('says what is wrong with a file that cannot be imported', async () => {
		expect((await inspect(await fixture('empty.csv'))).error?.code).toBe('empty_file');
		expect((await inspect(await fixture('header-only.csv'))).error?.code).toBe('header_only');
		const bin = await inspect(await fixture('binary-xlsx.csv'));
		expect(bin.error).toMatchObject({ code: 'binary_file', binaryKind: 'zip' });
		const src = await fixture('unterminated-quote.csv');
		const found = await inspect(src);
		const { summary, records } = await run(src, {}, found.suggestion!.mapping);
		expect(summary.fileError?.code).toBe('unterminated_quote');
		expect(records).toEqual([]);
	});

	it('main-thread mode: slices with pauses and stops when aborted', async () => {
		const src = blobSource(await openAsBlob(join(FIXTURES, 'long-format.csv')));
		const found = await inspect(src);
		let pauses = 0;
		const out = await run(src, {}, found.suggestion!.mapping, {
			pause: () => {
				pauses++;
				return yieldToMain();
			},
			slice: 1,
			chunkSize: 64,
			batchSize: 2
		});
		expect(out.summary.records).toBe(5);
		expect(pauses).toBeGreaterThan(1);
		const controller = new AbortController();
		controller.abort();
		await expect(
			run(src, {}, found.suggestion!.mapping, { signal: controller.signal, pause: yieldToMain })
		).rejects.toThrow();
	});
});
