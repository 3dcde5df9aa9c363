import { type Browser, type Page } from '@playwright/test';
import type { SupabaseClient } from '@supabase/supabase-js';
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

// Most people are made through the admin API and most setup goes through the database API as
// the leader; the browser drives what the scenario is about: inviting, joining, roles, refusals.

async function clientFor(email: string): Promise<SupabaseClient> {
	const client = apiClient('anon');
	const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
	if (error) throw error;
	return client;
}

async function teamLedBy(name: string) {
	const leader = await createUser(undefined, undefined, name);
	const client = await clientFor(leader.email);
	const teamName = `Tenants ${Date.now().toString(36)}`;
	const { data, error } = await client.rpc('create_team', { name: teamName });
	if (error) throw error;
	return { leader, client, teamId: data as string, teamName };
}

async function invitationToken(
	client: SupabaseClient,
	teamId: string,
	opts: Record<string, unknown> = {}
): Promise<string> {
	const { data, error } = await client.rpc('create_invitation', { team_id: teamId, ...opts });
	if (error) throw error;
	return (data as Array<{ token: string }>)[0].token;
}

/** A second person in their own browser context (their own cookies). */
async function personPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	return context.newPage();
}

async function signInThroughInvitation(page: Page, email: string) {
	await page.getByRole('link', { name: 'Sign in to join' }).click();
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(PASSWORD);
	await form.getByRole('button', { name: 'Sign in' }).click();
}

async function join(page: Page, teamName: string, teamId: string) {
	await page.getByRole('button', { name: `Join ${teamName}` }).click();
	await expect(page).toHaveURL(new RegExp(`/t/${teamId}(\\?|$)`));
}

test('a leader invites five people by email and by link; they join; roles change', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const { leader, teamId, teamName } = await teamLedBy('Lena Leader');
	const existing = await createUser(undefined, undefined, 'Ezra Existing');
	const newcomerEmail = uniqueEmail('newcomer');

	await signIn(page, leader.email);
	await page.goto(`/t/${teamId}/members`);
	await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Team size: 1' })).toBeVisible();
	await expect(page.getByText('Fewer than the six to eight people')).toBeVisible();
	await expectAccessible(page);

	// By email: an existing account gets a magic link, a new address Auth's invitation.
	await page.getByRole('link', { name: 'Invite people' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Invitations' })).toBeVisible();
	await expectAccessible(page);
	const since = Date.now() - 1000;
	const emailForm = page.locator('form', {
		has: page.getByRole('heading', { name: 'Invite by email' })
	});
	await emailForm.getByLabel('Their email address').fill(existing.email);
	await emailForm.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByText(`Invitation sent to ${existing.email}.`)).toBeVisible();
	await emailForm.getByLabel('Their email address').fill(existing.email);
	await emailForm.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(emailForm.getByLabel('Their email address')).toHaveAccessibleDescription(
		/already waiting: resend it instead/
	);
	await emailForm.getByLabel('Their email address').fill(newcomerEmail);
	await emailForm.getByLabel('Role in the team').selectOption({ label: 'Organizer' });
	await emailForm.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByText(`Invitation sent to ${newcomerEmail}.`)).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: newcomerEmail })).toContainText(
		'Organizer'
	);

	// By link: five uses, shown once in a read-only field.
	const linkForm = page.locator('form', {
		has: page.getByRole('heading', { name: 'Invite with a link' })
	});
	await linkForm.getByLabel('Valid for').selectOption({ label: '30 days' });
	await linkForm.getByLabel('How many people can join with it').fill('60');
	await linkForm.getByRole('button', { name: 'Create the link' }).click();
	await expect(linkForm.getByLabel('How many people can join with it')).toHaveAccessibleDescription(
		/whole number from 1 to 50/
	);
	await linkForm.getByLabel('How many people can join with it').fill('5');
	await linkForm.getByRole('button', { name: 'Create the link' }).click();
	const link = await page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
	expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
	await expect(page.getByRole('button', { name: 'Copy the link' })).toBeVisible();
	await expectAccessible(page);

	// 1. The existing account opens the magic link from the mailbox: signed in on the invitation.
	const ezra = await personPage(browser);
	const magic = await latestMail(existing.email, /Magic Link/, since);
	await ezra.goto(linkIn(magic));
	await expect(ezra).toHaveURL(/\/invite\/[\w-]+$/);
	await expect(ezra.getByText(`You are signed in as ${existing.email}.`).first()).toBeVisible();
	await expect(ezra.getByText('Lena Leader invites you to join')).toBeVisible();
	await expectAccessible(ezra);
	await join(ezra, teamName, teamId);

	// 2. The new address opens Auth's invitation: the account exists now, signed in, and joins.
	const nora = await personPage(browser);
	const invited = await latestMail(newcomerEmail, /You have been invited/, since);
	await nora.goto(linkIn(invited));
	await expect(nora.getByText(`You are signed in as ${newcomerEmail}.`).first()).toBeVisible();
	await expect(nora.getByText('choose a password in your account settings')).toBeVisible();
	await join(nora, teamName, teamId);

	// 3. Someone without an account signs up on the link's page and comes back to join.
	const sam = await personPage(browser);
	const samEmail = uniqueEmail('signup');
	await sam.goto(link);
	await expect(sam.getByRole('heading', { level: 1, name: `Join ${teamName}` })).toBeVisible();
	await expectAccessible(sam);
	await sam.getByLabel('Your name').fill('Sam Signup');
	await sam.getByLabel('Email').fill(samEmail);
	await sam.getByLabel('Choose a password').fill(PASSWORD);
	await sam.getByRole('button', { name: 'Create account' }).click();
	await expect(sam.getByText(`You are signed in as ${samEmail}.`)).toBeVisible();
	await join(sam, teamName, teamId);

	// 4. An existing account signs in from the link's page and comes back to join.
	const olu = await createUser(undefined, undefined, 'Olu Other');
	const oluPage = await personPage(browser);
	await oluPage.goto(link);
	await signInThroughInvitation(oluPage, olu.email);
	await expect(oluPage).toHaveURL(/\/invite\//);
	await join(oluPage, teamName, teamId);

	// 5. One more through the API with the same link.
	const pat = await createUser(undefined, undefined, 'Pat Fifth');
	const token = link.split('/invite/')[1];
	const { error } = await (await clientFor(pat.email)).rpc('accept_invitation', { token });
	expect(error).toBeNull();

	await page.goto(`/t/${teamId}/members`);
	await expect(page.getByRole('heading', { name: 'Team size: 6' })).toBeVisible();
	await expect(page.getByText('Within the six to eight people')).toBeVisible();
	for (const name of ['Ezra Existing', 'Sam Signup', 'Olu Other', 'Pat Fifth']) {
		await expect(page.getByRole('listitem').filter({ hasText: name })).toContainText('Member');
	}
	await expect(page.getByRole('listitem').filter({ hasText: '(no name yet)' })).toContainText(
		'Organizer'
	);

	// The last leader cannot leave: the database says why.
	await page.getByRole('link', { name: 'Leave the team…' }).click();
	await page.getByRole('button', { name: `Leave ${teamName}` }).click();
	await expect(page.getByRole('alert')).toContainText('hand over leadership first');

	// Roles: Ezra becomes organizer; Sam becomes leader; Lena steps down.
	await page.goto(`/t/${teamId}/members`);
	await page.getByLabel('Role of Ezra Existing').selectOption({ label: 'Organizer' });
	await page
		.getByRole('listitem')
		.filter({ hasText: 'Ezra Existing' })
		.getByRole('button', { name: 'Change role' })
		.click();
	await expect(page.getByRole('status').first()).toContainText('The role was changed.');
	await expect(page.getByRole('listitem').filter({ hasText: 'Ezra Existing' })).toContainText(
		'Organizer'
	);
	await page.getByLabel('Role of Sam Signup').selectOption({ label: 'Leader' });
	await page
		.getByRole('listitem')
		.filter({ hasText: 'Sam Signup' })
		.getByRole('button', { name: 'Change role' })
		.click();
	await expect(page.getByRole('status').first()).toContainText('The role was changed.');
	await page.getByLabel('Role of Lena Leader').selectOption({ label: 'Member' });
	await page
		.getByRole('listitem')
		.filter({ hasText: 'Lena Leader' })
		.getByRole('button', { name: 'Change role' })
		.click();
	await expect(page.getByRole('listitem').filter({ hasText: 'Lena Leader' })).toContainText(
		'Member'
	);
	// No longer a leader: no role controls, no invitations.
	await expect(page.getByRole('button', { name: 'Change role' })).toHaveCount(0);
	expect((await page.goto(`/t/${teamId}/invitations`))?.status()).toBe(403);
	await expectAccessible(page);

	// Ezra, now an organizer, sees the invitations read-only.
	await ezra.goto(`/t/${teamId}/invitations`);
	await expect(ezra.getByText('Only leaders can invite people')).toBeVisible();
	await expect(ezra.getByRole('button', { name: 'Send the invitation' })).toHaveCount(0);

	// Sam, the new leader, removes Pat after confirming.
	await sam.goto(`/t/${teamId}/members`);
	await sam.getByRole('link', { name: 'Remove Pat Fifth from the team…' }).click();
	await expect(sam.getByRole('heading', { name: 'Remove Pat Fifth?' })).toBeVisible();
	await expectAccessible(sam);
	await sam.getByRole('button', { name: 'Remove Pat Fifth' }).click();
	await expect(sam.getByRole('status').first()).toContainText('no longer in the team');
	await expect(sam.getByRole('heading', { name: 'Team size: 5' })).toBeVisible();
});

test('the ninth invitation warns and suggests splitting; the cap refuses', async ({ page }) => {
	const { leader, client, teamId } = await teamLedBy('Cap Leader');
	// Five members and two pending email invitations: eight places committed.
	const admin = apiClient('service_role');
	const people = await Promise.all(Array.from({ length: 5 }, () => createUser()));
	const { error } = await admin
		.from('team_members')
		.insert(people.map((p) => ({ team_id: teamId, user_id: p.id, role: 'member' })));
	expect(error).toBeNull();
	for (const n of [1, 2]) {
		await invitationToken(client, teamId, { email: uniqueEmail(`pending${n}`) });
	}
	const { error: capError } = await client.from('teams').update({ size_cap: 9 }).eq('id', teamId);
	expect(capError).toBeNull();

	await signIn(page, leader.email);
	await page.goto(`/t/${teamId}/invitations`);
	const emailForm = page.locator('form', {
		has: page.getByRole('heading', { name: 'Invite by email' })
	});
	await emailForm.getByLabel('Their email address').fill(uniqueEmail('ninth'));
	await emailForm.getByRole('button', { name: 'Send the invitation' }).click();
	const warning = page.getByRole('status').filter({ hasText: 'Consider splitting the team' });
	await expect(warning).toContainText(
		'This will make the team 9 people: teams work best at six to eight; consider splitting.'
	);
	await expectAccessible(page);

	await emailForm.getByLabel('Their email address').fill(uniqueEmail('tenth'));
	await emailForm.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(emailForm.getByRole('alert')).toHaveText('The team is at its cap of 9 members.');
	const linkForm = page.locator('form', {
		has: page.getByRole('heading', { name: 'Invite with a link' })
	});
	await linkForm.getByRole('button', { name: 'Create the link' }).click();
	await expect(linkForm.getByRole('alert')).toHaveText('The team is at its cap of 9 members.');
});

test('outsiders cannot see the team; wrong, expired, withdrawn and used links explain themselves', async ({
	page,
	browser
}) => {
	test.setTimeout(60_000);
	const { leader, client, teamId, teamName } = await teamLedBy('Guard Leader');
	const outsider = await createUser(undefined, undefined, 'Otto Outsider');
	const admin = apiClient('service_role');

	// An outsider gets "not found" for every team page.
	await signIn(page, outsider.email);
	for (const path of ['members', 'invitations', 'agreement']) {
		const res = await page.goto(`/t/${teamId}/${path}`);
		expect(res?.status()).toBe(404);
	}
	await expect(page.getByText(teamName)).toHaveCount(0);

	// Sent to someone else: the page says which address to use, and offers to switch accounts.
	const meant = uniqueEmail('meant');
	const wrongToken = await invitationToken(client, teamId, { email: meant });
	await page.goto(`/invite/${wrongToken}`);
	await expect(page.getByRole('alert')).toContainText(
		`This invitation was sent to ${meant[0]}***@example.test; sign in with that address.`
	);
	await expect(
		page.getByRole('button', { name: 'Sign out and use another account' })
	).toBeVisible();
	await expectAccessible(page);

	// Expired.
	const expiredToken = await invitationToken(client, teamId, { max_uses: 3 });
	await admin
		.from('invitations')
		.update({ expires_at: new Date(Date.now() - 60_000).toISOString() })
		.eq('team_id', teamId)
		.is('email', null);
	await page.goto(`/invite/${expiredToken}`);
	await expect(page.getByRole('alert')).toHaveText(
		'This invitation has expired: ask the team for a new one.'
	);

	// Withdrawn by the leader in the UI (after confirming), then opened.
	const revokedToken = await invitationToken(client, teamId, { email: uniqueEmail('withdrawn') });
	const lead = await personPage(browser);
	await signIn(lead, leader.email);
	await lead.goto(`/t/${teamId}/invitations`);
	await lead.getByRole('link', { name: /Withdraw the invitation to withdrawn-/ }).click();
	await expect(lead.getByRole('heading', { name: 'Withdraw this invitation?' })).toBeVisible();
	await lead.getByRole('button', { name: 'Withdraw the invitation' }).click();
	await expect(lead.getByRole('status').first()).toContainText('The invitation was withdrawn.');
	await page.goto(`/invite/${revokedToken}`);
	await expect(page.getByRole('alert')).toHaveText(
		'This invitation was withdrawn: ask the team for a new one.'
	);

	// Resend: not twice a minute; then a new mail whose link works (the old one no longer does).
	const resendEmail = uniqueEmail('resend');
	const oldToken = await invitationToken(client, teamId, { email: resendEmail });
	await lead.reload();
	const resend = lead.getByRole('button', { name: `Resend to ${resendEmail}` });
	await resend.click();
	await expect(lead.getByRole('alert')).toContainText('sent less than a minute ago');
	await admin
		.from('invitations')
		.update({ last_sent_at: new Date(Date.now() - 120_000).toISOString() })
		.eq('team_id', teamId)
		.eq('email', resendEmail);
	const since = Date.now() - 1000;
	await resend.click();
	await expect(lead.getByText(`Invitation sent to ${resendEmail}.`)).toBeVisible();
	const mail = await latestMail(resendEmail, /You have been invited/, since);
	const invitee = await personPage(browser);
	await invitee.goto(linkIn(mail));
	await expect(invitee.getByText(`You are signed in as ${resendEmail}.`).first()).toBeVisible();
	await expect(invitee.getByRole('button', { name: `Join ${teamName}` })).toBeVisible();
	await invitee.goto(`/invite/${oldToken}`);
	await expect(invitee.getByRole('alert')).toHaveText(
		'This invitation link is not valid: ask the team for a new one.'
	);

	// Used up: a one-use link taken by someone else.
	const onceToken = await invitationToken(client, teamId, { max_uses: 1 });
	const first = await createUser();
	await (await clientFor(first.email)).rpc('accept_invitation', { token: onceToken });
	await page.goto(`/invite/${onceToken}`);
	await expect(page.getByRole('alert')).toHaveText('This invitation has already been used.');

	// Already a member: a link to the team instead.
	const memberToken = await invitationToken(client, teamId, { max_uses: 2 });
	await page.context().clearCookies();
	await page.goto(`/invite/${memberToken}`);
	await signInThroughInvitation(page, first.email);
	await expect(page.getByRole('alert')).toHaveText('You are already in this team.');
	await expect(page.getByRole('link', { name: 'Go to the team' })).toHaveAttribute(
		'href',
		`/t/${teamId}`
	);

	// Unknown.
	await page.goto('/invite/not-a-real-token');
	await expect(page.getByRole('alert')).toHaveText(
		'This invitation link is not valid: ask the team for a new one.'
	);
	await expectAccessible(page);
});
