/**
 * Change capture for postgres_changes. Hosted Supabase reads the WAL through logical replication;
 * PGlite has none, so the runtime installs its own row trigger on every table in the publication
 * `supabase_realtime`. The trigger (in the runtime-only schema `_realtime`, never exposed to the
 * API) queues the old and new rows and notifies `_realtime`; notifications arrive only after the
 * writing transaction commits, so a rolled-back change is never seen. The same works on native
 * PostgreSQL, where LISTEN uses a dedicated connection.
 *
 * The queue is drained by deleting what it returns, so rows committed out of id order (concurrent
 * transactions on PostgreSQL) are still picked up on the next notification.
 */
import type { Database } from '../types.ts';
import { quoteIdent } from './filters.ts';
import type { Trace } from './trace.ts';

const CHANNEL = '_realtime';
const TRIGGER = '_realtime_capture';
const BATCH = 200;

const INSTALL = `
create schema if not exists _realtime;
revoke all on schema _realtime from public;
comment on schema _realtime is 'Groundwork local runtime: postgres_changes capture queue (not exposed to the API).';
create table if not exists _realtime.changes (
	id bigserial primary key,
	schema_name text not null,
	table_name text not null,
	op text not null,
	record jsonb,
	old_record jsonb,
	changed_at timestamptz not null default clock_timestamp()
);
-- Unreachable from the API (no grants on the schema), and deny-by-default should that change.
alter table _realtime.changes enable row level security;
comment on table _realtime.changes is 'Rows changed in tables of the supabase_realtime publication, until the runtime delivers them.';
-- security definer: the writer (anon, authenticated) has no rights on the queue, only the runtime does.
create or replace function _realtime.capture() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into _realtime.changes (schema_name, table_name, op, record, old_record)
	values (
		tg_table_schema,
		tg_table_name,
		tg_op,
		case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end,
		case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end
	);
	perform pg_notify('${CHANNEL}', '');
	return null;
end;
$$;
-- Who of several subscribers may see a changed row, in one call (one round trip per change, as
-- Supabase Realtime's realtime.apply_rls): for each subscriber, the role and claims are set as a
-- request sets them and \`visible_sql\` (the row selected again by its key, $1 the key's values)
-- runs under them; one subscriber's failing policy is caught and reported on its own row. Only the
-- runtime calls it (no grants on the schema); security invoker, so the role switch is allowed.
create or replace function _realtime.visible(
	target regclass, visible_sql text, key jsonb, auths jsonb, search_path text, statement_timeout text
) returns table (ok boolean, error_code text, message text)
language plpgsql volatile
as $$
declare
	a jsonb;
	readers text[];
begin
	select coalesce(pg_catalog.array_agg(r), '{}') into readers
	  from (select distinct x ->> 'role' as r from pg_catalog.jsonb_array_elements(auths) x) t
	 where pg_catalog.has_table_privilege(r, target, 'select');
	perform pg_catalog.set_config('search_path', search_path, true),
	        pg_catalog.set_config('statement_timeout', statement_timeout, true),
	        pg_catalog.set_config('transaction_read_only', 'on', true);
	-- By index, not over a query: a cursor would fetch its rows under the subscriber's role.
	for i in 0 .. pg_catalog.jsonb_array_length(auths) - 1 loop
		a := auths -> i;
		ok := false;
		error_code := null;
		message := null;
		if not (a ->> 'role') = any (readers) then
			error_code := '42501';
		elsif visible_sql is null then
			ok := true;
		else
			begin
				perform pg_catalog.set_config('role', a ->> 'role', true),
				        pg_catalog.set_config('request.jwt.claims', a ->> 'claims', true),
				        pg_catalog.set_config('request.jwt.claim.sub', a ->> 'sub', true),
				        pg_catalog.set_config('request.jwt.claim.role', a ->> 'role', true);
				execute visible_sql into ok using key;
				ok := coalesce(ok, false);
				perform pg_catalog.set_config('role', 'none', true);
			exception when others then
				-- The subtransaction's rollback has put the role back.
				ok := false;
				error_code := sqlstate;
				message := sqlerrm;
			end;
		end if;
		return next;
	end loop;
end;
$$;
comment on function _realtime.visible(regclass, text, jsonb, jsonb, text, text) is 'Groundwork local runtime: postgres_changes visibility of one changed row for several subscribers (role and claims each), in one call.';
`;

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';

export interface Change {
	id: string;
	schema: string;
	table: string;
	type: ChangeType;
	record: Record<string, unknown> | null;
	oldRecord: Record<string, unknown> | null;
	/** When the row changed, ISO 8601 in UTC with milliseconds, as Realtime formats it. */
	commitTimestamp: string;
}

export interface Column {
	name: string;
	/** The type's name as Realtime reports it (`int4`, `uuid`, `_text`). */
	type: string;
	/** The SQL type to cast values to (`integer`, `uuid`, `text[]`). */
	sqlType: string;
}

export interface TableInfo {
	schema: string;
	table: string;
	columns: Column[];
	primaryKey: string[];
	/** `alter table … replica identity full`: DELETE and UPDATE carry the whole old row. */
	replicaFull: boolean;
	rls: boolean;
	/** Which operations the publication publishes (its `publish` option). */
	publishes: Record<ChangeType, boolean>;
}

interface ChangeRow {
	id: string;
	schema_name: string;
	table_name: string;
	op: ChangeType;
	record: Record<string, unknown> | null;
	old_record: Record<string, unknown> | null;
	changed_at: string;
}

export interface ChangeFeedOptions {
	db: Database;
	/** Called once per change, in commit order per table; errors are logged, never thrown. */
	deliver: (change: Change) => Promise<void>;
	/** Whether anyone subscribes to changes at all (otherwise the queue is just emptied). */
	wanted: () => boolean;
	log?: (line: string) => void;
	trace?: Trace;
}

function isoUtc(ts: string): string {
	const d = new Date(ts);
	return Number.isNaN(d.getTime()) ? ts : d.toISOString();
}

export class ChangeFeed {
	#db: Database;
	#opts: ChangeFeedOptions;
	#tables = new Map<string, Promise<TableInfo | null>>();
	#unlisten: Array<() => Promise<void>> = [];
	#pumping: Promise<void> | null = null;
	#again = false;
	#syncing: Promise<void> | null = null;
	#resync = false;
	#closed = false;

	constructor(opts: ChangeFeedOptions) {
		this.#db = opts.db;
		this.#opts = opts;
	}

	async start(): Promise<void> {
		await this.#db.exec(INSTALL);
		// What was queued while no runtime was listening has no subscriber left to receive it.
		await this.#db.exec('truncate _realtime.changes');
		this.#unlisten.push(await this.#db.listen(CHANNEL, () => this.pump()));
		this.#unlisten.push(
			await this.#db.listen('pgrst', () => {
				this.#tables.clear();
				this.sync().catch((e: unknown) => this.#log(`sync: ${String(e)}`));
			})
		);
		await this.sync();
	}

	#log(line: string): void {
		(this.#opts.log ?? ((l: string) => console.error(`[realtime] ${l}`)))(line);
	}

	/**
	 * Puts the capture trigger on every table of the publication and takes it off tables that left
	 * it. Runs after migrations (they notify pgrst), on start, and whenever a subscription asks for
	 * a table. Concurrent calls share one run, plus one more if asked for during it.
	 */
	sync(): Promise<void> {
		if (this.#syncing) {
			this.#resync = true;
			return this.#syncing;
		}
		this.#syncing = (async () => {
			try {
				do {
					this.#resync = false;
					await this.#syncOnce();
				} while (this.#resync && !this.#closed);
			} finally {
				this.#syncing = null;
			}
		})();
		return this.#syncing;
	}

	async #syncOnce(): Promise<void> {
		const { rows } = await this.#db.query<{ schema: string; table: string; add: boolean }>(
			`select n.nspname as schema, c.relname as table, true as add
			   from pg_publication_tables p
			   join pg_namespace n on n.nspname = p.schemaname
			   join pg_class c on c.relnamespace = n.oid and c.relname = p.tablename
			  where p.pubname = 'supabase_realtime' and c.relkind = 'r'
			    and not exists (select from pg_trigger t where t.tgrelid = c.oid and t.tgname = $1)
			 union all
			 select n.nspname, c.relname, false
			   from pg_trigger t
			   join pg_class c on c.oid = t.tgrelid
			   join pg_namespace n on n.oid = c.relnamespace
			  where t.tgname = $1
			    and not exists (select from pg_publication_tables p
			                     where p.pubname = 'supabase_realtime'
			                       and p.schemaname = n.nspname and p.tablename = c.relname)`,
			[TRIGGER]
		);
		for (const r of rows) {
			const target = `${quoteIdent(r.schema)}.${quoteIdent(r.table)}`;
			await this.#db.exec(
				r.add
					? `create trigger ${TRIGGER} after insert or update or delete on ${target}
					   for each row execute function _realtime.capture()`
					: `drop trigger if exists ${TRIGGER} on ${target}`
			);
			this.#tables.delete(`${r.schema}.${r.table}`);
		}
	}

	/**
	 * Columns, keys, replica identity and publication flags of a table; null if it is not published.
	 * Cached until the next `NOTIFY pgrst`; `fresh` reads the catalog again (on native PostgreSQL the
	 * notification of DDL just committed may not have arrived yet).
	 */
	table(schema: string, table: string, fresh = false): Promise<TableInfo | null> {
		const key = `${schema}.${table}`;
		let info = fresh ? undefined : this.#tables.get(key);
		if (!info) {
			info = this.#loadTable(schema, table);
			this.#tables.set(key, info);
			info.catch(() => this.#tables.delete(key));
		}
		return info;
	}

	async #loadTable(schema: string, table: string): Promise<TableInfo | null> {
		const { rows } = await this.#db.query<{
			columns: Column[];
			primary_key: string[] | null;
			replica_full: boolean;
			rls: boolean;
			ins: boolean;
			upd: boolean;
			del: boolean;
		}>(
			`select
			   (select json_agg(json_build_object('name', a.attname, 'type', t.typname,
			                    'sqlType', format_type(a.atttypid, a.atttypmod)) order by a.attnum)
			      from pg_attribute a join pg_type t on t.oid = a.atttypid
			     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
			   (select json_agg(a.attname order by array_position(i.indkey::int2[], a.attnum))
			      from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
			     where i.indrelid = c.oid and i.indisprimary) as primary_key,
			   c.relreplident = 'f' as replica_full,
			   c.relrowsecurity as rls,
			   p.pubinsert as ins, p.pubupdate as upd, p.pubdelete as del
			 from pg_class c
			 join pg_namespace n on n.oid = c.relnamespace
			 join pg_publication p on p.pubname = 'supabase_realtime'
			 where n.nspname = $1 and c.relname = $2
			   and exists (select from pg_publication_tables pt
			                where pt.pubname = p.pubname and pt.schemaname = n.nspname and pt.tablename = c.relname)`,
			[schema, table]
		);
		const r = rows[0];
		if (!r) return null;
		return {
			schema,
			table,
			columns: r.columns ?? [],
			primaryKey: r.primary_key ?? [],
			replicaFull: r.replica_full,
			rls: r.rls,
			publishes: { INSERT: r.ins, UPDATE: r.upd, DELETE: r.del }
		};
	}

	/** Drains the queue; a notification during a run makes it run once more. */
	pump(): void {
		if (this.#closed) return;
		if (this.#pumping) {
			this.#again = true;
			return;
		}
		this.#pumping = (async () => {
			try {
				do {
					this.#again = false;
					await this.#drain();
				} while (this.#again && !this.#closed);
			} catch (e) {
				if (!this.#closed) this.#log(`queue: ${String(e)}`);
			} finally {
				this.#pumping = null;
			}
		})();
	}

	async #drain(): Promise<void> {
		for (;;) {
			if (!this.#opts.wanted()) {
				await this.#db.exec('delete from _realtime.changes');
				return;
			}
			const { rows } = await this.#db.query<ChangeRow>(
				`delete from _realtime.changes
				  where id in (select id from _realtime.changes order by id limit ${BATCH})
				  returning id::text, schema_name, table_name, op, record, old_record, changed_at::text`
			);
			rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
			for (const r of rows) {
				if (this.#opts.trace?.on) {
					this.#opts.trace.add('capture', Date.now() - new Date(r.changed_at).getTime());
				}
				try {
					await this.#opts.deliver({
						id: r.id,
						schema: r.schema_name,
						table: r.table_name,
						type: r.op,
						record: r.record,
						oldRecord: r.old_record,
						commitTimestamp: isoUtc(r.changed_at)
					});
				} catch (e) {
					this.#log(`deliver ${r.schema_name}.${r.table_name}: ${String(e)}`);
				}
			}
			if (rows.length < BATCH || this.#closed) return;
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		for (const u of this.#unlisten) await u().catch(() => {});
		this.#unlisten = [];
		await this.#pumping;
		await this.#syncing?.catch(() => {});
	}
}
