import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../types.ts';
import { dumpDataDir, isDatabaseError, isPglite, openDatabase, pgliteOf } from './index.ts';

// Native PostgreSQL runs only when a server is given (CI starts a throwaway PostgreSQL 15 and sets
// SUPABASE_DB_URL); without one there is nothing to connect to, so that engine is skipped.
const dbUrl = process.env.SUPABASE_DB_URL;
const engines = [
	{ name: 'pglite', open: () => openDatabase({ memory: true }), skip: false },
	{ name: 'postgres', open: () => openDatabase({ dbUrl }), skip: !dbUrl }
];

const suffix = `${process.pid}_${Date.now().toString(36)}`;

for (const engine of engines) {
	describe.skipIf(engine.skip)(`database on ${engine.name}`, { timeout: 20_000 }, () => {
		let db: Database;
		const t = `db_spec_${suffix}`;

		beforeAll(async () => {
			db = await engine.open();
			await db.exec(`drop table if exists ${t};
				create table ${t} (id int primary key, body text not null,
					constraint body_not_empty check (body <> ''));`);
		}, 30_000);

		afterAll(async () => {
			await db?.exec(`drop table if exists ${t}`);
			await db?.close();
		});

		it('reports its kind', () => {
			expect(db.kind).toBe(engine.name);
			expect(isPglite(db)).toBe(engine.name === 'pglite');
		});

		it('returns the same JS values on both engines', async () => {
			const r = await db.query(
				`select 1::int2 as i2, 2::int4 as i4, 9007199254740993::int8 as i8, 1.50::numeric as num,
				        1.5::float8 as f8, 'NaN'::float8 as nan, true as yes, null::text as nothing,
				        'héllo'::text as txt, '6b3c2a0e-9a0f-4b8e-8d8f-0e3a5c1b2d4f'::uuid as id,
				        '{"a":[1,"x",null]}'::jsonb as jb, '[1, 2]'::json as js,
				        '2024-01-31 12:34:56.123456+02'::timestamptz as ts,
				        '2024-01-31 12:34:56'::timestamp as ts_local, '2024-02-29'::date as day,
				        '1 day 02:00:00'::interval as iv, '\\x00ff'::bytea as bin,
				        array[1, null, 3]::int4[] as ints, array['a', 'b "c"', null]::text[] as texts,
				        array[10000000000]::int8[] as bigs, array['{"k":1}']::jsonb[] as jbs,
				        array[array[1, 2], array[3, 4]] as matrix, 'x'::name as nm,
				        'a'::"char" as ch, int4range(1, 5) as rng, 17::oid as o`
			);
			expect(r.rows).toEqual([
				{
					i2: 1,
					i4: 2,
					i8: '9007199254740993',
					num: '1.50',
					f8: 1.5,
					nan: NaN,
					yes: true,
					nothing: null,
					txt: 'héllo',
					id: '6b3c2a0e-9a0f-4b8e-8d8f-0e3a5c1b2d4f',
					jb: { a: [1, 'x', null] },
					js: [1, 2],
					ts: '2024-01-31 10:34:56.123456+00',
					ts_local: '2024-01-31 12:34:56',
					day: '2024-02-29',
					iv: '1 day 02:00:00',
					bin: Buffer.from([0, 255]),
					ints: [1, null, 3],
					texts: ['a', 'b "c"', null],
					bigs: ['10000000000'],
					jbs: [{ k: 1 }],
					matrix: [
						[1, 2],
						[3, 4]
					],
					nm: 'x',
					ch: 'a',
					rng: '[1,5)',
					o: 17
				}
			]);
			expect(r.fields.slice(0, 3)).toEqual([
				{ name: 'i2', dataTypeID: 21 },
				{ name: 'i4', dataTypeID: 23 },
				{ name: 'i8', dataTypeID: 20 }
			]);
		});

		it('sends parameters as text, identically', async () => {
			const r = await db.query(
				`select $1::jsonb as obj, $2::int[] as arr, $3::timestamptz as at, $4::bytea as bin,
				        $5::bool as flag, $6::text as nothing, $7::int8 as big, $8::text[] as texts,
				        $9::jsonb as jtext`,
				[
					{ a: 1, b: [true] },
					[1, 2],
					new Date('2024-05-01T00:00:00.000Z'),
					Buffer.from('hi'),
					false,
					undefined,
					1234567890123456789n,
					['x,y', 'q"uote', null],
					'{"already":"json"}'
				]
			);
			expect(r.rows[0]).toEqual({
				obj: { a: 1, b: [true] },
				arr: [1, 2],
				at: '2024-05-01 00:00:00+00',
				bin: Buffer.from('hi'),
				flag: false,
				nothing: null,
				big: '1234567890123456789',
				texts: ['x,y', 'q"uote', null],
				jtext: { already: 'json' }
			});
		});

		it('keeps json_agg(...)::text exact', async () => {
			const r = await db.query<{ body: string }>(
				`select json_agg(x)::text as body from (select 1 as a, 'b' as b, 1.10::numeric as c) x`
			);
			expect(r.rows[0].body).toBe('[{"a":1,"b":"b","c":1.10}]');
		});

		it('counts affected rows of writes only', async () => {
			await db.exec(`truncate ${t}`);
			const ins = await db.query(`insert into ${t} values (1, 'a'), (2, 'b') returning id`);
			expect(ins.affectedRows).toBe(2);
			expect(ins.rows).toEqual([{ id: 1 }, { id: 2 }]);
			const upd = await db.query(`update ${t} set body = body || '!' where id = $1`, [1]);
			expect(upd.affectedRows).toBe(1);
			expect(upd.rows).toEqual([]);
			const sel = await db.query(`select * from ${t}`);
			expect(sel.affectedRows).toBe(0);
			const del = await db.query(`delete from ${t}`);
			expect(del.affectedRows).toBe(2);
		});

		it('raises Postgres errors with their fields', async () => {
			await db.exec(`truncate ${t}; insert into ${t} values (1, 'a')`);
			const dup = await db.query(`insert into ${t} values (1, 'b')`).catch((e: unknown) => e);
			expect(isDatabaseError(dup)).toBe(true);
			expect(dup).toMatchObject({
				code: '23505',
				message: `duplicate key value violates unique constraint "${t}_pkey"`,
				detail: 'Key (id)=(1) already exists.',
				constraint: `${t}_pkey`
			});
			const raised = await db
				.query(
					`do $$ begin raise exception 'nope' using detail = 'd', hint = 'h', errcode = 'P0001'; end $$`
				)
				.catch((e: unknown) => e);
			expect(raised).toMatchObject({ code: 'P0001', message: 'nope', detail: 'd', hint: 'h' });
			const check = await db.query(`insert into ${t} values (2, '')`).catch((e: unknown) => e);
			expect(check).toMatchObject({ code: '23514', constraint: 'body_not_empty' });
			// One statement per query on both engines; scripts go through exec.
			const many = await db.query('select 1; select 2').catch((e: unknown) => e);
			expect(many).toMatchObject({ code: '42601' });
		});

		it('commits a transaction, and rolls it back when the function throws', async () => {
			await db.exec(`truncate ${t}`);
			const value = await db.transaction(async (tx) => {
				await tx.query(`insert into ${t} values (1, 'kept')`);
				await tx.exec(
					`insert into ${t} values (2, 'kept too'); insert into ${t} values (3, 'and me')`
				);
				return 'done';
			});
			expect(value).toBe('done');
			await expect(
				db.transaction(async (tx) => {
					await tx.query(`insert into ${t} values (4, 'lost')`);
					throw new Error('boom');
				})
			).rejects.toThrow('boom');
			await expect(
				db.transaction((tx) => tx.query(`insert into ${t} values (1, 'duplicate')`))
			).rejects.toMatchObject({ code: '23505' });
			const r = await db.query<{ id: number }>(`select id from ${t} order by id`);
			expect(r.rows.map((x) => x.id)).toEqual([1, 2, 3]);
		});

		it('refuses a tx used after its transaction ended', async () => {
			let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
			await db.transaction(async (tx) => {
				leaked = tx;
			});
			await expect(leaked!.query('select 1')).rejects.toThrow(/closed/);
		});

		it('never mixes concurrent transactions (200 at once, each sees its own claims)', async () => {
			const ids = Array.from({ length: 200 }, (_, i) => `user-${i}`);
			const seen = await Promise.all(
				ids.map((id) =>
					db.transaction(async (tx) => {
						await tx.query(`select set_config('request.jwt.claim.sub', $1, true)`, [id]);
						await tx.query('select pg_sleep(0)');
						await new Promise((r) => setImmediate(r));
						const r = await tx.query<{ sub: string }>(
							`select current_setting('request.jwt.claim.sub', true) as sub`
						);
						return r.rows[0].sub;
					})
				)
			);
			expect(seen).toEqual(ids);
			// Local settings end with their transaction.
			const after = await db.query<{ sub: string | null }>(
				`select nullif(current_setting('request.jwt.claim.sub', true), '') as sub`
			);
			expect(after.rows[0].sub).toBeNull();
		});

		it('delivers notifications to listeners until unsubscribed', async () => {
			const got: string[] = [];
			const stop = await db.listen('db_spec', (p) => got.push(p));
			await db.query(`select pg_notify('db_spec', 'one')`);
			await db.transaction((tx) => tx.query(`notify db_spec, 'two'`));
			await expect.poll(() => got).toEqual(['one', 'two']);
			await stop();
			await db.query(`select pg_notify('db_spec', 'three')`);
			await new Promise((r) => setTimeout(r, 50));
			expect(got).toEqual(['one', 'two']);
		});
	});
}

describe('PGlite specifics', () => {
	let db: Database;
	beforeAll(async () => {
		db = await openDatabase({ memory: true });
	}, 30_000);
	afterAll(() => db?.close());

	it('turns db.query inside db.transaction into an error instead of a hang', async () => {
		await expect(db.transaction(() => db.query('select 1'))).rejects.toThrow(/use the tx argument/);
		expect((await db.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
		// Work started inside a transaction that runs on after it may use db.query.
		let later!: Promise<unknown>;
		await db.transaction(async () => {
			later = new Promise((r) => setTimeout(r, 10)).then(() => db.query('select 2 as y'));
		});
		expect(await later).toMatchObject({ rows: [{ y: 2 }] });
	});

	it('dumps a data folder that opens as an independent copy', async () => {
		await db.exec(`create table copied (id int); insert into copied values (7)`);
		const dump = await dumpDataDir(db);
		const copy = await openDatabase({ memory: true, loadDataDir: dump });
		try {
			expect((await copy.query('select id from copied')).rows).toEqual([{ id: 7 }]);
			await copy.exec('insert into copied values (8)');
			expect((await db.query('select count(*)::int as n from copied')).rows).toEqual([{ n: 1 }]);
		} finally {
			await copy.close();
		}
	});

	it('exposes the PGlite instance for the wire server', () => {
		expect(typeof pgliteOf(db).execProtocolRawStream).toBe('function');
	});
});
