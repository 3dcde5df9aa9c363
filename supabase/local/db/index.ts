/**
 * The database of the local runtime: PGlite (embedded; a folder, or memory for tests) or native
 * PostgreSQL (a URL). Both implement `Database` from ../types.ts with the same JS values
 * (see values.ts: int8/numeric and timestamps as exact strings, json parsed, int4/float numbers,
 * bool, bytea Buffer) and the same errors (Postgres' own, with `code`, `message`, `detail`, `hint`).
 *
 * PGlite is one session: every call is serialised, `transaction` holds the session from BEGIN to
 * COMMIT, and the wire port (wire.ts) shares the session without mixing with the API.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import type { Database } from '../types.ts';
import { acquireDataDirLock } from './lock.ts';
import { PgliteDatabase } from './pglite.ts';
import { PostgresDatabase } from './postgres.ts';

export { isDatabaseError, type DbError } from './values.ts';
export { DataDirLockedError } from './lock.ts';

export interface OpenDatabaseOptions {
	/** Native PostgreSQL URL; when set, everything else is ignored. */
	dbUrl?: string | null;
	/** PGlite data folder (created if missing, locked while open). */
	dataDir?: string;
	/** PGlite in memory (tests); wins over dataDir. */
	memory?: boolean;
	/** A folder dumped with `dumpDataDir`, to start from (a prepared, migrated database). */
	loadDataDir?: Blob | File;
	/** Pool size on PostgreSQL (default 10). */
	poolSize?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
	if (opts.dbUrl) {
		const db = new PostgresDatabase(opts.dbUrl, { max: opts.poolSize });
		try {
			await db.query('select 1');
		} catch (e) {
			await db.close().catch(() => {});
			throw e;
		}
		return db;
	}
	const persisted = !opts.memory && !!opts.dataDir;
	if (!opts.memory && !opts.dataDir) throw new Error('openDatabase: give dbUrl, dataDir or memory');
	let release = () => {};
	if (persisted) {
		mkdirSync(opts.dataDir!, { recursive: true });
		release = acquireDataDirLock(opts.dataDir!);
	}
	try {
		const pglite = await PGlite.create({
			dataDir: persisted ? opts.dataDir : undefined,
			loadDataDir: opts.loadDataDir,
			// Hosted Supabase has both in `extensions`; PGlite loads them only when asked, every time.
			extensions: { pgcrypto, uuid_ossp }
		});
		return new PgliteDatabase(pglite, release);
	} catch (e) {
		release();
		throw e;
	}
}

export function isPglite(db: Database): db is PgliteDatabase {
	return db instanceof PgliteDatabase;
}

/** The PGlite instance behind a PGlite database (for the wire server). */
export function pgliteOf(db: Database): PGlite {
	if (!isPglite(db)) throw new Error('pgliteOf: not a PGlite database');
	return db.pglite;
}

/**
 * Dumps a PGlite database's data folder (uncompressed tar), for `openDatabase({ loadDataDir })`.
 * Waits for every earlier call, so it sees their committed work.
 */
export async function dumpDataDir(db: Database): Promise<Blob | File> {
	if (!isPglite(db)) throw new Error('dumpDataDir: only PGlite databases can be dumped');
	return db.arbiter.run('api', () => db.pglite.dumpDataDir('none'));
}
