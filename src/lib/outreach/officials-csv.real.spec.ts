import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '$lib/csv/source.ts';
import { findDuplicates } from './dedupe.ts';
import { guessMapping, mapRows, readOfficialsCsv } from './officials-csv.ts';

const FIXTURE = resolve('tests/fixtures/csv/officials.csv');
/** The shared officials lists (`../shared/data` from the repository root), when this machine has them. */
const SHARED = resolve('../shared/data/officials');
const shared = existsSync(SHARED) ? readdirSync(SHARED).filter((f) => f.endsWith('.csv')) : [];

async function read(path: string) {
	const result = await readOfficialsCsv(bytesSource(readFileSync(path), path));
	if (!result.ok) throw new Error(`${path}: ${result.code}`);
	return result;
}

describe('the officials fixture', () => {
	it('maps its columns, keeps good rows, reports the bad email and flags the duplicate', async () => {
		const file = await read(FIXTURE);
		const mapping = guessMapping(file.headers);
		expect(mapping.name).toBe(0);
		expect(mapping.office).toBe(2);
		const { officials, problems } = mapRows(file.rows, file.rowNumbers, mapping);
		expect(officials.map((o) => o.name)).toEqual([
			'Maria Delgado',
			'Tomás Reyes',
			'Janet Okafor',
			'maria   DELGADO',
			'Leo Brandt'
		]);
		expect(problems).toEqual([
			expect.objectContaining({ row: 6, field: 'email', value: 'priya.natarajan@' })
		]);
		const dups = findDuplicates([], officials);
		expect(dups[3]).toEqual({ kind: 'file', row: 2 });
	});
});

// Skipped with a reason when the shared data folder is not on this machine (CI has only the fixture).
describe.skipIf(shared.length === 0)(`shared officials lists in ${SHARED}`, () => {
	it.each(shared)('%s reads, maps a name column and yields officials', async (name) => {
		const file = await read(join(SHARED, name));
		expect(file.rows.length).toBeGreaterThan(0);
		const mapping = guessMapping(file.headers);
		// Lists without a single name column (first and last names apart) map it by hand.
		const nameColumn = mapping.name ?? file.headers.indexOf('full_name');
		expect(nameColumn).toBeGreaterThanOrEqual(0);
		const { officials } = mapRows(file.rows, file.rowNumbers, { ...mapping, name: nameColumn });
		expect(officials.length).toBeGreaterThan(file.rows.length / 2);
	});
});
