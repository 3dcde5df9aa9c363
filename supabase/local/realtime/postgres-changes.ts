/**
 * postgres_changes subscriptions: what a join asks for (checked against the table before the
 * join is answered) and, for each captured change, who receives it. As on Supabase Realtime, a
 * change goes to a subscription when its event, schema, table and filter match, and to its
 * subscriber when the row, selected again by primary key under the subscriber's role and claims,
 * is visible; every distinct set of claims is checked in one call per change (`_realtime.visible`,
 * like Realtime's `realtime.apply_rls`), one round trip however many subscribers. A DELETE cannot
 * be checked that way (the row is gone): it needs only the right to read the table, and carries
 * the primary key.
 */
import type { Database, RequestAuth, RuntimeConfig } from '../types.ts';
import type { Change, ChangeFeed, ChangeType, TableInfo } from './changes.ts';
import { isObject } from './protocol.ts';
import { FilterError, conditionSql, parseFilter, quoteIdent, type Condition } from './filters.ts';
import { createTrace, type Trace } from './trace.ts';

const EVENTS = new Set(['*', 'INSERT', 'UPDATE', 'DELETE']);

export interface PgSubscription {
	/** What the client sent, echoed back with the id so realtime-js can match its bindings. */
	params: Record<string, unknown>;
	id: number;
	event: string;
	schema: string;
	table: string | null;
	conditions: Condition[];
	select: string[] | null;
}

/** Whoever holds subscriptions (a joined channel). */
export interface Subscriber {
	auth: RequestAuth;
	/** Equal for subscribers whose visibility is the same (role and claims). */
	claimsKey: string;
	pg: PgSubscription[];
}

export interface Delivery<S> {
	subscriber: S;
	/** The `postgres_changes` payload: `{ids, data: {schema, table, commit_timestamp, type, …}}`. */
	payload: { ids: number[]; data: Record<string, unknown> };
}

/** Realtime identifies a subscription by a hash of its parameters (Erlang's phash2); any stable hash will do. */
export function hashParams(params: Record<string, unknown>): number {
	const text = JSON.stringify(params, Object.keys(params).sort());
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0) % 134217728;
}

function matches(sub: PgSubscription, change: Change): boolean {
	return (
		(sub.schema === '*' || sub.schema === change.schema) &&
		(sub.table === null || sub.table === change.table) &&
		(sub.event === '*' || sub.event === change.type)
	);
}

function pick(
	record: Record<string, unknown> | null,
	names: string[] | null
): Record<string, unknown> | null {
	if (!record || !names) return record;
	return Object.fromEntries(names.filter((n) => n in record).map((n) => [n, record[n]]));
}

export interface PostgresChangesOptions {
	db: Database;
	config: RuntimeConfig;
	feed: ChangeFeed;
	log: (line: string) => void;
	trace?: Trace;
}

export class PostgresChanges {
	#db: Database;
	#config: RuntimeConfig;
	#feed: ChangeFeed;
	#log: (line: string) => void;
	#trace: Trace;

	constructor(opts: PostgresChangesOptions) {
		this.#db = opts.db;
		this.#config = opts.config;
		this.#feed = opts.feed;
		this.#log = opts.log;
		this.#trace = opts.trace ?? createTrace(false);
	}

	/** The join's `postgres_changes`, checked against their tables; a FilterError says what is wrong. */
	async parse(raw: unknown[]): Promise<PgSubscription[]> {
		const subs: PgSubscription[] = [];
		for (const [i, p] of raw.entries()) {
			if (!isObject(p)) throw new FilterError(`postgres_changes[${i}] must be an object`);
			const event = typeof p.event === 'string' ? p.event.toUpperCase() : '';
			if (!EVENTS.has(event)) {
				throw new FilterError(
					`event must be one of *, INSERT, UPDATE, DELETE, got ${JSON.stringify(p.event)}`
				);
			}
			if (typeof p.schema !== 'string' || p.schema === '') {
				throw new FilterError('schema is required (e.g. "public")');
			}
			const table =
				typeof p.table === 'string' && p.table !== '' && p.table !== '*' ? p.table : null;
			const filter = typeof p.filter === 'string' ? p.filter : '';
			let conditions: Condition[];
			try {
				conditions = parseFilter(filter);
			} catch (e) {
				throw new FilterError(
					`Error parsing \`filter\` params "${filter}": ${(e as Error).message}`
				);
			}
			const select =
				Array.isArray(p.select) && p.select.every((c) => typeof c === 'string')
					? (p.select as string[])
					: null;
			if (table !== null && p.schema !== '*') {
				const names = [...conditions.map((c) => c.column), ...(select ?? [])];
				const known = (t: TableInfo | null) =>
					!!t && names.every((name) => t.columns.some((c) => c.name === name));
				let info = await this.#feed.table(p.schema, table);
				// A miss may be a cache older than DDL just committed: asked once more, fresh.
				if (!known(info)) info = await this.#feed.table(p.schema, table, true);
				if (!info) {
					const exists = await this.#db.query(`select to_regclass($1) is not null as ok`, [
						`${quoteIdent(p.schema)}.${quoteIdent(table)}`
					]);
					throw new FilterError(
						exists.rows[0]?.ok
							? `${p.schema}.${table} is not in the publication supabase_realtime ` +
									`(alter publication supabase_realtime add table ${p.schema}.${table})`
							: `relation "${p.schema}.${table}" does not exist`
					);
				}
				for (const name of names) {
					if (!info.columns.some((c) => c.name === name)) {
						throw new FilterError(`column "${name}" does not exist in ${p.schema}.${table}`);
					}
				}
				await this.#validateValues(info, conditions);
			} else if (conditions.length > 0) {
				throw new FilterError('a filter needs a table');
			}
			subs.push({
				params: p,
				id: hashParams(p),
				event,
				schema: p.schema,
				table,
				conditions,
				select
			});
		}
		return subs;
	}

	/** Casts every filter value to its column's type now, so a bad value is an error at subscribe time. */
	async #validateValues(info: TableInfo, conditions: Condition[]): Promise<void> {
		for (const c of conditions) {
			if (c.operator === 'is' || ['like', 'ilike', 'match', 'imatch'].includes(c.operator))
				continue;
			const type = info.columns.find((col) => col.name === c.column)!.sqlType;
			for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
				try {
					await this.#db.query(`select $1::text::${type}`, [v]);
				} catch (e) {
					throw new FilterError(
						`invalid value ${JSON.stringify(v)} for ${c.column} (${type}) in filter: ${(e as Error).message}`
					);
				}
			}
		}
	}

	/** Evaluates every distinct filter condition of the candidates against the changed row, in one query. */
	async #evaluateConditions(
		info: TableInfo,
		change: Change,
		conditions: Condition[]
	): Promise<Map<Condition, boolean>> {
		const out = new Map<Condition, boolean>();
		if (conditions.length === 0) return out;
		const row = change.type === 'DELETE' ? change.oldRecord : change.record;
		// A DELETE carries only the replica identity: filters on other columns cannot match (as on Supabase).
		const identity = new Set(info.replicaFull ? info.columns.map((c) => c.name) : info.primaryKey);
		const params: unknown[] = [JSON.stringify(row ?? {})];
		const exprs: string[] = [];
		const evaluated: Condition[] = [];
		for (const c of conditions) {
			if (change.type === 'DELETE' && !identity.has(c.column)) {
				out.set(c, false);
				continue;
			}
			const col = info.columns.find((x) => x.name === c.column);
			if (!col) {
				out.set(c, false);
				continue;
			}
			exprs.push(`${conditionSql(c, 'r', col.sqlType, params)} as f${exprs.length}`);
			evaluated.push(c);
		}
		if (exprs.length > 0) {
			const target = `${quoteIdent(info.schema)}.${quoteIdent(info.table)}`;
			const { rows } = await this.#db.query<Record<string, boolean>>(
				`select ${exprs.join(', ')} from jsonb_populate_record(null::${target}, $1::jsonb) r`,
				params
			);
			evaluated.forEach((c, i) => out.set(c, rows[0]?.[`f${i}`] === true));
		}
		return out;
	}

	/**
	 * Whether subscribers with these claims may see the change, one entry per claims set: the row
	 * selected again by primary key under each role and claims, all in one call of
	 * `_realtime.visible` (changes.ts), as Supabase Realtime's `realtime.apply_rls` does per WAL
	 * record. Each claims set runs in its own subtransaction, so a failing policy withholds the
	 * change from its own subscribers only.
	 */
	async #visible(info: TableInfo, change: Change, auths: RequestAuth[]): Promise<boolean[]> {
		const target = `${quoteIdent(info.schema)}.${quoteIdent(info.table)}`;
		// A deleted row cannot be selected again, so RLS cannot apply (as on Supabase): the
		// subscriber needs the right to read the table (a null statement), and gets the primary key only.
		let sql: string | null = null;
		const key: Array<string | null> = [];
		if (change.type !== 'DELETE') {
			if (info.primaryKey.length === 0) return auths.map(() => false);
			const where = info.primaryKey.map((k, i) => {
				const col = info.columns.find((c) => c.name === k)!;
				const v = change.record?.[k];
				key.push(
					v === null || v === undefined
						? null
						: typeof v === 'object'
							? JSON.stringify(v)
							: String(v)
				);
				return `${quoteIdent(k)} = ($1 ->> ${i})::${col.sqlType}`;
			});
			sql = `select exists (select 1 from ${target} where ${where.join(' and ')})`;
		}
		const searchPath = [
			...new Set([...this.#config.api.schemas.slice(0, 1), ...this.#config.api.extraSearchPath])
		];
		const { rows } = await this.#trace.time('authorisation', () =>
			this.#db.query<{ ok: boolean; error_code: string | null; message: string | null }>(
				`select ok, error_code, message from _realtime.visible($1::text::regclass, $2, $3::jsonb, $4::jsonb, $5, $6)`,
				[
					target,
					sql,
					JSON.stringify(key),
					JSON.stringify(
						auths.map((a) => ({
							role: a.role,
							claims: JSON.stringify(a.claims),
							sub: typeof a.claims.sub === 'string' ? a.claims.sub : ''
						}))
					),
					searchPath.map((s) => `"${s.replaceAll('"', '""')}"`).join(', '),
					this.#config.api.statementTimeout
				]
			)
		);
		return rows.map((r) => {
			if (r.error_code && r.error_code !== '42501') {
				this.#log(`visibility of ${target}: ${r.message ?? r.error_code}`);
			}
			return r.ok === true;
		});
	}

	#changeData(info: TableInfo, change: Change, select: string[] | null): Record<string, unknown> {
		const wanted = select ? new Set(select) : null;
		const columns = info.columns
			.filter((c) => !wanted || wanted.has(c.name))
			.map((c) => ({ name: c.name, type: c.type }));
		const data: Record<string, unknown> = {
			schema: change.schema,
			table: change.table,
			commit_timestamp: change.commitTimestamp,
			type: change.type,
			columns,
			errors: null
		};
		if (change.type !== 'DELETE') data.record = pick(change.record, select);
		if (change.type !== 'INSERT') {
			// Without replica identity full the old row is its primary key; with RLS on, a DELETE's
			// old row is the primary key even then (Supabase cannot check a deleted row's policies).
			const full = info.replicaFull && !(change.type === 'DELETE' && info.rls);
			const old = full ? change.oldRecord : pick(change.oldRecord, info.primaryKey);
			data.old_record = pick(old, select) ?? {};
		}
		return data;
	}

	/** Who receives `change`, and what each receives. */
	async route<S extends Subscriber>(
		change: Change,
		subscribers: Iterable<S>
	): Promise<Delivery<S>[]> {
		const candidates: Array<{ ch: S; subs: PgSubscription[] }> = [];
		for (const ch of subscribers) {
			const subs = ch.pg.filter((s) => matches(s, change));
			if (subs.length > 0) candidates.push({ ch, subs });
		}
		const out: Delivery<S>[] = [];
		if (candidates.length === 0) return out;
		const info = await this.#feed.table(change.schema, change.table);
		if (!info || !info.publishes[change.type as ChangeType]) return out;
		const conditions = [...new Set(candidates.flatMap((c) => c.subs.flatMap((s) => s.conditions)))];
		const results = await this.#trace.time('conditions', () =>
			this.#evaluateConditions(info, change, conditions)
		);
		const byClaims = new Map<string, Array<{ ch: S; subs: PgSubscription[] }>>();
		for (const c of candidates) {
			const subs = c.subs.filter((s) => s.conditions.every((cond) => results.get(cond) === true));
			if (subs.length === 0) continue;
			const group = byClaims.get(c.ch.claimsKey) ?? [];
			group.push({ ch: c.ch, subs });
			byClaims.set(c.ch.claimsKey, group);
		}
		const groups = [...byClaims.values()];
		if (groups.length === 0) return out;
		const visible = await this.#visible(
			info,
			change,
			groups.map((g) => g[0].ch.auth)
		);
		for (const [i, group] of groups.entries()) {
			if (!visible[i]) continue;
			for (const { ch, subs } of group) {
				const select = subs.every((s) => s.select)
					? [...new Set(subs.flatMap((s) => s.select!))]
					: null;
				out.push({
					subscriber: ch,
					payload: { ids: subs.map((s) => s.id), data: this.#changeData(info, change, select) }
				});
			}
		}
		return out;
	}
}
