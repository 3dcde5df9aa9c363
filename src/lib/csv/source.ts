/**
 * Where bytes come from. A source is read by ranges, so a 100 MB File is never copied whole: the
 * parser asks for one chunk at a time (Blob.slice is lazy in browsers, workers and Node).
 */

export interface ByteSource {
	/** Total size in bytes (for progress). */
	readonly size: number;
	/** File name, when known (import history, messages). */
	readonly name?: string;
	/** Bytes [start, end), end clamped to size. */
	read(start: number, end: number): Promise<Uint8Array>;
}

/** A File or Blob (browser, Web Worker, or Node's `fs.openAsBlob`). */
export function blobSource(blob: Blob, name?: string): ByteSource {
	return {
		size: blob.size,
		name: name ?? (blob as Blob & { name?: string }).name,
		async read(start, end) {
			return new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());
		}
	};
}

/** Bytes already in memory (tests, small pasted text). Views, not copies. */
export function bytesSource(bytes: Uint8Array, name?: string): ByteSource {
	return {
		size: bytes.length,
		name,
		async read(start, end) {
			return bytes.subarray(start, Math.min(end, bytes.length));
		}
	};
}

/** Text as UTF-8 bytes (tests and pasted data). */
export function textSource(text: string, name?: string): ByteSource {
	return bytesSource(new TextEncoder().encode(text), name);
}
