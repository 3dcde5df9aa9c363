import { describe, expect, it } from 'vitest';
import { signJwt } from '../jwt.ts';
import { checkToken } from './tokens.ts';

const secret = 'a'.repeat(40);

describe('checkToken', () => {
	it('accepts an API role with exp and returns its claims', async () => {
		const t = await signJwt({ role: 'authenticated', sub: 'u1' }, secret, 60);
		const r = await checkToken(t, secret);
		expect(r.ok && r.auth.role).toBe('authenticated');
		expect(r.ok && r.auth.claims.sub).toBe('u1');
	});

	it('answers with Realtime’s codes and messages', async () => {
		const reason = async (t: string) => {
			const r = await checkToken(t, secret);
			return r.ok ? 'ok' : r.reason;
		};
		expect(await reason('x')).toBe('MalformedJWT: The token provided is not a valid JWT');
		expect(await reason(await signJwt({ role: 'anon' }, 'other'.repeat(8), 60))).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		expect(await reason(await signJwt({ role: 'anon' }, secret, -5))).toMatch(
			/^InvalidJWTToken: Token has expired [5-7] seconds ago$/
		);
		// Beyond the 30 s of skew the REST API allows, the message still counts from exp.
		expect(await reason(await signJwt({ role: 'anon' }, secret, -100))).toMatch(
			/^InvalidJWTToken: Token has expired 10[0-2] seconds ago$/
		);
		expect(await reason(await signJwt({ sub: 'x' }, secret, 60))).toBe(
			'InvalidJWTToken: Fields `role` and `exp` are required in JWT'
		);
		expect(await reason(await signJwt({ role: 'postgres' }, secret, 60))).toMatch(
			/^Unauthorized: /
		);
	});
});
