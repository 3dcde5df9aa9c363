import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { restFixtureSql, startRestEnv, type RestTestEnv } from './helpers/rest-env.ts';

let env: RestTestEnv;
let db: SupabaseClient;

const functions = `
create function add(a int, b int default 10) returns int language sql immutable as 'select a + b';
create function hello(name text) returns text language sql stable as $$ select 'hello ' || name $$;
create function nothing() returns void language sql volatile as 'select';
create function projects_of(cid int) returns setof projects language sql stable as
  'select * from projects where client_id = cid';
create function first_project() returns projects language sql stable as 'select * from projects order by id limit 1';
create function numbers(n int) returns setof int language sql immutable as 'select generate_series(1, n)';
create function pairs() returns table(k text, v int) language sql stable as $$ values ('a', 1), ('b', 2) $$;
create function letters() returns table(letter text) language sql stable as $$ values ('a'), ('b') $$;
create function plus_one(num int, out num_plus_one int) language sql immutable as 'select num + 1';
create function echo_json(jsonb) returns jsonb language sql immutable as 'select $1';
create function sum_array(xs int[]) returns int language sql immutable as 'select sum(x)::int from unnest(xs) x';
create function make_client(id int, name text) returns clients language sql volatile as
  'insert into clients values (id, name) returning *';
create function fail(msg text) returns void language plpgsql as $$ begin raise exception '%', msg using hint = 'try again'; end $$;
create function custom_error() returns void language plpgsql as $$ begin
  raise sqlstate 'PT402' using message = 'Payment Required', detail = 'Quota exceeded'; end $$;
-- Argument defaults are evaluated by the calling statement, outside the function's own SET
-- clauses: they show which settings the request transaction had when the call started.
create function settings_seen(timeout text default current_setting('statement_timeout'),
  mem text default current_setting('work_mem')) returns json language sql stable
  set statement_timeout to '123s' set work_mem to '3MB'
  as $$ select json_build_object('timeout', timeout, 'mem', mem) $$;
create function settings_rows(timeout text default current_setting('statement_timeout'))
  returns table(n int, timeout text) language sql stable set statement_timeout to '45s'
  as $$ select 1, timeout $$;
create function current_timeout() returns text language sql stable
  as $$ select current_setting('statement_timeout') $$;
create function sleep_short() returns void language sql set statement_timeout to '50ms'
  as $$ select pg_sleep(0.2) $$;
create function sleep_long() returns void language sql set statement_timeout to '10s'
  as $$ select pg_sleep(0.3) $$;
create function sleep_plain() returns void language sql as $$ select pg_sleep(0.3) $$;
`;

beforeAll(async () => {
	env = await startRestEnv(restFixtureSql + functions);
	db = env.service();
});
afterAll(async () => {
	await env?.stop();
});

describe('rpc', () => {
	it('calls a scalar function by POST with named arguments and defaults', async () => {
		expect(await db.rpc('add', { a: 1, b: 2 })).toMatchObject({ data: 3, status: 200 });
		expect((await db.rpc('add', { a: 1 })).data).toBe(11);
		expect((await db.rpc('hello', { name: 'Ann' })).data).toBe('hello Ann');
	});

	it('answers single-column table and OUT functions in object style, as PostgREST does', async () => {
		expect((await db.rpc('letters')).data).toEqual([{ letter: 'a' }, { letter: 'b' }]);
		expect((await db.rpc('plus_one', { num: 5 })).data).toEqual({ num_plus_one: 6 });
	});

	it('calls stable functions with GET and HEAD', async () => {
		expect((await db.rpc('add', { a: 5, b: 5 }, { get: true })).data).toBe(10);
		const head = await db.rpc('projects_of', { cid: 1 }, { head: true, count: 'exact' });
		expect(head).toMatchObject({ data: null, count: 2, status: 200 });
		const res = await env.fetch('/rpc/hello?name=Bob');
		expect(await res.json()).toBe('hello Bob');
	});

	it('returns 204 for void functions', async () => {
		expect(await db.rpc('nothing')).toMatchObject({ data: null, error: null, status: 204 });
	});

	it('filters, orders and embeds table-returning functions', async () => {
		const { data, error } = await db
			.rpc('projects_of', { cid: 1 })
			.select('name, clients(name), jobs(title)')
			.order('id', { ascending: false })
			.order('id', { referencedTable: 'jobs' });
		expect(error).toBeNull();
		expect(data).toEqual([
			{ name: 'Beta', clients: { name: 'Acme' }, jobs: [{ title: 't3' }] },
			{ name: 'Alpha', clients: { name: 'Acme' }, jobs: [{ title: 't1' }, { title: 't2' }] }
		]);
		const { data: d2 } = await db.rpc('projects_of', { cid: 1 }).select('id').eq('name', 'Alpha');
		expect(d2).toEqual([{ id: 1 }]);
		const { data: d3 } = await db
			.rpc('projects_of', { cid: 1 }, { get: true })
			.select('id')
			.gt('id', 1);
		expect(d3).toEqual([{ id: 2 }]);
	});

	it('returns a single composite as an object, sets of scalars and tables as arrays', async () => {
		expect((await db.rpc('first_project').select('id, name')).data).toEqual({
			id: 1,
			name: 'Alpha'
		});
		expect((await db.rpc('numbers', { n: 3 })).data).toEqual([1, 2, 3]);
		expect((await db.rpc('pairs')).data).toEqual([
			{ k: 'a', v: 1 },
			{ k: 'b', v: 2 }
		]);
		expect((await db.rpc('pairs').eq('k', 'b')).data).toEqual([{ k: 'b', v: 2 }]);
	});

	it('passes a body to a single unnamed json parameter and arrays to array parameters', async () => {
		expect((await db.rpc('echo_json', { any: ['thing', 1] })).data).toEqual({ any: ['thing', 1] });
		expect((await db.rpc('sum_array', { xs: [1, 2, 3] })).data).toBe(6);
		expect((await db.rpc('sum_array', { xs: [4, 5] }, { get: true })).data).toBe(9);
	});

	it('writes with POST and refuses writes with GET (405)', async () => {
		expect((await db.rpc('make_client', { id: 80, name: 'RPC Co' })).data).toEqual({
			id: 80,
			name: 'RPC Co'
		});
		const res = await env.fetch('/rpc/make_client?id=81&name=Nope', {
			headers: { authorization: `Bearer ${env.serviceRoleKey}` }
		});
		expect(res.status).toBe(405);
		expect((await res.json()).code).toBe('25006');
	});

	it('answers PGRST202 for unknown functions or arguments', async () => {
		const { error, status } = await db.rpc('helo', { name: 'x' });
		expect(status).toBe(404);
		expect(error).toEqual({
			code: 'PGRST202',
			details:
				'Searched for the function public.helo with parameter name or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
			hint: 'Perhaps you meant to call the function public.hello',
			message: 'Could not find the function public.helo(name) in the schema cache'
		});
		const none = await db.rpc('zzz_unrelated');
		expect(none.error).toMatchObject({
			message:
				'Could not find the function public.zzz_unrelated without parameters in the schema cache',
			hint: null
		});
		const wrongArgs = await db.rpc('add', { x: 1 });
		expect(wrongArgs.error).toMatchObject({
			code: 'PGRST202',
			message: 'Could not find the function public.add(x) in the schema cache',
			hint: 'Perhaps you meant to call the function public.add(a, b)'
		});
	});

	it('maps raised exceptions: P0001 → 400, PTxxx → custom status', async () => {
		const { error, status } = await db.rpc('fail', { msg: 'boom' });
		expect(status).toBe(400);
		expect(error).toEqual({ code: 'P0001', details: null, hint: 'try again', message: 'boom' });
		const custom = await db.rpc('custom_error');
		expect(custom.status).toBe(402);
		expect(custom.error).toMatchObject({
			code: 'PT402',
			message: 'Payment Required',
			details: 'Quota exceeded'
		});
	});

	it('refuses other methods on rpc', async () => {
		const res = await env.fetch('/rpc/add', { method: 'DELETE' });
		expect(res.status).toBe(405);
		expect(await res.json()).toMatchObject({
			code: 'PGRST101',
			message: 'Cannot use the DELETE method on RPC'
		});
	});
});

describe('function settings hoisted to the request transaction', () => {
	it('applies a hoisted SET clause before the call, and nothing that is not hoisted', async () => {
		const { data, error } = await db.rpc('settings_seen');
		expect(error).toBeNull();
		// statement_timeout is in db-hoisted-tx-settings; work_mem is not, so the caller keeps 4MB.
		expect(data).toEqual({ timeout: '123s', mem: '4MB' });
		const rows = await db.rpc('settings_rows', {}, { get: true });
		expect(rows.data).toEqual([{ n: 1, timeout: '45s' }]);
	});

	it('keeps the role timeout for functions without settings and for later requests', async () => {
		expect((await db.rpc('current_timeout')).data).toBe(env.config.api.statementTimeout);
		await db.rpc('settings_seen');
		expect((await db.rpc('current_timeout')).data).toBe(env.config.api.statementTimeout);
	});

	// PGlite runs Postgres single-threaded in WebAssembly without timer signals, so it never
	// cancels a statement: these two need native PostgreSQL (SUPABASE_DB_URL).
	const native = !!process.env.SUPABASE_DB_URL;

	it.runIf(native)('cancels a call that outlives its own timeout with 57014', async () => {
		const res = await env.fetch('/rpc/sleep_short', {
			method: 'POST',
			headers: { authorization: `Bearer ${env.serviceRoleKey}`, apikey: env.serviceRoleKey }
		});
		expect(res.status).toBe(500);
		expect(res.headers.get('proxy-status')).toBe('PostgREST; error=57014');
		expect(await res.text()).toBe(
			'{"code":"57014","details":null,"hint":null,"message":"canceling statement due to statement timeout"}'
		);
	});

	it.runIf(native)('lets a call with a longer timeout outlive the role timeout', async () => {
		const roleTimeout = env.config.api.statementTimeout;
		env.config.api.statementTimeout = '100ms';
		try {
			const plain = await db.rpc('sleep_plain');
			expect(plain.status).toBe(500);
			expect(plain.error?.code).toBe('57014');
			expect(await db.rpc('sleep_long')).toMatchObject({ error: null, status: 204 });
		} finally {
			env.config.api.statementTimeout = roleTimeout;
		}
	});
});
