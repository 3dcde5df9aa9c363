import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/pg-cluster.ts';

const run = promisify(execFile);
const cli = (args: string[]) =>
	run(process.execPath, ['--import', 'tsx', 'supabase/local/cli.ts', ...args], {
		env: { ...process.env, SUPABASE_DB_URL: '' },
		timeout: 120_000
	});

function parseEnv(out: string): Record<string, string> {
	return Object.fromEntries(
		out
			.trim()
			.split('\n')
			.map((l) => /^([A-Z_]+)="(.*)"$/.exec(l))
			.filter((m): m is RegExpExecArray => m !== null)
			.map((m) => [m[1], m[2]])
	);
}

// The CLI is what volunteers type; these tests drive it as a separate process on PGlite. They are
// skipped in the native PostgreSQL pass because they start their own PGlite stacks and do not use
// SUPABASE_DB_URL: running them twice would test the same thing.
describe.skipIf(process.env.SUPABASE_DB_URL)('npm run supabase (CLI)', { timeout: 180_000 }, () => {
	let workdir: string;
	let ports: string[];

	beforeAll(async () => {
		workdir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
		ports = [
			'--api-port',
			String(await freePort()),
			'--db-port',
			String(await freePort()),
			'--mail-port',
			String(await freePort())
		];
	});

	afterAll(async () => {
		await cli(['stop', '--workdir', workdir]).catch(() => {});
		rmSync(workdir, { recursive: true, force: true });
	});

	it('starts, reports its settings as env lines, and serves the API and psql', async () => {
		await cli(['start', '--workdir', workdir, ...ports]);
		const { stdout } = await cli(['status', '-o', 'env', '--workdir', workdir]);
		const env = parseEnv(stdout);
		expect(Object.keys(env)).toEqual(
			expect.arrayContaining([
				'API_URL',
				'DB_URL',
				'ANON_KEY',
				'SERVICE_ROLE_KEY',
				'JWT_SECRET',
				'INBUCKET_URL'
			])
		);
		const health = await fetch(`${env.API_URL}/auth/v1/health`, {
			headers: { apikey: env.ANON_KEY }
		});
		expect(health.status).toBe(200);

		const client = new pg.Client({ connectionString: env.DB_URL });
		await client.connect();
		const { rows } = await client.query<{ version: string }>(
			'select version from supabase_migrations.schema_migrations order by version limit 1'
		);
		await client.query('create table public.scratch (id int)');
		await client.end();
		expect(rows.length).toBe(1);

		const psql = '/usr/bin/psql';
		if (existsSync(psql)) {
			const r = spawnSync(psql, [env.DB_URL, '-tAc', 'select 40 + 2'], { encoding: 'utf8' });
			expect(r.stdout.trim()).toBe('42');
		}
	});

	it('is idempotent: a second start reports the running stack', async () => {
		const { stdout } = await cli(['start', '--workdir', workdir, ...ports]);
		expect(stdout).toContain('already running');
	});

	it('refuses a second process on the same data folder with a clear message', async () => {
		const other = [
			'--api-port',
			String(await freePort()),
			'--db-port',
			String(await freePort()),
			'--mail-port',
			String(await freePort())
		];
		const r = await cli(['start', '--foreground', '--workdir', workdir, ...other]).then(
			() => null,
			(e: { stderr: string; stdout: string }) => e
		);
		// start --foreground sees the healthy stack first; serve must fail on the lock.
		const serve = await run(
			process.execPath,
			['--import', 'tsx', 'supabase/local/cli.ts', 'serve', '--workdir', workdir, ...other],
			{
				env: { ...process.env, SUPABASE_DB_URL: '' },
				timeout: 60_000
			}
		).then(
			() => null,
			(e: { stderr: string; stdout: string }) => e
		);
		expect(r).toBeNull();
		expect(serve).not.toBeNull();
		expect(`${serve?.stderr}${serve?.stdout}`).toMatch(/in use by process \d+/);
	});

	it('db reset drops what was added by hand and keeps the migrations', async () => {
		await cli(['db', 'reset', '--workdir', workdir, ...ports]);
		const env = parseEnv((await cli(['status', '-o', 'env', '--workdir', workdir])).stdout);
		const client = new pg.Client({ connectionString: env.DB_URL });
		await client.connect();
		const scratch = await client.query(`select to_regclass('public.scratch') as t`);
		const migrations = await client.query(
			'select count(*)::int as n from supabase_migrations.schema_migrations'
		);
		await client.end();
		expect(scratch.rows[0].t).toBeNull();
		expect(migrations.rows[0].n).toBeGreaterThan(0);
	});

	it('stops, and status then says it is not running', async () => {
		const { stdout } = await cli(['stop', '--workdir', workdir]);
		expect(stdout).toContain('stopped');
		const status = await cli(['status', '--workdir', workdir]).then(
			() => null,
			(e: { stderr: string }) => e
		);
		expect(status?.stderr).toContain('not running');
	});
});
