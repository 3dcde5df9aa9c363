import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { restFixtureSql, startRestEnv, type RestTestEnv } from './helpers/rest-env.ts';

let env: RestTestEnv;
let db: SupabaseClient;

beforeAll(async () => {
	env = await startRestEnv(
		restFixtureSql +
			`create table items (id serial primary key, name text not null, qty int default 5, note text,
			   tags text[], meta jsonb, client_id int references clients(id));`
	);
	db = env.service();
});
afterAll(async () => {
	await env?.stop();
});

const auth = (): Record<string, string> => ({
	authorization: `Bearer ${env.serviceRoleKey}`,
	'content-type': 'application/json'
});

describe('insert', () => {
	it('inserts one row with minimal return: 201 and no body', async () => {
		const r = await db.from('items').insert({ name: 'one' });
		expect(r).toMatchObject({ status: 201, data: null, error: null });
		const { data } = await db.from('items').select('name, qty').eq('name', 'one');
		expect(data).toEqual([{ name: 'one', qty: 5 }]);
	});

	it('returns the representation with select, arrays and json', async () => {
		const { data, status } = await db
			.from('items')
			.insert({ name: 'two', tags: ['x', 'y "z"'], meta: { a: [1, 2] }, client_id: 1 })
			.select('name, tags, meta, clients(name)')
			.single();
		expect(status).toBe(201);
		expect(data).toEqual({
			name: 'two',
			tags: ['x', 'y "z"'],
			meta: { a: [1, 2] },
			clients: { name: 'Acme' }
		});
	});

	it('bulk inserts with missing keys as null, or as default with missing=default', async () => {
		const { data } = await db
			.from('items')
			.insert([{ name: 'b1', qty: 1 }, { name: 'b2' }], { defaultToNull: true })
			.select('name, qty')
			.order('name');
		expect(data).toEqual([
			{ name: 'b1', qty: 1 },
			{ name: 'b2', qty: null }
		]);
		const { data: d2 } = await db
			.from('items')
			.insert([{ name: 'd1', qty: 1 }, { name: 'd2' }], { defaultToNull: false })
			.select('name, qty');
		expect(d2).toEqual([
			{ name: 'd1', qty: 1 },
			{ name: 'd2', qty: 5 }
		]);
	});

	it('counts inserted rows and reports applied preferences', async () => {
		const res = await env.fetch('/items', {
			method: 'POST',
			headers: { ...auth(), prefer: 'return=representation, count=exact' },
			body: JSON.stringify([{ name: 'c1' }, { name: 'c2' }])
		});
		expect(res.status).toBe(201);
		expect(res.headers.get('content-range')).toBe('*/2');
		expect(res.headers.get('preference-applied')).toBe('return=representation, count=exact');
		expect(await res.json()).toHaveLength(2);
	});

	it('gives a Location with return=headers-only', async () => {
		const res = await env.fetch('/clients', {
			method: 'POST',
			headers: { ...auth(), prefer: 'return=headers-only' },
			body: JSON.stringify({ id: 50, name: 'Hooli' })
		});
		expect(res.status).toBe(201);
		expect(res.headers.get('location')).toBe('/clients?id=eq.50');
		expect(await res.text()).toBe('');
	});

	it('rejects mismatched keys without columns, and accepts CSV and form bodies', async () => {
		const res = await env.fetch('/items', {
			method: 'POST',
			headers: auth(),
			body: JSON.stringify([{ name: 'k1' }, { name: 'k2', qty: 2 }])
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({
			code: 'PGRST102',
			message: 'All object keys must match'
		});
		const csv = await env.fetch('/items', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'text/csv', prefer: 'return=representation' },
			body: 'name,qty,note\ncsv1,7,"a, b"\ncsv2,8,NULL'
		});
		expect(csv.status).toBe(201);
		expect(await csv.json()).toMatchObject([
			{ name: 'csv1', qty: 7, note: 'a, b' },
			{ name: 'csv2', qty: 8, note: null }
		]);
		const form = await env.fetch('/items?select=name,qty', {
			method: 'POST',
			headers: {
				...auth(),
				'content-type': 'application/x-www-form-urlencoded',
				prefer: 'return=representation'
			},
			body: 'name=form1&qty=3'
		});
		expect(await form.json()).toEqual([{ name: 'form1', qty: 3 }]);
	});
});

describe('upsert', () => {
	it('merges duplicates on the primary key or on_conflict', async () => {
		const { data } = await db.from('clients').upsert({ id: 2, name: 'Globex Corp' }).select();
		expect(data).toEqual([{ id: 2, name: 'Globex Corp' }]);
		const { data: d2 } = await db
			.from('clients')
			.upsert({ id: 2, name: 'Globex Corp' }, { onConflict: 'name' })
			.select();
		expect(d2).toEqual([{ id: 2, name: 'Globex Corp' }]);
		const { data: d3, status } = await db
			.from('clients')
			.upsert(
				[
					{ id: 2, name: 'Ignored' },
					{ id: 60, name: 'New' }
				],
				{ ignoreDuplicates: true }
			)
			.select();
		expect(status).toBe(201);
		expect(d3).toEqual([{ id: 60, name: 'New' }]);
		const { data: still } = await db.from('clients').select('name').eq('id', 2).single();
		expect(still).toEqual({ name: 'Globex Corp' });
	});

	it('replaces one row with PUT', async () => {
		const res = await env.fetch('/clients?id=eq.70', {
			method: 'PUT',
			headers: { ...auth(), prefer: 'return=representation' },
			body: JSON.stringify({ id: 70, name: 'Put Co' })
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual([{ id: 70, name: 'Put Co' }]);
		const bad = await env.fetch('/clients?id=eq.71', {
			method: 'PUT',
			headers: auth(),
			body: JSON.stringify({ id: 72, name: 'x' })
		});
		expect(await bad.json()).toMatchObject({ code: 'PGRST115' });
	});
});

describe('update and delete', () => {
	it('updates filtered rows and returns them', async () => {
		await db.from('items').insert([
			{ name: 'u1', qty: 1 },
			{ name: 'u2', qty: 2 },
			{ name: 'u3', qty: 3 }
		]);
		const { data, status } = await db
			.from('items')
			.update({ note: 'big', tags: ['t'] })
			.in('name', ['u2', 'u3'])
			.select('name, note, tags')
			.order('name');
		expect(status).toBe(200);
		expect(data).toEqual([
			{ name: 'u2', note: 'big', tags: ['t'] },
			{ name: 'u3', note: 'big', tags: ['t'] }
		]);
		const minimal = await db.from('items').update({ note: 'x' }).eq('name', 'u1');
		expect(minimal.status).toBe(204);
		const counted = await db
			.from('items')
			.update({ note: 'y' }, { count: 'exact' })
			.like('name', 'u%');
		expect(counted.count).toBe(3);
	});

	it('deletes filtered rows', async () => {
		await db.from('items').insert([{ name: 'del1' }, { name: 'del2' }]);
		const { data, status } = await db
			.from('items')
			.delete()
			.like('name', 'del%')
			.select('name')
			.order('name');
		expect(status).toBe(200);
		expect(data).toEqual([{ name: 'del1' }, { name: 'del2' }]);
		const { count } = await db
			.from('items')
			.select('*', { count: 'exact', head: true })
			.like('name', 'del%');
		expect(count).toBe(0);
		const none = await db.from('items').delete().eq('name', 'nothing');
		expect(none.status).toBe(204);
	});

	it('rolls back with tx=rollback and enforces max-affected', async () => {
		const r = await db.from('items').insert({ name: 'rolled' }).select('name').rollback();
		expect(r.data).toEqual([{ name: 'rolled' }]);
		const { count } = await db
			.from('items')
			.select('*', { count: 'exact', head: true })
			.eq('name', 'rolled');
		expect(count).toBe(0);
		await db.from('items').insert([{ name: 'm1' }, { name: 'm2' }]);
		// supabase-js only types maxAffected for PostgREST 13+ clients; the header is what matters.
		const over = await (
			db.from('items').delete().like('name', 'm_') as unknown as {
				maxAffected(n: number): PromiseLike<{ status: number; error: unknown }>;
			}
		).maxAffected(1);
		expect(over.status).toBe(400);
		expect(over.error).toMatchObject({
			code: 'PGRST124',
			message: 'Query result exceeds max-affected preference constraint',
			details: 'The query affects 2 rows'
		});
		const { count: left } = await db
			.from('items')
			.select('*', { count: 'exact', head: true })
			.like('name', 'm_');
		expect(left).toBe(2);
	});

	it('rolls back a mutation whose single-object result is not one row', async () => {
		await db.from('items').insert([
			{ name: 's1', qty: 9 },
			{ name: 's2', qty: 9 }
		]);
		const r = await db.from('items').update({ note: 'single' }).eq('qty', 9).select().single();
		expect(r.status).toBe(406);
		const { data } = await db.from('items').select('note').eq('qty', 9);
		expect(data).toEqual([{ note: null }, { note: null }]);
	});
});

describe('errors', () => {
	it('maps constraint violations to PostgREST statuses', async () => {
		const dup = await db.from('clients').insert({ id: 1, name: 'Again' });
		expect(dup.status).toBe(409);
		expect(dup.error).toMatchObject({
			code: '23505',
			message: 'duplicate key value violates unique constraint "clients_pkey"',
			details: 'Key (id)=(1) already exists.'
		});
		const fk = await db.from('items').insert({ name: 'fk', client_id: 999 });
		expect(fk.status).toBe(409);
		expect(fk.error?.code).toBe('23503');
		const nn = await db.from('items').insert({ note: 'no name' });
		expect(nn.status).toBe(400);
		expect(nn.error?.code).toBe('23502');
		const bad = await db.from('items').insert({ name: 'x', qty: 'many' });
		expect(bad.status).toBe(400);
		expect(bad.error?.code).toBe('22P02');
	});

	it('answers PGRST204 for an unknown column in the payload', async () => {
		const { error, status } = await db.from('items').insert({ name: 'x', colour: 'red' });
		expect(status).toBe(400);
		expect(error).toEqual({
			code: 'PGRST204',
			details: null,
			hint: null,
			message: "Could not find the 'colour' column of 'items' in the schema cache"
		});
	});

	it('answers PGRST102 for invalid JSON and unsupported content types', async () => {
		const res = await env.fetch('/items', { method: 'POST', headers: auth(), body: '{"name": ' });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({
			code: 'PGRST102',
			details: null,
			hint: null,
			message: 'Empty or invalid json'
		});
		const xml = await env.fetch('/items', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/xml' },
			body: '<a/>'
		});
		expect(xml.status).toBe(400);
		expect((await xml.json()).message).toBe('Content-Type not acceptable: application/xml');
	});

	it('answers 405 for unsupported methods on rpc and PGRST125 for deep paths', async () => {
		const res = await env.fetch('/items/1');
		expect(res.status).toBe(404);
		expect((await res.json()).code).toBe('PGRST125');
	});
});
