import { describe, expect, it } from 'vitest';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { blobSource } from '../csv/source.ts';
import { fixture, FIXTURES } from '../csv/spec-helpers.ts';
import { yieldToMain } from '../csv/pipeline.ts';
import type { Chunk, CompactRow } from './compact.ts';
import { inspect, run } from './core.ts';

/** A `send` that keeps what it is given (the rows as the server would receive them). */
function collector(delay = 0) {
	const chunks: CompactRow[][] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const send = async (chunk: Chunk) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await new Promise((r) => setTimeout(r, delay));
		const rows = JSON.parse(chunk.json) as CompactRow[];
		expect(rows).toHaveLength(chunk.rows);
		chunks.push(rows);
		inFlight--;
	};
	return { chunks, send, maxInFlight: () => maxInFlight };
}

describe('import run (what the worker and the main-thread mode do)', () => {
	it('inspects, then keeps the counts and the first problem rows as read, and stages the valid records', async () => {
		const src = await fixture('wizard-bad-rows.csv');
		const found = await inspect(src);
		expect(found.ok).toBe(true);
		expect(found.info?.headers).toEqual(['Indicator', 'Week ending', 'Value', 'Target']);
		const mapping = { ...found.suggestion!.mapping, constants: { agency: 'NHS' } };
		const progress: number[] = [];
		const sink = collector();
		const summary = await run(src, {}, mapping, {
			onProgress: (p) => progress.push(p.fraction),
			send: sink.send,
			chunkRows: 4
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
		// Every valid row is sent, the superseded duplicate (row 8) too: commit_import keeps the
		// last row per indicator and period, as the count of 5 says.
		expect(sink.chunks.map((c) => c.map((r) => r[10]))).toEqual([
			[2, 3, 7, 8],
			[9, 10]
		]);
		expect(sink.chunks[0][0]).toEqual([
			'NHS',
			null,
			'Attendances',
			'2024-01-07',
			'2024-01-07',
			'day',
			812,
			null,
			null,
			null,
			2
		]);
		expect(summary.staged).toBe(6);
		// The preview shows what will be imported: row 8 is gone, replaced by row 9.
		expect(summary.preview.map((r) => r.source_row)).toEqual([2, 3, 7, 9, 10]);
		expect(progress.at(-1)).toBe(1);
	});

	it('keeps ragged rows (left out by the parser) among the problem rows', async () => {
		const src = await fixture('ragged.csv');
		const found = await inspect(src);
		const summary = await run(src, {}, found.suggestion!.mapping);
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
		const sink = collector();
		const summary = await run(src, {}, found.suggestion!.mapping, { send: sink.send });
		expect(summary.fileError?.code).toBe('unterminated_quote');
		expect(summary.ok).toBe(false);
		expect(sink.chunks).toEqual([]);
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
		expect(out.records).toBe(5);
		expect(pauses).toBeGreaterThan(1);
		const controller = new AbortController();
		controller.abort();
		await expect(
			run(src, {}, found.suggestion!.mapping, { signal: controller.signal, pause: yieldToMain })
		).rejects.toThrow();
	});

	it('sends one chunk at a time and holds no more than the chunk being gathered', async () => {
		const src = await fixture('wizard-bad-rows.csv');
		const found = await inspect(src);
		const mapping = { ...found.suggestion!.mapping, constants: { agency: 'NHS' } };
		const sink = collector(20);
		const summary = await run(src, {}, mapping, { send: sink.send, chunkRows: 1, batchSize: 3 });
		expect(sink.maxInFlight()).toBe(1);
		expect(sink.chunks.flat().map((r) => r[10])).toEqual([2, 3, 7, 8, 9, 10]);
		expect(summary.staged).toBe(6);
	});

	it('stops at the first refusal, with the server’s sentence', async () => {
		const src = await fixture('wizard-bad-rows.csv');
		const found = await inspect(src);
		const mapping = { ...found.suggestion!.mapping, constants: { agency: 'NHS' } };
		let calls = 0;
		const send = async () => {
			calls++;
			await Promise.resolve();
			if (calls === 2) throw new Error('this import was cancelled: start a new one');
		};
		await expect(run(src, {}, mapping, { send, chunkRows: 1 })).rejects.toThrow(
			'this import was cancelled: start a new one'
		);
		expect(calls).toBe(2);
	});
});
