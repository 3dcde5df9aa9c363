import { describe, expect, it } from 'vitest';
import { inspectCsv, parseCsv } from './parse.ts';
import { bytesSource, textSource } from './source.ts';
import { collect, fixture } from './spec-helpers.ts';

describe('parseCsv: streaming', () => {
	const header = 'indicator,period,value,note\n';
	const body = Array.from(
		{ length: 500 },
		(_, i) =>
			`Indicator ${i % 7},2024-${String((i % 12) + 1).padStart(2, '0')},${i}.5,"note, with comma\nand a line break é ${i}"\n`
	).join('');
	const text = header + body;

	it('gives the same rows whatever the chunk size (multi-byte characters and quoted newlines cut)', async () => {
		const whole = await collect(textSource(text), { chunkSize: 1 << 20 });
		expect(whole.rows).toHaveLength(500);
		expect(whole.rows[3]).toEqual([
			'Indicator 3',
			'2024-04',
			'3.5',
			'note, with comma\nand a line break é 3'
		]);
		for (const chunkSize of [7, 64, 1000]) {
			const r = await collect(textSource(text), { chunkSize, batchSize: 33 });
			expect(r.rows, `chunk ${chunkSize}`).toEqual(whole.rows);
			expect(r.rowNumbers).toEqual(whole.rowNumbers);
		}
		expect(whole.rowNumbers[0]).toBe(2);
		expect(whole.rowNumbers[499]).toBe(501);
		expect(whole.end).toMatchObject({ type: 'done', summary: { rows: 500, encoding: 'utf-8' } });
	});

	it('reports progress in bytes, rising to the total, and yields batches', async () => {
		const r = await collect(textSource(text), { chunkSize: 4096, batchSize: 100 });
		const batches = r.events.filter((e) => e.type === 'rows');
		expect(batches.length).toBeGreaterThan(5);
		const fractions = batches.map((b) => (b.type === 'rows' ? b.progress.fraction : 0));
		for (let i = 1; i < fractions.length; i++)
			expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
		expect(fractions[fractions.length - 1]).toBe(1);
		for (const b of batches) if (b.type === 'rows') expect(b.rows.length).toBeLessThanOrEqual(100);
	});

	it('stops when the signal aborts', async () => {
		const ac = new AbortController();
		let batches = 0;
		await expect(async () => {
			for await (const ev of parseCsv(textSource(text), { chunkSize: 1024, signal: ac.signal })) {
				if (ev.type === 'rows' && ++batches === 2) ac.abort();
			}
		}).rejects.toThrow(/abort/i);
		expect(batches).toBe(2);
	});

	it('reads CRLF, CR-only and mixed line endings alike', async () => {
		for (const nl of ['\r\n', '\r', '\n']) {
			const r = await collect(textSource(`a,b${nl}1,"x${nl}y"${nl}2,z${nl}`));
			expect(r.rows).toEqual([
				['1', 'x\ny'],
				['2', 'z']
			]);
		}
		const mixed = await collect(textSource('Foo,Bar,Baz\r\nBiff,Baff,Boff\nQux,Tea,Doge'));
		expect(mixed.rows).toEqual([
			['Biff', 'Baff', 'Boff'],
			['Qux', 'Tea', 'Doge']
		]);
	});

	it('skips blank lines but keeps the spreadsheet row numbers', async () => {
		const r = await collect(textSource('a,b\n1,2\n\n,\n3,4\n'));
		expect(r.rows).toEqual([
			['1', '2'],
			['3', '4']
		]);
		expect(r.rowNumbers).toEqual([2, 5]);
		expect(r.end).toMatchObject({ summary: { blankRows: 2 } });
	});

	it('falls back to Windows-1252 when a legacy byte appears after the sample', async () => {
		const head = new TextEncoder().encode('a,b\n' + 'x,1\n'.repeat(20000));
		const tail = new Uint8Array([0x52, 0xe9, 0x2c, 0x32, 0x0a]); // "Ré,2"
		const all = new Uint8Array(head.length + tail.length);
		all.set(head);
		all.set(tail, head.length);
		const r = await collect(bytesSource(all), { chunkSize: 16384 });
		expect(r.rows[r.rows.length - 1]).toEqual(['Ré', '2']);
		expect(r.end).toMatchObject({
			summary: { encoding: 'windows-1252', fellBackAt: head.length + 1 }
		});
	});
});

describe('parseCsv: bad input, each a specific message', () => {
	it('empty file', async () => {
		const r = await collect(await fixture('empty.csv'));
		expect(r.end).toMatchObject({ type: 'error', error: { code: 'empty_file' } });
		const b = await collect(await fixture('blank-lines.csv'));
		expect(b.end).toMatchObject({ type: 'error', error: { code: 'empty_file' } });
	});
	it('binary files renamed .csv', async () => {
		expect((await collect(await fixture('binary-png.csv'))).end).toMatchObject({
			type: 'error',
			error: { code: 'binary_file', binaryKind: 'image' }
		});
		const x = await collect(await fixture('binary-xlsx.csv'));
		expect(x.end).toMatchObject({ error: { code: 'binary_file', binaryKind: 'zip' } });
		expect(x.end.type === 'error' && x.end.error.message).toMatch(/Excel/);
		expect((await collect(await fixture('binary-random.csv'))).end).toMatchObject({
			error: { code: 'binary_file', binaryKind: 'control-chars' }
		});
	});
	it('header-only file', async () => {
		const r = await collect(await fixture('header-only.csv'));
		expect(r.end).toMatchObject({ type: 'error', error: { code: 'header_only', row: 1 } });
		const i = await inspectCsv(await fixture('header-only.csv'));
		expect(i.ok).toBe(false);
		expect(!i.ok && i.info?.headers).toEqual(['agency', 'indicator', 'period', 'value']);
	});
	it('ragged rows: extra values rejected with the row and counts, short rows padded with a warning', async () => {
		const r = await collect(await fixture('ragged.csv'));
		expect(r.rows).toEqual([
			['On-time', '2024-01', '91.5'],
			['On-time', '2024-03', ''],
			['On-time', '2024-04', '88.0']
		]);
		expect(r.issues).toEqual([
			expect.objectContaining({
				row: 3,
				code: 'ragged_row',
				severity: 'error',
				fields: 4,
				expected: 3,
				raw: ['On-time', '2024-02', '90', '1']
			}),
			expect.objectContaining({
				row: 4,
				code: 'short_row',
				severity: 'warning',
				fields: 2,
				expected: 3
			})
		]);
		expect(r.issues[0].message).toBe(
			'Row 3 has 4 fields, expected 3 (an unquoted delimiter inside a value?).'
		);
		expect(r.end).toMatchObject({
			type: 'done',
			summary: { issueCounts: { ragged_row: 1, short_row: 1 } }
		});
	});
	it('unterminated quote: the rows before it, then an error at its row', async () => {
		const r = await collect(await fixture('unterminated-quote.csv'));
		expect(r.rows).toEqual([['On-time', '2024-01', '91.5', 'fine']]);
		expect(r.end).toMatchObject({ type: 'error', error: { code: 'unterminated_quote', row: 3 } });
	});
	it('a stray quote does not swallow a big file: the open record is capped', async () => {
		const text = 'a,b\n1,"open\n' + 'x,y\n'.repeat(5000);
		const r = await collect(textSource(text), { chunkSize: 1024, maxRecordChars: 4096 });
		expect(r.end).toMatchObject({ type: 'error', error: { code: 'unterminated_quote', row: 2 } });
		expect(r.end.type === 'error' && r.end.summary?.bytes).toBeLessThan(8192);
	});
	it('NUL bytes inside a cell are removed and reported at row and column', async () => {
		const r = await collect(await fixture('nul-bytes.csv'));
		expect(r.rows[1]).toEqual(['On-time', '2024-02', '90.1', 'padded']);
		expect(r.issues).toEqual([
			expect.objectContaining({ row: 3, column: 'note', code: 'nul_bytes' })
		]);
	});
	it('malformed quotes are a warning at the right row', async () => {
		const r = await collect(
			textSource('"Foo","Bar","Baz"\r\n"1","2","3"\r\n"1","2","3" "\r\n"4","5","6"\r\n')
		);
		expect(r.issues.some((i) => i.code === 'invalid_quotes' && i.row === 3)).toBe(true);
		expect(r.rows[r.rows.length - 1]).toEqual(['4', '5', '6']);
	});
	it('201 columns are fine; a cap applies when asked', async () => {
		const r = await collect(await fixture('wide-201-columns.csv'));
		expect(r.info?.headers).toHaveLength(201);
		expect(r.rows).toHaveLength(3);
		expect(r.rows[2][200]).toBe('3200');
		const capped = await collect(await fixture('wide-201-columns.csv'), { maxColumns: 100 });
		expect(capped.end).toMatchObject({ error: { code: 'too_many_columns' } });
	});
});

describe('inspectCsv: fixtures', () => {
	it.each([
		['utf16le-bom.csv', 'utf-16le', ',', ['indicator', 'period', 'value']],
		['utf16be-nobom.csv', 'utf-16be', ',', ['indicator', 'period', 'value']],
		['windows-1252.csv', 'windows-1252', ',', ['agency', 'indicator', 'period', 'value', 'note']],
		['semicolon-decimal-comma.csv', 'utf-8', ';', ['Indicateur', 'Mois', 'Valeur', 'Cible']],
		['tab-delimited.tsv', 'utf-8', '\t', ['indicator', 'period', 'value']],
		['pipe-delimited.csv', 'utf-8', '|', ['indicator', 'period', 'value']],
		['dup-empty-headers.csv', 'utf-8', ',', ['Name', 'Column 2', 'name (2)', 'Value', 'Column 5']]
	])('%s: %s, %j', async (name, encoding, delimiter, headers) => {
		const r = await inspectCsv(await fixture(name));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.info.encoding.encoding).toBe(encoding);
		expect(r.info.dialect.delimiter).toBe(delimiter);
		expect(r.info.headers).toEqual(headers);
	});
	it('decodes accented text from UTF-16 and Windows-1252', async () => {
		expect((await collect(await fixture('utf16le-bom.csv'))).rows[0]).toEqual([
			'Équipe réseau',
			'2024-01',
			'12.5'
		]);
		expect((await collect(await fixture('utf16be-nobom.csv'))).rows[1]).toEqual([
			'Équipe réseau',
			'2024-02',
			'13'
		]);
		const w = await collect(await fixture('windows-1252.csv'));
		expect(w.rows[0]).toEqual(['Régie', 'Délai\u00a0moyen', '2024-01', '1\u00a0234,5', 'coût 5 €']);
	});
	it('reads the same file differently when the user overrides the encoding', async () => {
		const r = await collect(await fixture('semicolon-decimal-comma.csv'), {
			encoding: 'windows-1252'
		});
		expect(r.info?.encoding.source).toBe('override');
		expect(r.rows[0][0]).toBe('DÃ©lai moyen');
	});
	it('reports title rows above the header', async () => {
		const r = await inspectCsv(await fixture('title-rows.csv'));
		expect(r.ok && r.info).toMatchObject({
			titleRows: 3,
			headerRow: 4,
			headers: ['Indicator', 'Month', 'Actual', 'Target']
		});
		const all = await collect(await fixture('title-rows.csv'));
		expect(all.rowNumbers).toEqual([5, 6, 7]);
	});
});
