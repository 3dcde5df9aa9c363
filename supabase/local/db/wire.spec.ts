import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../types.ts';
import { openDatabase } from './index.ts';
import { startWireServer, type WireServer } from './wire.ts';

const run = promisify(execFile);

let db: Database;
let wire: WireServer;

function client(extra: Partial<pg.ClientConfig> = {}): pg.Client {
	return new pg.Client({
		host: '127.0.0.1',
		port: wire.port,
		user: 'postgres',
		password: 'postgres',
		database: 'postgres',
		ssl: false,
		...extra
	});
}

async function connected(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
	const c = client(extra);
	await c.connect();
	return c;
}

/** Resolves to 'pending' if `p` has not settled after `ms`. */
function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
	return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

beforeAll(async () => {
	db = await openDatabase({ memory: true });
	await db.exec(`create table notes (id int primary key, body text);
		create schema other; create table other.notes (id int, body text);
		create role reader nologin; grant usage on schema public to reader;`);
	wire = await startWireServer(db, { queueTimeoutMs: 2000, idleInTransactionTimeoutMs: 0 });
}, 30_000);

afterAll(async () => {
	await wire?.close();
	await db?.close();
});

describe('wire server', { timeout: 20_000 }, () => {
	it('answers simple and extended queries from pg', async () => {
		const c = await connected();
		try {
			const simple = await c.query('select 1 as one; select 2 as two');
			expect((simple as unknown as pg.QueryResult[]).map((r) => r.rows[0])).toEqual([
				{ one: 1 },
				{ two: 2 }
			]);
			const ext = await c.query('select $1::int + 1 as n, $2::text as t', [41, 'hi']);
			expect(ext.rows).toEqual([{ n: 42, t: 'hi' }]);
			await expect(c.query('select * from nope')).rejects.toMatchObject({ code: '42P01' });
			// The session is usable after an error.
			expect((await c.query('select 3 as x')).rows).toEqual([{ x: 3 }]);
		} finally {
			await c.end();
		}
	});

	it('refuses COPY FROM STDIN with an error instead of crashing PGlite', async () => {
		const c = await connected();
		try {
			await expect(c.query('copy notes (id, body) from stdin')).rejects.toMatchObject({
				code: '0A000',
				message: expect.stringMatching(/COPY FROM STDIN is not supported/)
			});
			await expect(
				c.query({
					text: 'copy notes from stdin with (format csv)',
					values: [],
					queryMode: 'extended'
				} as pg.QueryConfig)
			).rejects.toMatchObject({ code: '0A000' });
			await c.query('begin');
			await expect(c.query('COPY notes FROM STDIN')).rejects.toMatchObject({ code: '0A000' });
			await c.query('rollback');
			// COPY TO STDOUT works.
			expect((await c.query('copy (select 1) to stdout')).rowCount).toBe(1);
			expect((await c.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
		} finally {
			await c.end();
		}
	});

	it('keeps an open wire transaction apart from API transactions, both ways', async () => {
		const c = await connected();
		try {
			await c.query('begin');
			await c.query(`insert into notes values (1, 'wire, uncommitted')`);

			// The API waits for the wire transaction instead of running inside it.
			const api = db.transaction(async (tx) => {
				const seen = await tx.query<{ n: string }>('select count(*)::text as n from notes');
				await tx.query(`insert into notes values (2, 'api')`);
				return seen.rows[0].n;
			});
			expect(await settledWithin(api, 300)).toBe('pending');

			// The wire client still sees its own work, not the API's.
			const mine = await c.query('select id from notes order by id');
			expect(mine.rows).toEqual([{ id: 1 }]);
			await c.query('rollback');

			// Once the wire transaction ended, the API ran alone and committed.
			expect(await api).toBe('0');
			expect((await c.query('select id from notes order by id')).rows).toEqual([{ id: 2 }]);

			// And a wire statement never runs inside an API transaction.
			let release!: () => void;
			const gate = new Promise<void>((r) => (release = r));
			const apiTx = db.transaction(async (tx) => {
				await tx.query(`insert into notes values (3, 'api, open')`);
				await gate;
				throw new Error('roll back');
			});
			await new Promise((r) => setTimeout(r, 50));
			const wireRead = c.query('select count(*)::int as n from notes');
			expect(await settledWithin(wireRead, 200)).toBe('pending');
			release();
			await expect(apiTx).rejects.toThrow('roll back');
			expect((await wireRead).rows).toEqual([{ n: 1 }]);
		} finally {
			await c.end();
		}
		await db.exec('truncate notes');
	});

	it('keeps SET, SET ROLE, prepared statements and temp tables from the next client and the API', async () => {
		const a = await connected({ application_name: 'first' });
		await a.query('set search_path = other');
		await a.query('set role reader');
		await a.query(`set statement_timeout = '5s'`);
		await a.query('create temp table scratch (x int)');
		await a.query({ name: 'stmt', text: 'select 1 as one' });
		// Between two messages of the wire client the API runs with a clean session.
		const api = await db.transaction((tx) =>
			tx.query<{ role: string; path: string; timeout: string }>(
				`select current_user as role, current_setting('search_path') as path,
				        current_setting('statement_timeout') as timeout`
			)
		);
		expect(api.rows[0]).toEqual({ role: 'postgres', path: 'public', timeout: '0' });
		// … and the wire client still has its own settings.
		const own = await a.query(
			`select current_user as role, current_setting('search_path') as path`
		);
		expect(own.rows[0]).toEqual({ role: 'reader', path: 'other' });
		await a.query('reset role; set session authorization reader');
		const api2 = await db.query<{ who: string }>('select session_user::text as who');
		expect(api2.rows[0].who).toBe('postgres');
		const own2 = await a.query('select session_user::text as who, current_user::text as role');
		expect(own2.rows[0]).toEqual({ who: 'reader', role: 'reader' });
		await a.end();

		const b = await connected();
		try {
			const r = await b.query(
				`select current_user as role, current_setting('search_path') as path,
				        current_setting('statement_timeout') as timeout,
				        current_setting('application_name') as app,
				        (select count(*)::int from pg_prepared_statements) as prepared,
				        to_regclass('pg_temp.scratch')::text as scratch`
			);
			expect(r.rows[0]).toEqual({
				role: 'postgres',
				path: 'public',
				timeout: '0',
				app: '',
				prepared: 0,
				scratch: null
			});
		} finally {
			await b.end();
		}
		const after = await db.query<{ role: string; path: string }>(
			`select current_user as role, current_setting('search_path') as path`
		);
		expect(after.rows[0]).toEqual({ role: 'postgres', path: 'public' });
	});

	it('rolls back the transaction of a client that disconnects', async () => {
		const c = await connected();
		await c.query('begin');
		await c.query(`insert into notes values (10, 'lost')`);
		c.on('error', () => {});
		c.connection.stream.destroy();
		const r = await db.query<{ n: number }>('select count(*)::int as n from notes');
		expect(r.rows[0].n).toBe(0);
	});

	it('serves one client at a time: a second one waits, then errors clearly after the timeout', async () => {
		const a = await connected();
		try {
			const b = client();
			b.on('error', () => {});
			await expect(b.connect()).rejects.toThrow(/one client at a time/);
		} finally {
			await a.end();
		}
		const c = client();
		const d = client();
		await c.connect();
		const waiting = d.connect();
		expect(await settledWithin(waiting, 100)).toBe('pending');
		await c.end();
		await waiting;
		expect((await d.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
		await d.end();
	});

	it('delivers NOTIFY sent from the wire port to API listeners', async () => {
		const got: string[] = [];
		const stop = await db.listen('pgrst', (p) => got.push(p));
		const c = await connected();
		try {
			await c.query(`notify pgrst, 'reload schema'`);
			await db.query(`notify pgrst, 'from api'`);
			await new Promise((r) => setTimeout(r, 20));
			expect(got).toEqual(['reload schema', 'from api']);
		} finally {
			await c.end();
			await stop();
		}
	});

	it('disconnects a client left idle in a transaction after the timeout', async () => {
		const strict = await startWireServer(db, { idleInTransactionTimeoutMs: 200 });
		try {
			const c = new pg.Client({ host: '127.0.0.1', port: strict.port, user: 'postgres' });
			const errors: Error[] = [];
			c.on('error', (e) => errors.push(e));
			await c.connect();
			await c.query('begin');
			await c.query(`insert into notes values (20, 'abandoned')`);
			// The API waits, then runs once the idle transaction was ended and rolled back.
			const started = Date.now();
			const r = await db.query<{ n: number }>('select count(*)::int as n from notes');
			expect(r.rows[0].n).toBe(0);
			expect(Date.now() - started).toBeGreaterThanOrEqual(150);
			await new Promise((r) => setTimeout(r, 20));
			expect(errors.map((e) => e.message).join()).toMatch(/idle-in-transaction timeout/);
		} finally {
			await strict.close();
		}
	});

	it.skipIf(!existsSync('/usr/bin/psql'))(
		'lets psql connect (skipped when psql is not installed)',
		async () => {
			const { stdout } = await run('/usr/bin/psql', [
				`postgresql://postgres:postgres@127.0.0.1:${wire.port}/postgres?sslmode=disable`,
				'-Atc',
				'select 40 + 2'
			]);
			expect(stdout.trim()).toBe('42');
		}
	);
});
