import type { ApiRequest, ApiResponse } from '../types.ts';

export const API_VERSION_HEADER = 'x-supabase-api-version';
const API_VERSION_2024 = Date.parse('2024-01-01T00:00:00Z');

/** An error GoTrue answers with `{ code, error_code, msg }` (or the 2024-01-01 shape). */
export class AuthError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: string,
		message: string,
		readonly extra: Record<string, unknown> = {}
	) {
		super(message);
	}
}

export const badRequest = (code: string, msg: string) => new AuthError(400, code, msg);
export const forbidden = (code: string, msg: string) => new AuthError(403, code, msg);
export const notFound = (code: string, msg: string) => new AuthError(404, code, msg);
export const unprocessable = (code: string, msg: string) => new AuthError(422, code, msg);
export const tooMany = (code: string, msg: string) => new AuthError(429, code, msg);

export function weakPassword(message: string, reasons: string[]): AuthError {
	return new AuthError(422, 'weak_password', message, { weak_password: { reasons } });
}

/**
 * The API version a client asked for: GoTrue picks the closest version at or before the date sent
 * in `X-Supabase-Api-Version`; the only dated version so far is 2024-01-01.
 */
export function requestedApiVersion(req: ApiRequest): '2024-01-01' | null {
	const v = req.headers[API_VERSION_HEADER];
	if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return null;
	const t = Date.parse(`${v.trim()}T00:00:00Z`);
	return Number.isFinite(t) && t >= API_VERSION_2024 ? '2024-01-01' : null;
}

/** Headers every auth response carries: the API version is echoed when the client sent one. */
export function versionHeaders(req: ApiRequest): Record<string, string> {
	const v = requestedApiVersion(req);
	return v ? { 'X-Supabase-Api-Version': v } : {};
}

/**
 * GoTrue's error body. Clients that send `X-Supabase-Api-Version: 2024-01-01` (auth-js does) get
 * `{ code: <error code>, message }`; others get the original `{ code: <status>, error_code, msg }`.
 */
export function errorResponse(req: ApiRequest, e: AuthError): ApiResponse {
	const headers = versionHeaders(req);
	const body = headers['X-Supabase-Api-Version']
		? { code: e.errorCode, message: e.message, ...e.extra }
		: { code: e.status, error_code: e.errorCode, msg: e.message, ...e.extra };
	return { status: e.status, headers, body };
}
