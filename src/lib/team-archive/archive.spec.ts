import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildArchive, readArchive, type ArchiveInput } from './archive.ts';
import { decodeCell, decodeTable, encodeCell, encodeTable } from './csv.ts';
import { chunkRows } from './upload.ts';

const agencyColumns = [
	{ name: 'id', type: 'uuid', nullable: false },
	{ name: 'name', type: 'text', nullable: false },
	{ name: 'notes', type: 'text', nullable: true },
	{ name: 'created_at', type: 'timestamp with time zone', nullable: false }
];
const agencies = [
	{
		id: '11111111-1111-4111-8111-111111111111',
		name: 'Housing Authority, "North"',
		notes: '=HYPERLINK("x")\nsecond line',
		created_at: '2026-01-02T03:04:05.123456+00:00'
	},
	{
		id: '22222222-2222-4222-8222-222222222222',
		name: "'quoted",
		notes: null,
		created_at: '2026-01-03T00:00:00+00:00'
	}
];
const measurementColumns = [
	{ name: 'id', type: 'bigint', nullable: false },
	{ name: 'value', type: 'numeric', nullable: false },
	{ name: 'target', type: 'numeric', nullable: true }
];

function input(overrides: Partial<ArchiveInput> = {}): ArchiveInput {
	return {
		appVersion: '0.1.0',
		exportedAt: new Date('2026-12-03T20:00:00Z'),
		team: { name: 'Eastside', purpose: null, focus_area: 'housing', size_cap: 8 },
		confidentialIncluded: false,
		people: [
			{ user_id: '33333333-3333-4333-8333-333333333333', display_name: 'Ella', role: 'leader' }
		],
		tables: [
			{ name: 'agencies', columns: agencyColumns, rows: agencies },
			{
				name: 'measurements',
				columns: measurementColumns,
				rows: [{ id: 7, value: '-12.500000000000000001', target: null }]
			}
		],
		...overrides
	};
}

describe('cells', () => {
	it('round-trip text a spreadsheet would run, quotes, JSON and arrays', () => {
		for (const [value, type] of [
			['=1+1', 'text'],
			['-fix', 'text'],
			["'already", 'text'],
			['plain', 'text'],
			[{ a: [1, 'b'] }, 'jsonb'],
			[['11111111-1111-4111-8111-111111111111'], '_uuid'],
			[true, 'boolean']
		] as const) {
			expect(decodeCell(encodeCell(value, type), type)).toEqual(value);
		}
		expect(encodeCell('=1+1', 'text')).toBe("'=1+1");
		expect(encodeCell(-5, 'integer')).toBe('-5');
		expect(decodeCell('', 'text')).toBeNull();
	});

	it('refuses a cell that does not fit its type', () => {
		expect(decodeCell('abc', 'uuid')).toBeUndefined();
		expect(decodeCell('1.5', 'integer')).toBeUndefined();
		expect(decodeCell('yes', 'boolean')).toBeUndefined();
		expect(decodeCell('{not json', 'jsonb')).toBeUndefined();
		expect(decodeCell('2026-13', 'date')).toBeUndefined();
	});
});

describe('tables', () => {
	it('read back what they wrote, line breaks and commas included', () => {
		const { rows, problems } = decodeTable(encodeTable(agencyColumns, agencies), agencyColumns);
		expect(problems).toEqual([]);
		expect(rows).toEqual(agencies);
	});

	it('report a header that does not match, and bad rows with their row number', () => {
		expect(decodeTable('id,title\r\n', agencyColumns).problems).toEqual([
			{ code: 'header', expected: ['id', 'name', 'notes', 'created_at'], found: ['id', 'title'] }
		]);
		const text = 'id,name,notes,created_at\r\nnope,A,,2026-01-01T00:00:00Z\r\n' + 'x,y\r\n';
		expect(decodeTable(text, agencyColumns).problems).toEqual([
			{ code: 'type', row: 2, column: 'id', type: 'uuid' },
			{ code: 'width', row: 3, expected: 4, found: 2 }
		]);
		const missing =
			'id,name,notes,created_at\r\n11111111-1111-4111-8111-111111111111,,,2026-01-01\r\n';
		expect(decodeTable(missing, agencyColumns).problems).toContainEqual({
			code: 'required',
			row: 2,
			column: 'name'
		});
	});
});

describe('archives', () => {
	it('round-trip: every table, every digit, the manifest with row counts and checksums', async () => {
		const { zip, manifest } = await buildArchive(input());
		expect(Object.keys(unzipSync(zip)).sort()).toEqual([
			'agencies.csv',
			'manifest.json',
			'measurements.csv'
		]);
		expect(manifest.tables.map((x) => [x.name, x.rows, x.imported])).toEqual([
			['agencies', 2, true],
			['measurements', 1, true]
		]);
		const read = await readArchive(zip);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.manifest).toEqual(manifest);
		expect(read.tables.get('agencies')).toEqual(agencies);
		expect(read.tables.get('measurements')).toEqual([
			{ id: '7', value: '-12.500000000000000001', target: null }
		]);
	});

	it('name a wrong file, a broken zip, a missing manifest and a newer format', async () => {
		expect(await readArchive(strToU8('%PDF-1.7'))).toEqual({
			ok: false,
			problems: [{ code: 'not_zip' }]
		});
		const { zip } = await buildArchive(input());
		expect(await readArchive(zip.slice(0, 60))).toEqual({
			ok: false,
			problems: [{ code: 'broken_zip' }]
		});
		expect((await readArchive(zipSync({ 'a.csv': strToU8('x') }))).ok).toBe(false);
		const files = unzipSync(zip);
		const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
		const newer = zipSync({
			...files,
			'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 2 }))
		});
		expect(await readArchive(newer)).toEqual({
			ok: false,
			problems: [{ code: 'newer_version', version: '2' }]
		});
		const other = zipSync({ 'manifest.json': strToU8('{"format":"other","version":1}') });
		expect(await readArchive(other)).toEqual({
			ok: false,
			problems: [{ code: 'manifest_format' }]
		});
	});

	it('refuse a tampered file by its checksum and say which one', async () => {
		const { zip } = await buildArchive(input());
		const files = unzipSync(zip);
		files['agencies.csv'] = strToU8(
			new TextDecoder().decode(files['agencies.csv']).replace('North', 'South')
		);
		const read = await readArchive(zipSync(files));
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.problems).toEqual([{ code: 'checksum', file: 'agencies.csv' }]);
	});
});

describe('upload chunks', () => {
	it('stay under the size and keep every row in order', () => {
		const rows = Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(100) }));
		const chunks = chunkRows(rows, 10_000);
		expect(chunks.length).toBeGreaterThan(10);
		for (const c of chunks) expect(JSON.stringify(c).length).toBeLessThanOrEqual(10_000);
		expect(chunks.flat()).toEqual(rows);
	});
});
