/**
 * Measurement records as the `stage_import_rows` rpc takes them: one JSON array per row, in a fixed
 * order, so 5,000 rows travel as a few hundred kilobytes instead of 5,000 keyed objects. Chunks are
 * cut by row count AND by bytes, because the app server refuses request bodies over 512 KB
 * (adapter-node's default BODY_SIZE_LIMIT).
 */
import type { MeasurementRecord } from '../csv/validate.ts';

/** `[agency, program, indicator, period_start, period_end, grain, value, target, unit, note, row_no]` */
export type CompactRow = [
	string | null,
	string | null,
	string,
	string,
	string,
	string,
	number,
	number | null,
	string | null,
	string | null,
	number
];

export function toCompact(r: MeasurementRecord): CompactRow {
	return [
		r.agency,
		r.program,
		r.indicator,
		r.period_start,
		r.period_end,
		r.grain,
		r.value,
		r.target,
		r.unit,
		r.note,
		r.source_row
	];
}

/** Most rows per rpc call (the rpc takes up to 20,000; smaller calls keep progress moving). */
export const CHUNK_ROWS = 5000;
/** Most bytes of rows per request, leaving room under the server's 512 KB body limit. */
export const CHUNK_BYTES = 400_000;

export interface Chunk {
	/** The rows as a JSON array text, ready to splice into a request body. */
	json: string;
	rows: number;
}

/**
 * Gathers records into chunks of at most `maxRows` rows and about `maxBytes` bytes of JSON (a
 * single row larger than that still goes, alone), as they come: `add` returns a full chunk when
 * the record does not fit in the current one, `flush` the last one. Only one chunk's rows exist
 * at a time, already as JSON text.
 */
export class ChunkBuilder {
	private parts: string[] = [];
	private bytes = 2;

	constructor(
		private readonly maxRows = CHUNK_ROWS,
		private readonly maxBytes = CHUNK_BYTES
	) {}

	add(r: MeasurementRecord): Chunk | null {
		const s = JSON.stringify(toCompact(r));
		// UTF-16 length undercounts multi-byte characters: weigh non-ASCII text as 3 bytes a char.
		// eslint-disable-next-line no-control-regex
		const size = /^[\x00-\x7f]*$/.test(s) ? s.length + 1 : s.length * 3 + 1;
		let full: Chunk | null = null;
		if (
			this.parts.length &&
			(this.parts.length >= this.maxRows || this.bytes + size > this.maxBytes)
		)
			full = this.flush();
		this.parts.push(s);
		this.bytes += size;
		return full;
	}

	/** The rows gathered so far as a chunk (null when there are none), starting a new one. */
	flush(): Chunk | null {
		if (!this.parts.length) return null;
		const chunk = { json: `[${this.parts.join(',')}]`, rows: this.parts.length };
		this.parts = [];
		this.bytes = 2;
		return chunk;
	}
}

/** Cut a list of records into chunks (see ChunkBuilder). Lazy: one chunk's text at a time. */
export function* chunkRecords(
	records: Iterable<MeasurementRecord>,
	maxRows = CHUNK_ROWS,
	maxBytes = CHUNK_BYTES
): Generator<Chunk> {
	const builder = new ChunkBuilder(maxRows, maxBytes);
	for (const r of records) {
		const full = builder.add(r);
		if (full) yield full;
	}
	const last = builder.flush();
	if (last) yield last;
}
