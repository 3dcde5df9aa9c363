/**
 * Encoding detection on the first bytes of a file, and a streaming decoder that survives chunk
 * boundaries. Pure: uses only TextDecoder, so it runs the same in Node, a page and a Web Worker.
 */

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

export interface EncodingGuess {
	encoding: CsvEncoding;
	/** Bytes of byte-order mark at the start of the file (skipped by the decoder). */
	bomLength: number;
	/**
	 * How the guess was made: `bom`; `nul-pattern` (BOM-less UTF-16: every other byte is NUL);
	 * `ascii` (only 7-bit bytes seen so far: UTF-8, with a silent switch to Windows-1252 if a
	 * legacy byte turns up later); `utf-8` (valid multi-byte UTF-8); `invalid-utf-8` (fell back to
	 * Windows-1252); `override` (the user chose).
	 */
	source: 'bom' | 'nul-pattern' | 'ascii' | 'utf-8' | 'invalid-utf-8' | 'override';
}

/** Latin-1 is decoded as Windows-1252, as browsers do (the WHATWG label "latin1" maps there). */
export function normaliseEncodingLabel(label: string): CsvEncoding | null {
	const l = label.trim().toLowerCase().replace(/_/g, '-');
	if (l === 'utf-8' || l === 'utf8') return 'utf-8';
	if (l === 'utf-16le' || l === 'utf-16' || l === 'ucs-2') return 'utf-16le';
	if (l === 'utf-16be') return 'utf-16be';
	if (
		['windows-1252', 'cp1252', 'latin1', 'latin-1', 'iso-8859-1', 'iso-8859-15', 'ascii'].includes(
			l
		)
	)
		return 'windows-1252';
	return null;
}

function bomOf(head: Uint8Array): { encoding: CsvEncoding; length: number } | null {
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
		return { encoding: 'utf-8', length: 3 };
	if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
	if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
	return null;
}

/** BOM-less UTF-16 of mostly-Latin text has a NUL in every other byte, on one side only. */
function utf16ByNulPattern(head: Uint8Array): CsvEncoding | null {
	const n = Math.min(head.length, 4096) & ~1;
	if (n < 4) return null;
	let even = 0;
	let odd = 0;
	for (let i = 0; i < n; i += 2) {
		if (head[i] === 0) even++;
		if (head[i + 1] === 0) odd++;
	}
	const pairs = n / 2;
	if (odd / pairs > 0.4 && even / pairs < 0.05) return 'utf-16le';
	if (even / pairs > 0.4 && odd / pairs < 0.05) return 'utf-16be';
	return null;
}

/**
 * Index up to which `bytes` holds only complete UTF-8 sequences: a multi-byte sequence cut by the
 * end of the chunk is held back for the next chunk.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
	const len = bytes.length;
	for (let back = 1; back <= 3 && back <= len; back++) {
		const b = bytes[len - back];
		if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
		if (b < 0x80) return len;
		const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		return back < need ? len - back : len;
	}
	return len;
}

function firstNonAscii(bytes: Uint8Array, from = 0): number {
	for (let i = from; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
	return -1;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Guess the encoding from the first bytes (pass 64 KiB or so). With `override`, that encoding is
 * used, and a BOM is still skipped when it matches.
 */
export function detectEncoding(head: Uint8Array, override?: CsvEncoding | null): EncodingGuess {
	const bom = bomOf(head);
	if (override) {
		return {
			encoding: override,
			bomLength: bom && bom.encoding === override ? bom.length : 0,
			source: 'override'
		};
	}
	if (bom) return { encoding: bom.encoding, bomLength: bom.length, source: 'bom' };
	const utf16 = utf16ByNulPattern(head);
	if (utf16) return { encoding: utf16, bomLength: 0, source: 'nul-pattern' };
	if (firstNonAscii(head) === -1) return { encoding: 'utf-8', bomLength: 0, source: 'ascii' };
	try {
		fatalUtf8.decode(head.subarray(0, completeUtf8Length(head)));
		return { encoding: 'utf-8', bomLength: 0, source: 'utf-8' };
	} catch {
		return { encoding: 'windows-1252', bomLength: 0, source: 'invalid-utf-8' };
	}
}

export interface StreamDecoder {
	/** Decode the next chunk; bytes of a character cut by the chunk end are kept for the next call. */
	decode(chunk: Uint8Array): string;
	/** Decode whatever is held back (an incomplete final character becomes U+FFFD). */
	flush(): string;
	/** The encoding in use now (changes once if an ASCII-looking file turns out to be Windows-1252). */
	readonly encoding: CsvEncoding;
	/** Byte offset where the decoder switched from UTF-8 to Windows-1252, or null. */
	readonly fellBackAt: number | null;
	/** Invalid byte sequences replaced by U+FFFD (a file mixing UTF-8 and a legacy encoding). */
	readonly replacements: number;
}

/**
 * A decoder for a whole stream. For UTF-8 guessed from an ASCII-only head, a legacy byte further
 * on (e.g. a Windows-1252 no-break space at byte 344,926 of a 2 MB file) switches to Windows-1252,
 * which is lossless because every earlier byte was ASCII. If real UTF-8 was already seen, bad
 * sequences become U+FFFD and are counted instead.
 */
export function createDecoder(
	guess: Pick<EncodingGuess, 'encoding' | 'bomLength'> & { source?: EncodingGuess['source'] }
): StreamDecoder {
	let encoding = guess.encoding;
	let skip = guess.bomLength;
	let offset = 0; // bytes consumed so far (including the BOM)
	let fellBackAt: number | null = null;
	let replacements = 0;
	let sawNonAscii = false;
	let tail: Uint8Array = new Uint8Array(0);
	// A switch is only safe while the guess came from the bytes (not a user override).
	const mayFallBack = guess.source !== 'override' && guess.encoding === 'utf-8';
	let other: TextDecoder | null =
		encoding === 'utf-8' ? null : new TextDecoder(encoding, { ignoreBOM: true });
	const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

	function countReplacements(text: string): void {
		let i = text.indexOf('\ufffd');
		while (i !== -1) {
			replacements++;
			i = text.indexOf('\ufffd', i + 1);
		}
	}

	function decodeUtf8(bytes: Uint8Array, final: boolean): string {
		const full = tail.length ? concat(tail, bytes) : bytes;
		const cut = final ? full.length : completeUtf8Length(full);
		const body = full.subarray(0, cut);
		tail = full.slice(cut);
		if (!sawNonAscii && firstNonAscii(body) === -1) return latin1Fast(body);
		try {
			const text = fatalUtf8.decode(body);
			sawNonAscii = true;
			return text;
		} catch {
			if (mayFallBack && !sawNonAscii) {
				encoding = 'windows-1252';
				fellBackAt = offset - full.length + firstNonAscii(body);
				other = new TextDecoder('windows-1252');
				const rest = tail;
				tail = new Uint8Array(0);
				return other.decode(body) + (rest.length ? other.decode(rest) : '');
			}
			sawNonAscii = true;
			const text = lenient.decode(body);
			countReplacements(text);
			return text;
		}
	}

	return {
		decode(chunk) {
			let bytes = chunk;
			if (skip > 0) {
				const n = Math.min(skip, bytes.length);
				skip -= n;
				offset += n;
				bytes = bytes.subarray(n);
			}
			offset += bytes.length;
			if (bytes.length === 0) return '';
			if (encoding === 'utf-8') return decodeUtf8(bytes, false);
			return other!.decode(bytes, { stream: true });
		},
		flush() {
			if (encoding === 'utf-8') return tail.length ? decodeUtf8(new Uint8Array(0), true) : '';
			return other!.decode();
		},
		get encoding() {
			return encoding;
		},
		get fellBackAt() {
			return fellBackAt;
		},
		get replacements() {
			return replacements;
		}
	};
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a, 0);
	out.set(b, a.length);
	return out;
}

const ascii = new TextDecoder('windows-1252');
/** ASCII bytes decode the same in every supported encoding; this decoder is the cheapest. */
function latin1Fast(bytes: Uint8Array): string {
	return ascii.decode(bytes);
}

/** Decode a whole buffer at once (previews, tests). */
export function decodeAll(bytes: Uint8Array, guess?: EncodingGuess): string {
	const d = createDecoder(guess ?? detectEncoding(bytes));
	return d.decode(bytes) + d.flush();
}

export type BinaryKind = 'zip' | 'ole' | 'pdf' | 'image' | 'gzip' | 'control-chars';

/**
 * Whether the head of a file is not text at all: a known binary signature (an .xlsx is a zip, an
 * old .xls an OLE container) or, after decoding, many control characters or any NUL in a
 * non-UTF-16 file beyond a stray one.
 */
export function detectBinary(head: Uint8Array, decodedHead: string): BinaryKind | null {
	const h = head;
	if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) return 'zip';
	if (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0) return 'ole';
	if (h[0] === 0x25 && h[1] === 0x50 && h[2] === 0x44 && h[3] === 0x46) return 'pdf';
	if (h[0] === 0x1f && h[1] === 0x8b) return 'gzip';
	if (
		(h[0] === 0x89 && h[1] === 0x50 && h[2] === 0x4e && h[3] === 0x47) ||
		(h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) ||
		(h[0] === 0x47 && h[1] === 0x49 && h[2] === 0x46 && h[3] === 0x38)
	)
		return 'image';
	const text = decodedHead.length > 8192 ? decodedHead.slice(0, 8192) : decodedHead;
	if (text.length === 0) return null;
	let control = 0;
	let nul = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0) nul++;
		if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd) control++;
	}
	// A handful of NULs in a text file (padding from some exports) is reported row by row later;
	// more than 1% NULs (and more than a few), or 10% control characters, is not a CSV.
	if (nul > Math.max(4, text.length / 100) || control / text.length > 0.1) return 'control-chars';
	return null;
}
