import { createServerClient } from '@supabase/ssr';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt, SignJWT } from 'jose';
import ws from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';

// Drives the local GoTrue-compatible /auth/v1 with supabase-js itself, as an app would, and
// reads mail through the Mailpit-shaped mailbox API, as the e2e tests do.

let stack: TestStack;
let url: string;
let n = 0;
const SITE = 'http://localhost:5173';
const PASSWORD = 'correct horse battery';

const email = (tag: string) => `${tag}-${Date.now()}-${n++}@example.test`;

function memoryStorage() {
	const m = new Map<string, string>();
	return {
		getItem: (k: string) => m.get(k) ?? null,
		setItem: (k: string, v: string) => void m.set(k, v),
		removeItem: (k: string) => void m.delete(k)
	};
}

function client(opts: { key?: string; pkce?: boolean } = {}): SupabaseClient {
	return createClient(url, opts.key ?? stack.anonKey, {
		auth: {
			persistSession: opts.pkce === true,
			autoRefreshToken: false,
			detectSessionInUrl: false,
			...(opts.pkce ? { flowType: 'pkce' as const, storage: memoryStorage() } : {})
		},
		// Node 20 has no global WebSocket.
		realtime: { transport: ws as never }
	});
}

const admin = () => client({ key: stack.serviceRoleKey }).auth.admin;

/** Raw call to /auth/v1, as auth-js sends it (API version header included unless told not to). */
async function raw(
	method: string,
	path: string,
	body?: unknown,
	opts: { token?: string; version?: boolean; rawBody?: string } = {}
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
	const headers: Record<string, string> = {
		apikey: stack.anonKey,
		'content-type': 'application/json'
	};
	if (opts.version !== false) headers['x-supabase-api-version'] = '2024-01-01';
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	const res = await fetch(`${url}/auth/v1${path}`, {
		method,
		headers,
		body: opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body))
	});
	const text = await res.text();
	return {
		status: res.status,
		body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
		headers: res.headers
	};
}

interface MailSummary {
	ID: string;
	Subject: string;
	To: { Address: string }[];
}

async function mailsTo(address: string): Promise<MailSummary[]> {
	const res = await fetch(
		`${stack.mailUrl}/api/v1/search?query=${encodeURIComponent(`to:${address}`)}`
	);
	return ((await res.json()) as { messages: MailSummary[] }).messages;
}

/** The newest mail to `address` with `subject`: its action link and one-time code. */
async function latestMail(
	address: string,
	subject: string
): Promise<{ link: string; otp: string; html: string }> {
	const found = (await mailsTo(address)).find((m) => m.Subject === subject);
	if (!found) throw new Error(`no "${subject}" mail to ${address}`);
	const msg = (await (await fetch(`${stack.mailUrl}/api/v1/message/${found.ID}`)).json()) as {
		HTML: string;
		Text: string;
	};
	const href = /href="([^"]+)"/.exec(msg.HTML)?.[1] ?? '';
	const link = href.replace(/&amp;/g, '&');
	const otp = /code: (\d{6})/.exec(msg.Text)?.[1] ?? '';
	return { link, otp, html: msg.HTML };
}

/** Follows a link from a mail like a browser's first hop: returns where /verify redirects. */
async function follow(link: string): Promise<{ status: number; location: URL }> {
	const res = await fetch(link, { redirect: 'manual' });
	return { status: res.status, location: new URL(res.headers.get('location') ?? 'about:blank') };
}

function fragment(u: URL): URLSearchParams {
	return new URLSearchParams(u.hash.replace(/^#/, ''));
}

async function newUser(tag: string, password = PASSWORD) {
	const address = email(tag);
	const { data, error } = await admin().createUser({
		email: address,
		password,
		email_confirm: true
	});
	if (error) throw error;
	return { email: address, id: data.user.id };
}

async function signedIn(address: string, password = PASSWORD) {
	const c = client();
	const { data, error } = await c.auth.signInWithPassword({ email: address, password });
	if (error) throw error;
	return { client: c, session: data.session };
}

beforeAll(async () => {
	stack = await startTestStack();
	url = stack.apiUrl;
	// Most tests sign in a lot; the rate-limit tests lower these on purpose.
	stack.config.auth.rateLimit = {
		emailSent: 10_000,
		signInSignUps: 10_000,
		tokenRefresh: 10_000,
		tokenVerifications: 10_000
	};
	stack.config.auth.maxFrequency = 0;
	stack.config.auth.siteUrl = SITE;
	stack.config.auth.additionalRedirectUrls = ['http://127.0.0.1:5173/**'];
});

afterAll(async () => {
	await stack?.stop();
});

describe('health and settings', () => {
	it('answers like GoTrue', async () => {
		const h = await raw('GET', '/health');
		expect(h.status).toBe(200);
		expect(h.body.name).toBe('GoTrue');
		const s = await raw('GET', '/settings');
		expect(s.body).toMatchObject({
			disable_signup: false,
			mailer_autoconfirm: true,
			external: { email: true, phone: false }
		});
	});
});

describe('sign-up and sign-in', () => {
	it('signs up with confirmations off and returns a session with Supabase claims', async () => {
		const address = email('signup');
		const { data, error } = await client().auth.signUp({
			email: address,
			password: PASSWORD,
			options: { data: { display_name: 'Ann' } }
		});
		expect(error).toBeNull();
		expect(data.user?.email).toBe(address);
		expect(data.user?.user_metadata).toMatchObject({ display_name: 'Ann' });
		expect(data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
		expect(data.user?.identities?.[0]).toMatchObject({ provider: 'email', user_id: data.user?.id });
		const s = data.session!;
		expect(s.token_type).toBe('bearer');
		expect(s.expires_in).toBe(3600);
		expect(s.refresh_token).toMatch(/^[a-z0-9]{12}$/);
		const claims = decodeJwt(s.access_token);
		expect(claims).toMatchObject({
			aud: 'authenticated',
			role: 'authenticated',
			sub: data.user?.id,
			email: address,
			phone: '',
			aal: 'aal1',
			is_anonymous: false,
			iss: `${url}/auth/v1`,
			app_metadata: { provider: 'email', providers: ['email'] },
			user_metadata: { display_name: 'Ann' }
		});
		expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
		expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
		expect((claims.amr as { method: string }[])[0].method).toBe('password');
		expect(s.expires_at).toBe(claims.exp);
	});

	it('refuses a duplicate sign-up, a weak password and a bad address', async () => {
		const address = email('dup');
		await client().auth.signUp({ email: address, password: PASSWORD });
		const dup = await client().auth.signUp({ email: address.toUpperCase(), password: PASSWORD });
		expect(dup.error).toMatchObject({
			status: 422,
			code: 'user_already_exists',
			message: 'User already registered'
		});

		const weak = await client().auth.signUp({ email: email('weak'), password: 'short' });
		expect(weak.error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'] });
		expect(weak.error?.message).toBe(
			`Password should be at least ${stack.config.auth.minimumPasswordLength} characters.`
		);

		const bad = await client().auth.signUp({ email: 'not-an-email', password: PASSWORD });
		expect(bad.error).toMatchObject({ status: 400, code: 'validation_failed' });
	});

	it('answers malformed JSON with 400 bad_json in both body shapes', async () => {
		const v = await raw('POST', '/signup', undefined, { rawBody: '{"email":' });
		expect(v.status).toBe(400);
		expect(v.headers.get('x-supabase-api-version')).toBe('2024-01-01');
		expect(v.body.code).toBe('bad_json');
		const legacy = await raw('POST', '/signup', undefined, { rawBody: '[1,', version: false });
		expect(legacy.body).toMatchObject({ code: 400, error_code: 'bad_json' });
		expect(legacy.headers.get('x-supabase-api-version')).toBeNull();
	});

	it('signs in with the right password and gives one answer for a wrong one or an unknown address', async () => {
		const u = await newUser('signin');
		const ok = await client().auth.signInWithPassword({ email: u.email, password: PASSWORD });
		expect(ok.error).toBeNull();
		expect(ok.data.user?.id).toBe(u.id);
		const wrong = await client().auth.signInWithPassword({
			email: u.email,
			password: 'wrong password'
		});
		const unknown = await client().auth.signInWithPassword({
			email: email('nobody'),
			password: PASSWORD
		});
		for (const r of [wrong, unknown]) {
			expect(r.data.session).toBeNull();
			expect(r.error).toMatchObject({
				status: 400,
				code: 'invalid_credentials',
				message: 'Invalid login credentials'
			});
		}
	});

	it('disables sign-ups when configured', async () => {
		stack.config.auth.enableSignup = false;
		try {
			const r = await client().auth.signUp({ email: email('closed'), password: PASSWORD });
			expect(r.error).toMatchObject({ status: 422, code: 'signup_disabled' });
		} finally {
			stack.config.auth.enableSignup = true;
		}
	});

	it('with confirmations on, mails a confirmation and refuses sign-in until it is followed', async () => {
		stack.config.auth.emailConfirmations = true;
		try {
			const address = email('confirm');
			const r = await client().auth.signUp({
				email: address,
				password: PASSWORD,
				options: { emailRedirectTo: `${SITE}/welcome` }
			});
			expect(r.error).toBeNull();
			expect(r.data.session).toBeNull();
			expect(r.data.user?.email).toBe(address);
			const early = await client().auth.signInWithPassword({ email: address, password: PASSWORD });
			expect(early.error).toMatchObject({
				status: 400,
				code: 'email_not_confirmed',
				message: 'Email not confirmed'
			});

			const { link, otp } = await latestMail(address, 'Confirm Your Signup');
			expect(otp).toMatch(/^\d{6}$/);
			const hop = await follow(link);
			expect(hop.status).toBe(303);
			expect(hop.location.origin + hop.location.pathname).toBe(`${SITE}/welcome`);
			expect(fragment(hop.location).get('type')).toBe('signup');
			expect(fragment(hop.location).get('access_token')).toBeTruthy();
			const later = await client().auth.signInWithPassword({ email: address, password: PASSWORD });
			expect(later.error).toBeNull();
		} finally {
			stack.config.auth.emailConfirmations = false;
		}
	});
});

describe('refresh tokens', () => {
	const refresh = (token: string) =>
		raw('POST', '/token?grant_type=refresh_token', { refresh_token: token });

	it('rotates, hands the active token back to a replayed parent, and accepts reuse inside the interval', async () => {
		const u = await newUser('rotate');
		const { session } = await signedIn(u.email);
		const a = session.refresh_token;
		const b = await refresh(a);
		expect(b.status).toBe(200);
		const tokenB = b.body.refresh_token as string;
		expect(tokenB).not.toBe(a);
		const c = await refresh(tokenB);
		const tokenC = c.body.refresh_token as string;
		expect(tokenC).not.toBe(tokenB);
		// B is the parent of the active C: a client that lost C's answer gets C again.
		const replay = await refresh(tokenB);
		expect(replay.status).toBe(200);
		expect(replay.body.refresh_token).toBe(tokenC);
		// A is older, but still inside the reuse interval (10 s).
		expect((await refresh(a)).status).toBe(200);
		expect(decodeJwt(replay.body.access_token as string).session_id).toBe(
			decodeJwt(session.access_token).session_id
		);
	});

	it('detects reuse after the interval and revokes the whole family', async () => {
		stack.config.auth.refreshTokenReuseInterval = 0;
		try {
			const u = await newUser('reuse');
			const { session } = await signedIn(u.email);
			const b = (await refresh(session.refresh_token)).body.refresh_token as string;
			const c = (await refresh(b)).body.refresh_token as string;
			await new Promise((r) => setTimeout(r, 20));
			const stale = await refresh(session.refresh_token);
			expect(stale.status).toBe(400);
			expect(stale.body).toEqual({
				code: 'refresh_token_already_used',
				message: 'Invalid Refresh Token: Already Used'
			});
			// The active token went down with its family.
			const after = await client().auth.refreshSession({ refresh_token: c });
			expect(after.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
		} finally {
			stack.config.auth.refreshTokenReuseInterval = 10;
		}
	});

	it('refuses an unknown refresh token', async () => {
		const r = await refresh('nosuchtoken1');
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			code: 'refresh_token_not_found',
			message: 'Invalid Refresh Token: Refresh Token Not Found'
		});
	});
});

describe('magic links and PKCE', () => {
	it('PKCE: signInWithOtp, follow the mailed link, exchange the code for a session', async () => {
		const u = await newUser('pkce');
		const c = client({ pkce: true });
		const sent = await c.auth.signInWithOtp({
			email: u.email,
			options: { emailRedirectTo: `${SITE}/auth/callback`, shouldCreateUser: false }
		});
		expect(sent.error).toBeNull();
		const { link } = await latestMail(u.email, 'Your Magic Link');
		expect(new URL(link).searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
		const hop = await follow(link);
		expect(hop.status).toBe(303);
		expect(hop.location.pathname).toBe('/auth/callback');
		const code = hop.location.searchParams.get('code')!;
		expect(code).toBeTruthy();
		const ex = await c.auth.exchangeCodeForSession(code);
		expect(ex.error).toBeNull();
		expect(ex.data.user?.id).toBe(u.id);
		expect((decodeJwt(ex.data.session!.access_token).amr as { method: string }[])[0].method).toBe(
			'magiclink'
		);
		// A code works once.
		const again = await raw('POST', '/token?grant_type=pkce', {
			auth_code: code,
			code_verifier: 'x'.repeat(43)
		});
		expect(again.status).toBe(404);
		expect(again.body.code).toBe('flow_state_not_found');
	});

	it('PKCE: a wrong verifier is refused with bad_code_verifier', async () => {
		const u = await newUser('pkcebad');
		const c = client({ pkce: true });
		await c.auth.signInWithOtp({
			email: u.email,
			options: { emailRedirectTo: `${SITE}/auth/callback` }
		});
		const code = (
			await follow((await latestMail(u.email, 'Your Magic Link')).link)
		).location.searchParams.get('code');
		const r = await raw('POST', '/token?grant_type=pkce', {
			auth_code: code,
			code_verifier: 'y'.repeat(50)
		});
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			code: 'bad_code_verifier',
			message: 'code challenge does not match previously saved code verifier'
		});
	});

	it('implicit: the link redirects with a session in the fragment, and works once', async () => {
		const address = email('magic');
		const c = client();
		expect(
			(
				await c.auth.signInWithOtp({
					email: address,
					options: { emailRedirectTo: 'http://127.0.0.1:5173/in' }
				})
			).error
		).toBeNull();
		const { link } = await latestMail(address, 'Your Magic Link');
		const hop = await follow(link);
		expect(hop.location.origin).toBe('http://127.0.0.1:5173');
		const f = fragment(hop.location);
		expect(f.get('type')).toBe('magiclink');
		const set = await c.auth.setSession({
			access_token: f.get('access_token')!,
			refresh_token: f.get('refresh_token')!
		});
		expect(set.error).toBeNull();
		expect((await c.auth.getUser()).data.user?.email).toBe(address);

		const reused = await follow(link);
		const e = fragment(reused.location);
		expect(e.get('error')).toBe('access_denied');
		expect(e.get('error_code')).toBe('otp_expired');
		expect(e.get('error_description')).toBe('Email link is invalid or has expired');
	});

	it('sends redirects that are not allowed to the site URL', async () => {
		const u = await newUser('redir');
		await client().auth.signInWithOtp({
			email: u.email,
			options: { emailRedirectTo: 'https://evil.test/steal' }
		});
		const hop = await follow((await latestMail(u.email, 'Your Magic Link')).link);
		expect(hop.location.origin).toBe(SITE);
	});

	it('verifies the six-digit code from the mail', async () => {
		const u = await newUser('otpcode');
		const c = client();
		await c.auth.signInWithOtp({ email: u.email });
		const { otp } = await latestMail(u.email, 'Your Magic Link');
		const wrong = await c.auth.verifyOtp({
			email: u.email,
			token: otp === '000000' ? '111111' : '000000',
			type: 'email'
		});
		expect(wrong.error).toMatchObject({
			status: 403,
			code: 'otp_expired',
			message: 'Token has expired or is invalid'
		});
		const ok = await c.auth.verifyOtp({ email: u.email, token: otp, type: 'email' });
		expect(ok.error).toBeNull();
		expect(ok.data.user?.id).toBe(u.id);
	});

	it('does not create users when told not to', async () => {
		const r = await client().auth.signInWithOtp({
			email: email('nocreate'),
			options: { shouldCreateUser: false }
		});
		expect(r.error).toMatchObject({ status: 422, code: 'otp_disabled' });
	});
});

describe('@supabase/ssr', () => {
	it('runs the SSR PKCE flow with a cookie jar: magic link, code exchange, verified user', async () => {
		const u = await newUser('ssr');
		const jar = new Map<string, string>();
		const server = () =>
			createServerClient(url, stack.anonKey, {
				cookies: {
					getAll: () => [...jar].map(([name, value]) => ({ name, value })),
					setAll: (cookies) => {
						for (const c of cookies) {
							if (c.value === '' || c.options?.maxAge === 0) jar.delete(c.name);
							else jar.set(c.name, c.value);
						}
					}
				},
				auth: { autoRefreshToken: false, detectSessionInUrl: false },
				realtime: { transport: ws as never }
			});
		const first = server();
		const sent = await first.auth.signInWithOtp({
			email: u.email,
			options: { emailRedirectTo: `${SITE}/auth/callback` }
		});
		expect(sent.error).toBeNull();
		expect([...jar.keys()].some((k) => k.endsWith('-code-verifier'))).toBe(true);
		const hop = await follow((await latestMail(u.email, 'Your Magic Link')).link);
		const code = hop.location.searchParams.get('code')!;
		// A later request (the callback route) exchanges the code with the verifier from the cookie.
		const ex = await server().auth.exchangeCodeForSession(code);
		expect(ex.error).toBeNull();
		expect([...jar.keys()].some((k) => /-auth-token(\.\d+)?$/.test(k))).toBe(true);
		const later = server();
		const { data, error } = await later.auth.getUser();
		expect(error).toBeNull();
		expect(data.user?.id).toBe(u.id);
		const claims = await later.auth.getClaims();
		expect(claims.data?.claims.sub).toBe(u.id);
		expect((await later.auth.signOut()).error).toBeNull();
		expect((await server().auth.getUser()).data.user).toBeNull();
	});
});

describe('password reset', () => {
	it('mails a reset link; the link signs in; the new password works; the link works once', async () => {
		const u = await newUser('reset');
		const c = client();
		expect(
			(await c.auth.resetPasswordForEmail(u.email, { redirectTo: `${SITE}/reset` })).error
		).toBeNull();
		const { link } = await latestMail(u.email, 'Reset Your Password');
		const hop = await follow(link);
		const f = fragment(hop.location);
		expect(hop.location.pathname).toBe('/reset');
		expect(f.get('type')).toBe('recovery');
		await c.auth.setSession({
			access_token: f.get('access_token')!,
			refresh_token: f.get('refresh_token')!
		});
		const same = await c.auth.updateUser({ password: PASSWORD });
		expect(same.error).toMatchObject({ status: 422, code: 'same_password' });
		expect((await c.auth.updateUser({ password: 'a brand new secret' })).error).toBeNull();

		expect(
			(await client().auth.signInWithPassword({ email: u.email, password: 'a brand new secret' }))
				.error
		).toBeNull();
		expect(
			(await client().auth.signInWithPassword({ email: u.email, password: PASSWORD })).error?.code
		).toBe('invalid_credentials');
		expect(fragment((await follow(link)).location).get('error_code')).toBe('otp_expired');
	});

	it('answers 200 for unknown addresses and sends nothing', async () => {
		const address = email('ghost');
		expect((await client().auth.resetPasswordForEmail(address)).error).toBeNull();
		expect(await mailsTo(address)).toEqual([]);
	});
});

describe('user updates', () => {
	it('updates metadata and, with confirmations off, the email at once', async () => {
		const u = await newUser('upd');
		const { client: c } = await signedIn(u.email);
		const next = email('upd-new');
		const r = await c.auth.updateUser({ email: next, data: { team: 'north' } });
		expect(r.error).toBeNull();
		expect(r.data.user?.email).toBe(next);
		expect(r.data.user?.user_metadata).toMatchObject({ team: 'north' });
	});

	it('secure email change: mails both addresses and changes after both links', async () => {
		stack.config.auth.emailConfirmations = true;
		try {
			const u = await newUser('chg');
			const { client: c } = await signedIn(u.email);
			const next = email('chg-new');
			const r = await c.auth.updateUser({ email: next }, { emailRedirectTo: `${SITE}/settings` });
			expect(r.error).toBeNull();
			expect(r.data.user?.email).toBe(u.email);
			expect(r.data.user?.new_email).toBe(next);
			const toCurrent = await latestMail(u.email, 'Confirm Email Change');
			const toNew = await latestMail(next, 'Confirm Email Change');
			expect(toNew.html).toContain(next);

			const first = await follow(toCurrent.link);
			expect(fragment(first.location).get('message')).toBe(
				'Confirmation link accepted. Please proceed to confirm link sent to the other email'
			);
			const second = await follow(toNew.link);
			expect(fragment(second.location).get('type')).toBe('email_change');
			expect((await c.auth.getUser()).data.user?.email).toBe(next);
			expect(
				(await client().auth.signInWithPassword({ email: next, password: PASSWORD })).error
			).toBeNull();
		} finally {
			stack.config.auth.emailConfirmations = false;
		}
	});
});

describe('logout scopes', () => {
	it('others, local and global end the right sessions', async () => {
		const u = await newUser('logout');
		const one = await signedIn(u.email);
		const two = await signedIn(u.email);
		expect((await one.client.auth.signOut({ scope: 'others' })).error).toBeNull();
		const gone = await raw('GET', '/user', undefined, { token: two.session.access_token });
		expect(gone.status).toBe(403);
		expect(gone.body.code).toBe('session_not_found');
		expect((await raw('GET', '/user', undefined, { token: one.session.access_token })).status).toBe(
			200
		);

		expect((await one.client.auth.signOut({ scope: 'local' })).error).toBeNull();
		expect((await raw('GET', '/user', undefined, { token: one.session.access_token })).status).toBe(
			403
		);
		const dead = await raw('POST', '/token?grant_type=refresh_token', {
			refresh_token: one.session.refresh_token
		});
		expect(dead.body.code).toBe('refresh_token_not_found');

		const three = await signedIn(u.email);
		const four = await signedIn(u.email);
		expect((await three.client.auth.signOut()).error).toBeNull();
		expect(
			(await raw('GET', '/user', undefined, { token: four.session.access_token })).body.code
		).toBe('session_not_found');
	});
});

describe('admin API', () => {
	it('lets the service role manage users', async () => {
		const address = email('adm');
		const created = await admin().createUser({
			email: address,
			password: PASSWORD,
			email_confirm: true,
			user_metadata: { a: 1 }
		});
		expect(created.error).toBeNull();
		const id = created.data.user!.id;
		expect(created.data.user?.email_confirmed_at).toBeTruthy();
		expect((await admin().getUserById(id)).data.user?.user_metadata).toEqual({ a: 1 });
		const updated = await admin().updateUserById(id, {
			user_metadata: { b: 2 },
			app_metadata: { plan: 'x' }
		});
		expect(updated.data.user?.user_metadata).toEqual({ a: 1, b: 2 });
		expect(updated.data.user?.app_metadata).toMatchObject({ provider: 'email', plan: 'x' });
		const dup = await admin().createUser({ email: address, password: PASSWORD });
		expect(dup.error).toMatchObject({ status: 422, code: 'email_exists' });

		const list = await admin().listUsers({ page: 1, perPage: 2 });
		expect(list.error).toBeNull();
		expect(list.data.users).toHaveLength(2);
		expect((list.data as unknown as { total: number }).total).toBeGreaterThan(2);

		const link = await admin().generateLink({
			type: 'magiclink',
			email: address,
			options: { redirectTo: `${SITE}/x` }
		});
		expect(link.error).toBeNull();
		expect(link.data.properties?.verification_type).toBe('magiclink');
		expect(link.data.properties?.email_otp).toMatch(/^\d{6}$/);
		expect(link.data.properties?.redirect_to).toBe(`${SITE}/x`);
		const hop = await follow(link.data.properties!.action_link);
		expect(fragment(hop.location).get('access_token')).toBeTruthy();

		expect((await admin().deleteUser(id)).error).toBeNull();
		expect((await admin().getUserById(id)).error).toMatchObject({
			status: 404,
			code: 'user_not_found'
		});
	});

	it('invites by mail; the invite link signs the user in', async () => {
		const address = email('invite');
		const r = await admin().inviteUserByEmail(address, { redirectTo: `${SITE}/join` });
		expect(r.error).toBeNull();
		expect(r.data.user?.invited_at).toBeTruthy();
		const hop = await follow((await latestMail(address, 'You have been invited')).link);
		expect(fragment(hop.location).get('type')).toBe('invite');
		expect(hop.location.pathname).toBe('/join');
	});

	it('refuses the anon key and user tokens with 403 not_admin', async () => {
		const anon = await client().auth.admin.listUsers();
		expect(anon.error).toMatchObject({
			status: 403,
			code: 'not_admin',
			message: 'User not allowed'
		});
		const u = await newUser('notadmin');
		const { session } = await signedIn(u.email);
		const asUser = await raw('GET', '/admin/users', undefined, { token: session.access_token });
		expect(asUser.status).toBe(403);
		expect(asUser.body).toEqual({ code: 'not_admin', message: 'User not allowed' });
	});
});

describe('tampered and expired tokens on /user', () => {
	it('refuses alg none, another key and a past exp with 403 bad_jwt', async () => {
		const u = await newUser('tamper');
		const { session } = await signedIn(u.email);
		const claims = decodeJwt(session.access_token);
		const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
		const otherKey = await new SignJWT(claims)
			.setProtectedHeader({ alg: 'HS256' })
			.sign(new TextEncoder().encode('another-secret-another-secret-123'));
		const past = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })
			.setProtectedHeader({ alg: 'HS256' })
			.sign(new TextEncoder().encode(stack.jwtSecret));
		for (const token of [none, otherKey, past]) {
			const r = await raw('GET', '/user', undefined, { token });
			expect(r.status).toBe(403);
			expect(r.body.code).toBe('bad_jwt');
			expect(String(r.body.message)).toMatch(/^invalid JWT: unable to parse or verify signature, /);
		}
		const legacy = await raw('GET', '/user', undefined, { token: past, version: false });
		expect(legacy.body).toMatchObject({ code: 403, error_code: 'bad_jwt' });
		expect(String(legacy.body.msg)).toContain('token is expired');
		const viaClient = await client().auth.getUser(otherKey);
		expect(viaClient.error).toMatchObject({ status: 403, code: 'bad_jwt' });
		const noBearer = await raw('GET', '/user');
		expect(noBearer.status).toBe(401);
		expect(noBearer.body.code).toBe('no_authorization');
	});
});

describe('rate limits', () => {
	it('limits sign-ins per IP with 429 over_request_rate_limit', async () => {
		const limits = stack.config.auth.rateLimit;
		stack.config.auth.rateLimit = { ...limits, signInSignUps: 3 };
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 4; i++) {
				statuses.push(
					(
						await raw('POST', '/token?grant_type=password', {
							email: 'x@example.test',
							password: 'nope-nope'
						})
					).status
				);
			}
			expect(statuses).toEqual([400, 400, 400, 429]);
			const r = await client().auth.signInWithPassword({
				email: 'x@example.test',
				password: 'nope-nope'
			});
			expect(r.error).toMatchObject({
				status: 429,
				code: 'over_request_rate_limit',
				message: 'Request rate limit reached'
			});
		} finally {
			stack.config.auth.rateLimit = limits;
		}
	});

	it('limits mail per hour and per address', async () => {
		const limits = stack.config.auth.rateLimit;
		stack.config.auth.rateLimit = { ...limits, emailSent: 1 };
		try {
			expect((await client().auth.signInWithOtp({ email: email('mail1') })).error).toBeNull();
			const second = await client().auth.signInWithOtp({ email: email('mail2') });
			expect(second.error).toMatchObject({
				status: 429,
				code: 'over_email_send_rate_limit',
				message: 'Email rate limit exceeded'
			});
		} finally {
			stack.config.auth.rateLimit = limits;
		}
		stack.config.auth.maxFrequency = 60;
		try {
			const u = await newUser('freq');
			expect((await client().auth.resetPasswordForEmail(u.email)).error).toBeNull();
			const again = await client().auth.resetPasswordForEmail(u.email);
			expect(again.error?.status).toBe(429);
			expect(again.error?.code).toBe('over_email_send_rate_limit');
			expect(again.error?.message).toMatch(
				/^For security purposes, you can only request this after \d+ seconds\.$/
			);
		} finally {
			stack.config.auth.maxFrequency = 0;
		}
	});
});
