import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestEnv, type RestTestEnv } from './helpers/rest-env.ts';

let env: RestTestEnv;

const schema = `
create table notes (
  id serial primary key,
  user_id uuid not null default auth.uid(),
  body text not null
);
alter table notes enable row level security;
create policy "owners read their notes" on notes for select to authenticated
  using ((select auth.uid()) = user_id);
create policy "owners write their notes" on notes for insert to authenticated
  with check ((select auth.uid()) = user_id);
create policy "owners update their notes" on notes for update to authenticated
  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "owners delete their notes" on notes for delete to authenticated
  using ((select auth.uid()) = user_id);
create index on notes (user_id);
create table secrets (id int primary key, v text);
revoke all on secrets from anon, authenticated;
create table drop_box (id serial primary key, user_id uuid not null default auth.uid(), body text);
alter table drop_box enable row level security;
create policy "anyone signed in drops" on drop_box for insert to authenticated with check (true);
create function whoami() returns uuid language sql stable as 'select auth.uid()';
`;

beforeAll(async () => {
	env = await startRestEnv(schema);
});
afterAll(async () => {
	await env?.stop();
});

describe('row level security', () => {
	it('lets each user see and change only their own rows', async () => {
		const ann = await env.user();
		const bob = await env.user();
		expect((await ann.client.from('notes').insert({ body: 'ann 1' })).status).toBe(201);
		await bob.client.from('notes').insert([{ body: 'bob 1' }, { body: 'bob 2' }]);

		const annRows = await ann.client.from('notes').select('body, user_id');
		expect(annRows.data).toEqual([{ body: 'ann 1', user_id: ann.userId }]);
		expect((await bob.client.from('notes').select('body').order('id')).data).toEqual([
			{ body: 'bob 1' },
			{ body: 'bob 2' }
		]);

		const upd = await ann.client
			.from('notes')
			.update({ body: 'hacked' })
			.eq('body', 'bob 1')
			.select();
		expect(upd).toMatchObject({ status: 200, data: [] });
		const del = await ann.client.from('notes').delete({ count: 'exact' }).like('body', 'bob%');
		expect(del.count).toBe(0);
		expect(
			(await bob.client.from('notes').select('body', { count: 'exact', head: true })).count
		).toBe(2);
		expect((await ann.client.rpc('whoami')).data).toBe(ann.userId);
	});

	it('returns nothing to anon and everything to service_role', async () => {
		expect((await env.anon().from('notes').select()).data).toEqual([]);
		const all = await env.service().from('notes').select('body', { count: 'exact', head: true });
		expect(all.count).toBeGreaterThanOrEqual(3);
	});

	it('refuses rows that violate a policy with 42501 (403 for users, 401 for anon)', async () => {
		const ann = await env.user();
		const other = await env.user();
		const res = await ann.client.from('notes').insert({ body: 'forged', user_id: other.userId });
		expect(res.status).toBe(403);
		expect(res.error).toMatchObject({
			code: '42501',
			message: 'new row violates row-level security policy for table "notes"'
		});
		const anon = await env.anon().from('notes').insert({ body: 'anon' });
		expect(anon.status).toBe(401);
		expect(anon.error?.code).toBe('42501');
	});

	it('answers 401/403 for tables without grants', async () => {
		const anon = await env.anon().from('secrets').select();
		expect(anon.status).toBe(401);
		expect(anon.error).toMatchObject({
			code: '42501',
			message: 'permission denied for table secrets'
		});
		const user = await (await env.user()).client.from('secrets').select();
		expect(user.status).toBe(403);
		expect((await env.service().from('secrets').select()).status).toBe(200);
	});

	it('inserts with return=minimal where no select policy exists, but not with representation', async () => {
		const u = await env.user();
		expect((await u.client.from('drop_box').insert({ body: 'in' })).status).toBe(201);
		const rep = await u.client.from('drop_box').insert({ body: 'in' }).select();
		expect(rep.status).toBe(403);
		expect(rep.error?.code).toBe('42501');
	});

	it('never leaks rows between concurrent requests of different users', async () => {
		const users = await Promise.all(Array.from({ length: 8 }, () => env.user()));
		await Promise.all(
			users.map((u) => u.client.from('notes').insert({ body: `mine ${u.userId}` }))
		);
		const results = await Promise.all(
			Array.from({ length: 200 }, (_, i) => {
				const u = users[i % users.length];
				return u.client
					.from('notes')
					.select('user_id, body')
					.then((r) => ({ u, r }));
			})
		);
		for (const { u, r } of results) {
			expect(r.error).toBeNull();
			expect(r.data).toEqual([{ user_id: u.userId, body: `mine ${u.userId}` }]);
		}
	});
});
