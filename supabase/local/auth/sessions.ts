import { signJwt } from '../jwt.ts';
import type { RuntimeConfig, Tx } from '../types.ts';
import { badRequest } from './errors.ts';
import { ms, refreshTokenString } from './helpers.ts';
import { findUserById, isBanned, userJson, type UserJson, type UserRow } from './users.ts';

/** How a session was started, for the `amr` claim (GoTrue's AuthenticationMethod names). */
export type AuthMethod =
	| 'password'
	| 'otp'
	| 'magiclink'
	| 'recovery'
	| 'invite'
	| 'email/signup'
	| 'email_change'
	| 'token_refresh';

export interface SessionResponse {
	access_token: string;
	token_type: 'bearer';
	expires_in: number;
	expires_at: number;
	refresh_token: string;
	user: UserJson;
}

export interface SessionContext {
	config: RuntimeConfig;
	/** `<api url>/auth/v1`, the `iss` claim. */
	issuer: string;
	userAgent?: string;
	/** Remembered methods per session when auth.mfa_amr_claims is missing. */
	amrFallback: Map<string, { method: string; timestamp: number }[]>;
	hasAmrTable: boolean;
}

async function amrOf(
	tx: Tx,
	ctx: SessionContext,
	sessionId: string,
	createdAt: unknown
): Promise<{ method: string; timestamp: number }[]> {
	if (ctx.hasAmrTable) {
		const { rows } = await tx.query<{ method: string; at: unknown }>(
			`select authentication_method as method, updated_at as at from auth.mfa_amr_claims
			  where session_id = $1::uuid order by updated_at desc`,
			[sessionId]
		);
		if (rows.length > 0)
			return rows.map((r) => ({ method: r.method, timestamp: Math.floor((ms(r.at) ?? 0) / 1000) }));
	}
	return (
		ctx.amrFallback.get(sessionId) ?? [
			{ method: 'password', timestamp: Math.floor((ms(createdAt) ?? Date.now()) / 1000) }
		]
	);
}

/** Signs an access token with Supabase's claims for `user` in `sessionId`. */
export async function accessToken(
	tx: Tx,
	ctx: SessionContext,
	user: UserRow,
	sessionId: string,
	sessionCreatedAt: unknown
): Promise<{ token: string; expiresAt: number }> {
	const expiry = ctx.config.auth.jwtExpiry;
	const amr = await amrOf(tx, ctx, sessionId, sessionCreatedAt);
	const token = await signJwt(
		{
			iss: ctx.issuer,
			sub: user.id,
			aud: user.aud ?? 'authenticated',
			email: user.email ?? '',
			phone: user.phone ?? '',
			app_metadata: user.raw_app_meta_data ?? {},
			user_metadata: user.raw_user_meta_data ?? {},
			role: user.role ?? 'authenticated',
			aal: 'aal1',
			amr,
			session_id: sessionId,
			is_anonymous: user.is_anonymous === true
		},
		ctx.config.jwtSecret,
		expiry
	);
	return { token, expiresAt: Math.floor(Date.now() / 1000) + expiry };
}

function response(
	user: UserRow,
	access: { token: string; expiresAt: number },
	refresh: string,
	expiry: number
): SessionResponse {
	return {
		access_token: access.token,
		token_type: 'bearer',
		expires_in: expiry,
		expires_at: access.expiresAt,
		refresh_token: refresh,
		user: userJson(user)
	};
}

/** Starts a session: a row in auth.sessions, its first refresh token and an access token. */
export async function issueSession(
	tx: Tx,
	ctx: SessionContext,
	user: UserRow,
	method: AuthMethod
): Promise<SessionResponse> {
	const sessionId = crypto.randomUUID();
	await tx.query(
		`insert into auth.sessions (id, user_id, created_at, updated_at, user_agent)
		 values ($1::uuid, $2::uuid, now(), now(), $3)`,
		[sessionId, user.id, ctx.userAgent ?? null]
	);
	const now = Date.now();
	if (ctx.hasAmrTable) {
		await tx.query(
			`insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
			 values (gen_random_uuid(), $1::uuid, now(), now(), $2)`,
			[sessionId, method]
		);
	} else {
		ctx.amrFallback.set(sessionId, [{ method, timestamp: Math.floor(now / 1000) }]);
	}
	const refresh = refreshTokenString();
	await tx.query(
		`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
		 values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), null, $3::uuid)`,
		[refresh, user.id, sessionId]
	);
	await tx.query(
		`update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1::uuid`,
		[user.id]
	);
	const fresh = (await findUserById(tx, user.id)) ?? user;
	const access = await accessToken(tx, ctx, fresh, sessionId, new Date(now));
	return response(fresh, access, refresh, ctx.config.auth.jwtExpiry);
}

interface RefreshRow {
	id: string;
	token: string;
	user_id: string;
	revoked: boolean;
	updated_at: unknown;
	parent: string | null;
	session_id: string | null;
}

/** The outcome of a refresh: a session, or an error to answer after committing what was done. */
export type RefreshOutcome =
	{ ok: true; session: SessionResponse } | { ok: false; error: ReturnType<typeof badRequest> };

/**
 * GoTrue's refresh-token grant: each token is swapped once for a child; the parent of the active
 * token may be replayed (the client lost the answer) and gets the active token back; another
 * revoked token is accepted within the reuse interval, and after it the whole family is revoked.
 */
export async function refreshSession(
	tx: Tx,
	ctx: SessionContext,
	token: string
): Promise<RefreshOutcome> {
	const cfg = ctx.config.auth;
	const { rows } = await tx.query<RefreshRow>(
		`select id::text, token, user_id, revoked, updated_at, parent, session_id::text
		   from auth.refresh_tokens where token = $1 for update`,
		[token]
	);
	const rt = rows[0];
	const notFound = () => ({
		ok: false as const,
		error: badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
	});
	if (!rt) return notFound();
	const user = await findUserById(tx, rt.user_id);
	if (!user) return notFound();
	if (isBanned(user)) {
		return { ok: false, error: badRequest('user_banned', 'Invalid Refresh Token: User Banned') };
	}
	const sessions = rt.session_id
		? (
				await tx.query<{ id: string; created_at: unknown; not_after: unknown }>(
					`select id::text, created_at, not_after from auth.sessions where id = $1::uuid for update`,
					[rt.session_id]
				)
			).rows
		: [];
	const session = sessions[0];
	if (!session) {
		return {
			ok: false,
			error: badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found')
		};
	}
	const notAfter = ms(session.not_after);
	if (notAfter !== null && Date.now() > notAfter) {
		return {
			ok: false,
			error: badRequest('session_expired', 'Invalid Refresh Token: Session Expired')
		};
	}

	let issued: string | null = null;
	if (rt.revoked) {
		const active = (
			await tx.query<{ token: string; parent: string | null }>(
				`select token, parent from auth.refresh_tokens
				  where session_id = $1::uuid and revoked = false order by id desc limit 1`,
				[session.id]
			)
		).rows[0];
		if (active && active.parent === rt.token) {
			issued = active.token;
		} else {
			const reuseUntil = (ms(rt.updated_at) ?? 0) + cfg.refreshTokenReuseInterval * 1000;
			if (Date.now() > reuseUntil) {
				if (cfg.enableRefreshTokenRotation) {
					await tx.query(
						`update auth.refresh_tokens set revoked = true, updated_at = now()
						  where session_id = $1::uuid and revoked = false`,
						[session.id]
					);
				}
				return {
					ok: false,
					error: badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used')
				};
			}
		}
	}
	if (issued === null) {
		await tx.query(
			`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1::bigint and not revoked`,
			[rt.id]
		);
		issued = refreshTokenString();
		await tx.query(
			`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
			 values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4::uuid)`,
			[issued, user.id, rt.token, session.id]
		);
	}
	await tx.query(
		`update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1::uuid`,
		[session.id]
	);
	const access = await accessToken(tx, ctx, user, session.id, session.created_at);
	return { ok: true, session: response(user, access, issued, cfg.jwtExpiry) };
}
