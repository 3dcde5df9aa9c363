import { type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import {
	createUser,
	expectAccessible,
	PASSWORD,
	runtime,
	uniqueEmail,
	expect,
	test
} from './helpers.ts';

/** Nothing on the page is wider than a 360 px phone. */
async function expectFitsPhone(page: Page) {
	const size = page.viewportSize();
	await page.setViewportSize({ width: 360, height: 740 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	if (size) await page.setViewportSize(size);
}

/** Goes to a page and waits for it to hydrate, so what the test types is not reset. */
async function open(page: Page, url: string) {
	const response = await page.goto(url);
	await page.waitForLoadState('networkidle');
	return response;
}

/**
 * helpers.signIn, after the page has hydrated: under load a value typed before hydration can be
 * reset, and the sign-in then fails with "Enter your email address".
 */
async function signIn(page: Page, email: string): Promise<void> {
	await open(page, '/sign-in');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(PASSWORD);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/home$/);
}

/** A team led by a new user, made through the API (creating teams is not what this file tests). */
async function teamLedBy(name: string) {
	const leader = await createUser(uniqueEmail('leader'), PASSWORD, 'Lena Leaderson');
	const { apiUrl, anonKey } = runtime();
	const client = createClient(apiUrl, anonKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	const { error: signInError } = await client.auth.signInWithPassword({
		email: leader.email,
		password: PASSWORD
	});
	if (signInError) throw signInError;
	const { data, error } = await client.rpc('create_team', {
		name,
		purpose: 'Secret purpose: the benefits office'
	});
	if (error) throw error;
	return { leader, teamId: data as string };
}

/** Signs in on the sign-in page the app sent us to, and lets it send us back. */
async function signInHere(page: Page, email: string) {
	await page.waitForLoadState('networkidle');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(PASSWORD);
	await form.getByRole('button', { name: 'Sign in' }).click();
}

function card(page: Page, person: string) {
	return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: person }) });
}

test('refer with consent through the link; the leader waitlists then accepts; the referrer sees only the status', async ({
	page,
	browser
}) => {
	// Several people and pages in one story: more than the default 30 s on a busy machine.
	test.slow();
	const { leader, teamId } = await teamLedBy('Benefits change team');
	const referrer = await createUser(uniqueEmail('referrer'), PASSWORD, 'Rae Referrer');

	// The leader finds the team's referral link.
	await signIn(page, leader.email);
	await open(page, `/t/${teamId}/referrals`);
	await expect(page.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
	await expect(page.getByText('No referral is waiting.')).toBeVisible();
	await expectAccessible(page);
	const link = await page.getByLabel('Referral link', { exact: true }).inputValue();
	expect(link).toMatch(/\/refer\/[A-Za-z0-9_-]{10}$/);

	// Someone signed out opens it: the page names the team and explains why signing in is needed.
	const other = await (await browser.newContext()).newPage();
	await open(other, link);
	await expect(
		other.getByRole('heading', { level: 1, name: 'Refer someone to a team' })
	).toBeVisible();
	await expect(other.getByText('“Benefits change team”')).toBeVisible();
	await expect(other.getByText('You need to be signed in to send a referral')).toBeVisible();
	await expectAccessible(other);
	await expectFitsPhone(other);

	// Without consent: refused with the message, nothing typed is lost.
	await other.getByLabel('The person’s name').fill('Sam Rivera');
	await other.getByLabel('Their email (optional)').fill('sam@example.org');
	await other.getByLabel('How and when to reach them (optional)').fill('Evenings, by phone');
	await other.getByRole('button', { name: 'Sign in and send' }).click();
	const consent = other.getByLabel('This person agreed to be referred to Benefits change team.');
	await expect(consent).toHaveAccessibleDescription(/The person must agree to be referred/);
	await expect(other.getByLabel('The person’s name')).toHaveValue('Sam Rivera');

	// With consent: sign in, come back to the filled form, send.
	await consent.check();
	await other.getByRole('button', { name: 'Sign in and send' }).click();
	await expect(other).toHaveURL(/\/sign-in\?redirectTo=/);
	await signInHere(other, referrer.email);
	await expect(other).toHaveURL(/\/refer\//);
	await expect(other.getByText('What you typed before signing in is back.')).toBeVisible();
	await expect(other.getByLabel('The person’s name')).toHaveValue('Sam Rivera');
	await expect(other.getByLabel('Their email (optional)')).toHaveValue('sam@example.org');
	await expect(consent).toBeChecked();
	await other.getByRole('button', { name: 'Send referral' }).click();
	await expect(other).toHaveURL(/\/referrals\?notice=sent/);
	await expect(
		other.getByRole('heading', { name: 'Sam Rivera, referred to Benefits change team' })
	).toBeVisible();
	await expect(other.getByText('Waiting for the team’s decision')).toBeVisible();
	await expectAccessible(other);

	// The leader puts Sam on the waitlist, with a note only the team sees.
	await page.reload();
	await page.waitForLoadState('networkidle');
	const sam = card(page, 'Sam Rivera');
	await expect(sam).toContainText('sam@example.org');
	await expect(sam).toContainText('Evenings, by phone');
	await expectAccessible(page);
	await expectFitsPhone(page);
	await sam.getByLabel('Note (optional)').fill('Private: call after the March meeting');
	await sam.getByRole('button', { name: 'Put on the waitlist' }).click();
	await expect(page.getByRole('status').first()).toContainText('Placed on the waitlist');
	const waitlist = page.locator('section', {
		has: page.getByRole('heading', { name: /^Waitlist/ })
	});
	await expect(waitlist.getByRole('heading', { name: 'Sam Rivera' })).toBeVisible();
	await expect(page.getByText('No referral is waiting.')).toBeVisible();

	await other.reload();
	await other.waitForLoadState('networkidle');
	await expect(other.getByText('On the team’s waitlist')).toBeVisible();

	// Then accepts.
	await card(page, 'Sam Rivera').getByRole('button', { name: 'Accept' }).click();
	await expect(page.getByRole('status').first()).toContainText('Accepted');
	await expect(page.getByText('Nobody is on the waitlist.')).toBeVisible();
	await expect(
		page.locator('section', { has: page.getByRole('heading', { name: 'Earlier decisions' }) })
	).toContainText('Sam Rivera: accepted');

	// The referrer sees the status, and nothing of the team's content or the leader's note.
	await other.reload();
	await other.waitForLoadState('networkidle');
	await expect(other.getByText('Accepted by the team')).toBeVisible();
	const html = await other.content();
	for (const secret of ['Private: call after', 'Secret purpose', 'Lena Leaderson']) {
		expect(html).not.toContain(secret);
	}
	// …and cannot open the team's inbox.
	expect((await open(other, `/t/${teamId}/referrals`))?.status()).toBe(404);
	await other.context().close();
});

test('suggesting another team with a note only; a rotated link stops working', async ({ page }) => {
	// Several people and pages in one story: more than the default 30 s on a busy machine.
	test.slow();
	const { leader, teamId } = await teamLedBy('Transit change team');
	await signIn(page, leader.email);
	await open(page, `/t/${teamId}/referrals`);
	const oldLink = await page.getByLabel('Referral link', { exact: true }).inputValue();

	// The leader refers someone to their own team, signed in: no detour through sign-in.
	await open(page, oldLink);
	await expect(page.getByText('You need to be signed in')).toHaveCount(0);
	await page.getByLabel('The person’s name').fill('Jo Park');
	await page.getByLabel('Their email (optional)').fill('not an email');
	await page.getByLabel(/This person agreed/).check();
	await page.getByRole('button', { name: 'Send referral' }).click();
	await expect(page.getByLabel('Their email (optional)')).toHaveAccessibleDescription(
		/valid email address, or leave it empty/
	);
	await page.getByLabel('Their email (optional)').fill('');
	await page.getByRole('button', { name: 'Send referral' }).click();
	await expect(page).toHaveURL(/\/referrals\?notice=sent/);

	await open(page, `/t/${teamId}/referrals`);
	const jo = card(page, 'Jo Park');
	await jo.getByText('Suggest another team…').click();
	await jo.getByRole('button', { name: 'Suggest this' }).click();
	await expect(
		card(page, 'Jo Park').getByLabel('Note', { exact: true })
	).toHaveAccessibleDescription(/Choose a team to suggest, or write in the note/);
	await card(page, 'Jo Park')
		.getByLabel('Note', { exact: true })
		.fill('The Northside transit team meets closer to Jo');
	await card(page, 'Jo Park').getByRole('button', { name: 'Suggest this' }).click();
	await expect(page.getByRole('status').first()).toContainText('Another team was suggested');
	await expect(page.getByText('Jo Park: suggested another team')).toBeVisible();

	// A new link: the old one no longer works.
	await page.getByText('Make a new link…').click();
	await page.getByRole('button', { name: 'Yes, make a new link' }).click();
	await expect(page.getByRole('status').first()).toContainText('new referral link');
	expect(await page.getByLabel('Referral link', { exact: true }).inputValue()).not.toBe(oldLink);
	await open(page, oldLink);
	await expect(page.getByRole('alert')).toContainText('This referral link is not valid');
	await expect(page.getByLabel('The person’s name')).toHaveCount(0);
	await expectAccessible(page);
});
