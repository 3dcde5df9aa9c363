import { describe, expect, it } from 'vitest';
import {
	completeUtf8Length,
	createDecoder,
	decodeAll,
	detectBinary,
	detectEncoding,
	normaliseEncodingLabel
} from './encoding.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...xs: number[]) => new Uint8Array(xs);
function utf16(s: string, le: boolean, bom: boolean): Uint8Array {
	const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
	let o = 0;
	const put = (c: number) => {
		out[o++] = le ? c & 0xff : c >> 8;
		out[o++] = le ? c >> 8 : c & 0xff;
	};
	if (bom) put(0xfeff);
	for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
	return out;
}

describe('detectEncoding', () => {
	it('reads a UTF-8 BOM and skips it', () => {
		const b = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('a,b\n1,2')]);
		expect(detectEncoding(b)).toEqual({ encoding: 'utf-8', bomLength: 3, source: 'bom' });
		expect(decodeAll(b)).toBe('a,b\n1,2');
	});
	it('takes plain ASCII as UTF-8', () => {
		expect(detectEncoding(enc('a,b\n1,2'))).toMatchObject({ encoding: 'utf-8', source: 'ascii' });
	});
	it('recognises valid multi-byte UTF-8 without BOM', () => {
		expect(detectEncoding(enc('nom,ville\nÉlodie,Montréal'))).toMatchObject({
			encoding: 'utf-8',
			source: 'utf-8'
		});
	});
	it('does not fall back when the head ends in the middle of a character', () => {
		const b = enc('ville\nMontréal');
		const cut = b.subarray(0, b.length - 4); // inside "é"
		expect(detectEncoding(cut).encoding).toBe('utf-8');
	});
	it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
		const b = bytes(...enc('nom\nR'), 0xe9, ...enc('gie'), 0x80);
		expect(detectEncoding(b)).toMatchObject({ encoding: 'windows-1252', source: 'invalid-utf-8' });
		expect(decodeAll(b)).toBe('nom\nRégie€');
	});
	it('detects UTF-16 LE and BE by BOM', () => {
		expect(detectEncoding(utf16('a,b', true, true))).toEqual({
			encoding: 'utf-16le',
			bomLength: 2,
			source: 'bom'
		});
		expect(detectEncoding(utf16('a,b', false, true)).encoding).toBe('utf-16be');
		expect(decodeAll(utf16('é,b\n1,2', false, true))).toBe('é,b\n1,2');
	});
	it('detects BOM-less UTF-16 by its NUL pattern', () => {
		expect(detectEncoding(utf16('indicator,value\n1,2\n', true, false))).toMatchObject({
			encoding: 'utf-16le',
			source: 'nul-pattern'
		});
		expect(detectEncoding(utf16('indicator,value\n1,2\n', false, false)).encoding).toBe('utf-16be');
		expect(decodeAll(utf16('Équipe,1\n', false, false))).toBe('Équipe,1\n');
	});
	it('lets the user override, still skipping a matching BOM', () => {
		const b = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('x')]);
		expect(detectEncoding(b, 'windows-1252')).toEqual({
			encoding: 'windows-1252',
			bomLength: 0,
			source: 'override'
		});
		expect(detectEncoding(b, 'utf-8')).toMatchObject({ bomLength: 3, source: 'override' });
		// Valid UTF-8 read as Windows-1252 on request: mojibake, as the user asked.
		expect(decodeAll(enc('é'), detectEncoding(enc('é'), 'windows-1252'))).toBe('Ã©');
	});
	it('maps common labels', () => {
		expect(normaliseEncodingLabel('Latin-1')).toBe('windows-1252');
		expect(normaliseEncodingLabel('UTF8')).toBe('utf-8');
		expect(normaliseEncodingLabel('ebcdic')).toBeNull();
	});
});

describe('completeUtf8Length', () => {
	it('holds back a cut multi-byte sequence and nothing else', () => {
		const euro = enc('€'); // e2 82 ac
		expect(completeUtf8Length(euro)).toBe(3);
		expect(completeUtf8Length(euro.subarray(0, 2))).toBe(0);
		expect(completeUtf8Length(bytes(0x61, 0xe2))).toBe(1);
		const emoji = enc('a😀'); // 61 f0 9f 98 80
		expect(completeUtf8Length(emoji.subarray(0, 4))).toBe(1);
		expect(completeUtf8Length(emoji)).toBe(5);
		expect(completeUtf8Length(enc('abc'))).toBe(3);
	});
});

describe('createDecoder (streaming)', () => {
	const text = 'Région,Coût €,😀 ok\nÉté,naïve,日本\n';
	it('decodes UTF-8 split at every possible byte boundary', () => {
		const b = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)]);
		for (let size = 1; size <= 7; size++) {
			const d = createDecoder(detectEncoding(b));
			let out = '';
			for (let i = 0; i < b.length; i += size) out += d.decode(b.subarray(i, i + size));
			out += d.flush();
			expect(out, `chunk size ${size}`).toBe(text);
		}
	});
	it('decodes UTF-16 split inside code units and surrogate pairs', () => {
		for (const le of [true, false]) {
			const b = utf16(text, le, true);
			for (const size of [1, 3, 5]) {
				const d = createDecoder(detectEncoding(b));
				let out = '';
				for (let i = 0; i < b.length; i += size) out += d.decode(b.subarray(i, i + size));
				expect(out + d.flush()).toBe(text);
			}
		}
	});
	it('switches to Windows-1252 when a legacy byte follows an ASCII-only head', () => {
		const head = enc('a,b\n'.repeat(10));
		const d = createDecoder(detectEncoding(head));
		let out = d.decode(head);
		out += d.decode(bytes(0x31, 0xa0, 0x32, 0x0a)); // 1 NBSP 2
		expect(out + d.flush()).toBe('a,b\n'.repeat(10) + '1\u00a02\n');
		expect(d.encoding).toBe('windows-1252');
		expect(d.fellBackAt).toBe(41);
		expect(d.replacements).toBe(0);
	});
	it('keeps UTF-8 and counts replacements when a UTF-8 file has a stray legacy byte', () => {
		const d = createDecoder(detectEncoding(enc('é\n')));
		const out = d.decode(enc('é\n')) + d.decode(bytes(0x61, 0xe9, 0x0a)) + d.flush();
		expect(out).toBe('é\na\ufffd\n');
		expect(d.encoding).toBe('utf-8');
		expect(d.replacements).toBe(1);
	});
	it('never switches when the user chose UTF-8', () => {
		const d = createDecoder(detectEncoding(enc('a'), 'utf-8'));
		expect(d.decode(bytes(0x61, 0xe9)) + d.flush()).toBe('a\ufffd');
		expect(d.encoding).toBe('utf-8');
	});
	it('turns a truncated final character into U+FFFD on flush', () => {
		const d = createDecoder(detectEncoding(enc('é')));
		expect(d.decode(enc('é')) + d.decode(bytes(0x61, 0xc3)) + d.flush()).toBe('éa\ufffd');
	});
});

describe('detectBinary', () => {
	it('names workbooks, PDFs, archives and images', () => {
		expect(detectBinary(bytes(0x50, 0x4b, 3, 4, 0, 0), '')).toBe('zip');
		expect(detectBinary(bytes(0xd0, 0xcf, 0x11, 0xe0), '')).toBe('ole');
		expect(detectBinary(enc('%PDF-1.7'), '%PDF-1.7')).toBe('pdf');
		expect(detectBinary(bytes(0x1f, 0x8b, 8), '')).toBe('gzip');
		expect(detectBinary(bytes(0x89, 0x50, 0x4e, 0x47), '')).toBe('image');
	});
	it('flags text full of NULs or control characters, not ordinary CSV', () => {
		expect(detectBinary(enc('a'), 'a,b\0\0\0\0\n')).toBe('control-chars');
		expect(detectBinary(enc('a'), '\x01\x02\x03abc')).toBe('control-chars');
		const csv = 'a,b,c\n' + '1,2,3\n'.repeat(100);
		expect(detectBinary(enc(csv), csv)).toBeNull();
		// One stray NUL in a longer file is reported per row later, not as a binary file.
		const one = csv + 'x\0y\n';
		expect(detectBinary(enc(one), one)).toBeNull();
	});
});
