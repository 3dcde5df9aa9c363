import { describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { checkJwt } from './server.ts';
import { keyOf, signJwt } from './jwt.ts';

const secret = 'a-test-secret-that-is-at-least-32-characters';

describe('checkJwt (PostgREST JWT rules)', () => {
	it('accepts a token signed with the secret and returns its claims', async () => {
		const token = await signJwt(
			{ role: 'authenticated', sub: 'u1', aud: 'authenticated' },
			secret,
			60
		);
		const r = await checkJwt(token, secret);
		expect(r).toMatchObject({ ok: true, claims: { role: 'authenticated', sub: 'u1' } });
	});

	it('refuses alg none', async () => {
		const token = new UnsecuredJWT({ role: 'service_role' }).encode();
		const r = await checkJwt(token, secret);
		expect(r).toMatchObject({
			ok: false,
			code: 'PGRST301',
			message: 'Wrong or unsupported encoding algorithm'
		});
	});

	it('refuses a token signed with another key', async () => {
		const token = await signJwt(
			{ role: 'service_role' },
			'another-secret-another-secret-another',
			60
		);
		const r = await checkJwt(token, secret);
		expect(r).toMatchObject({
			ok: false,
			code: 'PGRST301',
			message: 'JWT cryptographic operation failed'
		});
	});

	it('refuses an expired token, allowing 30 s of clock skew', async () => {
		const now = Math.floor(Date.now() / 1000);
		const sign = (exp: number) =>
			new SignJWT({ role: 'anon' })
				.setProtectedHeader({ alg: 'HS256' })
				.setExpirationTime(exp)
				.sign(keyOf(secret));
		expect(await checkJwt(await sign(now - 60), secret)).toMatchObject({
			ok: false,
			code: 'PGRST303',
			message: 'JWT expired'
		});
		expect(await checkJwt(await sign(now - 10), secret)).toMatchObject({ ok: true });
	});

	it('refuses a token for another audience', async () => {
		const token = await signJwt({ role: 'authenticated', aud: 'someone-else' }, secret, 60);
		expect(await checkJwt(token, secret)).toMatchObject({
			ok: false,
			code: 'PGRST303',
			message: 'JWT not in audience'
		});
	});

	it('reports the number of parts of a malformed token', async () => {
		expect(await checkJwt('abc.def', secret)).toMatchObject({
			ok: false,
			code: 'PGRST301',
			message: 'Expected 3 parts in JWT; got 2'
		});
		expect(await checkJwt('a.b.c', secret)).toMatchObject({ ok: false, code: 'PGRST301' });
	});
});
