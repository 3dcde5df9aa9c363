import type { Row } from './csv.ts';
import { importableRows, importedTables } from './tables.ts';

/** The app server takes request bodies up to 512 KB (adapter-node's default): stay well under. */
export const CHUNK_BYTES = 256 * 1024;

/** Splits rows into runs whose JSON stays under `maxBytes` (a single larger row goes alone). */
export function chunkRows(rows: readonly Row[], maxBytes = CHUNK_BYTES): Row[][] {
	const chunks: Row[][] = [];
	let current: Row[] = [];
	let size = 2;
	for (const row of rows) {
		const bytes = new TextEncoder().encode(JSON.stringify(row)).length + 1;
		if (current.length && size + bytes > maxBytes) {
			chunks.push(current);
			current = [];
			size = 2;
		}
		current.push(row);
		size += bytes;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

export interface UploadChunk {
	table: string;
	rows: Row[];
}

/**
 * What an import sends, in order: the rows of every table an import writes, in chunks. Tables
 * kept for the record only (people's own rows, invitations, referrals, CSV import logs) and rows
 * that name a person of the other instance stay behind.
 */
export function uploadPlan(
	tables: ReadonlyMap<string, Row[]>,
	maxBytes = CHUNK_BYTES
): UploadChunk[] {
	const plan: UploadChunk[] = [];
	for (const spec of importedTables()) {
		const rows = importableRows(spec.name, tables.get(spec.name) ?? []);
		for (const chunk of chunkRows(rows, maxBytes)) plan.push({ table: spec.name, rows: chunk });
	}
	return plan;
}
