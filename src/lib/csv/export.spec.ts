import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { neutralise, toCsv, type ExportColumn } from './export.ts';

type Row = { name: string; value: number | null; note?: string | null };
const cols: ExportColumn<Row>[] = [
	{ key: 'name', header: 'Name' },
	{ key: 'value', header: 'Value', type: 'number' },
	{ key: 'note', header: 'Note' }
];

describe('toCsv', () => {
	it('neutralises every formula trigger in text cells', () => {
		for (const s of ['=1+1', '+1', '-1+1', '@SUM(A1)', '\tx', '\rx', '\0x', '-fix'])
			expect(neutralise(s)).toBe(`'${s}`);
		for (const s of ['plain', '1-2', 'a=b', '', ' =1']) expect(neutralise(s)).toBe(s);
	});

	it('catches a formula followed by a line break, which papaparse escapeFormulae misses', () => {
		const evil = '=HYPERLINK("http://x")\nsecond line';
		const theirs = Papa.unparse([{ a: evil }], { escapeFormulae: true });
		expect(theirs).toContain('"=HYPERLINK'); // not escaped: the cell still starts with =
		const ours = toCsv<Row>([{ name: evil, value: 1 }], cols.slice(0, 2), { bom: false });
		expect(ours).toBe('Name,Value\r\n"\'=HYPERLINK(""http://x"")\nsecond line",1\r\n');
		expect(Papa.parse<string[]>(ours.trim()).data[1][0].startsWith("'=")).toBe(true);
	});

	it('keeps real negative numbers as numbers, but not text that looks negative', () => {
		const out = toCsv<Row>(
			[
				{ name: 'drop', value: -12.5, note: '-12' },
				{ name: 'none', value: null, note: null }
			],
			cols,
			{ bom: false }
		);
		expect(out).toBe("Name,Value,Note\r\ndrop,-12.5,'-12\r\nnone,,\r\n");
	});

	it('quotes delimiters, quotes and line breaks; adds a BOM for Excel by default', () => {
		const out = toCsv<Row>([{ name: 'a, "b"\nc', value: 1 }], cols.slice(0, 2));
		expect(out.startsWith('\ufeffName,Value\r\n')).toBe(true);
		expect(Papa.parse<string[]>(out.slice(1).trim()).data[1]).toEqual(['a, "b"\nc', '1']);
		expect(
			toCsv<Row>([{ name: 'x;y', value: 1.5 }], cols.slice(0, 2), { delimiter: ';', bom: false })
		).toBe('Name;Value\r\n"x;y";1.5\r\n');
	});

	it('neutralises headers and computed columns too', () => {
		const out = toCsv(
			[{ name: 'x', value: 2 }],
			[{ key: (r: Row) => `=${r.name}`, header: '=evil' }],
			{ bom: false }
		);
		expect(out).toBe("'=evil\r\n'=x\r\n");
	});
});
