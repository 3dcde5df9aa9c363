import { SignJWT, jwtVerify, errors } from 'jose';

/** HS256 tokens as Supabase issues them. */
const encoder = new TextEncoder();

export function keyOf(secret: string): Uint8Array {
	return encoder.encode(secret);
}

export async function signJwt(
	claims: Record<string, unknown>,
	secret: string,
	expiresInSeconds: number
): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return new SignJWT({ ...claims })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuedAt(now)
		.setExpirationTime(now + expiresInSeconds)
		.sign(keyOf(secret));
}

export type VerifyResult =
	| { ok: true; claims: Record<string, unknown> }
	| { ok: false; reason: 'expired' | 'invalid' | 'malformed' };

/**
 * Verifies an HS256 token. Only HS256 is accepted, so `alg: none` and asymmetric algorithms
 * signed with another key fail here before any claim is read.
 */
export async function verifyJwt(token: string, secret: string): Promise<VerifyResult> {
	if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
	try {
		const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'] });
		return { ok: true, claims: payload as Record<string, unknown> };
	} catch (e) {
		if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
		if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid)
			return { ok: false, reason: 'malformed' };
		return { ok: false, reason: 'invalid' };
	}
}

/** The long-lived API keys a project hands out (`anon`, `service_role`), like the CLI's. */
export async function apiKeys(
	secret: string
): Promise<{ anonKey: string; serviceRoleKey: string }> {
	const tenYears = 10 * 365 * 24 * 3600;
	return {
		anonKey: await signJwt({ iss: 'supabase-demo', role: 'anon' }, secret, tenYears),
		serviceRoleKey: await signJwt({ iss: 'supabase-demo', role: 'service_role' }, secret, tenYears)
	};
}
