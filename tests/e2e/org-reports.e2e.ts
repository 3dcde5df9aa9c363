import type { Browser, Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import {
	apiClient,
	createUser,
	expect,
	expectAccessible,
	hydrated,
	PASSWORD,
	runtime,
	signIn,
	test,
	uniqueEmail
} from './helpers.ts';

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

function must<T>(res: { data: T; error: unknown }): T {
	if (res.error) throw res.error;
	return res.data;
}

/**
 * An organization hosting two teams: North (a leader, five members, a friction point, a member
 * feedback round with two answers) and South (its leader alone).
 */
async function hostedTeams() {
	const admin = await createUser(uniqueEmail('orgadmin'), PASSWORD, 'Olga Admin');
	const adminClient = await clientAs(admin.email);
	const orgId = must(
		await adminClient.rpc('create_organization', { name: 'Eastside Tenants’ Association' })
	) as string;
	const { join_code } = must(
		await adminClient.from('organizations').select('join_code').eq('id', orgId).single()
	) as { join_code: string };
	const leader = await createUser(uniqueEmail('leader'), PASSWORD, 'Lena Leaderson');
	const leaderClient = await clientAs(leader.email);
	const north = must(
		await leaderClient.rpc('create_team', { name: 'North team', organization_join_code: join_code })
	) as string;
	const southLeader = await createUser(uniqueEmail('south'), PASSWORD, 'Sam South');
	must(
		await (
			await clientAs(southLeader.email)
		).rpc('create_team', { name: 'South team', organization_join_code: join_code })
	);
	const members = await Promise.all(
		['Mara Memberly', 'Teo Teammate', 'Ines Inside', 'Otto Other', 'Pia Person'].map((n) =>
			createUser(uniqueEmail('member'), PASSWORD, n)
		)
	);
	const service = apiClient('service_role');
	must(
		await service
			.from('team_members')
			.insert(members.map((u) => ({ team_id: north, user_id: u.id, role: 'member' })))
	);
	const { id: agencyId } = must(
		await service
			.from('agencies')
			.insert({ team_id: north, name: 'Housing office' })
			.select('id')
			.single()
	) as { id: string };
	must(
		await service
			.from('friction_points')
			.insert({ team_id: north, agency_id: agencyId, title: 'Secret friction title' })
	);
	const [round] = must(
		await leaderClient.rpc('create_feedback_round', {
			team_id: north,
			audience: 'member',
			title: 'Spring check-in'
		})
	) as Array<{ id: string }>;
	for (const u of members.slice(0, 2)) {
		must(
			await (
				await clientAs(u.email)
			).rpc('submit_member_feedback', { round_id: round.id, q1: 4, q2: 4, q3: 4 })
		);
	}
	return { admin, orgId, north, leader, members, roundId: round.id };
}

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

test('an org admin reads aggregate reports by period, as CSV and printed, and cannot reach team content', async ({
	page
}) => {
	test.slow();
	const world = await hostedTeams();
	await signIn(page, world.admin.email);
	await page.goto(`/orgs/${world.orgId}`);
	await page
		.getByRole('navigation', { name: 'Organization' })
		.getByRole('link', { name: 'Reports' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
	const teams = page.getByRole('table', { name: 'Each team over the whole period' });
	const north = teams.getByRole('row', { name: /North team/ });
	await expect(north).toContainText('6 · within the 6–8 that work best');
	// Friction points found: 1, and the pulse has no answers yet.
	await expect(north.getByRole('cell').nth(4)).toHaveText('1');
	await expect(teams.getByRole('row', { name: /South team/ })).toBeVisible();
	// Two answers so far: the feedback average is withheld.
	const feedback = page.getByRole('table', { name: 'Feedback rounds opened in the period' });
	await expect(feedback.getByRole('row').nth(1)).toContainText('Too few answers to show');
	await expectAccessible(page);
	const html = await page.content();
	for (const secret of [
		'Secret friction title',
		'Mara Memberly',
		'Lena Leaderson',
		'Spring check-in'
	])
		expect(html).not.toContain(secret);

	// A bad period is refused beside its field; a good one goes into the URL.
	await page.getByLabel('From').fill('2026-12-31');
	await page.getByLabel('To').fill('2026-01-01');
	await page.getByRole('button', { name: 'Show report' }).click();
	await expect(page.getByLabel('To')).toHaveAccessibleDescription(
		'The period must end on or after the day it starts.'
	);
	const year = new Date().getUTCFullYear();
	await page.getByLabel('From').fill(`${year}-01-01`);
	await page.getByLabel('To').fill(`${year}-12-31`);
	await page.getByLabel('Group by').selectOption('quarter');
	await page.getByRole('button', { name: 'Show report' }).click();
	await expect(page).toHaveURL(new RegExp(`from=${year}-01-01&to=${year}-12-31&by=quarter`));
	const across = page.getByRole('table', { name: 'All teams, per period' });
	await expect(across.getByRole('row')).toHaveCount(5);
	await expect(page.locator('[data-chart-state="ready"]')).toHaveCount(1);

	// The CSV: a header and one line per team and quarter.
	const href = await page
		.getByRole('link', { name: 'Download figures (CSV)' })
		.getAttribute('href');
	const csv = await page.request.get(href!);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const lines = (await csv.text())
		.replace(/^\ufeff/, '')
		.trimEnd()
		.split('\r\n');
	expect(lines[0]).toMatch(/^team,period_start,members,size,archived,activity,dialogues_held,/);
	expect(lines).toHaveLength(1 + 2 * 4);
	expect(lines.filter((l) => l.startsWith('North team,')).map((l) => l.split(',')[1])).toEqual([
		`${year}-01-01`,
		`${year}-04-01`,
		`${year}-07-01`,
		`${year}-10-01`
	]);

	await page.getByRole('link', { name: 'Printable report' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Report for Eastside Tenants’ Association' })
	).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'North team' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();

	// Team content stays out of reach: the same 404 as for anyone outside the team.
	for (const path of ['/friction', '/feedback', '/share-report']) {
		const res = await page.goto(`/t/${world.north}${path}`);
		expect(res?.status(), `/t/<team>${path}`).toBe(404);
		expect(await page.content()).not.toContain('Secret friction title');
	}
});

test('a member answers feedback, a client answers through the link, a leader shares a report the admin then reads', async ({
	page,
	browser
}) => {
	test.slow();
	const world = await hostedTeams();

	// The third member's answer, in the browser: the average can now be shown.
	const member = await signedInPage(browser, world.members[2].email);
	await member.goto(`/t/${world.north}/feedback`);
	await member.getByRole('link', { name: 'Answer “Spring check-in”' }).click();
	await hydrated(member);
	await member.getByRole('button', { name: 'Send my answers' }).click();
	const q1 = member.getByRole('group', { name: 'Our dialogues are worth my time.' });
	await expect(q1).toHaveAccessibleDescription(/Choose an answer from 1 to 5 for question 1\./);
	await expectAccessible(member);
	await q1.getByLabel('5').check();
	await member.getByRole('group', { name: 'I feel heard in the team.' }).getByLabel('4').check();
	await member
		.getByRole('group', { name: 'The team is making progress on what matters to me.' })
		.getByLabel('3')
		.check();
	await member.getByRole('button', { name: 'Send my answers' }).click();
	await expect(member.getByRole('status').first()).toContainText('your answers are in');
	await expect(member.getByText('You have answered this round.')).toBeVisible();
	await member.context().close();

	// The leader opens a client round and passes the link on; a client answers without an account.
	const lead = await signedInPage(browser, world.leader.email);
	await lead.goto(`/t/${world.north}/feedback`);
	await hydrated(lead);
	await lead.getByLabel('Who answers').selectOption('client');
	await lead.getByLabel('Title').fill('How did we do?');
	await lead.getByRole('button', { name: 'Open feedback round' }).click();
	const link = (await lead.locator('code.link').textContent())!.trim();
	expect(link).toMatch(/\/feedback\/[0-9a-f]{64}$/);
	const client = await (await browser.newContext()).newPage();
	await client.goto(new URL(link).pathname);
	await hydrated(client);
	await expect(client.getByRole('heading', { level: 1, name: 'How did we do?' })).toBeVisible();
	await client
		.getByRole('group', { name: 'The team understood what I needed.' })
		.getByLabel('4')
		.check();
	await client.getByRole('group', { name: 'I was treated with respect.' }).getByLabel('5').check();
	await client.getByRole('button', { name: 'Send my answers' }).click();
	await expect(
		client.getByRole('group', { name: /I would recommend the team/ })
	).toHaveAccessibleDescription(/question 3/);
	await client
		.getByRole('group', { name: /I would recommend the team/ })
		.getByLabel('5')
		.check();
	await client.getByRole('button', { name: 'Send my answers' }).click();
	await expect(client.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();
	await expectAccessible(client);
	await client.context().close();

	// The leader previews exactly what the organization will see, then shares it.
	await lead.getByRole('link', { name: 'Share a report with your organization' }).click();
	await hydrated(lead);
	await lead.getByLabel('Title', { exact: true }).fill('Our spring');
	await lead.getByLabel('Friction points: titles and status').check();
	await lead.getByRole('button', { name: 'Preview' }).click();
	await lead.waitForURL(/preview=1/);
	await hydrated(lead);
	const preview = lead.getByRole('region', { name: /Preview: exactly what the organization/ });
	await expect(preview).toContainText('Secret friction title');
	await expect(preview).toContainText('Friction points found');
	await expectAccessible(lead);
	await lead.getByRole('button', { name: 'Share with Eastside Tenants’ Association' }).click();
	await expect(lead.getByRole('status').first()).toContainText('shared with your organization');
	await lead.context().close();

	await signIn(page, world.admin.email);
	await page.goto(`/orgs/${world.orgId}/reports`);
	const feedback = page.getByRole('table', { name: 'Feedback rounds opened in the period' });
	// Member round: three answers averaged (4, 4, 5 → 4.3); client round: one answer, withheld.
	await expect(feedback.getByRole('row', { name: /Team members/ })).toContainText('4.3');
	await expect(feedback.getByRole('row', { name: /People the team serves/ })).toContainText(
		'Too few answers to show'
	);
	await page.getByRole('link', { name: 'Our spring' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Our spring' })).toBeVisible();
	await expect(page.getByText('Secret friction title')).toBeVisible();
	await expectAccessible(page);
});
