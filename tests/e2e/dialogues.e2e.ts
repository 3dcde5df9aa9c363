import type { Browser, Page } from '@playwright/test';
import {
	apiClient,
	createUser,
	expect,
	expectAccessible,
	PASSWORD,
	signIn,
	test,
	uniqueEmail
} from './helpers.ts';

type Person = { id: string; email: string; name: string };

/**
 * A team of a leader and three members, made through the API, with one indicator of weekly
 * figures (imported as the wizard does) for the data review's live chart.
 */
async function world() {
	const leader = {
		...(await createUser(uniqueEmail('lead'), PASSWORD, 'Lea Leader')),
		name: 'Lea Leader'
	};
	const members: Person[] = [];
	for (const name of ['Ana Alba', 'Ben Brook', 'Cy Cole']) {
		members.push({ ...(await createUser(uniqueEmail('mem'), PASSWORD, name)), name });
	}
	const client = apiClient('anon');
	const signedIn = await client.auth.signInWithPassword({
		email: leader.email,
		password: PASSWORD
	});
	if (signedIn.error) throw signedIn.error;
	const team = await client.rpc('create_team', { name: `Dialogue team ${Date.now()}` });
	if (team.error) throw team.error;
	const teamId = team.data as string;
	const added = await apiClient('service_role')
		.from('team_members')
		.insert(members.map((mb) => ({ team_id: teamId, user_id: mb.id, role: 'member' })));
	if (added.error) throw added.error;
	const rows = [61, 63, 62, 66].map((v, i) => {
		const end = `2026-11-${String(7 * (i + 1)).padStart(2, '0')}`;
		const start = new Date(Date.parse(`${end}T00:00:00Z`) - 6 * 86_400_000)
			.toISOString()
			.slice(0, 10);
		return [
			'Housing office',
			null,
			'Repairs done in 28 days',
			start,
			end,
			'week',
			v,
			null,
			'%',
			null,
			i + 2
		];
	});
	const imp = await client.rpc('start_import', {
		team_id: teamId,
		file_name: 'repairs.csv',
		mapping: { format: 'long' },
		total_rows: rows.length,
		rejected: 0,
		errors: []
	});
	if (imp.error) throw imp.error;
	const staged = await client.rpc('stage_import_rows', { import_id: imp.data, rows });
	if (staged.error) throw staged.error;
	const committed = await client.rpc('commit_import', {
		import_id: imp.data,
		create_missing: true
	});
	if (committed.error) throw committed.error;
	const agreement = await client.rpc('publish_agreement', {
		team_id: teamId,
		purpose: null,
		ground_rules: 'We listen without interrupting.'
	});
	if (agreement.error) throw agreement.error;
	return { leader, members, teamId };
}

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

test('a leader runs a diagnostic dialogue live with three members, closes it, and they see the summary and their tasks', async ({
	browser,
	page: unused
}) => {
	test.setTimeout(180_000);
	await unused.close();
	const { leader, members, teamId } = await world();
	const [ana, ben, cy] = members;

	// The leader schedules a dialogue from the diagnostic dialogue template.
	const lead = await signedInPage(browser, leader.email);
	await lead.goto(`/t/${teamId}/dialogues`);
	await expect(lead.getByText('No dialogues yet.')).toBeVisible();
	await expectAccessible(lead);
	const schedule = lead.locator('form', {
		has: lead.getByRole('button', { name: 'Schedule the dialogue' })
	});
	await expect(schedule.getByLabel('Template')).toHaveValue(/.+/);
	await expect(schedule.getByLabel('Template').locator('option:checked')).toHaveText(
		'Diagnostic dialogue'
	);
	// Bad input first: no title, no date. Each error sits beside its field; nothing is saved.
	await schedule.getByRole('button', { name: 'Schedule the dialogue' }).click();
	await expect(schedule.getByLabel('Title')).toHaveAccessibleDescription(
		'Give the dialogue a title.'
	);
	await expect(schedule.getByText('Enter the date and time it starts.')).toBeVisible();
	await schedule.getByLabel('Title').fill('December diagnostic dialogue');
	await schedule.getByLabel('Date and time').fill('2026-12-10T18:00');
	await schedule
		.getByLabel('Indicator to review (optional)')
		.selectOption({ label: 'Housing office · Repairs done in 28 days' });
	await schedule.getByRole('button', { name: 'Schedule the dialogue' }).click();
	await expect(
		lead.getByRole('heading', { level: 1, name: 'December diagnostic dialogue' })
	).toBeVisible();
	const dialogueUrl = lead.url();
	await expect(lead.getByRole('link', { name: 'Add to calendar (.ics)' })).toBeVisible();

	// Three members in their own browsers, waiting on the page.
	const screens = await Promise.all(members.map((mb) => signedInPage(browser, mb.email)));
	for (const s of screens) await s.goto(dialogueUrl);
	await expect(screens[0].getByText('We listen without interrupting.')).toBeVisible();
	await screens[0].getByRole('button', { name: 'Yes' }).click();
	await expect(screens[0].getByText('1 yes, 0 maybe, 0 no')).toBeVisible();

	await lead.getByRole('button', { name: 'Start the dialogue' }).click();
	await expect(lead.getByRole('heading', { name: 'Check-in round' })).toBeVisible();
	// Every member's screen follows without a reload.
	for (const s of screens)
		await expect(s.getByRole('heading', { name: 'Check-in round' })).toBeVisible();
	await expect(lead.getByRole('status').filter({ hasText: '4 people connected' })).toBeVisible();
	await expect(lead.getByText('Read the team agreement aloud.')).toBeVisible();
	await expect(screens[1].getByText('Read the team agreement aloud.')).toHaveCount(0);
	await expect(lead.getByRole('timer', { name: 'Phase timer' })).toHaveText(/^(10:00|9:\d\d)$/);

	// A round through everyone present.
	await lead.getByRole('button', { name: 'Start a round with everyone connected' }).click();
	const firstSpeaker = await lead.getByText(/ has the floor$/).textContent();
	for (const s of screens) await expect(s.getByText(firstSpeaker!)).toBeVisible();
	await lead.getByRole('button', { name: 'Next in the round' }).click();
	await expect(lead.getByText(/ has the floor$/)).not.toHaveText(firstSpeaker!);
	await expect(lead.getByRole('table', { name: 'Participation balance' })).toBeVisible();

	// The data review shows the indicator's live chart on every screen.
	await lead.getByRole('button', { name: 'Next phase' }).click();
	for (const s of [lead, ...screens]) {
		await expect(s.getByRole('heading', { name: 'Data review' })).toBeVisible();
		await expect(s.getByRole('img', { name: /Repairs done in 28 days/ })).toBeVisible();
	}

	// Ana raises her hand; the leader gives her the floor.
	await screens[0].getByRole('button', { name: 'Raise my hand' }).click();
	await expect(lead.getByRole('button', { name: `Give ${ana.name} the floor` })).toBeVisible();
	await lead.getByRole('button', { name: `Give ${ana.name} the floor` }).click();
	for (const s of screens) await expect(s.getByText(`${ana.name} has the floor`)).toBeVisible();
	await expect(screens[0].getByRole('button', { name: 'Raise my hand' })).toBeVisible();

	// Anonymous cards: an empty one is refused beside the field; the others reach everyone, without names.
	await screens[1].getByRole('button', { name: 'Add card' }).click();
	await expect(screens[1].getByLabel('Your card', { exact: true })).toHaveAccessibleDescription(
		'Write something on the card first.'
	);
	await screens[1].getByLabel('Your card', { exact: true }).fill('Nobody answers the repairs line');
	await screens[1].getByRole('button', { name: 'Add card' }).click();
	await screens[2].getByLabel('Your card', { exact: true }).fill('Letters go unanswered');
	await screens[2].getByRole('button', { name: 'Add card' }).click();
	const cards = lead.getByRole('list', { name: 'Anonymous cards' });
	await expect(cards.getByRole('listitem')).toHaveCount(2);
	await expect(cards).toContainText('Nobody answers the repairs line');
	await expect(cards).not.toContainText(ben.name);
	await expect(cards).not.toContainText(cy.name);
	await expect(screens[1].getByText('Your card: change or withdraw it')).toHaveCount(1);
	await expect(screens[0].getByText('Your card: change or withdraw it')).toHaveCount(0);

	// A fist-to-five decision the members vote in.
	await lead.getByLabel('Question to decide').fill('Ask the housing office for its repair logs');
	await lead.getByRole('radio', { name: /^Fist to five/ }).check();
	await lead.getByRole('button', { name: 'Put it to the group' }).click();
	for (const [i, fingers] of [4, 3, 5].entries()) {
		const s = screens[i];
		const decision = s.getByRole('article', { name: 'Ask the housing office for its repair logs' });
		await decision.getByRole('radio', { name: `${fingers} fingers` }).check();
		await decision.getByRole('button', { name: 'Vote' }).click();
		await expect(decision.getByRole('button', { name: 'Change my vote' })).toBeVisible();
	}
	const leadDecision = lead.getByRole('article', {
		name: 'Ask the housing office for its repair logs'
	});
	await expect(leadDecision.getByText(/3 votes so far/)).toBeVisible();
	await leadDecision.getByRole('button', { name: 'Close voting and record the result' }).click();
	await expect(leadDecision.getByText('Passed')).toBeVisible();
	await expect(
		screens[2]
			.getByRole('article', { name: 'Ask the housing office for its repair logs' })
			.getByText('Passed')
	).toBeVisible();

	// Action items: one for Ben, one left unassigned.
	await lead.getByLabel('What is to be done').fill('Request the repair logs in writing');
	await lead.getByLabel('Who does it').selectOption({ label: ben.name });
	await lead.getByLabel('Due date (optional)').fill('2026-12-20');
	await lead.getByRole('button', { name: 'Add action item' }).click();
	await expect(lead.getByText('Request the repair logs in writing')).toBeVisible();
	await lead.getByLabel('What is to be done').fill('Find a bigger room');
	await lead.getByRole('button', { name: 'Add action item' }).click();
	await expect(lead.getByText('Find a bigger room')).toBeVisible();
	await expectAccessible(lead);
	await expectAccessible(screens[0]);

	// Closing with an unassigned action item asks first.
	await lead.getByLabel('Summary for the members').fill('We will ask for the repair logs.');
	await lead.getByRole('button', { name: 'Close the dialogue' }).click();
	await expect(lead.getByText('1 action item has no one assigned.')).toBeVisible();
	await expect(lead.getByRole('heading', { name: 'Summary' })).toHaveCount(0);
	await lead.getByRole('button', { name: 'Close anyway' }).click();
	await expect(lead.getByRole('heading', { name: 'Summary' })).toBeVisible();

	// Every member sees the summary; Ben sees his action item, now a task.
	for (const s of screens) {
		await expect(s.getByRole('heading', { name: 'Summary' })).toBeVisible();
		await expect(s.getByText('We will ask for the repair logs.')).toBeVisible();
	}
	const bensItem = screens[1]
		.getByRole('listitem')
		.filter({ hasText: 'Request the repair logs in writing' });
	await expect(bensItem).toContainText('yours');
	await expect(bensItem.getByRole('link', { name: 'on the task board' })).toBeVisible();
	const summary = screens[1].getByRole('region', { name: 'Summary' });
	for (const person of [leader, ana, ben, cy]) await expect(summary).toContainText(person.name);
	// The chart is kept as it stood when the dialogue closed.
	await expect(screens[1].getByText('As it stood when the dialogue closed.').first()).toBeVisible();
	await expect(screens[1].getByRole('img', { name: /Repairs done in 28 days/ })).toBeVisible();
	const { data: tasks } = await apiClient('service_role')
		.from('tasks')
		.select('title, assignee_id')
		.eq('team_id', teamId);
	expect(tasks).toEqual([{ title: 'Request the repair logs in writing', assignee_id: ben.id }]);
	await expectAccessible(screens[1]);

	// Ben's task is in his task list.
	await bensItem.getByRole('link', { name: 'on the task board' }).click();
	await expect(screens[1].getByText('Request the repair logs in writing')).toBeVisible();

	// A late edit is an amendment; the record itself is kept.
	await screens[2]
		.getByLabel('Correction or addition')
		.fill('Cy will join the letter-writing too.');
	await screens[2].getByRole('button', { name: 'Add amendment' }).click();
	await expect(screens[2].getByText('Cy will join the letter-writing too.')).toBeVisible();
});

test('a team edits its own template; a second leader takes over facilitation only after confirming', async ({
	browser,
	page
}) => {
	test.setTimeout(120_000);
	const { leader, teamId } = await world();
	const second = await createUser(uniqueEmail('org'), PASSWORD, 'Olu Organizer');
	const promoted = await apiClient('service_role')
		.from('team_members')
		.insert({ team_id: teamId, user_id: second.id, role: 'organizer' });
	if (promoted.error) throw promoted.error;

	await signIn(page, leader.email);
	await page.goto(`/t/${teamId}/dialogues/templates`);
	await expect(page.getByText('No team templates yet.')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Make a team copy of Team health check' }).click();
	await expect(
		page.getByRole('heading', { name: 'Edit Team health check (our version)' })
	).toBeVisible();
	// A bad time box is refused beside its field, and what was typed stays.
	await page.getByLabel('Time box in minutes').first().fill('0');
	await page.getByLabel('Title').nth(1).fill('Appreciation round');
	await page.getByRole('button', { name: 'Save template' }).click();
	await expect(page.getByLabel('Time box in minutes').first()).toHaveAccessibleDescription(
		'Enter a time box from 1 to 240 minutes.'
	);
	await expect(page.getByLabel('Title').nth(1)).toHaveValue('Appreciation round');
	await page.getByLabel('Time box in minutes').first().fill('8');
	await page.getByRole('button', { name: 'Save template' }).click();
	await expect(page.getByText('Template saved.')).toBeVisible();
	await expect(page.getByLabel('Time box in minutes').first()).toHaveValue('8');
	await expectAccessible(page);

	// Schedule from the team's copy and start it.
	await page.goto(`/t/${teamId}/dialogues`);
	const schedule = page.locator('form', {
		has: page.getByRole('button', { name: 'Schedule the dialogue' })
	});
	await schedule.getByLabel('Template').selectOption({ label: 'Team health check (our version)' });
	await schedule.getByLabel('Title').fill('How are we doing?');
	await schedule.getByLabel('Date and time').fill('2026-12-12T10:00');
	await schedule.getByLabel('Call link (optional)').fill('meet.example/abc');
	await schedule.getByRole('button', { name: 'Schedule the dialogue' }).click();
	await expect(schedule.getByLabel('Call link (optional)')).toHaveAccessibleDescription(
		/Enter a web address starting with https:\/\/ or http:\/\//
	);
	await expect(schedule.getByLabel('Title')).toHaveValue('How are we doing?');
	await schedule.getByLabel('Call link (optional)').fill('https://meet.example/abc');
	await schedule.getByRole('button', { name: 'Schedule the dialogue' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'How are we doing?' })).toBeVisible();
	const url = page.url();
	await page.getByRole('button', { name: 'Start the dialogue' }).click();
	await expect(page.getByText('8 min')).toHaveCount(2);
	await expect(page.getByRole('heading', { name: 'Check-in round' })).toBeVisible();

	// A second leader is asked before taking over; the first is then refused with a sentence.
	const other = await (await browser.newContext()).newPage();
	await signIn(other, second.email);
	await other.goto(url);
	await expect(other.getByText('Facilitated by Lea Leader')).toBeVisible();
	await other.getByRole('button', { name: 'Take over facilitation' }).click();
	await expect(other.getByText(/Lea Leader is facilitating right now\. Take over\?/)).toBeVisible();
	await expect(other.getByRole('button', { name: 'Next phase' })).toHaveCount(0);
	await other.getByRole('button', { name: 'Yes, take over' }).click();
	await expect(other.getByRole('button', { name: 'Next phase' })).toBeVisible();
	await expect(page.getByText('Facilitated by Olu Organizer')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Next phase' })).toHaveCount(0);
});
