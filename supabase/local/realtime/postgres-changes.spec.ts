/**
 * Routing a captured change to its subscribers, on both engines (PostgreSQL 15 when
 * SUPABASE_DB_URL is set): every subscriber's RLS check of one change happens in one call of
 * `_realtime.visible`, under that subscriber's role and claims, and leaves nothing behind; a
 * subscription asked for right after DDL sees the new column.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { applyBaseline } from '../migrate.ts';
import { nativeBackend } from '../../tests/helpers/native.ts';
import type { Database, RuntimeConfig } from '../types.ts';
import { ChangeFeed, type Change } from './changes.ts';
import { PostgresChanges, type Subscriber } from './postgres-changes.ts';

const nativeUrl = process.env.SUPABASE_DB_URL;
const backends = [
	{ name: 'pglite', open: () => openDatabase({ memory: true }), drop: async () => {} },
	...(nativeUrl ? [nativeBackend(nativeUrl, `gw_rt_changes_${process.pid}`)] : [])
];

const SCHEMA = `
create schema rt_spec;
grant usage on schema rt_spec to anon, authenticated;
create table rt_spec.members (user_id uuid primary key);
create table rt_spec.notes (id int primary key, owner uuid, body text);
alter table rt_spec.notes enable row level security;
-- Members read every note; a subscriber whose sub is the "flaky" user makes the policy fail.
create policy "members read" on rt_spec.notes for select to authenticated using (
	case when (select auth.uid()) = '00000000-0000-0000-0000-00000000000f'
	     then 1 / (select count(*)::int from rt_spec.members where false) = 1
	     else exists (select 1 from rt_spec.members m where m.user_id = (select auth.uid())) end
);
grant select on rt_spec.notes, rt_spec.members to authenticated;
alter publication supabase_realtime add table rt_spec.notes;
`;

describe.each(backends)('postgres_changes routing on $name', (backend) => {
	let db: Database;
	let config: RuntimeConfig;
	let feed: ChangeFeed;
	let changes: PostgresChanges;
	const logged: string[] = [];
	const member = randomUUID();
	const outsider = randomUUID();
	const flaky = '00000000-0000-0000-0000-00000000000f';

	beforeAll(async () => {
		db = await backend.open();
		await applyBaseline(db);
		await db.exec(SCHEMA);
		await db.exec(`insert into rt_spec.members values ('${member}'), ('${flaky}')`);
		config = await loadConfig({ memory: true, jwtSecret: 'x'.repeat(64) });
		feed = new ChangeFeed({ db, deliver: async () => {}, wanted: () => false, log: () => {} });
		await feed.start();
		changes = new PostgresChanges({ db, config, feed, log: (l) => logged.push(l) });
	}, 60_000);

	afterAll(async () => {
		await feed?.close();
		await db?.close();
		await backend.drop();
	});

	const subscriber = async (role: string, sub: string | null): Promise<Subscriber> => {
		const claims = sub ? { role, sub } : { role };
		const pg = await changes.parse([{ event: '*', schema: 'rt_spec', table: 'notes' }]);
		return { auth: { role, claims, token: null }, claimsKey: JSON.stringify(claims), pg };
	};

	const change = (type: Change['type'], id: number): Change => ({
		id: '1',
		schema: 'rt_spec',
		table: 'notes',
		type,
		record: type === 'DELETE' ? null : { id, owner: member, body: 'agenda' },
		oldRecord: type === 'INSERT' ? null : { id, owner: member, body: 'agenda' },
		commitTimestamp: new Date().toISOString()
	});

	it('checks each subscriber under its own claims, and a failing policy only withholds from its own', async () => {
		await db.exec(`insert into rt_spec.notes values (1, '${member}', 'agenda')`);
		const subs = {
			member: await subscriber('authenticated', member),
			outsider: await subscriber('authenticated', outsider),
			flaky: await subscriber('authenticated', flaky),
			anon: await subscriber('anon', null)
		};
		const routed = await changes.route(change('INSERT', 1), Object.values(subs));
		expect(routed.map((d) => d.subscriber)).toEqual([subs.member]);
		expect(routed[0].payload.data).toMatchObject({ type: 'INSERT', record: { body: 'agenda' } });
		// The failure is logged; anon's missing grant is a plain no.
		expect(logged).toEqual([
			expect.stringMatching(/visibility of "rt_spec"\."notes": division by zero/)
		]);
		// A DELETE cannot be checked by RLS (the row is gone): the grant decides, as on Supabase.
		const deleted = await changes.route(change('DELETE', 1), Object.values(subs));
		expect(deleted.map((d) => d.subscriber)).toEqual([subs.member, subs.outsider, subs.flaky]);
		expect(deleted[0].payload.data).toMatchObject({ old_record: { id: 1 } });
	});

	it('leaves the connection as it was: role, claims and read-only do not outlive the check', async () => {
		const sub = await subscriber('authenticated', member);
		await changes.route(change('UPDATE', 1), [sub]);
		const { rows } = await db.query<{ role: string; claims: string; ro: string }>(
			`select current_user::text as role, coalesce(current_setting('request.jwt.claims', true), '') as claims,
			        current_setting('transaction_read_only') as ro`
		);
		expect(rows[0]).toEqual({ role: 'postgres', claims: '', ro: 'off' });
		await db.exec(`insert into rt_spec.notes values (2, '${member}', 'still writable')`);
	});

	it('knows a column added just now, before its schema-reload notification arrives', async () => {
		await changes.parse([{ event: '*', schema: 'rt_spec', table: 'notes' }]);
		// DDL whose notification has not come yet: the event trigger that sends it stays quiet.
		await db.transaction(async (tx) => {
			await tx.query(`set local session_replication_role = replica`);
			await tx.query(`alter table rt_spec.notes add column pinned boolean not null default false`);
		});
		const [sub] = await changes.parse([
			{ event: 'UPDATE', schema: 'rt_spec', table: 'notes', filter: 'pinned=eq.true' }
		]);
		expect(sub.conditions).toEqual([expect.objectContaining({ column: 'pinned' })]);
	});
});
