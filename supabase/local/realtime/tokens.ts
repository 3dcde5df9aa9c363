/**
 * Realtime's checks of a channel's access token, on top of the API's own JWT verification
 * (`checkJwt`): it also needs `role` and `exp`, has no clock skew on expiry, and answers with
 * Realtime's error codes and messages (`InvalidJWTToken: Token has expired 12 seconds ago`, …).
 */
import { checkJwt } from '../server.ts';
import type { RequestAuth } from '../types.ts';

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

export type TokenCheck =
	| { ok: true; auth: RequestAuth; exp: number }
	/** `reason` is Realtime's `Code: message`; `message` alone is what a shutdown says. */
	| { ok: false; reason: string; message: string };

function fail(code: string, message: string): TokenCheck {
	return { ok: false, reason: `${code}: ${message}`, message };
}

function unverifiedExp(token: string): number | null {
	try {
		const body = token.split('.')[1] ?? '';
		const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: unknown };
		return typeof claims.exp === 'number' ? claims.exp : null;
	} catch {
		return null;
	}
}

export function expiredMessage(exp: number, now = Math.floor(Date.now() / 1000)): string {
	return `Token has expired ${Math.max(0, now - exp)} seconds ago`;
}

export async function checkToken(token: string, secret: string): Promise<TokenCheck> {
	const check = await checkJwt(token.replace(/\s/g, ''), secret);
	const now = Math.floor(Date.now() / 1000);
	if (!check.ok) {
		if (check.message === 'JWT expired') {
			return fail('InvalidJWTToken', expiredMessage(unverifiedExp(token) ?? now, now));
		}
		if (check.message === 'JWT cryptographic operation failed') {
			return fail('JwtSignatureError', 'Failed to validate JWT signature');
		}
		if (check.code === 'PGRST301') {
			return fail('MalformedJWT', 'The token provided is not a valid JWT');
		}
		return fail('InvalidJWTToken', check.message);
	}
	const { role, exp } = check.claims;
	if (typeof role !== 'string' || typeof exp !== 'number') {
		return fail('InvalidJWTToken', 'Fields `role` and `exp` are required in JWT');
	}
	// Realtime allows no clock skew: a token is good until its `exp`, not 30 s past it.
	if (exp <= now) return fail('InvalidJWTToken', expiredMessage(exp, now));
	if (!API_ROLES.has(role)) {
		return fail('Unauthorized', `The role "${role}" cannot use Realtime`);
	}
	return { ok: true, auth: { role, claims: check.claims, token }, exp };
}
