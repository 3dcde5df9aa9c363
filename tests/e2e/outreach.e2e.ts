import { type Browser, type Page } from '@playwright/test';
import { resolve } from 'node:path';
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

const FIXTURE = resolve('tests/fixtures/csv/officials.csv');
const SECRET = 'The chair is privately opposed to weekend hours';

/** A team with a leader, an organizer and a member, each with a display name. */
async function outreachTeam(name: string) {
	const [leader, organizer, member] = await Promise.all([
		createUser(uniqueEmail('leader'), PASSWORD, 'Lena Leader'),
		createUser(uniqueEmail('organizer'), PASSWORD, 'Oscar Organizer'),
		createUser(uniqueEmail('member'), PASSWORD, 'Mina Member')
	]);
	const client = apiClient('anon');
	const { error: signInError } = await client.auth.signInWithPassword({
		email: leader.email,
		password: PASSWORD
	});
	if (signInError) throw signInError;
	const { data: teamId, error } = await client.rpc('create_team', { name });
	if (error) throw error;
	const { error: e } = await apiClient('service_role')
		.from('team_members')
		.insert([
			{ team_id: teamId, user_id: organizer.id, role: 'organizer' },
			{ team_id: teamId, user_id: member.id, role: 'member' }
		]);
	if (e) throw e;
	return { leader, organizer, member, teamId: teamId as string };
}

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

/** datetime-local text for now plus `hours` (the browser runs in UTC here, as the server reads it). */
function localTime(hours: number): string {
	return new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
}
const day = (offset: number) =>
	new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('an organizer imports officials, logs a meeting with a promise and a follow-up that is overdue; only leaders see the confidential note', async ({
	page,
	browser
}) => {
	// Three people, a file import and a dozen pages on a shared two-core machine.
	test.setTimeout(180_000);
	const { leader, organizer, member, teamId } = await outreachTeam('Clinic Hours Watch');
	await signIn(page, organizer.email);

	// An empty directory says what to do first.
	await page.goto(`/t/${teamId}/officials`);
	await expect(page.getByRole('heading', { level: 1, name: 'Officials' })).toBeVisible();
	await expect(page.getByText('No officials yet.')).toBeVisible();
	await expectAccessible(page);

	// Import the list: columns guessed from the headers, a bad row reported, a duplicate flagged.
	await page.getByRole('link', { name: 'Import officials from CSV' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import officials' })).toBeVisible();
	await page.getByRole('button', { name: 'Read the file' }).click();
	await expect(page.getByText('Choose a CSV file to import.')).toBeVisible();
	await page.getByLabel('Officials list (CSV)').setInputFiles(FIXTURE);
	await page.getByRole('button', { name: 'Read the file' }).click();
	await expect(page.getByRole('heading', { name: 'officials.csv: 6 rows' })).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('0');
	await expect(page.getByLabel('Office', { exact: true })).toHaveValue('2');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Check the rows' }).click();
	await expect(page.getByText('4 new officials ready to import')).toBeVisible();
	await expect(page.getByRole('heading', { name: '1 problem keeps a row out' })).toBeVisible();
	const problem = page.getByRole('row', { name: /priya\.natarajan@/ });
	await expect(problem).toContainText('Enter a valid email address');
	await expect(
		page.getByRole('heading', { name: '1 possible duplicate (same name and office)' })
	).toBeVisible();
	await expect(page.getByText(/Row 5, maria\s+DELGADO: the same person as row 2/)).toBeVisible();
	await page.getByRole('radio', { name: 'Merge' }).check();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Import the officials' }).click();
	await expect(page).toHaveURL(/\/officials\?notice=imported/);
	await expect(page.getByText('Imported: 4 added, 0 merged into existing records.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Maria Delgado' })).toHaveCount(1);
	await expect(page.getByRole('link', { name: 'Leo Brandt' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Priya Natarajan' })).toHaveCount(0);

	// Importing the same file again flags every row as already in the directory.
	await page.getByRole('link', { name: 'Import officials from CSV' }).click();
	await page.getByLabel('Officials list (CSV)').setInputFiles(FIXTURE);
	await page.getByRole('button', { name: 'Read the file' }).click();
	await page.getByRole('button', { name: 'Check the rows' }).click();
	await expect(page.getByText('0 new officials ready to import')).toBeVisible();
	await expect(
		page.getByText('Row 2, Maria Delgado: already in the directory as Maria Delgado')
	).toBeVisible();

	// Log a meeting with her: a past meeting in the future is refused, with nothing typed lost.
	await page.goto(`/t/${teamId}/officials`);
	await page.getByRole('link', { name: 'Maria Delgado' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Maria Delgado' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Log an interaction with Maria Delgado' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Log an interaction' })).toBeVisible();
	await expect(page.getByLabel('Confidential note (leaders only)')).toHaveCount(0);
	await page.getByLabel('Kind of contact').selectOption('meeting');
	await page.getByLabel('Held or planned').selectOption('held');
	await page.getByLabel('When', { exact: true }).fill(localTime(48));
	await page.getByLabel('Subject').fill('Saturday clinic hours');
	await page.getByLabel('What the team asked for').fill('Keep the clinic open on Saturdays');
	await page.getByLabel('Their response').fill('She will look at the budget');
	await page.getByRole('button', { name: 'Log the interaction' }).click();
	const when = page.getByLabel('When', { exact: true });
	await expect(when).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('A past interaction cannot be in the future')).toBeVisible();
	await expect(page.getByLabel('What the team asked for')).toHaveValue(
		'Keep the clinic open on Saturdays'
	);
	await expectAccessible(page);
	await when.fill(localTime(-48));
	await page.getByRole('button', { name: 'Log the interaction' }).click();
	await expect(page).toHaveURL(/\/outreach\/[0-9a-f-]{36}\?notice=interaction-logged$/);
	const interactionUrl = new URL(page.url()).pathname;
	await expect(page.getByText('Interaction logged.')).toBeVisible();
	await expect(page.getByText('Keep the clinic open on Saturdays')).toBeVisible();

	// Her promise, and a follow-up due yesterday (allowed: the meeting was two days ago).
	await page.getByLabel('Who promised').selectOption({ label: 'Maria Delgado' });
	await page
		.getByLabel('What was promised')
		.fill('Raise Saturday hours at the next council session');
	await page.getByRole('button', { name: 'Add the commitment' }).click();
	await expect(page.getByText('Commitment recorded.')).toBeVisible();
	await expect(
		page
			.getByRole('paragraph')
			.filter({ hasText: 'Raise Saturday hours at the next council session' })
	).toBeVisible();
	await page.getByLabel('Follow-up', { exact: true }).fill('Send the attendance figures');
	await page.getByLabel('Due', { exact: true }).fill(day(-3));
	await page.getByRole('button', { name: 'Add the follow-up' }).click();
	await expect(
		page.getByText('A follow-up cannot be due before the interaction it follows.')
	).toBeVisible();
	await page.getByLabel('Due', { exact: true }).fill(day(-1));
	await page.getByRole('button', { name: 'Add the follow-up' }).click();
	await expect(page.getByText('Follow-up added.')).toBeVisible();
	await expect(page.getByText('1 day overdue')).toBeVisible();
	await expectAccessible(page);

	// Overdue on the dashboard, with its chart and the table view.
	await page.goto(`/t/${teamId}/outreach/dashboard`);
	await expect(page.getByRole('heading', { level: 1, name: 'Outreach dashboard' })).toBeVisible();
	const overdue = page.getByRole('region', { name: 'Overdue follow-ups' });
	await expect(overdue.getByRole('link', { name: 'Send the attendance figures' })).toBeVisible();
	await expect(page.getByText('1 of 1 held contacts got a response')).toBeVisible();
	await expect(page.locator('[data-chart-state="ready"]')).toBeVisible();
	await page.getByRole('button', { name: 'Table' }).click();
	await expect(page.getByRole('table', { name: 'Contacts held per week, by type' })).toBeVisible();
	await expectAccessible(page);
	// Maria has no point person and no cadence: she is not high-influence yet, so no gap.
	await expect(page.getByText('Every high-influence official has a point person')).toBeVisible();

	// Overdue in the calendar feed, fetched as a calendar app would (no session).
	await page.goto(`/t/${teamId}/follow-ups`);
	await expect(page.getByRole('heading', { level: 1, name: 'My follow-ups' })).toBeVisible();
	await expect(page.getByText('Send the attendance figures', { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Make my calendar feed' }).click();
	const feedUrl = await page.getByLabel('Your calendar address').inputValue();
	expect(feedUrl).toMatch(/\/calendar\/[0-9a-f]{64}\.ics$/);
	const feed = await fetch(feedUrl);
	expect(feed.status).toBe(200);
	expect(feed.headers.get('cache-control')).toContain('no-store');
	expect(feed.headers.get('content-type')).toContain('text/calendar');
	const ics = await feed.text();
	expect(ics).toContain('BEGIN:VCALENDAR');
	expect(ics).toContain('SUMMARY:Overdue follow-up: Send the attendance figures');
	expect(ics).toContain(`DTSTART;VALUE=DATE:${day(-1).replace(/-/g, '')}`);
	await expectAccessible(page);

	// The leader writes the confidential section.
	const leaderPage = await signedInPage(browser, leader.email);
	await leaderPage.goto(interactionUrl);
	await expect(
		leaderPage.getByRole('heading', { name: 'Confidential (leaders only)' })
	).toBeVisible();
	await leaderPage.getByLabel('Confidential note (leaders only)').fill(SECRET);
	await leaderPage.getByRole('button', { name: 'Save the confidential note' }).click();
	await expect(leaderPage.getByText('Confidential note saved.')).toBeVisible();
	await expect(leaderPage.getByRole('paragraph').filter({ hasText: SECRET })).toBeVisible();
	await leaderPage.context().close();

	// Not in the feed either.
	expect(await (await fetch(feedUrl)).text()).not.toContain('privately');

	// A member sees the meeting but not the confidential note: not on the page, not through the API.
	const memberPage = await signedInPage(browser, member.email);
	await memberPage.goto(interactionUrl);
	await expect(memberPage.getByText('Keep the clinic open on Saturdays')).toBeVisible();
	await expect(memberPage.getByText('Confidential (leaders only)')).toHaveCount(0);
	expect(await memberPage.content()).not.toContain('privately opposed');
	await expectAccessible(memberPage);
	const dashboard = await memberPage.goto(`/t/${teamId}/outreach/dashboard`);
	expect(dashboard?.status()).toBe(403);
	await memberPage.context().close();
	const api = apiClient('anon');
	await api.auth.signInWithPassword({ email: member.email, password: PASSWORD });
	const interactionId = interactionUrl.split('/').pop()!;
	const notes = await api
		.from('interaction_confidential_notes')
		.select('body')
		.eq('interaction_id', interactionId);
	expect(notes.error).toBeNull();
	expect(notes.data).toEqual([]);
	const row = await api.from('interactions').select('asks').eq('id', interactionId).single();
	expect(row.data).toEqual({ asks: 'Keep the clinic open on Saturdays' });

	// Revoking the feed ends its address.
	await page.getByRole('button', { name: 'Turn the feed off' }).click();
	await expect(page.getByText('Your calendar feed is off')).toBeVisible();
	expect((await fetch(feedUrl)).status).toBe(404);
});

test('adding an official with a bad email or phone says so beside the field and keeps what was typed', async ({
	page
}) => {
	// Many forms in a row on a shared two-core machine.
	test.setTimeout(90_000);
	const { organizer, teamId } = await outreachTeam('Transit Watch');
	await signIn(page, organizer.email);
	await page.goto(`/t/${teamId}/officials`);
	await page.getByLabel('Name', { exact: true }).fill('Dana Park');
	await page.getByLabel('Office', { exact: true }).fill('Transit Board');
	await page.getByLabel('Email', { exact: true }).fill('dana.park-at-transit');
	await page.getByLabel('Phone', { exact: true }).fill('12-34');
	await page.getByRole('button', { name: 'Add the official' }).click();
	await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Enter a valid email address, like name@example.org.')).toBeVisible();
	await expect(page.getByText('Enter a phone number of 7 to 20 digits')).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Dana Park');
	await expectAccessible(page);
	await page.getByLabel('Email', { exact: true }).fill('dana.park@transit.example.org');
	await page.getByLabel('Phone', { exact: true }).fill('+1 555 410 2020');
	await page.getByLabel('Influence (1–5)').selectOption('5');
	await page.getByLabel('Interest (1–5)').selectOption('2');
	await page.getByRole('button', { name: 'Add the official' }).click();
	await expect(page.getByText('Official added.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Dana Park' })).toBeVisible();
	await expect(page.getByText('Influence 5, interest 2')).toBeVisible();
	const danaUrl = new URL(page.url()).pathname;

	// The same name and office again is refused beside the name.
	await page.goto(`/t/${teamId}/officials`);
	await page.getByLabel('Name', { exact: true }).fill('  dana  PARK ');
	await page.getByLabel('Office', { exact: true }).fill('transit board');
	await page.getByRole('button', { name: 'Add the official' }).click();
	await expect(
		page.getByText('The team already has an official with this name and office.')
	).toBeVisible();

	// A second record of her, under an older office name: merged, choosing the older email.
	const { error } = await apiClient('service_role').from('officials').insert({
		team_id: teamId,
		name: 'Dana Park',
		office: 'Transit Board (old)',
		email: 'dpark@old.example.org'
	});
	if (error) throw error;
	await page.goto(danaUrl);
	await expect(page.getByRole('heading', { level: 1, name: 'Dana Park' })).toBeVisible();
	await page
		.getByLabel('The duplicate record')
		.selectOption({ label: 'Dana Park, Transit Board (old)' });
	await page.getByRole('button', { name: 'Compare and merge…' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Merge officials' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('radio', { name: "Take the duplicate's: dpark@old.example.org" }).check();
	await page.getByRole('button', { name: 'Merge the records' }).click();
	await expect(page.getByText('Records merged.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'dpark@old.example.org' })).toBeVisible();
	await expect(page.getByText(/Merged from Dana Park on/)).toBeVisible();

	// Her scheduler, removed by mistake and put back with undo.
	const staffForm = page.locator('form', {
		has: page.getByRole('heading', { name: 'Add a staff member' })
	});
	await staffForm.getByLabel('Name').fill('Sam Lee');
	await staffForm.getByLabel('Role').fill('Scheduler');
	await page.getByRole('button', { name: 'Add the staff member' }).click();
	await expect(page.getByText('Staff member added.')).toBeVisible();
	await page.getByRole('button', { name: /^Remove\s*: Sam Lee$/ }).click();
	await expect(page.getByText('Sam Lee removed from the staff.')).toBeVisible();
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(page.getByText('Staff member added.')).toBeVisible();
	await expect(page.getByRole('button', { name: /^Remove\s*: Sam Lee$/ })).toBeVisible();
	await page.goto(`/t/${teamId}/officials`);

	// On the power map, and flagged on the dashboard: high influence, nobody owns the relationship.
	await expect(
		page
			.getByRole('table', { name: /Officials by influence/ })
			.getByRole('link', { name: 'Dana Park' })
	).toBeVisible();
	await page.goto(`/t/${teamId}/outreach/dashboard`);
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Dana Park: no point person' })
	).toBeVisible();
});
