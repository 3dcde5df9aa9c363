/**
 * Many users at once. PGlite is a single session whose lock is taken per call, so a request whose
 * BEGIN, role/claims and statement were separate calls would run as whoever came last: here
 * hundreds of requests from ten users run at the same time and none may ever see, or write as,
 * another user. The DB port shares that session: an open transaction there must neither mix with
 * API requests nor hold them forever.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';

// A fixture schema of this test only (never a migration): owner-only rows under RLS, and rpcs
// that read the caller from the request's claims.
const schema = `
create table public.conc_items (
	id bigint generated always as identity primary key,
	user_id uuid not null default auth.uid(),
	tag text not null
);
create index on public.conc_items (user_id);
alter table public.conc_items enable row level security;
create policy "owners read their items" on public.conc_items for select to authenticated
	using ((select auth.uid()) = user_id);
create policy "owners add their items" on public.conc_items for insert to authenticated
	with check ((select auth.uid()) = user_id);
create function public.conc_add(p_tag text) returns public.conc_items
	language sql security invoker set search_path = '' as $$
	insert into public.conc_items (tag) values (p_tag) returning *
$$;
create function public.conc_whoami() returns jsonb
	language sql stable security invoker set search_path = '' as $$
	select jsonb_build_object('uid', auth.uid(), 'role', current_user,
		'visible', (select count(*) from public.conc_items), 'others',
		(select count(*) from public.conc_items where user_id is distinct from auth.uid()))
$$;
`;

interface User {
	client: SupabaseClient;
	userId: string;
	index: number;
}

let stack: TestStack;
let users: User[];

beforeAll(async () => {
	// wire: the DB port on PGlite, for the second test (ignored on native PostgreSQL).
	stack = await startTestStack({ wire: true });
	await stack.db.exec(schema);
	await stack.db.exec(`notify pgrst, 'reload schema'`);
	// The reload is asynchronous, as in PostgREST: wait until the API knows the table, so that the
	// requests below test concurrency and not how fast the schema cache catches up.
	for (let tries = 0; ; tries++) {
		const { error } = await stack.admin().from('conc_items').select('id').limit(1);
		if (!error) break;
		if (error.code !== 'PGRST205' || tries > 100) throw new Error(error.message);
		await new Promise((r) => setTimeout(r, 50));
	}
	users = [];
	for (let i = 0; i < 10; i++) {
		const u = await stack.signedIn(`conc${i}-${Date.now()}@example.test`);
		users.push({ ...u, index: i });
	}
});

afterAll(async () => {
	await stack?.stop();
});

type Outcome = { user: number; kind: string; problem?: string };

/** One request of a random kind as `u`; returns a problem if the answer is wrong for `u`. */
async function request(u: User, n: number): Promise<Outcome> {
	const kind = ['select', 'insert', 'rpc-add', 'rpc-whoami', 'count'][n % 5];
	const out: Outcome = { user: u.index, kind };
	const tag = `u${u.index}-${kind}-${n}`;
	const fail = (problem: string) => ({ ...out, problem });
	if (kind === 'select') {
		const { data, error } = await u.client.from('conc_items').select('id, user_id, tag');
		if (error) return fail(`select error ${error.message}`);
		const foreign = data.filter((r) => r.user_id !== u.userId || !r.tag.startsWith(`u${u.index}-`));
		if (foreign.length)
			return fail(`saw ${foreign.length} rows of others: ${JSON.stringify(foreign[0])}`);
	} else if (kind === 'insert') {
		const { data, error } = await u.client.from('conc_items').insert({ tag }).select().single();
		if (error) return fail(`insert error ${error.message}`);
		if (data.user_id !== u.userId || data.tag !== tag)
			return fail(`insert landed as ${data.user_id}`);
	} else if (kind === 'rpc-add') {
		const { data, error } = await u.client.rpc('conc_add', { p_tag: tag });
		if (error) return fail(`rpc error ${error.message}`);
		if (data.user_id !== u.userId) return fail(`rpc insert landed as ${data.user_id}`);
	} else if (kind === 'rpc-whoami') {
		const { data, error } = await u.client.rpc('conc_whoami');
		if (error) return fail(`whoami error ${error.message}`);
		if (data.uid !== u.userId || data.role !== 'authenticated' || data.others !== 0)
			return fail(`whoami answered ${JSON.stringify(data)}`);
	} else {
		const { count, error } = await u.client
			.from('conc_items')
			.select('*', { count: 'exact', head: true })
			.neq('user_id', u.userId);
		if (error) return fail(`count error ${error.message}`);
		if (count !== 0) return fail(`count saw ${count} rows of others`);
	}
	return out;
}

async function anonRequest(anon: SupabaseClient): Promise<Outcome> {
	const { data, error } = await anon.from('conc_items').select('id');
	const problem = error ? error.message : data.length ? `anon saw ${data.length}` : undefined;
	return { user: -1, kind: 'anon', problem };
}

describe('concurrent requests as different users', () => {
	it('never return or write another user’s rows across 600 simultaneous requests', async () => {
		// Seed one row per user so every select has something of its own to return.
		const seeded = await Promise.all(
			users.map((u) => u.client.from('conc_items').insert({ tag: `u${u.index}-seed` }))
		);
		expect(seeded.map((r) => r.error)).toEqual(users.map(() => null));
		const anon = stack.client();
		const jobs: Promise<Outcome>[] = [];
		for (let n = 0; n < 600; n++) {
			const u = users[(n * 7) % users.length];
			jobs.push(request(u, n));
			// Anonymous requests in the mix must see nothing at all.
			if (n % 50 === 0) jobs.push(anonRequest(anon));
		}
		const outcomes = await Promise.all(jobs);
		const problems = outcomes.filter((o) => o.problem);
		expect(problems).toEqual([]);
		expect(outcomes.length).toBe(612);

		// Every insert is there, once, with its author as owner.
		const { data: all, error } = await stack
			.admin()
			.from('conc_items')
			.select('user_id, tag')
			.limit(1000);
		expect(error).toBeNull();
		const inserts = outcomes.filter((o) => o.kind === 'insert' || o.kind === 'rpc-add');
		expect(all!.length).toBe(inserts.length + users.length);
		const owner = new Map(users.map((u) => [`u${u.index}-`, u.userId]));
		for (const row of all!) {
			const prefix = /^u\d+-/.exec(row.tag)![0];
			expect(row.user_id, row.tag).toBe(owner.get(prefix));
		}
		for (const u of users) {
			const own = all!.filter((r) => r.user_id === u.userId).length;
			const made = inserts.filter((o) => o.user === u.index).length + 1;
			expect(own).toBe(made);
		}
	});
});

describe('a client on the DB port with an open transaction', () => {
	function wireClient(): pg.Client {
		const c = new pg.Client({ connectionString: stack.dbUrl });
		c.on('error', () => {});
		return c;
	}

	/** Resolves to 'pending' if `p` has not settled after `ms`. */
	function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
		return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
	}

	it('never mixes with API requests, and API requests finish when it ends', async () => {
		expect(stack.dbUrl).not.toBe('');
		const [ann, bob] = users;
		const c = wireClient();
		await c.connect();
		try {
			await c.query('begin');
			// Uncommitted: no API request may ever see these.
			await c.query(`insert into public.conc_items (user_id, tag) values ($1, 'u0-uncommitted')`, [
				ann.userId
			]);
			await c.query(`set local search_path = pg_catalog`);
			const api = Promise.all(Array.from({ length: 40 }, (_, n) => request(n % 2 ? bob : ann, n)));
			// Meanwhile the wire transaction keeps its own identity and settings.
			for (let i = 0; i < 5; i++) {
				const r = await c.query(
					`select current_user as who, current_setting('request.jwt.claims', true) as claims,
						current_setting('search_path') as path, count(*)::int as mine
					 from public.conc_items where tag = 'u0-uncommitted'`
				);
				expect(r.rows[0]).toMatchObject({ who: 'postgres', path: 'pg_catalog', mine: 1 });
				expect(r.rows[0].claims ?? '').toBe('');
				await new Promise((res) => setTimeout(res, 20));
			}
			if (stack.db.kind === 'pglite') {
				// One session: the API waits for the transaction rather than running inside it.
				expect(await within(api, 200)).toBe('pending');
			}
			await c.query('rollback');
			const outcomes = await within(api, 15_000);
			expect(outcomes).not.toBe('pending');
			expect((outcomes as Outcome[]).filter((o) => o.problem)).toEqual([]);
			const seen = await ann.client.from('conc_items').select('tag').eq('tag', 'u0-uncommitted');
			expect(seen.data).toEqual([]);
			// The wire session kept nothing of the API's role or claims once its transaction ended.
			const after = await c.query(
				`select current_user as who, current_setting('request.jwt.claims', true) as claims`
			);
			expect(after.rows[0].who).toBe('postgres');
			expect(after.rows[0].claims ?? '').toBe('');
		} finally {
			await c.end().catch(() => {});
		}
	});

	it('releases waiting API requests when a client dies inside its transaction', async () => {
		const [ann] = users;
		const c = wireClient();
		await c.connect();
		await c.query('begin');
		await c.query(`insert into public.conc_items (user_id, tag) values ($1, 'u0-orphan')`, [
			ann.userId
		]);
		// Session-level settings a careless psql user might leave behind.
		await c.query(`set role anon`);
		const api = Promise.all(Array.from({ length: 20 }, (_, n) => request(ann, n)));
		if (stack.db.kind === 'pglite') expect(await within(api, 200)).toBe('pending');
		// The connection drops without COMMIT or ROLLBACK (a killed psql).
		(c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
		const outcomes = await within(api, 15_000);
		expect(outcomes).not.toBe('pending');
		expect((outcomes as Outcome[]).filter((o) => o.problem)).toEqual([]);
		const orphan = await stack.admin().from('conc_items').select('tag').eq('tag', 'u0-orphan');
		expect(orphan.data).toEqual([]);
		// API requests run as their own role, not the `anon` the dead client set.
		const who = await ann.client.rpc('conc_whoami');
		expect(who.data).toMatchObject({ uid: ann.userId, role: 'authenticated' });
	});
});
