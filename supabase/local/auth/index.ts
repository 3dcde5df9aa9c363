import bcrypt from 'bcryptjs';
import { decodeProtectedHeader } from 'jose';
import { randomBytes } from 'node:crypto';
import { verifyJwt } from '../jwt.ts';
import type { Mailbox } from '../mail/index.ts';
import type { ApiRequest, ApiResponse, Database, Handler, RuntimeConfig, Tx } from '../types.ts';
import {
	AuthError,
	badRequest,
	errorResponse,
	forbidden,
	notFound,
	tooMany,
	unprocessable,
	versionHeaders,
	weakPassword
} from './errors.ts';
import {
	generateOtp,
	isEmailFormat,
	isRedirectAllowed,
	ms,
	PKCE_PREFIX,
	RateLimiter,
	s256,
	tokenHash
} from './helpers.ts';
import { actionLink, sendAuthMail, type MailKind } from './mailer.ts';
import {
	issueSession,
	refreshSession,
	type AuthMethod,
	type SessionContext,
	type SessionResponse
} from './sessions.ts';
import {
	findUser,
	findUserByEmail,
	findUserById,
	findUsers,
	insertUser,
	isBanned,
	isConfirmed,
	isUuid,
	userJson,
	type UserRow
} from './users.ts';

export interface AuthOptions {
	db: Database;
	config: RuntimeConfig;
	mailbox: Mailbox;
}

/** bcrypt cost: GoTrue's default, cheap enough for tests. */
const BCRYPT_COST = 10;
/** GoTrue's FlowStateExpiryDuration default. */
const FLOW_STATE_EXPIRY_MS = 300_000;
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);
const FIVE_MINUTES = 5 * 60_000;
const HOUR = 3_600_000;
const SINGLE_CONFIRMATION =
	'Confirmation link accepted. Please proceed to confirm link sent to the other email';

type Json = Record<string, unknown>;

interface Caps {
	amr: boolean;
	ott: boolean;
	audit: boolean;
}

interface Ctx {
	req: ApiRequest;
	cfg: RuntimeConfig['auth'];
	externalUrl: string;
	session: SessionContext;
	/** Mails are delivered only once their transaction has committed. */
	outbox: (() => void)[];
}

interface Pkce {
	challenge: string;
	method: 's256' | 'plain';
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : '';
}

function obj(v: unknown): Json | null {
	return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function parseBody(req: ApiRequest): Json {
	const text = req.body.toString('utf8').trim();
	if (text === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (e) {
		throw badRequest('bad_json', `Could not parse request body as JSON: ${(e as Error).message}`);
	}
	const o = obj(parsed);
	if (!o) throw badRequest('bad_json', 'Could not parse request body as JSON: expected an object');
	return o;
}

function validateEmail(raw: unknown): string {
	const email = str(raw).trim();
	if (email === '') throw badRequest('validation_failed', 'An email address is required');
	if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
	if (!isEmailFormat(email)) {
		throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
	}
	return email.toLowerCase();
}

function checkPassword(cfg: RuntimeConfig['auth'], password: string): void {
	if ([...password].length < cfg.minimumPasswordLength) {
		throw weakPassword(`Password should be at least ${cfg.minimumPasswordLength} characters.`, [
			'length'
		]);
	}
}

/** GoTrue's PKCE parameter checks: both or neither, a known method, 43–128 characters. */
function parsePkce(body: Json): Pkce | null {
	const challenge = str(body.code_challenge);
	const method = str(body.code_challenge_method).toLowerCase();
	if (challenge === '' && method === '') return null;
	if (challenge === '' || method === '') {
		throw badRequest(
			'validation_failed',
			'PKCE flow requires code_challenge_method and code_challenge'
		);
	}
	if (method !== 's256' && method !== 'plain') {
		throw badRequest('validation_failed', `code challenge method ${method} not supported`);
	}
	if (challenge.length < 43 || challenge.length > 128) {
		throw badRequest('validation_failed', 'code challenge has to be between 43 and 128 characters');
	}
	return { challenge, method };
}

/** `verify` link types to the flow state's authentication method. */
function authMethodOf(type: string): AuthMethod {
	if (type.endsWith('signup')) return 'email/signup';
	if (type === 'magiclink' || type === 'recovery' || type === 'invite' || type === 'email_change')
		return type;
	throw badRequest('validation_failed', `unsupported authentication method ${type}`);
}

function frequencyError(sentAt: unknown, maxFrequency: number): AuthError | null {
	const t = ms(sentAt);
	if (t === null) return null;
	const left = t + maxFrequency * 1000 - Date.now();
	if (left <= 0) return null;
	return tooMany(
		'over_email_send_rate_limit',
		`For security purposes, you can only request this after ${Math.ceil(left / 1000)} seconds.`
	);
}

function jwtFailure(token: string, reason: 'expired' | 'invalid' | 'malformed'): AuthError {
	let detail = 'token is malformed: could not parse token';
	if (reason === 'expired') detail = 'token has invalid claims: token is expired';
	else if (reason === 'invalid') {
		let alg: string;
		try {
			alg = String(decodeProtectedHeader(token).alg);
		} catch {
			alg = '';
		}
		detail =
			alg === 'HS256'
				? 'token signature is invalid: signature is invalid'
				: `token is unverifiable: error while executing keyfunc: unrecognized JWT kid <nil> for algorithm ${alg}`;
	}
	return forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${detail}`);
}

/** Creates the `/auth/v1` handler. */
export function createAuth({ db, config, mailbox }: AuthOptions): { handler: Handler } {
	const amrFallback = new Map<string, { method: string; timestamp: number }[]>();
	let capsPromise: Promise<Caps> | null = null;
	const limiters = new Map<string, { limit: number; limiter: RateLimiter }>();
	let dummyHash: string | undefined;

	function caps(): Promise<Caps> {
		capsPromise ??= db
			.query<{ amr: boolean; ott: boolean; audit: boolean }>(
				`select to_regclass('auth.mfa_amr_claims') is not null as amr,
				        to_regclass('auth.one_time_tokens') is not null as ott,
				        to_regclass('auth.audit_log_entries') is not null as audit`
			)
			.then((r) => r.rows[0])
			.catch((e: unknown) => {
				capsPromise = null;
				throw e;
			});
		return capsPromise;
	}

	/** Counts one event for `key`; limits are read on each call so config changes apply at once. */
	function allow(name: string, limit: number, windowMs: number, key: string): boolean {
		let entry = limiters.get(name);
		if (!entry || entry.limit !== limit) {
			entry = { limit, limiter: new RateLimiter(limit, windowMs) };
			limiters.set(name, entry);
		}
		return entry.limiter.take(key);
	}

	function limitRequests(ctx: Ctx, name: string, limit: number): void {
		if (!allow(name, limit, FIVE_MINUTES, ctx.req.ip)) {
			throw tooMany('over_request_rate_limit', 'Request rate limit reached');
		}
	}

	function json(
		ctx: Ctx,
		body: unknown,
		status = 200,
		headers: Record<string, string> = {}
	): ApiResponse {
		return { status, headers: { ...versionHeaders(ctx.req), ...headers }, body };
	}

	function redirectTarget(ctx: Ctx, candidate?: string): string {
		const c = candidate ?? ctx.req.query.get('redirect_to') ?? '';
		if (c && isRedirectAllowed(c, ctx.cfg.siteUrl, ctx.cfg.additionalRedirectUrls)) return c;
		return ctx.cfg.siteUrl;
	}

	function tx<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
		return db.transaction(fn).then((v) => {
			for (const send of ctx.outbox.splice(0)) send();
			return v;
		});
	}

	async function audit(t: Tx, ctx: Ctx, user: UserRow | null, action: string, traits?: Json) {
		if (!(await caps()).audit) return;
		await t.query(
			`insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
			 values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), $1::json, now(), $2)`,
			[
				JSON.stringify({
					actor_id: user?.id ?? '',
					actor_username: user?.email ?? '',
					actor_via_sso: false,
					action,
					log_type: action === 'login' || action === 'logout' ? 'account' : 'user',
					...(traits ? { traits } : {})
				}),
				ctx.req.ip.slice(0, 64)
			]
		);
	}

	async function oneTimeToken(
		t: Tx,
		userId: string,
		type: string,
		hash: string,
		relatesTo: string
	) {
		if (!(await caps()).ott) return;
		await t.query(
			`delete from auth.one_time_tokens where user_id = $1::uuid and token_type = $2::auth.one_time_token_type`,
			[userId, type]
		);
		if (hash === '') return;
		await t.query(
			`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
			 values (gen_random_uuid(), $1::uuid, $2::auth.one_time_token_type, $3, $4, now(), now())`,
			[userId, type, hash, relatesTo]
		);
	}

	async function newFlowState(
		t: Tx,
		userId: string,
		pkce: Pkce,
		method: AuthMethod,
		provider = 'email'
	) {
		await t.query(
			`insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge,
			   provider_type, provider_access_token, provider_refresh_token, authentication_method, created_at, updated_at)
			 values (gen_random_uuid(), $1::uuid, $2, $3::auth.code_challenge_method, $4, $5, '', '', $6, now(), now())`,
			[userId, crypto.randomUUID(), pkce.method, pkce.challenge, provider, method]
		);
	}

	/** Checks the global hourly email budget, like GoTrue's email rate limit. */
	function takeEmailBudget(ctx: Ctx): void {
		if (!allow('email_sent', ctx.cfg.rateLimit.emailSent, HOUR, 'global')) {
			throw tooMany('over_email_send_rate_limit', 'Email rate limit exceeded');
		}
	}

	/**
	 * Stores a fresh token for `kind` on the user and queues its mail. Returns the OTP and stored
	 * token (generate_link uses them without sending).
	 */
	async function prepareMail(
		t: Tx,
		ctx: Ctx,
		user: UserRow,
		kind: MailKind,
		opts: { pkce?: Pkce | null; redirectTo: string; send: boolean; checkFrequency?: boolean }
	): Promise<{ otp: string; token: string; link: string }> {
		const email = user.email ?? '';
		const sentAtColumn =
			kind === 'signup' || kind === 'invite' ? user.confirmation_sent_at : user.recovery_sent_at;
		if (opts.send && opts.checkFrequency !== false && kind !== 'invite') {
			const err = frequencyError(sentAtColumn, ctx.cfg.maxFrequency);
			if (err) throw err;
		}
		if (opts.send) takeEmailBudget(ctx);
		const otp = generateOtp();
		const hash = tokenHash(email, otp);
		const token = opts.pkce ? PKCE_PREFIX + hash : hash;
		if (opts.pkce) await newFlowState(t, user.id, opts.pkce, authMethodOf(kind));
		if (kind === 'signup' || kind === 'invite') {
			await t.query(
				`update auth.users set confirmation_token = $2, confirmation_sent_at = now(),
				   invited_at = case when $3::boolean then now() else invited_at end, updated_at = now()
				 where id = $1::uuid`,
				[user.id, token, kind === 'invite']
			);
			await oneTimeToken(t, user.id, 'confirmation_token', token, email);
		} else {
			await t.query(
				`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1::uuid`,
				[user.id, token]
			);
			await oneTimeToken(t, user.id, 'recovery_token', token, email);
		}
		const link = actionLink(ctx.externalUrl, token, kind, opts.redirectTo);
		if (opts.send) {
			ctx.outbox.push(() =>
				sendAuthMail(mailbox, {
					kind,
					to: email,
					externalUrl: ctx.externalUrl,
					siteUrl: ctx.cfg.siteUrl,
					token,
					otp,
					redirectTo: opts.redirectTo,
					email
				})
			);
		}
		return { otp, token, link };
	}

	/** Secure email change: one token per address; both links must be followed. */
	async function prepareEmailChange(
		t: Tx,
		ctx: Ctx,
		user: UserRow,
		newEmail: string,
		opts: { pkce?: Pkce | null; redirectTo: string; send: boolean }
	): Promise<{ otpNew: string; tokenNew: string; link: string }> {
		const email = user.email ?? '';
		if (opts.send) {
			const err = frequencyError(user.email_change_sent_at, ctx.cfg.maxFrequency);
			if (err) throw err;
			takeEmailBudget(ctx);
		}
		const prefix = opts.pkce ? PKCE_PREFIX : '';
		const otpNew = generateOtp();
		const tokenNew = prefix + tokenHash(newEmail, otpNew);
		const secure = ctx.cfg.secureEmailChange && email !== '';
		const otpCurrent = generateOtp();
		const tokenCurrent = secure ? prefix + tokenHash(email, otpCurrent) : '';
		if (opts.pkce) await newFlowState(t, user.id, opts.pkce, 'email_change');
		await t.query(
			`update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
			   email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
			 where id = $1::uuid`,
			[user.id, newEmail, tokenNew, tokenCurrent]
		);
		await oneTimeToken(t, user.id, 'email_change_token_new', tokenNew, newEmail);
		await oneTimeToken(t, user.id, 'email_change_token_current', tokenCurrent, email);
		if (opts.send) {
			const base = {
				kind: 'email_change' as const,
				externalUrl: ctx.externalUrl,
				siteUrl: ctx.cfg.siteUrl,
				redirectTo: opts.redirectTo,
				email,
				newEmail
			};
			ctx.outbox.push(() => {
				sendAuthMail(mailbox, { ...base, to: newEmail, token: tokenNew, otp: otpNew });
				if (secure)
					sendAuthMail(mailbox, { ...base, to: email, token: tokenCurrent, otp: otpCurrent });
			});
		}
		return {
			otpNew,
			tokenNew,
			link: actionLink(ctx.externalUrl, tokenNew, 'email_change', opts.redirectTo)
		};
	}

	// ---------------------------------------------------------------- authentication of callers

	function bearerOf(ctx: Ctx): string {
		const h = ctx.req.headers.authorization ?? '';
		const m = /^[Bb]earer (\S+)$/.exec(h);
		if (!m)
			throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
		return m[1];
	}

	async function claimsOf(ctx: Ctx): Promise<Json> {
		const token = bearerOf(ctx);
		const v = await verifyJwt(token, config.jwtSecret);
		if (!v.ok) throw jwtFailure(token, v.reason);
		return v.claims;
	}

	async function requireAdmin(ctx: Ctx): Promise<void> {
		const claims = await claimsOf(ctx);
		if (!ADMIN_ROLES.has(str(claims.role))) throw forbidden('not_admin', 'User not allowed');
	}

	/** requireAuthentication: a valid JWT for an existing user and, if it names one, session. */
	async function requireUser(
		t: Tx,
		ctx: Ctx
	): Promise<{ user: UserRow; sessionId: string | null; claims: Json }> {
		const claims = await claimsOf(ctx);
		const sub = str(claims.sub);
		if (sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
		if (!isUuid(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
		const user = await findUserById(t, sub);
		if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
		let sessionId: string | null = null;
		const sid = str(claims.session_id);
		if (sid !== '' && sid !== '00000000-0000-0000-0000-000000000000') {
			if (!isUuid(sid))
				throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
			const { rows } = await t.query(`select 1 from auth.sessions where id = $1::uuid`, [sid]);
			if (rows.length === 0) {
				throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
			}
			sessionId = sid;
		}
		if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
		return { user, sessionId, claims };
	}

	// ---------------------------------------------------------------- endpoints

	function settings(ctx: Ctx): ApiResponse {
		return json(ctx, {
			external: {
				anonymous_users: false,
				apple: false,
				azure: false,
				bitbucket: false,
				discord: false,
				facebook: false,
				figma: false,
				fly: false,
				github: false,
				gitlab: false,
				google: false,
				keycloak: false,
				kakao: false,
				linkedin: false,
				linkedin_oidc: false,
				notion: false,
				spotify: false,
				slack: false,
				slack_oidc: false,
				workos: false,
				twitch: false,
				twitter: false,
				email: true,
				phone: false,
				zoom: false
			},
			disable_signup: !ctx.cfg.enableSignup,
			mailer_autoconfirm: !ctx.cfg.emailConfirmations,
			phone_autoconfirm: false,
			sms_provider: '',
			saml_enabled: false
		});
	}

	async function signup(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const cfg = ctx.cfg;
		if (!cfg.enableSignup)
			throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
		const hasEmail = str(body.email) !== '';
		const hasPhone = str(body.phone) !== '';
		if (!hasEmail && !hasPhone) {
			throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
		}
		limitRequests(ctx, 'sign_in_sign_ups', cfg.rateLimit.signInSignUps);
		if (hasPhone) throw unprocessable('phone_provider_disabled', 'Phone signups are disabled');
		const password = str(body.password);
		if (password === '')
			throw unprocessable('validation_failed', 'Signup requires a valid password');
		checkPassword(cfg, password);
		const email = validateEmail(body.email);
		const pkce = parsePkce(body);
		const data = obj(body.data) ?? {};
		const redirectTo = redirectTarget(ctx);
		const autoconfirm = !cfg.emailConfirmations;

		// bcrypt is slow on purpose: hash before taking the database.
		const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
		return tx(ctx, async (t) => {
			const existing = await findUserByEmail(t, email);
			if (existing && (isConfirmed(existing) || autoconfirm)) {
				await audit(t, ctx, existing, 'user_repeated_signup', { provider: 'email' });
				if (autoconfirm) throw unprocessable('user_already_exists', 'User already registered');
				// With confirmations on GoTrue answers as if it were a new sign-up, so the response
				// reveals nothing about who is registered.
				return json(ctx, obfuscatedUser(existing, email, data));
			}
			if (existing) {
				// Unconfirmed: send the confirmation again, without trusting the new password.
				await prepareMail(t, ctx, existing, 'signup', { pkce, redirectTo, send: true });
				return json(ctx, userJson((await findUserById(t, existing.id)) ?? existing));
			}
			const user = await insertUser(t, {
				email,
				passwordHash,
				userMetadata: data,
				confirmed: autoconfirm
			});
			if (autoconfirm) {
				await audit(t, ctx, user, 'user_signedup', { provider: 'email' });
				return json(ctx, await issueSession(t, ctx.session, user, 'password'));
			}
			await audit(t, ctx, user, 'user_confirmation_requested', { provider: 'email' });
			await prepareMail(t, ctx, user, 'signup', {
				pkce,
				redirectTo,
				send: true,
				checkFrequency: false
			});
			return json(ctx, userJson((await findUserById(t, user.id)) ?? user));
		});
	}

	function obfuscatedUser(u: UserRow, email: string, data: Json) {
		const now = new Date().toISOString();
		return {
			...userJson(u),
			id: crypto.randomUUID(),
			email,
			phone: '',
			created_at: now,
			updated_at: now,
			confirmation_sent_at: now,
			confirmed_at: undefined,
			email_confirmed_at: undefined,
			last_sign_in_at: undefined,
			identities: [],
			user_metadata: data,
			app_metadata: { provider: 'email', providers: ['email'] }
		};
	}

	async function token(ctx: Ctx): Promise<ApiResponse> {
		const grant = ctx.req.query.get('grant_type') ?? '';
		const cfg = ctx.cfg;
		switch (grant) {
			case 'password': {
				limitRequests(ctx, 'sign_in_sign_ups', cfg.rateLimit.signInSignUps);
				const body = parseBody(ctx.req);
				const emailIn = str(body.email);
				if (emailIn !== '' && str(body.phone) !== '') {
					throw badRequest(
						'validation_failed',
						'Only an email address or phone number should be provided on login.'
					);
				}
				if (emailIn === '') {
					if (str(body.phone) !== '')
						throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
					throw badRequest('validation_failed', 'missing email or phone');
				}
				const password = str(body.password);
				const user = await db.transaction((t) => findUserByEmail(t, emailIn.trim()));
				const invalid = () => badRequest('invalid_credentials', 'Invalid login credentials');
				if (!user || !user.encrypted_password) {
					// Spend the same time as a real check, so timing does not reveal who has an account.
					dummyHash ??= await bcrypt.hash(randomBytes(16).toString('hex'), BCRYPT_COST);
					await bcrypt.compare(password, dummyHash);
					throw invalid();
				}
				if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
				const valid = await bcrypt.compare(password, user.encrypted_password).catch(() => false);
				if (!valid) throw invalid();
				if (!isConfirmed(user)) throw badRequest('email_not_confirmed', 'Email not confirmed');
				return tx(ctx, async (t) => {
					await audit(t, ctx, user, 'login', { provider: 'email' });
					return json(ctx, await issueSession(t, ctx.session, user, 'password'));
				});
			}
			case 'refresh_token': {
				limitRequests(ctx, 'token_refresh', cfg.rateLimit.tokenRefresh);
				const body = parseBody(ctx.req);
				const rt = str(body.refresh_token);
				if (rt === '') {
					return json(
						ctx,
						{ error: 'invalid_request', error_description: 'refresh_token required' },
						400
					);
				}
				const outcome = await tx(ctx, (t) => refreshSession(t, ctx.session, rt));
				if (!outcome.ok) throw outcome.error;
				return json(ctx, outcome.session);
			}
			case 'pkce': {
				limitRequests(ctx, 'sign_in_sign_ups', cfg.rateLimit.signInSignUps);
				const body = parseBody(ctx.req);
				const authCode = str(body.auth_code);
				const verifier = str(body.code_verifier);
				if (authCode === '' || verifier === '') {
					throw badRequest(
						'validation_failed',
						'invalid request: both auth code and code verifier should be non-empty'
					);
				}
				return tx(ctx, async (t) => {
					const { rows } = await t.query<{
						id: string;
						user_id: string | null;
						code_challenge: string;
						code_challenge_method: string;
						authentication_method: string;
						created_at: unknown;
						auth_code_issued_at: unknown;
					}>(
						`select id::text, user_id::text, code_challenge, code_challenge_method::text,
						        authentication_method, created_at, auth_code_issued_at
						   from auth.flow_state where auth_code = $1 for update`,
						[authCode]
					);
					const flow = rows[0];
					if (!flow || !flow.user_id) {
						throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
					}
					const since = ms(flow.auth_code_issued_at) ?? ms(flow.created_at) ?? 0;
					if (Date.now() > since + FLOW_STATE_EXPIRY_MS) {
						throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
					}
					const user = await findUserById(t, flow.user_id);
					if (!user)
						throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
					const expected = flow.code_challenge_method === 'plain' ? verifier : s256(verifier);
					if (expected !== flow.code_challenge) {
						throw badRequest(
							'bad_code_verifier',
							'code challenge does not match previously saved code verifier'
						);
					}
					await audit(t, ctx, user, 'login', { provider_type: 'email' });
					const method = (flow.authentication_method || 'magiclink') as AuthMethod;
					const session = await issueSession(t, ctx.session, user, method);
					await t.query(`delete from auth.flow_state where id = $1::uuid`, [flow.id]);
					return json(ctx, session);
				});
			}
			case 'id_token':
			case 'web3':
				throw badRequest('provider_disabled', 'Provider is not enabled');
			default:
				throw badRequest('invalid_credentials', 'unsupported_grant_type');
		}
	}

	/** Sends a magic link, or signs the address up first as GoTrue's /otp and /magiclink do. */
	async function otp(ctx: Ctx, legacy: boolean): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const cfg = ctx.cfg;
		if (str(body.phone) !== '' && str(body.email) === '') {
			throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
		}
		const email = validateEmail(body.email);
		const createUser = legacy ? true : body.create_user !== false;
		const pkce = parsePkce(body);
		const data = obj(body.data) ?? {};
		const redirectTo = redirectTarget(ctx);
		const autoconfirm = !cfg.emailConfirmations;
		const existing = await db.transaction((t) => findUserByEmail(t, email));
		if (!existing || !isConfirmed(existing)) {
			if (!existing && !createUser)
				throw unprocessable('otp_disabled', 'Signups not allowed for otp');
			if (!existing && !cfg.enableSignup) {
				throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
			}
			// A new address gets a random password, so only the emailed link can sign it in.
			const passwordHash = existing
				? null
				: await bcrypt.hash(randomBytes(32).toString('hex'), BCRYPT_COST);
			await tx(ctx, async (t) => {
				let user = existing ? await findUserById(t, existing.id) : await findUserByEmail(t, email);
				if (!user) {
					user = await insertUser(t, {
						email,
						passwordHash,
						userMetadata: data,
						confirmed: autoconfirm
					});
					await audit(t, ctx, user, autoconfirm ? 'user_signedup' : 'user_confirmation_requested', {
						provider: 'email'
					});
				}
				// With confirmations off the new user is confirmed already and gets a magic link.
				const kind: MailKind = isConfirmed(user) ? 'magiclink' : 'signup';
				await prepareMail(t, ctx, user, kind, { pkce, redirectTo, send: true });
			});
			return json(ctx, {});
		}
		await tx(ctx, async (t) => {
			const user = (await findUserById(t, existing.id)) ?? existing;
			await audit(t, ctx, user, 'user_recovery_requested');
			await prepareMail(t, ctx, user, 'magiclink', { pkce, redirectTo, send: true });
		});
		return json(ctx, {});
	}

	async function recover(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const email = validateEmail(body.email);
		const pkce = parsePkce(body);
		const redirectTo = redirectTarget(ctx);
		await tx(ctx, async (t) => {
			const user = await findUserByEmail(t, email);
			// Unknown addresses get the same answer, so the endpoint does not reveal accounts.
			if (!user) return;
			await audit(t, ctx, user, 'user_recovery_requested');
			await prepareMail(t, ctx, user, 'recovery', { pkce, redirectTo, send: true });
		});
		return json(ctx, {});
	}

	async function resend(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const type = str(body.type);
		if (type !== 'signup' && type !== 'email_change' && type !== 'sms' && type !== 'phone_change') {
			throw badRequest(
				'validation_failed',
				'Missing one of these types: signup, email_change, sms, phone_change'
			);
		}
		if (type === 'sms' || type === 'phone_change') {
			throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
		}
		const email = validateEmail(body.email);
		const pkce = parsePkce(body);
		const redirectTo = redirectTarget(ctx);
		await tx(ctx, async (t) => {
			if (type === 'signup') {
				const user = await findUserByEmail(t, email);
				if (!user || isConfirmed(user)) return;
				await prepareMail(t, ctx, user, 'signup', { pkce, redirectTo, send: true });
				return;
			}
			const user = await findUser(t, `lower(u.email_change) = lower($1)`, [email]);
			if (!user || !user.email_change) return;
			await prepareEmailChange(t, ctx, user, user.email_change, { pkce, redirectTo, send: true });
		});
		return json(ctx, {});
	}

	async function invite(ctx: Ctx): Promise<ApiResponse> {
		await requireAdmin(ctx);
		const body = parseBody(ctx.req);
		const email = validateEmail(body.email);
		const data = obj(body.data) ?? {};
		const redirectTo = redirectTarget(ctx);
		return tx(ctx, async (t) => {
			let user = await findUserByEmail(t, email);
			if (user && isConfirmed(user)) {
				throw unprocessable(
					'email_exists',
					'A user with this email address has already been registered'
				);
			}
			user ??= await insertUser(t, {
				email,
				passwordHash: null,
				userMetadata: data,
				confirmed: false
			});
			await audit(t, ctx, user, 'user_invited', { user_id: user.id, user_email: email });
			await prepareMail(t, ctx, user, 'invite', { redirectTo, send: true });
			return json(ctx, userJson((await findUserById(t, user.id)) ?? user));
		});
	}

	type VerifyType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change' | 'email';

	/**
	 * Finds the user a token belongs to and applies the verification. Returns the user to sign in,
	 * or null when only one half of a secure email change was confirmed.
	 */
	async function applyVerification(
		t: Tx,
		ctx: Ctx,
		type: VerifyType,
		hash: string,
		email: string | null
	): Promise<{ user: UserRow | null; type: VerifyType }> {
		const cfg = ctx.cfg;
		const matches = (col: string) => `(u.${col} = $1 or u.${col} = '${PKCE_PREFIX}' || $1)`;
		const emailCond =
			email !== null
				? ` and (lower(u.email) = lower($2) or lower(u.email_change) = lower($2))`
				: '';
		const params = email !== null ? [hash, email] : [hash];
		let user: UserRow | null;
		let resolved = type;
		const invalid = () =>
			email !== null
				? forbidden('otp_expired', 'Token has expired or is invalid')
				: forbidden('otp_expired', 'Email link is invalid or has expired');
		if (hash === '') throw invalid();
		if (type === 'email') {
			user = await findUser(
				t,
				`(${matches('confirmation_token')} or ${matches('recovery_token')})${emailCond}`,
				params
			);
			if (user)
				resolved =
					user.confirmation_token?.replace(PKCE_PREFIX, '') === hash ? 'signup' : 'magiclink';
		} else if (type === 'signup' || type === 'invite') {
			user = await findUser(t, matches('confirmation_token') + emailCond, params);
		} else if (type === 'magiclink' || type === 'recovery') {
			user = await findUser(t, matches('recovery_token') + emailCond, params);
		} else {
			user = await findUser(
				t,
				`(${matches('email_change_token_new')} or ${matches('email_change_token_current')})${emailCond}`,
				params
			);
		}
		if (!user) throw invalid();
		if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
		const sentAt =
			resolved === 'signup' || resolved === 'invite'
				? user.confirmation_sent_at
				: resolved === 'email_change'
					? user.email_change_sent_at
					: user.recovery_sent_at;
		const sent = ms(sentAt);
		if (sent === null || Date.now() > sent + cfg.otpExpiry * 1000) throw invalid();

		switch (resolved) {
			case 'signup':
			case 'invite': {
				if (!user.encrypted_password && user.invited_at) {
					const pw = await bcrypt.hash(randomBytes(32).toString('hex'), BCRYPT_COST);
					await t.query(`update auth.users set encrypted_password = $2 where id = $1::uuid`, [
						user.id,
						pw
					]);
				}
				await t.query(
					`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()),
					   confirmation_token = '', updated_at = now() where id = $1::uuid`,
					[user.id]
				);
				await t.query(
					`update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
					  where user_id = $1::uuid and provider = 'email'`,
					[user.id]
				);
				await oneTimeToken(t, user.id, 'confirmation_token', '', '');
				await audit(t, ctx, user, 'user_signedup', { provider: 'email' });
				break;
			}
			case 'magiclink':
			case 'recovery': {
				await t.query(
					`update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()),
					   updated_at = now() where id = $1::uuid`,
					[user.id]
				);
				await oneTimeToken(t, user.id, 'recovery_token', '', '');
				await audit(t, ctx, user, 'login');
				break;
			}
			case 'email_change': {
				const stored = (v: string | null) =>
					v !== null && v !== '' && (v === hash || v === PKCE_PREFIX + hash);
				if (
					cfg.emailConfirmations &&
					cfg.secureEmailChange &&
					user.email_change_confirm_status === 0 &&
					user.email
				) {
					const isCurrent = stored(user.email_change_token_current);
					await t.query(
						`update auth.users set email_change_confirm_status = 1,
						   email_change_token_current = case when $2::boolean then '' else email_change_token_current end,
						   email_change_token_new = case when $2::boolean then email_change_token_new else '' end
						 where id = $1::uuid`,
						[user.id, isCurrent]
					);
					await oneTimeToken(
						t,
						user.id,
						isCurrent ? 'email_change_token_current' : 'email_change_token_new',
						'',
						''
					);
					return { user: null, type: resolved };
				}
				await confirmEmailChange(t, ctx, user);
				break;
			}
		}
		return { user: await findUserById(t, user.id), type: resolved };
	}

	async function confirmEmailChange(t: Tx, ctx: Ctx, user: UserRow): Promise<void> {
		const newEmail = user.email_change ?? '';
		await t.query(
			`update auth.users set email = $2, email_change = '', email_change_token_new = '',
			   email_change_token_current = '', email_change_confirm_status = 0,
			   email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
			 where id = $1::uuid`,
			[user.id, newEmail]
		);
		await t.query(
			`update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', true),
			   updated_at = now() where user_id = $1::uuid and provider = 'email'`,
			[user.id, newEmail]
		);
		await oneTimeToken(t, user.id, 'email_change_token_new', '', '');
		await oneTimeToken(t, user.id, 'email_change_token_current', '', '');
		await audit(t, ctx, user, 'user_modified');
	}

	async function issueAuthCode(t: Tx, userId: string, type: VerifyType): Promise<string> {
		const method = authMethodOf(type === 'email' ? 'magiclink' : type);
		const { rows } = await t.query<{ id: string; auth_code: string }>(
			`select id::text, auth_code from auth.flow_state
			  where user_id = $1::uuid and authentication_method = $2 order by created_at desc limit 1`,
			[userId, method]
		);
		if (!rows[0])
			throw badRequest(
				'flow_state_not_found',
				'No associated flow state found. flow state not found'
			);
		await t.query(
			`update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = $1::uuid`,
			[rows[0].id]
		);
		return rows[0].auth_code;
	}

	const VERIFY_TYPES = new Set([
		'signup',
		'invite',
		'magiclink',
		'recovery',
		'email_change',
		'email'
	]);

	function sessionMethod(type: VerifyType): AuthMethod {
		return type === 'signup' || type === 'invite'
			? 'otp'
			: type === 'recovery'
				? 'recovery'
				: 'otp';
	}

	async function verifyGet(ctx: Ctx): Promise<ApiResponse> {
		const q = ctx.req.query;
		const type = q.get('type') ?? '';
		const tokenParam = q.get('token') ?? '';
		const redirectTo = redirectTarget(ctx);
		if (type === '') throw badRequest('validation_failed', 'Verify requires a verification type');
		if (tokenParam === '')
			throw badRequest('validation_failed', 'Verify requires a token or a token hash');
		limitRequests(ctx, 'token_verifications', ctx.cfg.rateLimit.tokenVerifications);
		const pkceFlow = tokenParam.startsWith(PKCE_PREFIX);
		const hash = pkceFlow ? tokenParam.slice(PKCE_PREFIX.length) : tokenParam;
		const redirect = (location: string): ApiResponse => ({
			status: 303,
			headers: { ...versionHeaders(ctx.req), location }
		});
		try {
			if (!VERIFY_TYPES.has(type) || type === 'email') {
				throw badRequest('validation_failed', 'Unsupported verification type');
			}
			type Outcome =
				| { kind: 'partial' }
				| { kind: 'code'; code: string }
				| { kind: 'session'; session: SessionResponse };
			const result = await tx(ctx, async (t): Promise<Outcome> => {
				const { user, type: resolved } = await applyVerification(
					t,
					ctx,
					type as VerifyType,
					hash,
					null
				);
				if (!user) return { kind: 'partial' };
				if (pkceFlow) return { kind: 'code', code: await issueAuthCode(t, user.id, resolved) };
				return {
					kind: 'session',
					session: await issueSession(t, ctx.session, user, sessionMethod(resolved))
				};
			});
			const u = new URL(redirectTo);
			if (result.kind === 'partial') {
				const hq = new URLSearchParams({ message: SINGLE_CONFIRMATION, sb: '' });
				if (pkceFlow) u.searchParams.set('message', SINGLE_CONFIRMATION);
				u.hash = hq.toString();
				return redirect(u.toString());
			}
			if (result.kind === 'code') {
				u.searchParams.set('code', result.code);
				return redirect(u.toString());
			}
			return redirect(fragmentRedirect(redirectTo, result.session, type));
		} catch (e) {
			if (!(e instanceof AuthError) || e.status >= 500) throw e;
			return redirect(errorRedirect(redirectTo, e, pkceFlow));
		}
	}

	async function verifyPost(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const type = str(body.type);
		if (type === '') throw badRequest('validation_failed', 'Verify requires a verification type');
		const tokenIn = str(body.token);
		const hashIn = str(body.token_hash);
		if ((tokenIn === '') === (hashIn === '')) {
			throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
		}
		let hash = hashIn;
		let email: string | null = null;
		if (tokenIn !== '') {
			if (str(body.phone) !== '' && str(body.email) === '') {
				throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
			}
			if (str(body.email) === '') {
				throw badRequest(
					'validation_failed',
					'Only an email address or phone number should be provided on verify'
				);
			}
			try {
				email = validateEmail(body.email);
			} catch {
				throw unprocessable('validation_failed', 'Invalid email format');
			}
			hash = tokenHash(email, tokenIn);
		} else if (str(body.email) !== '' || str(body.phone) !== '' || str(body.redirect_to) !== '') {
			throw badRequest('validation_failed', 'Only the token_hash and type should be provided');
		}
		if (hash.startsWith(PKCE_PREFIX)) hash = hash.slice(PKCE_PREFIX.length);
		if (!VERIFY_TYPES.has(type))
			throw badRequest('validation_failed', 'Unsupported verification type');
		limitRequests(ctx, 'token_verifications', ctx.cfg.rateLimit.tokenVerifications);
		// For email change by OTP the code was hashed with the new address; try the current one too.
		return tx(ctx, async (t) => {
			let applied: { user: UserRow | null; type: VerifyType };
			try {
				applied = await applyVerification(t, ctx, type as VerifyType, hash, email);
			} catch (e) {
				if (!(e instanceof AuthError) || type !== 'email_change' || email === null) throw e;
				const user = await findUserByEmail(t, email);
				if (!user?.email_change) throw e;
				applied = await applyVerification(
					t,
					ctx,
					'email_change',
					tokenHash(user.email_change, tokenIn),
					email
				);
			}
			if (!applied.user) return json(ctx, { msg: SINGLE_CONFIRMATION, code: '200' });
			return json(
				ctx,
				await issueSession(t, ctx.session, applied.user, sessionMethod(applied.type))
			);
		});
	}

	function fragmentRedirect(base: string, s: SessionResponse, type: string): string {
		const p = new URLSearchParams({
			access_token: s.access_token,
			expires_at: String(s.expires_at),
			expires_in: String(s.expires_in),
			refresh_token: s.refresh_token,
			token_type: s.token_type,
			type
		});
		return `${base}#${p.toString()}`;
	}

	function errorRedirect(base: string, e: AuthError, pkceFlow: boolean): string {
		const oauth: Record<number, string> = {
			400: 'invalid_request',
			401: 'unauthorized_client',
			403: 'access_denied',
			500: 'server_error',
			503: 'temporarily_unavailable'
		};
		const u = new URL(base);
		const hq = new URLSearchParams();
		if (oauth[e.status]) hq.set('error', oauth[e.status]);
		hq.set('error_code', e.errorCode);
		hq.set('error_description', e.message);
		if (pkceFlow) {
			if (oauth[e.status]) u.searchParams.set('error', oauth[e.status]);
			u.searchParams.set('error_code', e.errorCode);
			u.searchParams.set('error_description', e.message);
		}
		hq.set('sb', '');
		u.hash = hq.toString();
		return u.toString();
	}

	async function getUser(ctx: Ctx): Promise<ApiResponse> {
		return db.transaction(async (t) => json(ctx, userJson((await requireUser(t, ctx)).user)));
	}

	async function putUser(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const cfg = ctx.cfg;
		const password =
			body.password === undefined || body.password === null ? null : str(body.password);
		if (password !== null) checkPassword(cfg, password);
		const newEmailRaw = str(body.email);
		const newEmail = newEmailRaw !== '' ? validateEmail(newEmailRaw) : null;
		const data = obj(body.data);
		const pkce = parsePkce(body);
		const redirectTo = redirectTarget(ctx);
		const passwordHash = password !== null ? await bcrypt.hash(password, BCRYPT_COST) : null;
		if (str(body.phone) !== '')
			throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
		return tx(ctx, async (t) => {
			const { user, sessionId } = await requireUser(t, ctx);
			if (data) {
				await t.query(
					`update auth.users set raw_user_meta_data = jsonb_strip_nulls(coalesce(raw_user_meta_data, '{}'::jsonb) || $2::jsonb),
					   updated_at = now() where id = $1::uuid`,
					[user.id, JSON.stringify(data)]
				);
			}
			if (password !== null && passwordHash !== null) {
				if (user.encrypted_password && (await bcrypt.compare(password, user.encrypted_password))) {
					throw unprocessable(
						'same_password',
						'New password should be different from the old password.'
					);
				}
				await t.query(
					`update auth.users set encrypted_password = $2, updated_at = now() where id = $1::uuid`,
					[user.id, passwordHash]
				);
				// A new password ends every other session of the user, as GoTrue does.
				if (sessionId) {
					await t.query(
						`delete from auth.refresh_tokens where user_id = $1 and session_id <> $2::uuid`,
						[user.id, sessionId]
					);
					await t.query(`delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid`, [
						user.id,
						sessionId
					]);
				}
				await audit(t, ctx, user, 'user_updated_password');
			}
			if (newEmail !== null && newEmail !== (user.email ?? '').toLowerCase()) {
				const dup = await findUser(t, `lower(u.email) = lower($1) and u.id <> $2::uuid`, [
					newEmail,
					user.id
				]);
				if (dup)
					throw unprocessable(
						'email_exists',
						'A user with this email address has already been registered'
					);
				if (!cfg.emailConfirmations) {
					await t.query(`update auth.users set email_change = $2 where id = $1::uuid`, [
						user.id,
						newEmail
					]);
					await confirmEmailChange(t, ctx, { ...user, email_change: newEmail });
				} else {
					const fresh = (await findUserById(t, user.id)) ?? user;
					await prepareEmailChange(t, ctx, fresh, newEmail, { pkce, redirectTo, send: true });
				}
			}
			await audit(t, ctx, user, 'user_modified');
			return json(ctx, userJson((await findUserById(t, user.id)) ?? user));
		});
	}

	async function logout(ctx: Ctx): Promise<ApiResponse> {
		const scope = ctx.req.query.get('scope') ?? 'global';
		if (scope !== 'global' && scope !== 'local' && scope !== 'others') {
			throw badRequest('validation_failed', `Unsupported logout scope "${scope}"`);
		}
		await tx(ctx, async (t) => {
			const { user, sessionId } = await requireUser(t, ctx);
			if (scope === 'local' && sessionId) {
				await t.query(`delete from auth.refresh_tokens where session_id = $1::uuid`, [sessionId]);
				await t.query(`delete from auth.sessions where id = $1::uuid`, [sessionId]);
			} else if (scope === 'others') {
				await t.query(
					`delete from auth.refresh_tokens where user_id = $1 and session_id is distinct from $2::uuid`,
					[user.id, sessionId]
				);
				await t.query(
					`delete from auth.sessions where user_id = $1::uuid and id is distinct from $2::uuid`,
					[user.id, sessionId]
				);
			} else {
				await t.query(`delete from auth.refresh_tokens where user_id = $1`, [user.id]);
				await t.query(`delete from auth.sessions where user_id = $1::uuid`, [user.id]);
			}
			await audit(t, ctx, user, 'logout');
		});
		return { status: 204, headers: versionHeaders(ctx.req) };
	}

	// ---------------------------------------------------------------- admin

	function banUntil(v: unknown): Date | null | undefined {
		if (v === undefined || v === null || v === '') return undefined;
		const s = str(v);
		if (s === 'none') return null;
		const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(s);
		if (!m) throw badRequest('validation_failed', 'invalid format for ban duration: ' + s);
		const n = Number(m[1]);
		const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: HOUR }[m[2]] ?? 1;
		return new Date(Date.now() + n * unit);
	}

	async function adminCreateUser(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		if (str(body.phone) !== '' && str(body.email) === '') {
			throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
		}
		const email = validateEmail(body.email);
		const password = str(body.password);
		if (password !== '') checkPassword(ctx.cfg, password);
		const passwordHash = password !== '' ? await bcrypt.hash(password, BCRYPT_COST) : null;
		const ban = banUntil(body.ban_duration);
		const role = str(body.role) || 'authenticated';
		return tx(ctx, async (t) => {
			if (await findUserByEmail(t, email)) {
				throw unprocessable(
					'email_exists',
					'A user with this email address has already been registered'
				);
			}
			const user = await insertUser(t, {
				email,
				passwordHash,
				userMetadata: obj(body.user_metadata) ?? obj(body.data) ?? {},
				appMetadata: obj(body.app_metadata) ?? {},
				confirmed: body.email_confirm === true,
				role
			});
			if (ban !== undefined) {
				await t.query(`update auth.users set banned_until = $2 where id = $1::uuid`, [
					user.id,
					ban
				]);
			}
			await audit(t, ctx, user, 'user_signedup', { provider: 'email' });
			return json(ctx, userJson((await findUserById(t, user.id)) ?? user));
		});
	}

	async function adminListUsers(ctx: Ctx): Promise<ApiResponse> {
		const q = ctx.req.query;
		const page = Math.max(1, Number.parseInt(q.get('page') ?? '', 10) || 1);
		const perPage = Math.min(1000, Math.max(1, Number.parseInt(q.get('per_page') ?? '', 10) || 50));
		return db.transaction(async (t) => {
			const total = Number(
				(
					await t.query<{ n: string | number }>(
						`select count(*) as n from auth.users where aud = 'authenticated'`
					)
				).rows[0].n
			);
			const users = await findUsers(
				t,
				`u.aud = 'authenticated'`,
				[perPage, (page - 1) * perPage],
				'order by u.created_at desc, u.id limit $1 offset $2'
			);
			const base = `${ctx.externalUrl}/admin/users`;
			const links: string[] = [];
			if (total > page * perPage)
				links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
			links.push(
				`<${base}?page=${Math.max(1, Math.ceil(total / perPage))}&per_page=${perPage}>; rel="last"`
			);
			return json(ctx, { users: users.map(userJson), aud: 'authenticated' }, 200, {
				'X-Total-Count': String(total),
				Link: links.join(', ')
			});
		});
	}

	async function adminUser(ctx: Ctx, id: string): Promise<ApiResponse> {
		const method = ctx.req.method;
		const missing = () => notFound('user_not_found', 'User not found');
		if (method === 'GET') {
			return db.transaction(async (t) => {
				const user = await findUserById(t, id);
				if (!user) throw missing();
				return json(ctx, userJson(user));
			});
		}
		if (method === 'DELETE') {
			parseBody(ctx.req);
			return tx(ctx, async (t) => {
				const user = await findUserById(t, id);
				if (!user) throw missing();
				await t.query(`delete from auth.refresh_tokens where user_id = $1`, [id]);
				await t.query(`delete from auth.sessions where user_id = $1::uuid`, [id]);
				await t.query(`delete from auth.identities where user_id = $1::uuid`, [id]);
				await t.query(`delete from auth.flow_state where user_id = $1::uuid`, [id]);
				await t.query(`delete from auth.users where id = $1::uuid`, [id]);
				await audit(t, ctx, user, 'user_deleted', { user_id: id, user_email: user.email });
				return json(ctx, {});
			});
		}
		if (method === 'PUT') {
			const body = parseBody(ctx.req);
			const email = str(body.email) !== '' ? validateEmail(body.email) : null;
			const password = str(body.password);
			if (password !== '') checkPassword(ctx.cfg, password);
			const passwordHash = password !== '' ? await bcrypt.hash(password, BCRYPT_COST) : null;
			const ban = banUntil(body.ban_duration);
			return tx(ctx, async (t) => {
				const user = await findUserById(t, id);
				if (!user) throw missing();
				if (email !== null && email !== (user.email ?? '').toLowerCase()) {
					if (await findUser(t, `lower(u.email) = lower($1) and u.id <> $2::uuid`, [email, id])) {
						throw unprocessable(
							'email_exists',
							'A user with this email address has already been registered'
						);
					}
					await t.query(`update auth.users set email_change = $2 where id = $1::uuid`, [id, email]);
					await confirmEmailChange(t, ctx, { ...user, email_change: email });
				}
				if (passwordHash) {
					await t.query(`update auth.users set encrypted_password = $2 where id = $1::uuid`, [
						id,
						passwordHash
					]);
				}
				if (body.email_confirm === true) {
					await t.query(
						`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = $1::uuid`,
						[id]
					);
				}
				const um = obj(body.user_metadata);
				if (um) {
					await t.query(
						`update auth.users set raw_user_meta_data = jsonb_strip_nulls(coalesce(raw_user_meta_data, '{}'::jsonb) || $2::jsonb) where id = $1::uuid`,
						[id, JSON.stringify(um)]
					);
				}
				const am = obj(body.app_metadata);
				if (am) {
					await t.query(
						`update auth.users set raw_app_meta_data = jsonb_strip_nulls(coalesce(raw_app_meta_data, '{}'::jsonb) || $2::jsonb) where id = $1::uuid`,
						[id, JSON.stringify(am)]
					);
				}
				if (str(body.role) !== '')
					await t.query(`update auth.users set role = $2 where id = $1::uuid`, [
						id,
						str(body.role)
					]);
				if (ban !== undefined) {
					await t.query(`update auth.users set banned_until = $2 where id = $1::uuid`, [id, ban]);
					if (ban) {
						await t.query(`delete from auth.refresh_tokens where user_id = $1`, [id]);
						await t.query(`delete from auth.sessions where user_id = $1::uuid`, [id]);
					}
				}
				await t.query(`update auth.users set updated_at = now() where id = $1::uuid`, [id]);
				await audit(t, ctx, user, 'user_modified');
				return json(ctx, userJson((await findUserById(t, id)) ?? user));
			});
		}
		throw new AuthError(405, 'unknown', 'Method Not Allowed');
	}

	async function generateLink(ctx: Ctx): Promise<ApiResponse> {
		const body = parseBody(ctx.req);
		const type = str(body.type);
		const email = validateEmail(body.email);
		const candidate = str(body.redirect_to);
		const redirectTo = candidate ? redirectTarget(ctx, candidate) : redirectTarget(ctx);
		const known = [
			'signup',
			'magiclink',
			'recovery',
			'invite',
			'email_change_current',
			'email_change_new'
		];
		if (!known.includes(type)) {
			throw badRequest('validation_failed', `Invalid email action link type requested: ${type}`);
		}
		let password = str(body.password);
		if (type === 'signup' && password !== '') checkPassword(ctx.cfg, password);
		const data = obj(body.data) ?? {};
		const newEmail = type.startsWith('email_change') ? validateEmail(body.new_email) : null;
		return tx(ctx, async (t) => {
			let user = await findUserByEmail(t, email);
			let linkType = type;
			if (!user) {
				if (type === 'magiclink') {
					linkType = 'signup';
					password = randomBytes(32).toString('hex');
				} else if (type !== 'signup' && type !== 'invite') {
					throw notFound('user_not_found', 'User with this email not found');
				}
			}
			if (!user) {
				if (linkType === 'signup' && password === '') {
					throw unprocessable('validation_failed', 'Signup requires a valid password');
				}
				const passwordHash = password !== '' ? await bcrypt.hash(password, BCRYPT_COST) : null;
				user = await insertUser(t, { email, passwordHash, userMetadata: data, confirmed: false });
			} else if ((linkType === 'signup' || linkType === 'invite') && isConfirmed(user)) {
				throw unprocessable(
					'email_exists',
					'A user with this email address has already been registered'
				);
			}
			let otp: string;
			let hashed: string;
			let link: string;
			if (newEmail !== null) {
				if (type === 'email_change_current' && !ctx.cfg.secureEmailChange) {
					throw badRequest(
						'validation_failed',
						'Enable secure email change to generate link for current email'
					);
				}
				if (
					await findUser(t, `lower(u.email) = lower($1) and u.id <> $2::uuid`, [newEmail, user.id])
				) {
					throw unprocessable(
						'email_exists',
						'A user with this email address has already been registered'
					);
				}
				const r = await prepareEmailChange(t, ctx, user, newEmail, { redirectTo, send: false });
				otp = r.otpNew;
				hashed = r.tokenNew;
				link = r.link;
			} else {
				const kind: MailKind =
					linkType === 'recovery'
						? 'recovery'
						: linkType === 'magiclink'
							? 'magiclink'
							: linkType === 'invite'
								? 'invite'
								: 'signup';
				const r = await prepareMail(t, ctx, user, kind, { redirectTo, send: false });
				otp = r.otp;
				hashed = r.token;
				link = r.link;
			}
			const fresh = (await findUserById(t, user.id)) ?? user;
			return json(ctx, {
				...userJson(fresh),
				action_link: link,
				email_otp: otp,
				hashed_token: hashed,
				verification_type: linkType,
				redirect_to: redirectTo
			});
		});
	}

	// ---------------------------------------------------------------- routing

	async function route(ctx: Ctx): Promise<ApiResponse> {
		const { method } = ctx.req;
		const path = ctx.req.path.replace(/\/+$/, '') || '/';
		const is = (m: string, p: string) => method === m && path === p;

		if (is('GET', '/health')) {
			return json(ctx, {
				version: 'groundwork-local',
				name: 'GoTrue',
				description: 'GoTrue is a user registration and authentication API'
			});
		}
		if (is('GET', '/settings')) return settings(ctx);
		if (is('POST', '/signup')) return signup(ctx);
		if (is('POST', '/token')) return token(ctx);
		if (is('GET', '/verify')) return verifyGet(ctx);
		if (is('POST', '/verify')) return verifyPost(ctx);
		if (is('GET', '/user')) return getUser(ctx);
		if (is('PUT', '/user')) return putUser(ctx);
		if (is('POST', '/logout')) return logout(ctx);
		if (is('POST', '/otp')) return otp(ctx, false);
		if (is('POST', '/magiclink')) return otp(ctx, true);
		if (is('POST', '/recover')) return recover(ctx);
		if (is('POST', '/resend')) return resend(ctx);
		if (is('POST', '/invite')) return invite(ctx);
		if (is('GET', '/reauthenticate')) {
			await db.transaction((t) => requireUser(t, ctx));
			return json(ctx, {});
		}
		if (path === '/admin/users' || path.startsWith('/admin/') || path === '/admin') {
			await requireAdmin(ctx);
			if (is('GET', '/admin/users')) return adminListUsers(ctx);
			if (is('POST', '/admin/users')) return adminCreateUser(ctx);
			if (is('POST', '/admin/generate_link')) return generateLink(ctx);
			const m = /^\/admin\/users\/([^/]+)$/.exec(path);
			if (m) {
				if (!isUuid(m[1])) throw notFound('user_not_found', 'User not found');
				return adminUser(ctx, m[1]);
			}
		}
		const known = [
			'/health',
			'/settings',
			'/signup',
			'/token',
			'/verify',
			'/user',
			'/logout',
			'/otp',
			'/magiclink',
			'/recover',
			'/resend',
			'/invite'
		];
		if (known.includes(path)) throw new AuthError(405, 'unknown', 'Method Not Allowed');
		throw notFound('unknown', 'Not Found');
	}

	const handler: Handler = async (req) => {
		const host =
			req.headers['x-forwarded-host'] ?? req.headers.host ?? `${config.host}:${config.apiPort}`;
		const proto = req.headers['x-forwarded-proto'] ?? 'http';
		const externalUrl = `${proto}://${host}/auth/v1`;
		const c = await caps();
		const ctx: Ctx = {
			req,
			cfg: config.auth,
			externalUrl,
			session: {
				config,
				issuer: externalUrl,
				userAgent: req.headers['user-agent'],
				amrFallback,
				hasAmrTable: c.amr
			},
			outbox: []
		};
		try {
			return await route(ctx);
		} catch (e) {
			if (e instanceof AuthError) return errorResponse(req, e);
			console.error('[auth] unexpected error', e);
			return errorResponse(
				req,
				new AuthError(
					500,
					'unexpected_failure',
					'Unexpected failure, please check server logs for more information'
				)
			);
		}
	};

	return { handler };
}
