/** Test-only helpers (Node): fixture paths and sources backed by real files. */
import { existsSync, openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { blobSource, type ByteSource } from './source.ts';
import { parseCsv, type ParseEvent, type ParseOptions } from './parse.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(root, 'tests/fixtures/csv');
/** The shared sample data sits beside the repository (`../shared/data` from the repo root). */
export const SHARED_DATA = join(root, '../shared/data');
export const hasSharedData = existsSync(join(SHARED_DATA, 'SOURCES.md'));

export async function fileSource(path: string): Promise<ByteSource> {
	return blobSource(await openAsBlob(path), basename(path));
}

export function fixture(name: string): Promise<ByteSource> {
	return fileSource(join(FIXTURES, name));
}

/** Run the parse to the end and gather everything a UI would receive. */
export async function collect(source: ByteSource, opts: ParseOptions = {}) {
	const events: ParseEvent[] = [];
	const rows: string[][] = [];
	const rowNumbers: number[] = [];
	const issues = [];
	for await (const ev of parseCsv(source, opts)) {
		events.push(ev);
		if (ev.type === 'rows') {
			rows.push(...ev.rows);
			rowNumbers.push(...ev.rowNumbers);
			issues.push(...ev.issues);
		}
	}
	const start = events.find((e) => e.type === 'start');
	const end = events[events.length - 1];
	return {
		events,
		rows,
		rowNumbers,
		issues,
		info: start?.type === 'start' ? start.info : undefined,
		end
	};
}
