import { openDatabase } from '../../local/db/index.ts';
import type { Database } from '../../local/types.ts';

/** Database URLs on a native PostgreSQL server (SUPABASE_DB_URL) for the test template and clones. */
export function databaseUrl(baseUrl: string, database: string): string {
	const u = new URL(baseUrl);
	u.pathname = `/${database}`;
	return u.toString();
}

export function templateDatabaseUrl(baseUrl: string): string {
	return databaseUrl(baseUrl, 'gw_template');
}

/**
 * A test backend on a native PostgreSQL server: each `open()` gives a fresh database of that name
 * (dropped and created again), `drop()` removes it.
 */
export function nativeBackend(url: string, database: string) {
	// One statement per call: DROP/CREATE DATABASE refuse to run in a multi-statement query.
	const admin = async (...statements: string[]) => {
		const db = await openDatabase({ dbUrl: url });
		try {
			for (const sql of statements) await db.exec(sql);
		} finally {
			await db.close();
		}
	};
	return {
		name: 'postgres',
		open: async (): Promise<Database> => {
			await admin(
				`drop database if exists ${database} with (force)`,
				`create database ${database}`
			);
			return openDatabase({ dbUrl: databaseUrl(url, database) });
		},
		drop: () => admin(`drop database if exists ${database} with (force)`)
	};
}
