import { type Browser, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import {
	apiClient,
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

/** A supabase-js client signed in as `email`, for setup that is not what the test is about. */
async function clientAs(email: string): Promise<SupabaseClient> {
	const { apiUrl, anonKey } = runtime();
	const client = createClient(apiUrl, anonKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
	if (error) throw error;
	return client;
}

/** A team led by a new user, with `extra` more members (each with a recognisable name). */
async function teamWithMembers(name: string, extra: string[]) {
	const leader = await createUser(uniqueEmail('leader'), PASSWORD, 'Lena Leaderson');
	const client = await clientAs(leader.email);
	const { data: teamId, error } = await client.rpc('create_team', {
		name,
		purpose: 'Secret purpose: fix the housing office queue'
	});
	if (error) throw error;
	const members = await Promise.all(
		extra.map((n) => createUser(uniqueEmail('member'), PASSWORD, n))
	);
	if (members.length) {
		const { error: e } = await apiClient('service_role')
			.from('team_members')
			.insert(members.map((m) => ({ team_id: teamId, user_id: m.id, role: 'member' })));
		if (e) throw e;
	}
	return { leader, teamId: teamId as string };
}

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

test('an organization hosts a team and sees its figures, never its members or content', async ({
	page,
	browser
}) => {
	// Several people and pages in one story: more than the default 30 s on a busy machine.
	test.slow();
	const admin = await createUser(uniqueEmail('orgadmin'), PASSWORD, 'Olga Admin');
	const { leader, teamId } = await teamWithMembers('Housing change team', [
		'Mara Memberly',
		'Teo Teammate'
	]);

	// The admin creates the organization.
	await signIn(page, admin.email);
	await open(page, '/orgs');
	await expect(page.getByRole('heading', { level: 1, name: 'Organizations' })).toBeVisible();
	await expect(page.getByText('You do not run any organization yet')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Create organization' }).click();
	await expect(page.getByLabel('Name')).toHaveAccessibleDescription(/Enter the organization/);
	await page.getByLabel('Name').fill('Eastside Tenants’ Association');
	await page.getByLabel('Description (optional)').fill('Hosts neighbourhood teams.');
	await page.getByRole('button', { name: 'Create organization' }).click();
	await expect(page).toHaveURL(/\/orgs\/[0-9a-f-]{36}\?notice=created/);
	const orgUrl = page.url().replace(/\?.*$/, '');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Eastside Tenants’ Association' })
	).toBeVisible();
	await expect(
		page.getByText('This organization cannot see the teams’ notes, their members’ names')
	).toBeVisible();
	await expect(page.getByText('No team is attached yet')).toBeVisible();
	await expectAccessible(page);

	// Rotating the join code: the old one stops working.
	const codeBox = page.locator('section', {
		has: page.getByRole('heading', { name: 'Join code' })
	});
	const oldCode = (await codeBox.locator('code').textContent())!.trim();
	await codeBox.getByText('Change the join code…').click();
	await codeBox.getByRole('button', { name: 'Yes, make a new code' }).click();
	await expect(page.getByRole('status').first()).toContainText('The join code was changed');
	const newCode = (await codeBox.locator('code').textContent())!.trim();
	expect(newCode).not.toBe(oldCode);
	expect(newCode).toMatch(/^[A-Za-z0-9_-]{10}$/);

	// The team's leader attaches the team: a wrong or old code is refused with a clear message.
	const lead = await signedInPage(browser, leader.email);
	await open(lead, `/t/${teamId}/settings/organization`);
	await expect(lead.getByRole('heading', { level: 1, name: 'Host organization' })).toBeVisible();
	await expect(lead.getByText('This team does not belong to any organization.')).toBeVisible();
	await expectAccessible(lead);
	for (const wrong of ['not-a-code', oldCode]) {
		await lead.getByLabel('Join code').fill(wrong);
		await lead.getByRole('button', { name: 'Attach team' }).click();
		await expect(lead.getByLabel('Join code')).toHaveAccessibleDescription(
			/That join code does not match any organization/
		);
		await expect(lead.getByLabel('Join code')).toBeFocused();
	}
	await lead.getByLabel('Join code').fill(newCode);
	await lead.getByRole('button', { name: 'Attach team' }).click();
	await expect(lead.getByRole('status').first()).toContainText('now attached');
	await expect(lead.getByText('This team belongs to Eastside Tenants’ Association.')).toBeVisible();
	await expectAccessible(lead);

	// The dashboard shows the team's figures and nothing about who is in it or what it does.
	await open(page, orgUrl);
	const card = page.getByRole('listitem').filter({
		has: page.getByRole('heading', { name: 'Housing change team' })
	});
	await expect(card).toContainText('3 members');
	await expect(card).toContainText('fewer than the 6–8 that work best');
	await expect(card).toContainText('Active');
	await expect(card).toContainText('0 waiting for a decision, 0 on the waitlist');
	await expect(card).toContainText('Has room for more people');
	const rooms = page.locator('section', {
		has: page.getByRole('heading', { name: 'Teams with room: refer someone' })
	});
	await expect(
		rooms.getByRole('link', { name: 'Refer someone to Housing change team' })
	).toHaveAttribute('href', /\/refer\/[A-Za-z0-9_-]{10}$/);
	await expectAccessible(page);
	await expectFitsPhone(page);
	const html = await page.content();
	for (const secret of ['Lena Leaderson', 'Mara Memberly', 'Teo Teammate', 'Secret purpose']) {
		expect(html).not.toContain(secret);
	}

	// The org admin is not in the team: its pages are a 404, and they show no names.
	for (const path of ['', '/members', '/settings', '/settings/organization', '/referrals']) {
		const res = await open(page, `/t/${teamId}${path}`);
		expect(res?.status(), `/t/<team>${path}`).toBe(404);
		const body = await page.content();
		for (const secret of ['Lena Leaderson', 'Mara Memberly', 'Teo Teammate', 'Secret purpose']) {
			expect(body).not.toContain(secret);
		}
	}

	// Detaching asks first and says what the organization stops seeing.
	await lead.reload();
	await lead.waitForLoadState('networkidle');
	await lead.getByText('Detach from this organization…').click();
	await expect(lead.getByText('will stop seeing this team’s figures')).toBeVisible();
	await lead.getByRole('button', { name: 'Yes, detach' }).click();
	await expect(lead.getByRole('status').first()).toContainText('no longer belongs');
	await open(page, orgUrl);
	await expect(page.getByText('No team is attached yet')).toBeVisible();
	await lead.context().close();
});

test('admins: add by email, refuse an unknown address, remove; rename and delete', async ({
	page
}) => {
	// Several people and pages in one story: more than the default 30 s on a busy machine.
	test.slow();
	const admin = await createUser(uniqueEmail('orgadmin'), PASSWORD, 'Ada Admin');
	const colleague = await createUser(uniqueEmail('colleague'), PASSWORD, 'Cole Colleague');
	const client = await clientAs(admin.email);
	const { data: orgId, error } = await client.rpc('create_organization', {
		name: 'Recovery House'
	});
	if (error) throw error;

	await signIn(page, admin.email);
	await open(page, `/orgs/${orgId}/admins`);
	await expect(page.getByRole('heading', { level: 1, name: 'Admins' })).toBeVisible();
	await expect(page.getByText('The only admin cannot be removed')).toBeVisible();
	await expectAccessible(page);

	const email = page.getByLabel('Their email address');
	await email.fill(uniqueEmail('nobody'));
	await page.getByRole('button', { name: 'Add admin' }).click();
	await expect(email).toHaveAccessibleDescription(/No account uses that email address/);
	await email.fill(colleague.email);
	await page.getByRole('button', { name: 'Add admin' }).click();
	await expect(page.getByRole('status').first()).toContainText('The admin was added');
	await expect(page.getByText('Cole Colleague', { exact: true })).toBeVisible();
	await expect(page.getByText(colleague.email)).toBeVisible();
	await email.fill(colleague.email);
	await page.getByRole('button', { name: 'Add admin' }).click();
	await expect(email).toHaveAccessibleDescription(/already an admin/);
	await expectAccessible(page);

	await page.getByText('Remove Cole Colleague…').click();
	await page.getByRole('button', { name: 'Yes, remove' }).click();
	await expect(page.getByRole('status').first()).toContainText('The admin was removed');
	await expect(page.getByText('Cole Colleague', { exact: true })).toHaveCount(0);

	// Settings: rename, then delete with the name typed exactly.
	await page
		.getByRole('navigation', { name: 'Organization' })
		.getByRole('link', { name: 'Settings' })
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Organization settings' })
	).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Name', { exact: true }).fill('Recovery House North');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Recovery House North' })).toBeVisible();
	await open(page, `/orgs/${orgId}/settings`);
	await page.getByText('Delete this organization…').click();
	await expect(page.getByText('Its teams stay exactly as they are')).toBeVisible();
	const confirm = page.getByLabel(/Type the organization’s name/);
	await confirm.fill('Recovery House');
	await page.getByRole('button', { name: 'Delete organization' }).click();
	await expect(confirm).toHaveAccessibleDescription(/exactly/);
	await confirm.fill('Recovery House North');
	await page.getByRole('button', { name: 'Delete organization' }).click();
	await expect(page).toHaveURL(/\/orgs\?notice=deleted/);
	await expect(page.getByText('You do not run any organization yet')).toBeVisible();
	expect((await open(page, `/orgs/${orgId}`))?.status()).toBe(404);
});
