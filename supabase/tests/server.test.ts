import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { keyOf, signJwt } from '../local/jwt.ts';
import { startTestStack, type TestStack } from './helpers/stack.ts';

// What the gateway and PostgREST do before a request reaches the database: every failure here must
// be a 4xx with the body the real services send, never a 500.
let stack: TestStack;
beforeAll(async () => {
	stack = await startTestStack();
	await stack.db.exec(`create table public.notes (id int primary key, body text);
		insert into public.notes values (1, 'hello');
		alter table public.notes enable row level security;
		create policy "Anyone can read notes" on public.notes for select to anon, authenticated using (true);`);
	await stack.reloadSchema();
});
afterAll(() => stack.stop());

const rest = (path: string, init: RequestInit = {}) =>
	fetch(`${stack.apiUrl}/rest/v1${path}`, init);

describe('the API gateway', () => {
	it('refuses a request without an apikey like Supabase does', async () => {
		const r = await rest('/notes');
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({
			message: 'No API key found in request',
			hint: 'No `apikey` request header or url param was found.'
		});
	});

	it('refuses an apikey that is not one of the project keys', async () => {
		const r = await rest('/notes', { headers: { apikey: 'not-a-key' } });
		expect(r.status).toBe(401);
		expect((await r.json()).message).toBe('Invalid API key');
	});

	it('answers CORS preflights so the browser client can call the API', async () => {
		const r = await rest('/notes', {
			method: 'OPTIONS',
			headers: { origin: 'http://localhost:5173' }
		});
		expect(r.status).toBe(200);
		expect(r.headers.get('access-control-allow-origin')).toBe('*');
		expect(r.headers.get('access-control-allow-headers')).toContain('apikey');
	});

	it('answers 413 to a body over the limit and stays up', async () => {
		const saved = stack.config.api.maxBodyBytes;
		stack.config.api.maxBodyBytes = 1024;
		try {
			const r = await rest('/notes', {
				method: 'POST',
				headers: { apikey: stack.serviceRoleKey, 'content-type': 'application/json' },
				body: JSON.stringify({ id: 2, body: 'x'.repeat(5000) })
			});
			expect(r.status).toBe(413);
		} finally {
			stack.config.api.maxBodyBytes = saved;
		}
		const ok = await rest('/notes?select=body', { headers: { apikey: stack.anonKey } });
		expect(await ok.json()).toEqual([{ body: 'hello' }]);
	});

	it('answers 404 for a path that is not an API', async () => {
		const r = await fetch(`${stack.apiUrl}/nothing/here`, { headers: { apikey: stack.anonKey } });
		expect(r.status).toBe(404);
	});
});

describe('JWT checks on /rest/v1 (PostgREST codes)', () => {
	const withToken = (token: string) =>
		rest('/notes', { headers: { apikey: stack.anonKey, authorization: `Bearer ${token}` } });

	it('refuses alg none with PGRST301 and a WWW-Authenticate header', async () => {
		const token = new UnsecuredJWT({ role: 'service_role' }).encode();
		const r = await withToken(token);
		expect(r.status).toBe(401);
		expect(r.headers.get('www-authenticate')).toContain('invalid_token');
		expect(await r.json()).toMatchObject({
			code: 'PGRST301',
			message: 'Wrong or unsupported encoding algorithm'
		});
	});

	it('refuses a token signed with another key', async () => {
		const r = await withToken(await signJwt({ role: 'service_role' }, 'x'.repeat(40), 60));
		expect(r.status).toBe(401);
		expect(await r.json()).toMatchObject({
			code: 'PGRST301',
			message: 'JWT cryptographic operation failed'
		});
	});

	it('refuses an expired token with PGRST303', async () => {
		const past = Math.floor(Date.now() / 1000) - 3600;
		const token = await new SignJWT({ role: 'authenticated', aud: 'authenticated' })
			.setProtectedHeader({ alg: 'HS256' })
			.setExpirationTime(past)
			.sign(keyOf(stack.jwtSecret));
		const r = await withToken(token);
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({
			code: 'PGRST303',
			details: null,
			hint: null,
			message: 'JWT expired'
		});
	});

	it('refuses a token for another audience', async () => {
		const r = await withToken(
			await signJwt({ role: 'authenticated', aud: 'elsewhere' }, stack.jwtSecret, 60)
		);
		expect(r.status).toBe(401);
		expect((await r.json()).message).toBe('JWT not in audience');
	});

	it('refuses a validly signed token that asks for a database owner role', async () => {
		const r = await withToken(await signJwt({ role: 'postgres' }, stack.jwtSecret, 60));
		expect(r.status).toBe(401);
		const body = await r.json();
		expect(body.code).toBe('42501');
	});

	it('runs a valid user token as authenticated', async () => {
		const r = await withToken(
			await signJwt(
				{ role: 'authenticated', aud: 'authenticated', sub: crypto.randomUUID() },
				stack.jwtSecret,
				60
			)
		);
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual([{ id: 1, body: 'hello' }]);
	});
});

describe('hostile input to /rest/v1', () => {
	const h = () => ({ apikey: stack.serviceRoleKey, 'content-type': 'application/json' });

	it('binds SQL-looking filter values as data', async () => {
		const r = await rest(`/notes?body=eq.${encodeURIComponent("hello'; drop table notes; --")}`, {
			headers: h()
		});
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual([]);
		const still = await rest('/notes?select=id', { headers: h() });
		expect(await still.json()).toEqual([{ id: 1 }]);
	});

	it('answers malformed JSON with PGRST102 and a malformed filter with PGRST100', async () => {
		const bad = await rest('/notes', { method: 'POST', headers: h(), body: '{"id": 3,' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).code).toBe('PGRST102');
		const filter = await rest('/notes?id=not.nope.1', { headers: h() });
		expect(filter.status).toBe(400);
		expect((await filter.json()).code).toBe('PGRST100');
	});

	it('answers unknown tables, columns and functions with PostgREST codes', async () => {
		const table = await rest('/nope', { headers: h() });
		expect(table.status).toBe(404);
		expect((await table.json()).code).toBe('PGRST205');
		const column = await rest('/notes?select=nope', { headers: h() });
		expect(column.status).toBe(400);
		expect((await column.json()).code).toBe('42703');
		const fn = await rest('/rpc/nope', { method: 'POST', headers: h(), body: '{}' });
		expect(fn.status).toBe(404);
		expect((await fn.json()).code).toBe('PGRST202');
	});
});

describe('query strings', () => {
	it('accepts the apikey as a query parameter without treating it as a filter', async () => {
		const r = await rest(`/notes?select=id&apikey=${stack.anonKey}`);
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual([{ id: 1 }]);
	});
});
