import { describe, expect, it } from 'vitest';
import { createNewlineNormaliser, detectNewline, normaliseHeaders, sniff } from './sniff.ts';

describe('sniff: delimiter', () => {
	it.each([
		[',', 'a,b,c\n1,2,3\n4,5,6\n'],
		[';', 'a;b;c\n1,5;2,25;3\n4;5,5;6\n'],
		['\t', 'name\tnote\nx\tone, two, three\ny\tfour, five\n'],
		['|', 'a|b|c\n1|2|3\n']
	])('finds %j by consistent field counts', (delim, text) => {
		const s = sniff(text, { complete: true });
		expect(s.dialect.delimiter).toBe(delim);
		expect(s.delimiterDetected).toBe(true);
		expect(s.consistency).toBe(1);
	});
	it('respects quotes: commas inside quoted values do not count', () => {
		const s = sniff('a;b\n"x, y, z";1\n"p, q";2\n', { complete: true });
		expect(s.dialect.delimiter).toBe(';');
		expect(s.sampleRows).toEqual([
			['x, y, z', '1'],
			['p, q', '2']
		]);
	});
	it('prefers semicolon for French exports with decimal commas', () => {
		const s = sniff('Indicateur;Valeur;Cible\nDélai;12,5;10\nDélai;1 234,75;10\nTaux;87,5;90\n', {
			complete: true
		});
		expect(s.dialect.delimiter).toBe(';');
		expect(s.headers).toEqual(['Indicateur', 'Valeur', 'Cible']);
	});
	it('falls back to comma for a single-column file', () => {
		const s = sniff('value\n1\n2\n', { complete: true });
		expect(s.dialect.delimiter).toBe(',');
		expect(s.delimiterDetected).toBe(false);
		expect(s.headers).toEqual(['value']);
	});
	it('obeys a forced delimiter', () => {
		expect(sniff('a;b,c\n1;2,3\n', { complete: true, delimiter: ';' }).headers).toEqual([
			'a',
			'b,c'
		]);
	});
	it('ignores an incomplete last record when the sample is cut', () => {
		const s = sniff('a,b\n1,2\n3,"unfinish', { complete: false });
		expect(s.sampleRows).toEqual([['1', '2']]);
	});
});

describe('sniff: title rows and header', () => {
	it('skips title and blank rows above the header and says how many', () => {
		const text =
			'Service performance report,,,\nPrepared by the Clerk,,,\n,,,\nIndicator,Month,Actual,Target\nPermits,Jan 2024,120,100\nPermits,Feb 2024,95,100\n';
		const s = sniff(text, { complete: true });
		expect(s.headerIndex).toBe(3);
		expect(s.headers).toEqual(['Indicator', 'Month', 'Actual', 'Target']);
		expect(s.sampleRows).toHaveLength(2);
	});
	it('skips a one-cell title line whose field count differs', () => {
		const s = sniff('Annual figures\nA,B,C\n1,2,3\n4,5,6\n', { complete: true });
		expect(s.headerIndex).toBe(1);
		expect(s.headers).toEqual(['A', 'B', 'C']);
	});
	it('keeps a header with a few empty names', () => {
		const s = sniff('a,b,c,,\na,,,,\n,,c,\n', { complete: true });
		expect(s.headerIndex).toBe(0);
		expect(s.headers).toEqual(['a', 'b', 'c', 'Column 4', 'Column 5']);
	});
	it('accepts a trailing delimiter on data rows but not the header', () => {
		const s = sniff('a;b;c\r\n1;2;3;\r\n4;5;6;\r\n', { complete: true });
		expect(s.fieldCount).toBe(3);
		expect(s.consistency).toBe(1);
		expect(s.dialect.newline).toBe('\r\n');
	});
	it('widens a short header when data rows carry values beyond it', () => {
		const s = sniff('a,b\n1,2,3\n4,5,6\n7,8,9\n', { complete: true });
		expect(s.headers).toEqual(['a', 'b', 'Column 3']);
	});
	it('obeys a forced header row', () => {
		const s = sniff('x,y\na,b\n1,2\n', { complete: true, headerIndex: 1 });
		expect(s.headers).toEqual(['a', 'b']);
		expect(s.sampleRows).toEqual([['1', '2']]);
	});
});

describe('normaliseHeaders', () => {
	it('trims, strips a BOM, collapses whitespace, names empty columns and numbers duplicates', () => {
		expect(
			normaliseHeaders(['\ufeff Name ', '', 'name', 'Value', ' ', 'Multi\nline  header'])
		).toEqual(['Name', 'Column 2', 'name (2)', 'Value', 'Column 5', 'Multi line header']);
	});
	it('never produces a name that already exists', () => {
		expect(normaliseHeaders(['A', 'A (2)', 'A'])).toEqual(['A', 'A (2)', 'A (3)']);
		expect(normaliseHeaders(['__proto__', 'toString', '__proto__'])).toEqual([
			'__proto__',
			'toString',
			'__proto__ (2)'
		]);
	});
});

describe('newlines', () => {
	it('detects the style outside quotes', () => {
		expect(detectNewline('a\r\nb\r\n')).toBe('\r\n');
		expect(detectNewline('a\nb\n')).toBe('\n');
		expect(detectNewline('a\rb\r')).toBe('\r');
		expect(detectNewline('a,"x\ny"\r\nb\r\n')).toBe('\r\n');
		expect(detectNewline('a\r\nb\nc')).toBe('mixed');
		expect(detectNewline('abc')).toBe('none');
	});
	it('normalises CRLF and CR to LF across chunk boundaries', () => {
		const n = createNewlineNormaliser();
		const out = n.push('a\r') + n.push('\nb\r') + n.push('c\r') + n.flush();
		expect(out).toBe('a\nb\nc\n');
	});
});
