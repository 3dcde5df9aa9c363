/**
 * The PostgREST-compatible `/rest/v1` of the local runtime. The schema cache is loaded at start,
 * on `NOTIFY pgrst, 'reload schema'` (Supabase's DDL event trigger sends it), on `reload()`, and
 * once more when a request misses a table, column, relationship or function (DDL made without a
 * notification).
 */
import type { Database, Handler, RuntimeConfig } from '../types.ts';
import { createHandler } from './handler.ts';
import { loadSchemaCache, type SchemaCache } from './schema-cache.ts';

export interface Rest {
	handler: Handler;
	reload(): Promise<void>;
	close(): Promise<void>;
}

export async function createRest({
	db,
	config
}: {
	db: Database;
	config: RuntimeConfig;
}): Promise<Rest> {
	let cache: SchemaCache = await loadSchemaCache(db, config.api.schemas);
	let loading: Promise<void> | null = null;
	let again: Promise<void> | null = null;
	let missBudget = 5;
	let missBudgetAt = Date.now();

	const reload = (): Promise<void> => {
		if (!loading) {
			loading = loadSchemaCache(db, config.api.schemas)
				.then((c) => {
					cache = c;
				})
				.finally(() => {
					loading = null;
				});
			return loading;
		}
		// Asked while an introspection runs: that one may have read the catalog before the DDL
		// behind this ask committed, so one more follows it, shared by every ask made meanwhile.
		again ??= loading
			.catch(() => {})
			.then(() => {
				again = null;
				return reload();
			});
		return again;
	};

	const unlisten = await db.listen('pgrst', (payload) => {
		const p = payload.trim();
		if (p === '' || p === 'reload schema') reload().catch(() => {});
	});

	const handler = createHandler({
		db,
		config,
		cache: () => cache,
		async refresh(since: number) {
			// Reload only if the cache predates the request: each miss costs at most one shared
			// introspection, and a cache loaded meanwhile (NOTIFY) is used as it is. DDL normally
			// reloads through the event trigger's NOTIFY (which arrives later on native PostgreSQL);
			// this is the safety net, so misses may reload up to five times a second, never more,
			// however fast a client asks for tables that do not exist.
			if (loading) await loading;
			if (cache.loadedAt >= since) return true;
			const now = Date.now();
			missBudget = Math.min(5, missBudget + ((now - missBudgetAt) / 1000) * 5);
			missBudgetAt = now;
			if (missBudget < 1) return false;
			missBudget -= 1;
			await reload();
			return true;
		}
	});

	return {
		handler,
		reload,
		async close() {
			await unlisten().catch(() => {});
		}
	};
}
