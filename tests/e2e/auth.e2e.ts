import { type BrowserContext, type Cookie } from '@playwright/test';
import {
	apiClient,
	createUser,
	expectAccessible,
	latestMail,
	linkIn,
	PASSWORD,
	signIn,
	uniqueEmail,
	expect,
	test
} from './helpers.ts';

const SESSION_COOKIE = /^sb-.+-auth-token(\.\d+)?$/;

/** Replaces the session cookie(s) with `json`, chunked like @supabase/ssr does. */
async function setSessionCookie(
	context: BrowserContext,
	like: Cookie,
	baseName: string,
	json: string
): Promise<void> {
	await context.clearCookies({ name: SESSION_COOKIE });
	const value = `base64-${Buffer.from(json).toString('base64url')}`;
	const size = 3180;
	const parts = value.length <= size ? [value] : value.match(new RegExp(`.{1,${size}}`, 'g'))!;
	await context.addCookies(
		parts.map((v, i) => ({
			name: parts.length === 1 ? baseName : `${baseName}.${i}`,
			value: v,
			domain: like.domain,
			path: '/',
			httpOnly: true,
			sameSite: 'Lax' as const,
			secure: like.secure
		}))
	);
}

test('the landing page says what Groundwork is', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveTitle(/Groundwork/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('citizens');
	await expectAccessible(page);
});

test('sign up, land on the home page that says what to do first, sign out', async ({ page }) => {
	const email = uniqueEmail('signup');
	await page.goto('/sign-up');
	await expectAccessible(page);
	await page.getByLabel('Your name').fill('Rosa Parks');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page).toHaveURL(/\/home/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Rosa Parks');
	await expect(page.getByRole('heading', { name: /first step/i })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in\?notice=signed-out/);
	await expect(page.getByText('You are signed out.')).toBeVisible();
	await page.goto('/home');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fhome/);
});

test('sign-up explains a weak password and an address already in use, beside the fields', async ({
	page
}) => {
	const existing = await createUser();
	await page.goto('/sign-up');
	await page.getByLabel('Email').fill(existing.email);
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();
	const password = page.getByLabel('Password');
	await expect(password).toHaveAttribute('aria-invalid', 'true');
	await expect(password).toHaveAccessibleDescription(/at least 8 characters/);
	await expect(password).toBeFocused();

	await password.fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/already exists/);
	await expectAccessible(page);
});

test('a wrong password and an unknown email get the same message', async ({ page }) => {
	const user = await createUser();
	await page.goto('/sign-in');
	await expectAccessible(page);
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});

	await form.getByLabel('Email').fill(user.email);
	await form.getByLabel('Password').fill('not the password');
	await form.getByRole('button', { name: 'Sign in' }).click();
	const wrong = form.getByLabel('Password');
	await expect(wrong).toHaveAttribute('aria-invalid', 'true');
	const message = await form.locator('.field-error').textContent();
	expect(message).toMatch(/do not match/);

	await form.getByLabel('Email').fill(uniqueEmail('nobody'));
	await form.getByLabel('Password').fill('not the password');
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(form.locator('.field-error')).toHaveText(message!);
	await expect(page).toHaveURL(/\/sign-in/);
	await expectAccessible(page);
});

test('a guarded page refuses a signed-out visitor, then returns there after sign-in', async ({
	page
}) => {
	const user = await createUser();
	await page.goto('/account');
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Faccount/);
	await expect(page.getByText('Sign in to continue.')).toBeVisible();
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(user.email);
	await form.getByLabel('Password').fill(user.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
});

test('sign in with a magic link from the mailbox', async ({ page }) => {
	const user = await createUser(undefined, undefined, 'Link User');
	const since = Date.now() - 1000;
	await page.goto('/sign-in');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With a link by email' })
	});
	await form.getByLabel('Email').fill(user.email);
	await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
	await expect(form.getByRole('status')).toContainText('sign-in link is on its way');

	const mail = await latestMail(user.email, /magic link/i, since);
	await page.goto(linkIn(mail));
	await expect(page).toHaveURL(/\/home$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Link User');

	// The link works once.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.goto(linkIn(mail));
	await expect(page).toHaveURL(/\/sign-in\?error=link-expired/);
	await expect(page.getByRole('alert')).toContainText('expired or was already used');
});

test('a tampered session cookie counts as signed out, with a message and no error page', async ({
	page,
	context
}) => {
	const user = await createUser();
	await signIn(page, user.email);
	const chunks = (await context.cookies())
		.filter((c) => SESSION_COOKIE.test(c.name))
		.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
	expect(chunks.length, 'a session cookie').toBeGreaterThan(0);
	expect(chunks[0].httpOnly).toBe(true);
	expect(chunks[0].sameSite).toBe('Lax');
	const baseName = chunks[0].name.replace(/\.\d+$/, '');

	// Forge the token inside the cookie: same signature, payload claiming the service role.
	const raw = chunks.map((c) => c.value).join('');
	const session = JSON.parse(Buffer.from(raw.replace(/^base64-/, ''), 'base64url').toString());
	const [header, payload, signature] = (session.access_token as string).split('.');
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
	claims.role = 'service_role';
	session.access_token = [
		header,
		Buffer.from(JSON.stringify(claims)).toString('base64url'),
		signature
	].join('.');
	await setSessionCookie(context, chunks[0], baseName, JSON.stringify(session));

	const res = await page.goto('/account');
	expect(res?.status()).toBe(200);
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Faccount&reason=session-ended/);
	await expect(page.getByRole('alert')).toContainText('Your session has ended');
	expect((await context.cookies()).some((c) => SESSION_COOKIE.test(c.name))).toBe(false);

	// Garbage that is not even JSON.
	await signIn(page, user.email);
	await setSessionCookie(context, chunks[0], baseName, '{"access_token": not json');
	const res2 = await page.goto('/home');
	expect(res2?.status()).toBe(200);
	await expect(page).toHaveURL(/\/sign-in/);
	await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
});

test('signing out in another tab: the first tab is treated as signed out on its next step', async ({
	page,
	context
}) => {
	const user = await createUser();
	await signIn(page, user.email);
	await page.goto('/account');
	const other = await context.newPage();
	await other.goto('/home');
	await other.getByRole('button', { name: 'Sign out' }).click();
	await expect(other).toHaveURL(/\/sign-in/);

	// The first tab still shows the form; saving it sends the visitor to sign in, not to an error.
	await page.getByLabel('Your name').fill('After sign-out');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Faccount/);
	await expect(page.getByText(/signed out|session has ended/i).first()).toBeVisible();
});

test('a session revoked on the server (signed out everywhere) ends with a clear message', async ({
	page,
	context
}) => {
	const user = await createUser();
	await signIn(page, user.email);
	// Another device signs out of every session, revoking this one on the auth server.
	const other = apiClient('anon');
	await other.auth.signInWithPassword({ email: user.email, password: user.password });
	const { error } = await other.auth.signOut({ scope: 'global' });
	expect(error).toBeNull();

	await page.goto('/account');
	await expect(page).toHaveURL(/reason=session-ended/);
	await expect(page.getByRole('alert')).toContainText('Your session has ended');
	expect((await context.cookies()).some((c) => /-auth-token/.test(c.name))).toBe(false);
});

test('security headers are sent', async ({ request }) => {
	const res = await request.get('/sign-in');
	const h = res.headers();
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
	expect(h['cache-control']).toContain('no-store');
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
});

test('a form post from another origin is refused', async ({ request }) => {
	const res = await request.post('/sign-in?/password', {
		headers: {
			origin: 'https://evil.example',
			'content-type': 'application/x-www-form-urlencoded'
		},
		data: 'email=a%40b.c&password=x'
	});
	expect(res.status()).toBe(403);
});

test('an unknown page shows a plain not-found page', async ({ page }) => {
	const res = await page.goto('/no-such-page');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expectAccessible(page);
});

test('pages load without console errors (CSP violations included)', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	for (const path of ['/', '/sign-in', '/sign-up', '/forgot-password']) {
		await page.goto(path);
		await expect(page.locator('#svelte-announcer')).toBeAttached();
	}
	// A client-side navigation too.
	await page.getByRole('link', { name: 'Sign in' }).first().click();
	await expect(page).toHaveURL(/\/sign-in$/);
	expect(errors).toEqual([]);
});
