import { type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
	apiClient,
	createUser,
	expectAccessible,
	PASSWORD,
	signIn,
	expect,
	test
} from './helpers.ts';

/** A team made through the API as `email`, for tests that are not about creating one. */
async function teamOf(email: string, name: string) {
	const client = apiClient('anon');
	const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
	if (error) throw error;
	const { data, error: rpcError } = await client.rpc('create_team', { name });
	if (rpcError) throw rpcError;
	// The signed-in client too: sign-ins are rate limited (30 per 5 minutes), so tests reuse it.
	return { teamId: data as string, client };
}

async function openSettings(page: Page) {
	await page
		.getByRole('navigation', { name: 'Team' })
		.getByRole('link', { name: 'Settings' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Team settings' })).toBeVisible();
}

test('a leader creates a team, edits, archives, exports and deletes it', async ({ page }) => {
	const user = await createUser(undefined, undefined, 'Ella Baker');
	await signIn(page, user.email);

	// An empty home explains what to do.
	await expect(page.getByText('You are not in a team yet.')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('main').getByRole('link', { name: 'Create a team' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Create a team' })).toBeVisible();
	await expectAccessible(page);

	// Whitespace is not a name.
	await page.getByLabel('Team name').fill('   ');
	await page.getByRole('button', { name: 'Create the team' }).click();
	await expect(page.getByLabel('Team name')).toHaveAccessibleDescription(/Enter a name/);
	await expect(page.getByLabel('Team name')).toBeFocused();

	// A join code that matches no organization is refused beside its field, nothing else lost.
	await page.getByLabel('Team name').fill('Eastside Housing Watch');
	await page.getByLabel('Purpose').fill('Get repairs in public housing done on time.');
	await page.getByLabel('Focus area or jurisdiction').fill('City Housing Authority');
	await page.getByLabel('Organization join code').fill('no-such-code');
	await page.getByRole('button', { name: 'Create the team' }).click();
	await expect(page.getByLabel('Organization join code')).toHaveAccessibleDescription(
		/does not match any organization/
	);
	await expect(page.getByLabel('Purpose')).toHaveValue(
		'Get repairs in public housing done on time.'
	);
	await page.getByLabel('Organization join code').fill('');
	await page.getByRole('button', { name: 'Create the team' }).click();

	// The team home: size against six to eight, the cap, what to do next.
	await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}\?notice=created$/);
	const teamUrl = new URL(page.url()).pathname;
	await expect(
		page.getByRole('heading', { level: 1, name: 'Eastside Housing Watch' })
	).toBeVisible();
	await expect(page.getByText('1 member — teams work best at six to eight')).toBeVisible();
	await expect(page.getByText('Small', { exact: true })).toBeVisible();
	await expect(page.getByText('Joining stops at 12 members')).toBeVisible();
	await expect(page.getByText('City Housing Authority')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Invite people' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Write the team agreement' })).toBeVisible();
	await expectAccessible(page);

	// The switcher lists the new team.
	// On a team page the switcher is labelled with the team's name.
	await page.locator('summary', { hasText: 'Eastside Housing Watch' }).click();
	await expect(
		page.getByRole('navigation', { name: 'Your teams' }).getByRole('link', {
			name: 'Eastside Housing Watch'
		})
	).toBeVisible();
	await page.keyboard.press('Escape');

	// Settings: a bad name is refused with a clear message; a good edit is saved.
	await openSettings(page);
	await expectAccessible(page);
	await page.getByLabel('Team name').fill(' ');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByLabel('Team name')).toHaveAccessibleDescription(/Enter a name/);
	await page.getByLabel('Team name').fill('Eastside Housing Watch');
	await page.getByLabel('Size cap').fill('1');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByLabel('Size cap')).toHaveAccessibleDescription(/between 2 and 50/);
	await page.getByLabel('Size cap').fill('10');
	await page.getByLabel('Purpose').fill('Repairs on time, and a say in the repair budget.');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status').first()).toContainText("The team's settings were saved.");
	await expect(page.getByLabel('Size cap')).toHaveValue('10');

	// Archive asks first, then says what happened; unarchive brings it back.
	await page.getByRole('link', { name: 'Archive this team…' }).click();
	await expect(page.getByText('Archive this team?')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Yes, archive the team' }).click();
	await expect(page.getByText('The team is archived. You can unarchive it')).toBeVisible();
	await expect(page.getByText('This team is archived: everything is kept')).toBeVisible();
	await page.getByRole('button', { name: 'Unarchive the team' }).click();
	await expect(page.getByText('The team is active again.')).toBeVisible();
	await expect(page.getByText('This team is archived: everything is kept')).toHaveCount(0);

	// The activity log tells the story in plain words.
	await page
		.getByRole('navigation', { name: 'Team' })
		.getByRole('link', { name: 'Activity' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
	await expect(page.getByText('Ella Baker created the team')).toBeVisible();
	await expect(page.getByText("Ella Baker changed the team's purpose, size cap")).toBeVisible();
	await expect(page.getByText('Ella Baker archived the team')).toBeVisible();
	await expect(page.getByText('Ella Baker unarchived the team')).toBeVisible();
	await expectAccessible(page);

	// Export: the whole team as a zip is offered first (tested in team-archive.e2e.ts); here the
	// JSON download with the team and its members, no tokens.
	await openSettings(page);
	await expect(page.getByRole('link', { name: /the whole team as a zip/ })).toHaveAttribute(
		'href',
		/\/export\/archive$/
	);
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'only its membership and activity (JSON)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^groundwork-eastside-housing-watch-.*\.json$/);
	const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
	expect(exported.team).toMatchObject({ name: 'Eastside Housing Watch', size_cap: 10 });
	expect(exported.members).toEqual([
		expect.objectContaining({ display_name: 'Ella Baker', role: 'leader' })
	]);
	expect(exported.activity_log.length).toBeGreaterThanOrEqual(4);
	expect(JSON.stringify(exported)).not.toContain('token_hash');
	const response = await page.request.get(`${teamUrl}/export`);
	expect(response.headers()['content-disposition']).toMatch(/^attachment; filename=/);
	expect(response.headers()['cache-control']).toMatch(/\bno-store\b/);

	// Delete needs the exact name; a wrong one deletes nothing.
	await page.getByLabel(/To confirm, type the team's name/).fill('Eastside');
	await page.getByRole('button', { name: 'Delete this team for good' }).click();
	await expect(page.getByLabel(/To confirm, type the team's name/)).toHaveAccessibleDescription(
		/exactly to confirm the deletion. Nothing was deleted/
	);
	await page.getByLabel(/To confirm, type the team's name/).fill('Eastside Housing Watch');
	await page.getByRole('button', { name: 'Delete this team for good' }).click();
	await expect(page).toHaveURL(/\/home\?notice=team-deleted$/);
	await expect(page.getByText('The team was deleted')).toBeVisible();
	await expect(page.getByText('You are not in a team yet.')).toBeVisible();
	expect((await page.request.get(teamUrl)).status()).toBe(404);
});

test("an outsider gets a 404 for every team page, and a member can't change settings", async ({
	page
}) => {
	const leader = await createUser(undefined, undefined, 'Bayard Rustin');
	const { teamId, client } = await teamOf(leader.email, 'Northside Schools Circle');
	const outsider = await createUser();
	await signIn(page, outsider.email);
	for (const path of ['/export', '/settings', '/activity', '']) {
		const response = await page.goto(`/t/${teamId}${path}`);
		expect(response?.status(), path).toBe(404);
	}
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(page.getByText('Northside Schools Circle')).toHaveCount(0);
	await expectAccessible(page);
	expect((await page.goto('/t/not-a-uuid'))?.status()).toBe(404);

	// A settings post from someone outside the team changes nothing.
	const post = await page.request.post(`/t/${teamId}/settings?/update`, {
		form: { name: 'Taken over', size_cap: '12' },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(post.status()).toBe(404);
	const { data } = await client.from('teams').select('name').eq('id', teamId).single();
	expect(data?.name).toBe('Northside Schools Circle');
});

test('a member sees the agreement prompt, read-only settings and no activity log', async ({
	page
}) => {
	const leader = await createUser(undefined, undefined, 'Fannie Lou Hamer');
	const member = await createUser(undefined, undefined, 'Medgar Evers');
	const { teamId, client: asLeader } = await teamOf(leader.email, 'Delta Transit Voices');
	const { error: publishError } = await asLeader.rpc('publish_agreement', {
		team_id: teamId,
		purpose: 'Better buses',
		ground_rules: 'Everyone speaks once before anyone speaks twice.'
	});
	expect(publishError).toBeNull();
	const { data: invitation } = await asLeader
		.rpc('create_invitation', { team_id: teamId, email: member.email })
		.single<{ token: string }>();
	const asMember = apiClient('anon');
	await asMember.auth.signInWithPassword({ email: member.email, password: PASSWORD });
	const { error: acceptError } = await asMember.rpc('accept_invitation', {
		token: invitation!.token
	});
	expect(acceptError).toBeNull();

	await signIn(page, member.email);
	await expect(page.getByText('You are a member · 2 members')).toBeVisible();
	await page.getByRole('link', { name: 'Delta Transit Voices' }).click();
	await expect(
		page.getByRole('heading', { name: 'Please read and accept the team agreement' })
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'Read the agreement' })).toHaveAttribute(
		'href',
		`/t/${teamId}/agreement`
	);
	await expect(page.getByText('Your leader has not written')).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Invite people' })).toHaveCount(0);
	await expectAccessible(page);

	const teamNav = page.getByRole('navigation', { name: 'Team' });
	await expect(teamNav.getByRole('link', { name: 'Activity' })).toHaveCount(0);
	await teamNav.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByText("Only the team's leaders can change these settings.")).toBeVisible();
	await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
	await expect(page.getByLabel(/type the team's name/)).toHaveCount(0);
	await expectAccessible(page);
	expect((await page.goto(`/t/${teamId}/activity`))?.status()).toBe(403);
	expect((await page.request.get(`/t/${teamId}/export`)).status()).toBe(403);
});

test('the shell works at 360 px with the keyboard', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	const user = await createUser(undefined, undefined, 'Septima Clark');
	await teamOf(user.email, 'Harbor Clinic Patients');
	await signIn(page, user.email);
	// Skip link first, and it moves to the content.
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#main$/);
	// Nothing scrolls sideways.
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	// The team switcher opens from the keyboard and leads to the team.
	const summary = page.getByText('Teams', { exact: true });
	await summary.focus();
	await page.keyboard.press('Enter');
	await page.getByRole('link', { name: 'Harbor Clinic Patients' }).focus();
	await page.keyboard.press('Enter');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Harbor Clinic Patients' })
	).toBeVisible();
	await expectAccessible(page);
});
