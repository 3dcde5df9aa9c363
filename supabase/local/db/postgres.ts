import pg from 'pg';
import type { Database, QueryResult, Tx } from '../types.ts';
import { COUNTED_COMMANDS, parseValue, serializeParam } from './values.ts';

/** Every column goes through `parseValue`, exactly as on PGlite. */
const types = {
	getTypeParser: (oid: number, format?: string) =>
		format === 'binary' ? (v: unknown) => v : (text: string) => parseValue(text, oid)
};

// TimeZone and DateStyle as PGlite runs, so timestamps print the same text on both engines.
const sessionOptions = '-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres';

function toResult<T>(r: pg.QueryResult): QueryResult<T> {
	return {
		rows: r.rows as T[],
		fields: (r.fields ?? []).map((f) => ({
			name: f.name,
			dataTypeID: f.dataTypeID
		})),
		affectedRows: COUNTED_COMMANDS.has(r.command) ? (r.rowCount ?? 0) : 0
	};
}

type Client = Pick<pg.PoolClient, 'query'>;

async function runQuery<T>(c: Client, sql: string, params?: unknown[]): Promise<QueryResult<T>> {
	// Always the extended protocol, as PGlite's query: one statement per call (scripts use exec).
	const r = await c.query({
		text: sql,
		values: params?.map(serializeParam) ?? [],
		queryMode: 'extended'
	} as pg.QueryConfig);
	return toResult<T>(r);
}

/**
 * Native PostgreSQL through a `pg` pool. `transaction` takes one pooled client for the whole
 * transaction; LISTEN uses one dedicated client (no reconnect: the runtime restarts with the server).
 */
export class PostgresDatabase implements Database {
	readonly kind = 'postgres' as const;
	readonly pool: pg.Pool;
	#listener: pg.Client | null = null;
	#listenerReady: Promise<pg.Client> | null = null;
	#listeners = new Map<string, Set<(payload: string) => void>>();

	constructor(
		readonly url: string,
		opts: { max?: number } = {}
	) {
		this.pool = new pg.Pool({
			connectionString: url,
			max: opts.max ?? 10,
			options: sessionOptions,
			types
		});
		// An idle client losing its connection (server restart) must not crash the process.
		this.pool.on('error', () => {});
	}

	async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		let closed = false;
		const check = () => {
			if (closed) throw new Error('Transaction is closed');
		};
		const tx: Tx = {
			query: async (sql, params) => {
				check();
				return runQuery(client, sql, params);
			},
			exec: async (sql) => {
				check();
				await client.query(sql);
			}
		};
		let broken: Error | undefined;
		try {
			await client.query('begin');
			const value = await fn(tx);
			closed = true;
			await client.query('commit');
			return value;
		} catch (e) {
			closed = true;
			try {
				await client.query('rollback');
			} catch (rollbackError) {
				// The connection is unusable (lost, protocol error): drop it rather than pool it.
				broken = rollbackError as Error;
			}
			throw e;
		} finally {
			client.release(broken ?? false);
		}
	}

	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
		return runQuery<T>(this.pool, sql, params);
	}

	async exec(sql: string): Promise<void> {
		await this.pool.query(sql);
	}

	#listenClient(): Promise<pg.Client> {
		if (!this.#listenerReady) {
			const client = new pg.Client({
				connectionString: this.url,
				options: sessionOptions,
				types
			});
			client.on('notification', (n) => {
				for (const cb of this.#listeners.get(n.channel) ?? []) cb(n.payload ?? '');
			});
			client.on('error', () => {});
			this.#listenerReady = client.connect().then(() => {
				this.#listener = client;
				return client;
			});
			this.#listenerReady.catch(() => (this.#listenerReady = null));
		}
		return this.#listenerReady;
	}

	async listen(
		channel: string,
		onPayload: (payload: string) => void
	): Promise<() => Promise<void>> {
		const client = await this.#listenClient();
		const quoted = '"' + channel.replaceAll('"', '""') + '"';
		let set = this.#listeners.get(channel);
		if (!set) {
			set = new Set();
			this.#listeners.set(channel, set);
			await client.query(`listen ${quoted}`);
		}
		set.add(onPayload);
		return async () => {
			const s = this.#listeners.get(channel);
			if (!s?.delete(onPayload) || s.size > 0) return;
			this.#listeners.delete(channel);
			await client.query(`unlisten ${quoted}`);
		};
	}

	async close(): Promise<void> {
		const listener = this.#listener;
		this.#listener = null;
		this.#listenerReady = null;
		await listener?.end().catch(() => {});
		await this.pool.end();
	}
}
