import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/index.ts';
import { PgliteDatabase } from './db/pglite.ts';
import { applyBaseline } from './migrate.ts';
import type { Database, Tx } from './types.ts';
import { nativeBackend } from '../tests/helpers/native.ts';

/**
 * The baseline on PGlite (with the contrib extensions loaded, as the runtime should open it) and,
 * when SUPABASE_DB_URL is set, on native PostgreSQL in a throwaway database of that cluster.
 */
const nativeUrl = process.env.SUPABASE_DB_URL;
const backends = [
	{
		name: 'pglite',
		open: async () =>
			new PgliteDatabase(await PGlite.create({ extensions: { pgcrypto, uuid_ossp } })) as Database,
		drop: async () => {}
	},
	...(nativeUrl ? [nativeBackend(nativeUrl, `gw_baseline_${process.pid}`)] : [])
];

/** Runs `fn` as `role` with the given claims, the way the REST layer runs a request. */
function as<T>(
	db: Database,
	role: string,
	claims: Record<string, unknown>,
	fn: (tx: Tx) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		await tx.query(
			`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
			[role, JSON.stringify(claims)]
		);
		return fn(tx);
	});
}

describe.each(backends)('baseline on $name', (backend) => {
	let db: Database;

	beforeAll(async () => {
		db = await backend.open();
		await applyBaseline(db);
	}, 60_000);

	afterAll(async () => {
		await db?.close();
		await backend.drop();
	});

	it('applies again without error and without duplicating anything', async () => {
		await applyBaseline(db);
		await applyBaseline(db);
		const { rows } = await db.query<{ n: number }>(
			`select count(*)::int as n from pg_event_trigger where evtname like 'pgrst_%'`
		);
		expect(rows[0].n).toBe(2);
		const { rows: settings } = await db.query<{ setconfig: string[] }>(
			`select d.setconfig from pg_db_role_setting d join pg_roles r on r.oid = d.setrole
			 where r.rolname = 'authenticator' and d.setdatabase = 0`
		);
		expect(settings[0].setconfig).toEqual(
			expect.arrayContaining([
				'statement_timeout=8s',
				'lock_timeout=8s',
				'pgrst.db_schemas=public,graphql_public'
			])
		);
	});

	it('creates the API roles with hosted Supabase attributes', async () => {
		const { rows } = await db.query<Record<string, unknown>>(
			`select rolname, rolcanlogin, rolinherit, rolbypassrls, rolsuper from pg_roles
			 where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')
			 order by rolname`
		);
		expect(rows).toEqual([
			{
				rolname: 'anon',
				rolcanlogin: false,
				rolinherit: true,
				rolbypassrls: false,
				rolsuper: false
			},
			{
				rolname: 'authenticated',
				rolcanlogin: false,
				rolinherit: true,
				rolbypassrls: false,
				rolsuper: false
			},
			{
				rolname: 'authenticator',
				rolcanlogin: true,
				rolinherit: false,
				rolbypassrls: false,
				rolsuper: false
			},
			{
				rolname: 'service_role',
				rolcanlogin: false,
				rolinherit: true,
				rolbypassrls: true,
				rolsuper: false
			}
		]);
		const { rows: members } = await db.query<{ role: string }>(
			`select r.rolname as role from pg_auth_members m
			 join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
			 where u.rolname = 'authenticator' order by 1`
		);
		expect(members.map((m) => m.role)).toEqual(['anon', 'authenticated', 'service_role']);
		const { rows: timeouts } = await db.query<{ rolname: string; setconfig: string[] }>(
			`select r.rolname, d.setconfig from pg_db_role_setting d join pg_roles r on r.oid = d.setrole
			 where r.rolname in ('anon', 'authenticated') and d.setdatabase = 0 order by 1`
		);
		expect(timeouts).toEqual([
			{ rolname: 'anon', setconfig: ['statement_timeout=3s'] },
			{ rolname: 'authenticated', setconfig: ['statement_timeout=8s'] }
		]);
	});

	it('auth.uid() reads the sub claim from request.jwt.claims and from the legacy setting', async () => {
		const sub = '8d0fd2b3-9ca7-4f0b-9f5e-2a1c1b9c0a11';
		const fromClaims = await as(
			db,
			'authenticated',
			{ sub, role: 'authenticated', email: 'ada@example.org' },
			async (tx) =>
				(
					await tx.query(
						`select auth.uid()::text as uid, auth.role() as role, auth.email() as email,
						        auth.jwt() ->> 'email' as jwt_email`
					)
				).rows[0]
		);
		expect(fromClaims).toEqual({
			uid: sub,
			role: 'authenticated',
			email: 'ada@example.org',
			jwt_email: 'ada@example.org'
		});

		const legacy = await db.transaction(async (tx) => {
			await tx.query(`select set_config('request.jwt.claim.sub', $1, true)`, [sub]);
			return (await tx.query(`select auth.uid()::text as uid`)).rows[0];
		});
		expect(legacy).toEqual({ uid: sub });

		// An anonymous request (empty claims, as request-tx.ts sets them) has no user.
		const anon = await db.transaction(async (tx) => {
			await tx.query(
				`select set_config('request.jwt.claim.sub', '', true),
				        set_config('request.jwt.claims', '{"role":"anon"}', true), set_config('role', 'anon', true)`
			);
			return (await tx.query(`select auth.uid() as uid, auth.role() as role`)).rows[0];
		});
		expect(anon).toEqual({ uid: null, role: 'anon' });
	});

	it('keeps auth tables away from anon and authenticated', async () => {
		for (const role of ['anon', 'authenticated']) {
			await expect(
				as(db, role, { role }, (tx) => tx.query('select id from auth.users'))
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				as(db, role, { role }, (tx) => tx.query('select token from auth.refresh_tokens'))
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('grants new public tables to the API roles so that RLS decides', async () => {
		await db.exec(
			`create table public.baseline_notes (id uuid primary key default gen_random_uuid(),
			   owner uuid, body text);
			 insert into public.baseline_notes (owner, body) values
			   ('8d0fd2b3-9ca7-4f0b-9f5e-2a1c1b9c0a11', 'mine'), (gen_random_uuid(), 'theirs');`
		);
		const owner = '8d0fd2b3-9ca7-4f0b-9f5e-2a1c1b9c0a11';
		const read = (role: string) =>
			as(db, role, { role, sub: owner }, async (tx) =>
				(
					await tx.query<{ body: string }>('select body from public.baseline_notes order by body')
				).rows.map((r) => r.body)
			);
		// Grants alone: without RLS every role sees every row.
		expect(await read('anon')).toEqual(['mine', 'theirs']);

		await db.exec(
			`alter table public.baseline_notes enable row level security;
			 create policy "Owners read their notes" on public.baseline_notes for select
			   to authenticated using ((select auth.uid()) = owner);`
		);
		expect(await read('anon')).toEqual([]);
		expect(await read('authenticated')).toEqual(['mine']);
		expect(await read('service_role')).toEqual(['mine', 'theirs']);
		await db.exec('drop table public.baseline_notes');
	});

	it('installs uuid-ossp and pgcrypto in extensions, usable by the API roles', async () => {
		const row = await as(
			db,
			'anon',
			{ role: 'anon' },
			async (tx) =>
				(
					await tx.query<{ v4: string; crypt: string }>(
						`select extensions.uuid_generate_v4()::text as v4,
					        extensions.crypt('secret', extensions.gen_salt('bf', 4)) as crypt`
					)
				).rows[0]
		);
		expect(row.v4).toMatch(/^[0-9a-f-]{36}$/);
		expect(row.crypt).toMatch(/^\$2a\$04\$/);
	});

	it('notifies pgrst to reload the schema after DDL, but not for auth-internal DDL', async () => {
		const payloads: string[] = [];
		const unlisten = await db.listen('pgrst', (p) => payloads.push(p));
		try {
			await db.exec(
				'create table auth.baseline_internal (id int); drop table auth.baseline_internal'
			);
			await sleep(100);
			expect(payloads).toEqual([]);

			await db.exec('create table public.baseline_watched (id int)');
			await waitFor(() => payloads.length > 0);
			expect(payloads[0]).toBe('reload schema');

			payloads.length = 0;
			await db.exec('drop table public.baseline_watched');
			await waitFor(() => payloads.length > 0);
			expect(payloads[0]).toBe('reload schema');
		} finally {
			await unlisten();
		}
	});

	it('has the table the CLI records migrations in', async () => {
		const { rows } = await db.query<{ column_name: string; data_type: string }>(
			`select column_name, data_type from information_schema.columns
			 where table_schema = 'supabase_migrations' and table_name = 'schema_migrations'
			 order by ordinal_position`
		);
		expect(rows).toEqual([
			{ column_name: 'version', data_type: 'text' },
			{ column_name: 'statements', data_type: 'ARRAY' },
			{ column_name: 'name', data_type: 'text' }
		]);
	});
});

describe('baseline on PGlite opened by openDatabase', () => {
	it('applies whether or not the contrib extensions are loaded, and gen_random_uuid() works', async () => {
		const db = await openDatabase({ memory: true });
		try {
			await applyBaseline(db);
			const { rows } = await db.query<{ installed: boolean; available: boolean; uuid: string }>(
				`select exists (select from pg_extension where extname = 'pgcrypto') as installed,
				        exists (select from pg_available_extensions where name = 'pgcrypto') as available,
				        gen_random_uuid()::text as uuid`
			);
			expect(rows[0].uuid).toMatch(/^[0-9a-f-]{36}$/);
			// Installed exactly when PGlite was given the extension (PGliteOptions.extensions).
			expect(rows[0].installed).toBe(rows[0].available);
		} finally {
			await db.close();
		}
	}, 60_000);
});

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(ok: () => boolean, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > end) throw new Error('timed out waiting for a notification');
		await sleep(10);
	}
}
