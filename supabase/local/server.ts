import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { keyOf } from './jwt.ts';
import type { ApiRequest, ApiResponse, Handler, RequestAuth, RuntimeConfig } from './types.ts';

/** Roles a JWT may switch to. Anything else (e.g. `postgres`) is refused: the API never runs as an owner. */
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

/** GoTrue routes Supabase's gateway leaves open (links opened from an email carry no apikey). */
const OPEN_AUTH_PATHS = new Set(['/verify', '/callback', '/authorize', '/health']);

const CORS_HEADERS: Record<string, string> = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
	'access-control-allow-headers':
		'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, range-unit, x-supabase-api-version, x-upsert, accept',
	'access-control-expose-headers':
		'content-range, location, preference-applied, range-unit, x-supabase-api-version, content-location',
	'access-control-max-age': '3600'
};

export interface ApiParts {
	rest: Handler;
	auth: Handler;
	/** `/realtime/v1` over HTTP (REST broadcast); it verifies its own tokens, like Realtime. */
	realtime?: Handler;
}

type JwtCheck =
	| { ok: true; claims: Record<string, unknown> }
	| { ok: false; code: 'PGRST301' | 'PGRST303'; message: string; details?: string };

/**
 * Verifies a bearer token the way PostgREST does (signature, then exp/nbf/iat with 30 s of skew,
 * then aud), returning PostgREST's code and message for each failure.
 */
export async function checkJwt(token: string, secret: string): Promise<JwtCheck> {
	if (token === '')
		return { ok: false, code: 'PGRST301', message: 'Empty JWT is sent in Authorization header' };
	const parts = token.split('.').length;
	if (parts !== 3) {
		return { ok: false, code: 'PGRST301', message: `Expected 3 parts in JWT; got ${parts}` };
	}
	let payload: Uint8Array;
	try {
		const header = decodeProtectedHeader(token);
		if (header.alg !== 'HS256') {
			return {
				ok: false,
				code: 'PGRST301',
				message: 'Wrong or unsupported encoding algorithm',
				details: `Algorithm ${String(header.alg)} is not supported`
			};
		}
		({ payload } = await compactVerify(token, keyOf(secret), { algorithms: ['HS256'] }));
	} catch (e) {
		if (e instanceof errors.JWSSignatureVerificationFailed) {
			return { ok: false, code: 'PGRST301', message: 'JWT cryptographic operation failed' };
		}
		return { ok: false, code: 'PGRST301', message: "JWT couldn't be decoded" };
	}
	let claims: Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
		claims = parsed as Record<string, unknown>;
	} catch {
		return { ok: false, code: 'PGRST303', message: 'Parsing claims failed' };
	}
	const now = Math.floor(Date.now() / 1000);
	const skew = 30;
	for (const [claim, label] of [
		['exp', 'exp'],
		['nbf', 'nbf'],
		['iat', 'iat']
	] as const) {
		const v = claims[claim];
		if (v !== undefined && typeof v !== 'number') {
			return { ok: false, code: 'PGRST303', message: `The JWT '${label}' claim must be a number` };
		}
	}
	if (typeof claims.exp === 'number' && now - skew > claims.exp) {
		return { ok: false, code: 'PGRST303', message: 'JWT expired' };
	}
	if (typeof claims.nbf === 'number' && now + skew < claims.nbf) {
		return { ok: false, code: 'PGRST303', message: 'JWT not yet valid' };
	}
	if (typeof claims.iat === 'number' && now + skew < claims.iat) {
		return { ok: false, code: 'PGRST303', message: 'JWT issued at future' };
	}
	const aud = claims.aud;
	if (aud !== undefined) {
		const auds = Array.isArray(aud) ? aud : [aud];
		if (!auds.every((a) => typeof a === 'string')) {
			return {
				ok: false,
				code: 'PGRST303',
				message: "The JWT 'aud' claim must be a string or an array of strings"
			};
		}
		// Supabase's tokens are issued for the `authenticated` audience; the API keys carry none.
		if (!auds.includes('authenticated')) {
			return { ok: false, code: 'PGRST303', message: 'JWT not in audience' };
		}
	}
	return { ok: true, claims };
}

function restJwtError(check: Extract<JwtCheck, { ok: false }>): ApiResponse {
	return {
		status: 401,
		headers: {
			'www-authenticate': `Bearer error="invalid_token", error_description=${JSON.stringify(check.message)}`
		},
		body: { code: check.code, details: check.details ?? null, hint: null, message: check.message }
	};
}

function bearer(req: IncomingMessage): string | null {
	const h = req.headers.authorization;
	if (h === undefined) return null;
	const m = /^bearer\s*(.*)$/i.exec(h);
	return m ? m[1].trim() : h.trim();
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limit) throw new BodyTooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new BodyTooLarge();
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

function send(res: ServerResponse, r: ApiResponse, head: boolean): void {
	const headers: Record<string, string | string[]> = { ...CORS_HEADERS, ...(r.headers ?? {}) };
	let payload: string | Buffer | undefined;
	if (r.body === undefined) payload = undefined;
	else if (typeof r.body === 'string' || Buffer.isBuffer(r.body)) payload = r.body;
	else {
		payload = JSON.stringify(r.body);
		if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
			headers['content-type'] = 'application/json; charset=utf-8';
		}
	}
	if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(r.status, headers);
	res.end(head ? undefined : payload);
}

function apiKeyError(message: string, hint: string): ApiResponse {
	return { status: 401, body: { message, hint } };
}

/**
 * The HTTP front of the runtime: what Supabase's gateway does (CORS, the apikey check, body limits,
 * routing by prefix) and what PostgREST does before touching the database (JWT verification).
 */
export function createApiServer(config: RuntimeConfig, parts: ApiParts): Server {
	const anonAuth: RequestAuth = { role: 'anon', claims: { role: 'anon' }, token: null };
	// The API keys are checked on every request; their verification is cached.
	const goodKeys = new Set([config.anonKey, config.serviceRoleKey]);

	async function route(req: IncomingMessage): Promise<ApiResponse> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		if (method === 'OPTIONS') return { status: 200 };
		if (url.pathname === '/health' || url.pathname === '/') {
			return { status: 200, body: { status: 'ok', name: 'groundwork-local-supabase' } };
		}
		const m = /^\/(rest|auth|realtime)\/v1(\/.*)?$/.exec(url.pathname);
		if (!m || (m[1] === 'realtime' && !parts.realtime)) {
			return { status: 404, body: { message: 'no Route matched with those values' } };
		}
		const part = m[1] as 'rest' | 'auth' | 'realtime';
		const path = decodeURIComponent(m[2] ?? '/');
		const open = part === 'auth' && OPEN_AUTH_PATHS.has(path);

		const apikey = (req.headers.apikey as string | undefined) ?? url.searchParams.get('apikey');
		if (!open) {
			if (!apikey) {
				return apiKeyError(
					'No API key found in request',
					'No `apikey` request header or url param was found.'
				);
			}
			if (!goodKeys.has(apikey)) {
				const check = await checkJwt(apikey, config.jwtSecret);
				if (!check.ok) {
					return apiKeyError(
						'Invalid API key',
						'Double check your Supabase `anon` or `service_role` API key.'
					);
				}
			}
		}

		let body: Buffer;
		try {
			body = await readBody(req, config.api.maxBodyBytes);
		} catch (e) {
			if (e instanceof BodyTooLarge) {
				return { status: 413, body: { message: 'Request size limit exceeded' } };
			}
			throw e;
		}

		const token = bearer(req) ?? apikey ?? null;
		let auth: RequestAuth = { ...anonAuth, token };
		if (part === 'rest' && token !== null) {
			const check = await checkJwt(token, config.jwtSecret);
			if (!check.ok) return restJwtError(check);
			const role = typeof check.claims.role === 'string' ? check.claims.role : 'anon';
			if (!API_ROLES.has(role)) {
				return {
					status: 401,
					body: {
						code: '42501',
						details: null,
						hint: null,
						message: `permission denied to set role "${role}"`
					}
				};
			}
			auth = { role, claims: check.claims, token };
		}

		const headers: Record<string, string | undefined> = {};
		for (const [k, v] of Object.entries(req.headers)) {
			headers[k] = Array.isArray(v) ? v.join(', ') : v;
		}
		// The gateway keeps the apikey to itself (hide_credentials), so PostgREST never sees it as a filter.
		if (url.searchParams.has('apikey')) url.searchParams.delete('apikey');
		const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : url.search;
		const apiReq: ApiRequest = {
			method,
			path,
			rawQuery,
			query: url.searchParams,
			headers,
			body,
			auth,
			ip: req.socket.remoteAddress ?? ''
		};
		if (part === 'realtime') return parts.realtime!(apiReq);
		return part === 'rest' ? parts.rest(apiReq) : parts.auth(apiReq);
	}

	return createServer((req, res) => {
		route(req)
			.then((r) => send(res, r, req.method === 'HEAD'))
			.catch((e: unknown) => {
				// A bug in the runtime must not reveal internals to a client: log it, answer generically.
				console.error('[api] unhandled error', e);
				if (!res.headersSent) {
					send(
						res,
						{
							status: 500,
							body: { code: 'XX000', details: null, hint: null, message: 'Internal server error' }
						},
						false
					);
				} else res.destroy();
			});
	});
}
