import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type ParserOptions, type Transaction } from '@electric-sql/pglite';
import type { Database, QueryResult, Tx } from '../types.ts';
import { parseValue, serializeParam } from './values.ts';

/**
 * PGlite is one Postgres session shared by the API and the wire port (psql). The arbiter decides
 * who owns that session: every API call and every wire message runs through `run(owner, fn)`,
 * one at a time. When the owner changes, the previous owner's session settings (SET ROLE,
 * SET search_path, …) are saved and reset, and the new owner's are restored, so API requests
 * always start from a clean session and a wire client keeps its own settings between messages.
 * A wire client holds the arbiter for as long as its transaction is open (see wire.ts).
 */
export class SessionArbiter {
	/** 'api' or the id of a wire client. */
	#owner = 'api';
	#tail: Promise<unknown> = Promise.resolve();
	/** Session-level settings of wire clients that are not the current owner. */
	#saved = new Map<string, Array<[string, string]>>();
	/** API listeners by channel, so notifications seen on the wire port reach them too. */
	readonly listeners = new Map<string, Set<(payload: string) => void>>();

	constructor(readonly pglite: PGlite) {}

	/** Runs `fn` with the session, after every earlier call; switches the session to `owner`. */
	run<T>(owner: string, fn: () => Promise<T>): Promise<T> {
		const result = this.#tail.then(async () => {
			if (owner !== this.#owner) await this.#switchTo(owner);
			return fn();
		});
		this.#tail = result.catch(() => undefined);
		return result;
	}

	/**
	 * Takes the session until `release` is called (a wire client inside a transaction). Calls made
	 * meanwhile with `run` wait. `fn` runs with the session already switched to `owner`.
	 */
	hold(owner: string): Promise<() => void> {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		return new Promise((resolveHeld, rejectHeld) => {
			this.run(owner, async () => {
				resolveHeld(release);
				await held;
			}).catch(rejectHeld);
		});
	}

	/** Forgets a wire client's saved settings (it disconnected). */
	forget(owner: string): void {
		this.#saved.delete(owner);
		if (this.#owner === owner) this.#owner = '';
	}

	dispatch(channel: string, payload: string): void {
		for (const cb of this.listeners.get(channel) ?? []) queueMicrotask(() => cb(payload));
	}

	/** The session user the API runs as, seen before any wire client could change it. */
	#apiUser: string | null = null;

	/**
	 * Back to the settings the API started with. PGlite ignores the startup packet's user and
	 * options, so a wire client changes settings only with SET, which RESET ALL undoes, except
	 * SET SESSION AUTHORIZATION: PGlite's RESET SESSION AUTHORIZATION keeps the changed user, so
	 * the API's user is set back explicitly.
	 */
	async resetSession(): Promise<void> {
		const pg = this.pglite;
		this.#apiUser ??= (await pg.query<{ u: string }>('select session_user::text as u')).rows[0].u;
		await pg.query(`select set_config('session_authorization', $1, false)`, [this.#apiUser], {
			serializers: passThrough
		});
		await pg.exec('reset role; reset all');
	}

	async #switchTo(owner: string): Promise<void> {
		const pg = this.pglite;
		const previous = this.#owner;
		this.#apiUser ??= (await pg.query<{ u: string }>('select session_user::text as u')).rows[0].u;
		if (previous && previous !== 'api') {
			// Settings the wire client changed with SET, plus who it runs as (pg_settings hides those).
			const rows = await pg.query<{ name: string; value: string }>(
				`select name, current_setting(name) as value from pg_settings
				 where source = 'session' and name not in ('role', 'session_authorization')
				 union all select 'session_authorization', session_user::text
				 union all select 'role', current_setting('role')`
			);
			this.#saved.set(
				previous,
				rows.rows.map((r) => [r.name, r.value])
			);
		}
		if (previous !== '') await this.resetSession();
		const saved = this.#saved.get(owner);
		if (saved && saved.length > 0) {
			// session_authorization before role: changing it resets the role.
			saved.sort((a, b) => rank(a[0]) - rank(b[0]));
			await pg.query(
				`select set_config(name, value, false) from unnest($1::text[], $2::text[]) as s(name, value)`,
				[serializeParam(saved.map((s) => s[0])), serializeParam(saved.map((s) => s[1]))],
				{ serializers: passThrough }
			);
		}
		this.#saved.delete(owner);
		this.#owner = owner;
	}
}

function rank(name: string): number {
	return name === 'session_authorization' ? 0 : name === 'role' ? 2 : 1;
}

const arbiters = new WeakMap<PGlite, SessionArbiter>();

/** The arbiter of a PGlite instance (one per instance, shared by the API and the wire port). */
export function arbiterOf(pglite: PGlite): SessionArbiter {
	let a = arbiters.get(pglite);
	if (!a) {
		a = new SessionArbiter(pglite);
		arbiters.set(pglite, a);
	}
	return a;
}

/** Every column goes through `parseValue`, whatever PGlite registered for its type. */
const uniformParsers = new Proxy({} as ParserOptions, {
	get: (_t, key) =>
		typeof key === 'string' && /^\d+$/.test(key)
			? (text: string) => parseValue(text, Number(key))
			: undefined,
	set: () => true,
	has: () => true
});

/** Parameters arrive already serialised to text (values.ts): PGlite must pass them through. */
export const passThrough = new Proxy({} as Record<number, (v: unknown) => string>, {
	get: (_t, key) => (typeof key === 'string' && /^\d+$/.test(key) ? (v: unknown) => v : undefined)
});

type Queryable = Pick<Transaction, 'query' | 'exec'>;

async function runQuery<T>(q: Queryable, sql: string, params?: unknown[]): Promise<QueryResult<T>> {
	const r = await q.query<T>(sql, params?.map(serializeParam), {
		serializers: passThrough
	});
	return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows ?? 0 };
}

/** Marks code running inside `transaction`, to turn a self-deadlock into a clear error. */
const insideTx = new AsyncLocalStorage<{ open: boolean }>();

function noNesting(): void {
	// `open` turns false at COMMIT/ROLLBACK: work started inside the transaction that outlives it
	// (a promise left running) may use db.query.
	if (insideTx.getStore()?.open)
		throw new Error(
			'db.query/db.exec/db.transaction called inside db.transaction on PGlite: use the tx argument ' +
				'(PGlite has one session, so this would wait for itself forever)'
		);
}

export class PgliteDatabase implements Database {
	readonly kind = 'pglite' as const;
	readonly arbiter: SessionArbiter;

	constructor(
		readonly pglite: PGlite,
		private readonly onClose: () => void = () => {}
	) {
		pglite.parsers = uniformParsers as Record<
			string | number,
			(x: string, typeId?: number) => unknown
		>;
		this.arbiter = arbiterOf(pglite);
	}

	async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
		noNesting();
		return this.arbiter.run('api', () =>
			this.pglite.transaction((t) => {
				const tx: Tx = {
					query: (sql, params) => runQuery(t, sql, params),
					exec: async (sql) => {
						await t.exec(sql);
					}
				};
				const marker = { open: true };
				return insideTx.run(marker, async () => fn(tx)).finally(() => (marker.open = false));
			})
		);
	}

	async query<T = Record<string, unknown>>(
		sql: string,
		params?: unknown[]
	): Promise<QueryResult<T>> {
		noNesting();
		return this.arbiter.run('api', () => runQuery<T>(this.pglite, sql, params));
	}

	async exec(sql: string): Promise<void> {
		noNesting();
		await this.arbiter.run('api', () => this.pglite.exec(sql));
	}

	async listen(
		channel: string,
		onPayload: (payload: string) => void
	): Promise<() => Promise<void>> {
		const set = this.arbiter.listeners.get(channel) ?? new Set();
		this.arbiter.listeners.set(channel, set);
		set.add(onPayload);
		// Quoted, so the channel is taken as written (NOTIFY lower-cases unquoted names).
		const quoted = '"' + channel.replaceAll('"', '""') + '"';
		const unlisten = await this.arbiter.run('api', () => this.pglite.listen(quoted, onPayload));
		return async () => {
			set.delete(onPayload);
			if (set.size === 0 && this.arbiter.listeners.get(channel) === set)
				this.arbiter.listeners.delete(channel);
			await this.arbiter.run('api', () => unlisten());
		};
	}

	async close(): Promise<void> {
		await this.arbiter.run('api', async () => {
			if (!this.pglite.closed) await this.pglite.close();
		});
		this.onClose();
	}
}
