import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/index.ts';
import {
	MigrationError,
	applyBaseline,
	migrate,
	pendingMigrations,
	prepareTemplate,
	reset,
	seed,
	splitStatements
} from './migrate.ts';
import type { Database } from './types.ts';
import { nativeBackend } from '../tests/helpers/native.ts';

const nativeUrl = process.env.SUPABASE_DB_URL;
const backends = [
	{ name: 'pglite', open: () => openDatabase({ memory: true }), drop: async () => {} },
	...(nativeUrl ? [nativeBackend(nativeUrl, `gw_migrate_${process.pid}`)] : [])
];

/** A small supabase/ folder: two migrations, a file the CLI would skip, and a seed. */
function supabaseFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'gw-migrate-'));
	mkdirSync(join(dir, 'migrations'));
	writeFileSync(
		join(dir, 'migrations', '20240101000000_create_teams.sql'),
		`-- Teams; uuid_generate_v4 would need the extensions search path, gen_random_uuid does not.
create table public.teams (
	id uuid primary key default gen_random_uuid(),
	name text not null
);
create schema private;
create function private.team_count() returns bigint language sql stable
as $$ select count(*) from public.teams; $$;
`
	);
	writeFileSync(
		join(dir, 'migrations', '20240102000000_create_members.sql'),
		`create table public.members (
	team_id uuid not null references public.teams on delete cascade,
	user_id uuid not null references auth.users on delete cascade,
	primary key (team_id, user_id)
);
alter table public.members enable row level security;
`
	);
	writeFileSync(join(dir, 'migrations', 'notes.sql'), 'select 1;');
	writeFileSync(join(dir, 'seed.sql'), `insert into public.teams (name) values ('Seeded team');\n`);
	return dir;
}

describe.each(backends)('migrate on $name', (backend) => {
	let db: Database;
	let dir: string;
	let migrations: string;

	beforeAll(async () => {
		dir = supabaseFolder();
		migrations = join(dir, 'migrations');
		db = await backend.open();
		await applyBaseline(db);
	}, 60_000);

	afterAll(async () => {
		await db?.close();
		await backend.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const tables = async () =>
		(
			await db.query<{ name: string }>(
				`select tablename as name from pg_tables where schemaname = 'public' order by 1`
			)
		).rows.map((r) => r.name);

	it('applies migrations in file name order, each recorded like the CLI', async () => {
		const pending = await pendingMigrations(db, migrations);
		expect(pending.map((m) => m.file)).toEqual([
			'20240101000000_create_teams.sql',
			'20240102000000_create_members.sql'
		]);

		const log: string[] = [];
		const applied = await migrate(db, migrations, { log: (l) => log.push(l) });
		expect(applied).toEqual(['20240101000000', '20240102000000']);
		expect(log).toContain('Applying migration 20240101000000_create_teams.sql...');
		expect(log.some((l) => l.includes('Skipping migration notes.sql'))).toBe(true);
		expect(await tables()).toEqual(['members', 'teams']);

		const { rows } = await db.query<{ version: string; name: string; statements: string[] }>(
			'select version, name, statements from supabase_migrations.schema_migrations order by version'
		);
		expect(rows.map((r) => [r.version, r.name, r.statements.length])).toEqual([
			['20240101000000', 'create_teams', 3],
			['20240102000000', 'create_members', 2]
		]);
		expect(rows[0].statements[2]).toMatch(/^create function private\.team_count\(\)[\s\S]*\$\$$/);
	});

	it('applies nothing the second time', async () => {
		expect(await pendingMigrations(db, migrations)).toEqual([]);
		expect(await migrate(db, migrations)).toEqual([]);
	});

	it('rolls back a failing migration entirely and names the file and line', async () => {
		const broken = join(migrations, '20240103000000_half_done.sql');
		const after = join(migrations, '20240104000000_after.sql');
		writeFileSync(
			broken,
			`create table public.half_done (id int);\ninsert into public.half_done values (1);\n` +
				`select missing_column from public.half_done;\n`
		);
		writeFileSync(after, 'create table public.after_broken (id int);\n');
		try {
			const error = await migrate(db, migrations).then(
				() => null,
				(e: unknown) => e
			);
			expect(error).toBeInstanceOf(MigrationError);
			const e = error as MigrationError;
			expect(e.file).toBe('20240103000000_half_done.sql');
			expect(e.code).toBe('42703');
			expect(e.line).toBe(3);
			expect(e.column).toBe(8);
			expect(e.message).toBe(
				'20240103000000_half_done.sql (line 3, column 8): column "missing_column" does not exist'
			);
			// Nothing of it, nor anything after it, is left behind.
			expect(await tables()).toEqual(['members', 'teams']);
			expect((await pendingMigrations(db, migrations)).map((m) => m.version)).toEqual([
				'20240103000000',
				'20240104000000'
			]);
		} finally {
			rmSync(broken);
			rmSync(after);
		}
	});

	it('runs seed.sql when there is one', async () => {
		expect(await seed(db, dir)).toBe(true);
		const { rows } = await db.query<{ name: string }>('select name from public.teams');
		expect(rows).toEqual([{ name: 'Seeded team' }]);
		expect(await seed(db, join(dir, 'migrations'))).toBe(false);
	});

	it('reports a failing seed by file name and leaves its data out', async () => {
		const other = mkdtempSync(join(tmpdir(), 'gw-seed-'));
		try {
			writeFileSync(
				join(other, 'seed.sql'),
				`insert into public.teams (name) values ('Half seeded');\ninsert into public.teams (name) values (null);\n`
			);
			await expect(seed(db, other)).rejects.toMatchObject({
				name: 'MigrationError',
				file: 'seed.sql',
				code: '23502'
			});
			const { rows } = await db.query('select 1 from public.teams where name = $1', [
				'Half seeded'
			]);
			expect(rows).toEqual([]);
		} finally {
			rmSync(other, { recursive: true, force: true });
		}
	});

	it('resets: drops what migrations and users made, then baseline, migrations, seed, reload', async () => {
		await db.exec(
			`insert into public.teams (name) values ('Made by hand');
			 create schema scratch; create table scratch.junk (id int);
			 insert into auth.users (id, email) values (gen_random_uuid(), 'ada@example.org');`
		);
		const payloads: string[] = [];
		const unlisten = await db.listen('pgrst', (p) => payloads.push(p));
		try {
			const applied = await reset(db, dir);
			expect(applied).toEqual(['20240101000000', '20240102000000']);
			await waitFor(() => payloads.includes('reload schema'));
		} finally {
			await unlisten();
		}
		const { rows } = await db.query<Record<string, unknown>>(
			`select (select array_agg(name order by name) from public.teams) as teams,
			        (select count(*)::int from auth.users) as users,
			        to_regnamespace('scratch') is null as scratch_gone,
			        private.team_count()::int as team_count,
			        (select count(*)::int from supabase_migrations.schema_migrations) as recorded,
			        (select rolbypassrls from pg_roles where rolname = 'service_role') as roles_kept`
		);
		expect(rows[0]).toEqual({
			teams: ['Seeded team'],
			users: 0,
			scratch_gone: true,
			team_count: 1,
			recorded: 2,
			roles_kept: true
		});
		// The schema-cache triggers are back too.
		const { rows: triggers } = await db.query<{ n: number }>(
			`select count(*)::int as n from pg_event_trigger where evtname like 'pgrst_%'`
		);
		expect(triggers[0].n).toBe(2);
	}, 30_000);
});

describe('prepareTemplate', () => {
	it('gives a dump that opens as a fresh, migrated database faster than building one', async () => {
		const dir = supabaseFolder();
		try {
			let t = performance.now();
			const template = await prepareTemplate(dir);
			const prepareMs = performance.now() - t;

			t = performance.now();
			const db = await openDatabase({ memory: true, loadDataDir: template });
			const openMs = performance.now() - t;
			try {
				const { rows } = await db.query<{ versions: string[]; teams: number }>(
					`select (select array_agg(version order by version) from supabase_migrations.schema_migrations) as versions,
					        (select count(*)::int from public.teams) as teams`
				);
				// Migrations without seed: tests add their own data.
				expect(rows[0]).toEqual({ versions: ['20240101000000', '20240102000000'], teams: 0 });
			} finally {
				await db.close();
			}
			expect(openMs).toBeLessThan(prepareMs);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});

describe('splitStatements', () => {
	it('splits on semicolons outside strings, identifiers, comments and function bodies', () => {
		const sql = `create table "a;b" (x text default 'it''s; fine'); -- trailing; comment
/* block; /* nested; */ still comment */ select 1;
create function f() returns text language plpgsql as $body$ begin return 'x;y'; end $body$;
create function g() returns int language sql begin atomic
  select case when true then 1 else 2 end; select 3;
end;
select $$;$$ ;`;
		expect(splitStatements(sql)).toEqual([
			`create table "a;b" (x text default 'it''s; fine')`,
			`-- trailing; comment\n/* block; /* nested; */ still comment */ select 1`,
			`create function f() returns text language plpgsql as $body$ begin return 'x;y'; end $body$`,
			`create function g() returns int language sql begin atomic\n  select case when true then 1 else 2 end; select 3;\nend`,
			'select $$;$$'
		]);
	});

	it('keeps a last statement without a semicolon and drops empty ones', () => {
		expect(splitStatements(';; select 1;\n\nselect 2')).toEqual(['select 1', 'select 2']);
	});
});

async function waitFor(ok: () => boolean, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > end) throw new Error('timed out waiting for a notification');
		await new Promise((r) => setTimeout(r, 10));
	}
}
