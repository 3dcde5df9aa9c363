import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { restFixtureSql, startRestEnv, type RestTestEnv } from './helpers/rest-env.ts';

let env: RestTestEnv;
let db: SupabaseClient;

beforeAll(async () => {
	env = await startRestEnv(restFixtureSql);
	db = env.service();
});
afterAll(async () => {
	await env?.stop();
});

const ids = (data: unknown): number[] => (data as { id: number }[]).map((r) => r.id);

describe('select', () => {
	it('returns columns with aliases, casts and JSON paths, serialised the Postgres way', async () => {
		const { data, error } = await db
			.from('projects')
			.select(
				'id, title:name, budget, budget_text:budget::text, b:data->a->>b, n:data->n, created_at'
			)
			.eq('id', 1);
		expect(error).toBeNull();
		expect(data).toEqual([
			{
				id: 1,
				title: 'Alpha',
				budget: 100.5,
				budget_text: '100.50',
				b: 'x',
				n: 1,
				created_at: '2024-01-01T00:00:00+00:00'
			}
		]);
	});

	it('returns every column for * and arrays/json/ranges as JSON', async () => {
		const { data } = await db.from('projects').select('*').eq('id', 1).single();
		expect(data).toMatchObject({
			id: 1,
			tags: ['a', 'b'],
			data: { a: { b: 'x' }, n: 1 },
			period: '[1,5)'
		});
	});
});

describe('embedding', () => {
	it('embeds many-to-one as an object and one-to-many as an array', async () => {
		const { data, error } = await db
			.from('projects')
			.select('name, client:clients(name), jobs(title)')
			.order('id')
			.order('id', { referencedTable: 'jobs' });
		expect(error).toBeNull();
		expect(data).toEqual([
			{ name: 'Alpha', client: { name: 'Acme' }, jobs: [{ title: 't1' }, { title: 't2' }] },
			{ name: 'Beta', client: { name: 'Acme' }, jobs: [{ title: 't3' }] },
			{ name: 'Gamma', client: { name: 'Globex' }, jobs: [] },
			{ name: 'Delta', client: null, jobs: [{ title: 't4' }] }
		]);
	});

	it('embeds many-to-many through a junction table, nested', async () => {
		const { data, error } = await db
			.from('users')
			.select('name, projects(name, clients(name))')
			.order('id')
			.order('id', { referencedTable: 'projects' });
		expect(error).toBeNull();
		expect(data).toEqual([
			{
				name: 'Ann',
				projects: [
					{ name: 'Alpha', clients: { name: 'Acme' } },
					{ name: 'Beta', clients: { name: 'Acme' } }
				]
			},
			{ name: 'Bob', projects: [{ name: 'Alpha', clients: { name: 'Acme' } }] }
		]);
	});

	it('filters, orders and limits embedded resources', async () => {
		const { data } = await db
			.from('clients')
			.select('name, projects(name)')
			.eq('id', 1)
			.order('name', { referencedTable: 'projects', ascending: false })
			.limit(1, { referencedTable: 'projects' });
		expect(data).toEqual([{ name: 'Acme', projects: [{ name: 'Beta' }] }]);
		const { data: d2 } = await db
			.from('clients')
			.select('name, projects(name)')
			.eq('projects.name', 'Gamma')
			.order('id');
		expect(d2).toEqual([
			{ name: 'Acme', projects: [] },
			{ name: 'Globex', projects: [{ name: 'Gamma' }] },
			{ name: 'Initech', projects: [] }
		]);
		const { data: d3 } = await db
			.from('clients')
			.select('name, projects(name)')
			.or('name.eq.Alpha,name.eq.Beta', { referencedTable: 'projects' })
			.eq('id', 1);
		expect(d3).toEqual([{ name: 'Acme', projects: [{ name: 'Alpha' }, { name: 'Beta' }] }]);
	});

	it('filters parents with !inner and with embed=not.is.null', async () => {
		const { data } = await db
			.from('clients')
			.select('name, projects!inner(name)')
			.eq('projects.name', 'Gamma');
		expect(data).toEqual([{ name: 'Globex', projects: [{ name: 'Gamma' }] }]);
		const { data: d2, count } = await db
			.from('projects')
			.select('name, clients!inner(name)', { count: 'exact' })
			.eq('clients.name', 'Acme')
			.order('id');
		expect(d2).toEqual([
			{ name: 'Alpha', clients: { name: 'Acme' } },
			{ name: 'Beta', clients: { name: 'Acme' } }
		]);
		expect(count).toBe(2);
		const { data: d3 } = await db
			.from('clients')
			.select('name, projects()')
			.not('projects', 'is', null)
			.order('id');
		expect(d3).toEqual([{ name: 'Acme' }, { name: 'Globex' }]);
		const { data: d4 } = await db.from('clients').select('name, projects(id)').is('projects', null);
		expect(d4).toEqual([{ name: 'Initech', projects: [] }]);
	});

	it('spreads a to-one embed into the parent', async () => {
		const { data, error } = await db
			.from('projects')
			.select('name, ...clients(client_name:name)')
			.eq('id', 3);
		expect(error).toBeNull();
		expect(data).toEqual([{ name: 'Gamma', client_name: 'Globex' }]);
	});

	it('orders by a related to-one column', async () => {
		const res = await env.fetch(
			'/projects?select=name,clients(name)&client_id=not.is.null&order=clients(name).desc,id',
			{
				headers: { authorization: `Bearer ${env.serviceRoleKey}` }
			}
		);
		expect(((await res.json()) as { name: string }[]).map((r) => r.name)).toEqual([
			'Gamma',
			'Alpha',
			'Beta'
		]);
	});

	it('asks for a hint when relationships are ambiguous (PGRST201) and uses it', async () => {
		const { error, status } = await db.from('messages').select('body, users(name)');
		expect(status).toBe(300);
		expect(error).toMatchObject({
			code: 'PGRST201',
			message:
				"Could not embed because more than one relationship was found for 'messages' and 'users'",
			details: expect.any(Array)
		});
		expect(error?.hint).toMatch(
			/^Try changing 'users' to one of the following: 'users!messages_(sender|receiver)_id_fkey', 'users!messages_(sender|receiver)_id_fkey'\. Find the desired relationship in the 'details' key\.$/
		);
		expect(error?.details).toContainEqual({
			cardinality: 'many-to-one',
			embedding: 'messages with users',
			relationship: 'messages_sender_id_fkey using messages(sender_id) and users(id)'
		});
		const { data } = await db
			.from('messages')
			.select('body, from:users!sender_id(name), to:users!messages_receiver_id_fkey(name)')
			.order('id');
		expect(data).toEqual([
			{ body: 'hi', from: { name: 'Ann' }, to: { name: 'Bob' } },
			{ body: 'yo', from: { name: 'Bob' }, to: { name: 'Ann' } }
		]);
	});

	it('answers PGRST200 when there is no relationship', async () => {
		const { error, status } = await db.from('docs').select('*, clients(*)');
		expect(status).toBe(400);
		expect(error).toMatchObject({
			code: 'PGRST200',
			message: "Could not find a relationship between 'docs' and 'clients' in the schema cache",
			details:
				"Searched for a foreign key relationship between 'docs' and 'clients' in the schema 'public', but no matches were found."
		});
	});

	it('embeds through a view using its base table keys', async () => {
		const { data, error } = await db
			.from('client_projects')
			.select('name, clients(name)')
			.eq('id', 1);
		expect(error).toBeNull();
		expect(data).toEqual([{ name: 'Alpha', clients: { name: 'Acme' } }]);
	});
});

describe('filters', () => {
	const q = () => db.from('projects').select('id').order('id');
	it('compares with eq, neq, gt, gte, lt, lte', async () => {
		expect(ids((await q().eq('name', 'Beta')).data)).toEqual([2]);
		expect(ids((await q().neq('name', 'Beta')).data)).toEqual([1, 3, 4]);
		expect(ids((await q().gt('id', 2)).data)).toEqual([3, 4]);
		expect(ids((await q().gte('id', 2)).data)).toEqual([2, 3, 4]);
		expect(ids((await q().lt('id', 2)).data)).toEqual([1]);
		expect(ids((await q().lte('budget', 20)).data)).toEqual([2, 4]);
	});

	it('matches patterns with like, ilike, match, imatch and quantifiers', async () => {
		expect(ids((await q().like('name', '%ta')).data)).toEqual([2, 4]);
		expect(ids((await q().like('name', '*lph*')).data)).toEqual([1]);
		expect(ids((await q().ilike('name', 'a%')).data)).toEqual([1]);
		expect(ids((await q().filter('name', 'match', '^[AB]')).data)).toEqual([1, 2]);
		expect(ids((await q().filter('name', 'imatch', '^g')).data)).toEqual([3]);
		expect(ids((await q().likeAnyOf('name', ['A%', 'G%'])).data)).toEqual([1, 3]);
		expect(ids((await q().ilikeAllOf('name', ['%a%', '%l%'])).data)).toEqual([1, 4]);
		expect(ids((await q().filter('id', 'eq(any)', '{1,3}')).data)).toEqual([1, 3]);
		expect(ids((await q().filter('id', 'gt(all)', '{1,2}')).data)).toEqual([3, 4]);
	});

	it('handles in, is, isdistinct and not', async () => {
		expect(ids((await q().in('id', [1, 3])).data)).toEqual([1, 3]);
		expect(ids((await q().in('name', ['Alpha', 'Be,ta'])).data)).toEqual([1]);
		expect(ids((await q().in('id', [])).data)).toEqual([]);
		expect(ids((await q().is('client_id', null)).data)).toEqual([4]);
		expect(ids((await q().not('client_id', 'is', null)).data)).toEqual([1, 2, 3]);
		expect(ids((await q().not('id', 'in', '(1,2)')).data)).toEqual([3, 4]);
		expect(ids((await q().isDistinct('client_id', 1)).data)).toEqual([3, 4]);
		expect(ids((await db.from('jobs').select('id').is('done', true).order('id')).data)).toEqual([
			1, 4
		]);
	});

	it('handles arrays, json and ranges: cs, cd, ov, sl, sr, nxr, nxl, adj', async () => {
		expect(ids((await q().contains('tags', ['a'])).data)).toEqual([1, 4]);
		expect(ids((await q().containedBy('tags', ['a', 'b', 'z'])).data)).toEqual([1, 4]);
		expect(ids((await q().overlaps('tags', ['b', 'c'])).data)).toEqual([1, 2]);
		expect(ids((await q().contains('data', { a: { b: 'y' } })).data)).toEqual([3]);
		expect(ids((await q().rangeLt('period', '[5,6)')).data)).toEqual([1]);
		expect(ids((await q().rangeGt('period', '[1,6)')).data)).toEqual([3]);
		expect(ids((await q().rangeLte('period', '[1,10)')).data)).toEqual([1, 2]);
		expect(ids((await q().rangeGte('period', '[5,6)')).data)).toEqual([2, 3]);
		expect(ids((await q().rangeAdjacent('period', '[10,12)')).data)).toEqual([2]);
		expect(ids((await q().overlaps('period', '[4,6)')).data)).toEqual([1, 2]);
	});

	it('searches text with fts, plfts, phfts and wfts', async () => {
		const d = () => db.from('docs').select('id').order('id');
		expect(ids((await d().textSearch('body', 'cat & rat', { config: 'english' })).data)).toEqual([
			1
		]);
		expect(
			ids((await d().textSearch('body', 'cats dogs', { type: 'plain', config: 'english' })).data)
		).toEqual([3]);
		expect(
			ids((await d().textSearch('body', 'fat cats', { type: 'phrase', config: 'english' })).data)
		).toEqual([1]);
		expect(
			ids(
				(await d().textSearch('body', 'cat or dog', { type: 'websearch', config: 'english' })).data
			)
		).toEqual([1, 2, 3]);
		expect(ids((await q().textSearch('search', 'alpha')).data)).toEqual([1]);
	});

	it('combines or, and, not.or and nested trees', async () => {
		expect(ids((await q().or('id.eq.1,name.eq.Gamma')).data)).toEqual([1, 3]);
		expect(ids((await q().or('id.eq.4,and(client_id.eq.1,budget.gt.50)')).data)).toEqual([1, 4]);
		expect(ids((await q().not('id', 'eq', 1).or('tags.cs.{a},tags.cs.{c}')).data)).toEqual([2, 4]);
		const res = await env.fetch(
			'/projects?select=id&not.or=(id.eq.1,id.eq.2)&and=(id.lt.10,name.not.eq.Delta)&order=id'
		);
		expect(ids(await res.json())).toEqual([3]);
		expect(ids((await q().or('name.eq."Al,pha",id.in.(2,3)')).data)).toEqual([2, 3]);
	});

	it('filters on JSON paths', async () => {
		expect(ids((await q().eq('data->a->>b', 'y')).data)).toEqual([3]);
		expect(ids((await q().gt('data->n', 1)).data)).toEqual([3, 4]);
	});

	it('binds SQL-looking values as data', async () => {
		const { data, error } = await q().eq('name', "x'; drop table projects; --");
		expect(error).toBeNull();
		expect(data).toEqual([]);
		expect((await q()).data).toHaveLength(4);
	});
});

describe('order, ranges and counts', () => {
	it('orders by several columns with nulls placement', async () => {
		const { data } = await db
			.from('jobs')
			.select('id')
			.order('priority', { ascending: false, nullsFirst: true })
			.order('id');
		expect(ids(data)).toEqual([3, 4, 2, 1]);
		const { data: d2 } = await db
			.from('jobs')
			.select('id')
			.order('priority', { ascending: true, nullsFirst: false });
		expect(ids(d2)).toEqual([1, 2, 4, 3]);
	});

	it('pages with range and limit and reports counts in Content-Range', async () => {
		const r = await db.from('projects').select('id', { count: 'exact' }).order('id').range(1, 2);
		expect(r.status).toBe(206);
		expect(ids(r.data)).toEqual([2, 3]);
		expect(r.count).toBe(4);
		const raw = await env.fetch('/projects?select=id&order=id&limit=2&offset=1', {
			headers: { prefer: 'count=exact' }
		});
		expect(raw.headers.get('content-range')).toBe('1-2/4');
		expect(raw.headers.get('preference-applied')).toBe('count=exact');
		const all = await env.fetch('/projects?select=id', { headers: { prefer: 'count=exact' } });
		expect(all.status).toBe(200);
		expect(all.headers.get('content-range')).toBe('0-3/4');
		const none = await env.fetch('/projects?select=id&id=gt.100', {
			headers: { prefer: 'count=exact' }
		});
		expect(none.headers.get('content-range')).toBe('*/0');
		const noCount = await env.fetch('/projects?select=id', { headers: { range: '0-1' } });
		expect(noCount.headers.get('content-range')).toBe('0-1/*');
		expect(await noCount.json()).toHaveLength(2);
	});

	it('answers 416 for an offset past the end', async () => {
		const res = await env.fetch('/projects?offset=10', { headers: { prefer: 'count=exact' } });
		expect(res.status).toBe(416);
		expect(await res.json()).toMatchObject({
			code: 'PGRST103',
			message: 'Requested range not satisfiable',
			details: 'An offset of 10 was requested, but there are only 4 rows.'
		});
	});

	it('counts with head requests and planned/estimated counts', async () => {
		const { count, data, status } = await db
			.from('jobs')
			.select('*', { count: 'exact', head: true })
			.eq('done', true);
		expect(count).toBe(2);
		expect(data).toBeNull();
		expect(status).toBe(200);
		const planned = await db.from('jobs').select('*', { count: 'planned', head: true });
		expect(typeof planned.count).toBe('number');
		const estimated = await db.from('jobs').select('*', { count: 'estimated', head: true });
		expect(estimated.count).toBe(4);
	});

	it('reports the same Content-Range for HEAD as for GET with an exact count', async () => {
		for (const query of ['/jobs?limit=2&offset=1', '/jobs?offset=3', '/jobs?offset=9']) {
			const init = { headers: { prefer: 'count=exact' } };
			const get = await env.fetch(query, init);
			const head = await env.fetch(query, { ...init, method: 'HEAD' });
			expect(head.status).toBe(get.status);
			expect(head.headers.get('content-range')).toBe(get.headers.get('content-range'));
		}
	});

	it('caps results at max rows', async () => {
		const saved = env.config.api.maxRows;
		env.config.api.maxRows = 3;
		try {
			const { data, count } = await db.from('projects').select('id', { count: 'exact' });
			expect(data).toHaveLength(3);
			expect(count).toBe(4);
			const { data: d2 } = await db.from('projects').select('id').limit(100);
			expect(d2).toHaveLength(3);
		} finally {
			env.config.api.maxRows = saved;
		}
	});
});

describe('representations', () => {
	it('returns a single object or PGRST116', async () => {
		const one = await db.from('clients').select('name').eq('id', 2).single();
		expect(one.data).toEqual({ name: 'Globex' });
		const none = await db.from('clients').select('name').eq('id', 99).single();
		expect(none.status).toBe(406);
		expect(none.error).toMatchObject({
			code: 'PGRST116',
			message: 'Cannot coerce the result to a single JSON object',
			details: 'The result contains 0 rows'
		});
		const many = await db.from('clients').select('name').single();
		expect(many.error?.details).toBe('The result contains 3 rows');
		const maybe = await db.from('clients').select('name').eq('id', 99).maybeSingle();
		expect(maybe).toMatchObject({ data: null, error: null });
	});

	it('returns CSV', async () => {
		const { data } = await db
			.from('projects')
			.select('id,name,budget,tags')
			.in('id', [1, 3])
			.order('id')
			.csv();
		expect(data).toBe('id,name,budget,tags\n1,Alpha,100.50,"{a,b}"\n3,Gamma,,');
	});

	it('strips nulls on request', async () => {
		const res = await env.fetch('/projects?select=id,client_id&id=eq.4', {
			headers: { accept: 'application/vnd.pgrst.array+json;nulls=stripped' }
		});
		expect(await res.json()).toEqual([{ id: 4 }]);
	});

	it('rejects unknown media types with 406 PGRST107', async () => {
		const res = await env.fetch('/projects', { headers: { accept: 'application/xml' } });
		expect(res.status).toBe(406);
		expect(await res.json()).toMatchObject({
			code: 'PGRST107',
			message: 'None of these media types are available: application/xml'
		});
	});
});

describe('errors', () => {
	it('answers PGRST205 with a suggestion for an unknown table', async () => {
		const { error, status } = await db.from('project').select();
		expect(status).toBe(404);
		expect(error).toEqual({
			code: 'PGRST205',
			details: null,
			hint: "Perhaps you meant the table 'public.projects'",
			message: "Could not find the table 'public.project' in the schema cache"
		});
	});

	it('answers 42703 for an unknown column', async () => {
		const { error, status } = await db.from('projects').select('nope');
		expect(status).toBe(400);
		expect(error).toMatchObject({ code: '42703', message: 'column projects.nope does not exist' });
	});

	it('answers PGRST100 for malformed parameters', async () => {
		const res = await env.fetch('/projects?select=id,clients(name');
		expect(res.status).toBe(400);
		expect((await res.json()).code).toBe('PGRST100');
		const res2 = await env.fetch('/projects?order=id.ac');
		expect(await res2.json()).toMatchObject({
			code: 'PGRST100',
			message: '"failed to parse order (id.ac)" (line 1, column 4)'
		});
		const res3 = await env.fetch('/projects?id=noop.1');
		expect(res3.status).toBe(200);
		const res4 = await env.fetch('/projects?id=not.noop.1');
		expect(await res4.json()).toMatchObject({
			code: 'PGRST100',
			details: 'unknown single value operator noop'
		});
	});

	it('answers 22P02 for invalid input', async () => {
		const { error, status } = await db.from('projects').select().eq('id', 'abc');
		expect(status).toBe(400);
		expect(error).toMatchObject({
			code: '22P02',
			message: 'invalid input syntax for type integer: "abc"'
		});
	});

	it('answers PGRST106 for an unexposed schema', async () => {
		const { error, status } = await db.schema('private').from('projects').select();
		expect(status).toBe(406);
		expect(error).toMatchObject({
			code: 'PGRST106',
			message: 'Invalid schema: private',
			hint: `Only the following schemas are exposed: ${env.config.api.schemas.join(', ')}`
		});
	});

	it('answers PGRST108 for filters on resources not embedded', async () => {
		const res = await env.fetch('/projects?jobs.id=eq.1');
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ code: 'PGRST108' });
	});

	it('reloads the schema cache on NOTIFY and on a miss', async () => {
		await env.db.exec(
			"create table late (id int primary key); insert into late values (7); notify pgrst, 'reload schema';"
		);
		await new Promise((r) => setTimeout(r, 100));
		expect((await db.from('late').select('id')).data).toEqual([{ id: 7 }]);
		await env.db.exec('create table later (id int); insert into later values (8);');
		expect((await db.from('later').select('id')).data).toEqual([{ id: 8 }]);
	});
});
