import { readFileSync } from 'node:fs';
import type { SupabaseClient } from '@supabase/supabase-js';
import {
	apiClient,
	createUser,
	expect,
	expectAccessible,
	hydrated,
	PASSWORD,
	signIn,
	test,
	uniqueEmail
} from './helpers.ts';

/**
 * A team (led through the API) with a member, an agency whose weekly share seen within four hours
 * is 60, 65 and 70, a friction point on it, and an official in the directory.
 */
async function world(name: string) {
	const [leader, member] = await Promise.all([
		createUser(uniqueEmail('leader'), PASSWORD, 'Lena Leader'),
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
	const added = await apiClient('service_role')
		.from('team_members')
		.insert({ team_id: teamId, user_id: member.id, role: 'member' });
	if (added.error) throw added.error;
	const one = async (table: string, row: Record<string, unknown>) => {
		const r = await client
			.from(table)
			.insert({ team_id: teamId, ...row })
			.select('id')
			.single();
		if (r.error) throw r.error;
		return (r.data as { id: string }).id;
	};
	const agency = await one('agencies', { name: 'City hospital' });
	const indicator = await one('indicators', {
		agency_id: agency,
		name: 'Seen within 4 hours',
		unit: '%',
		direction: 'up'
	});
	for (const [i, value] of [60, 65, 70].entries())
		await measure(client, teamId, indicator, i, value);
	const point = await one('friction_points', {
		agency_id: agency,
		indicator_id: indicator,
		title: 'Night-long waits in A&E',
		observed: 'Patients wait all night for a bed.'
	});
	await one('officials', { name: 'Ana Ruiz', title: 'Health board chair', stance: 4 });
	return { member, client, teamId: teamId as string, indicator, point };
}

/** One week's figure, the i-th week of January 2026. */
async function measure(
	client: SupabaseClient,
	teamId: string,
	indicatorId: string,
	i: number,
	value: number
) {
	const end = new Date(Date.UTC(2026, 0, 7 + 7 * i)).toISOString().slice(0, 10);
	const start = new Date(Date.UTC(2026, 0, 1 + 7 * i)).toISOString().slice(0, 10);
	const r = await client.from('measurements').insert({
		team_id: teamId,
		indicator_id: indicatorId,
		period_start: start,
		period_end: end,
		grain: 'week',
		value
	});
	if (r.error) throw r.error;
}

test('a member turns a friction point into a planned initiative, works its board and prints the plan', async ({
	page
}) => {
	test.setTimeout(120_000);
	const { member, client, teamId, indicator, point } = await world('A&E Change Team');
	await signIn(page, member.email);

	// From the friction point to a new initiative, the point already ticked and its title copied.
	await page.goto(`/t/${teamId}/friction/${point}`);
	await page.getByRole('link', { name: 'Turn into an initiative' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Start an initiative' })).toBeVisible();
	await hydrated(page);
	await expect(page.getByLabel('Night-long waits in A&E')).toBeChecked();
	await expect(page.getByLabel('Title')).toHaveValue('Night-long waits in A&E');
	await page.getByLabel('Title').fill('Seen within four hours');
	await page
		.getByLabel('Objective', { exact: true })
		.fill('80% of patients at the city hospital seen within four hours by the end of 2026');
	await page
		.getByLabel('Indicator', { exact: true })
		.selectOption({ label: 'City hospital · Seen within 4 hours' });
	await page.getByLabel('Baseline', { exact: true }).fill('60');
	await page.getByLabel('Target value').fill('80');
	await page.getByLabel('Start date').fill('2026-01-01');
	await page.getByLabel('Sensitive notes').fill('The chair is standing down in March');

	// Bad input: a deadline before the start is refused beside the field, nothing typed is lost.
	await page.getByLabel('Deadline').fill('2025-12-01');
	await page.getByRole('button', { name: 'Start the initiative' }).click();
	const deadline = page.getByLabel('Deadline');
	await expect(deadline).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('The deadline cannot be before the start date.')).toBeVisible();
	await expect(page.getByLabel('Target value')).toHaveValue('80');
	await expect(page.getByLabel('Night-long waits in A&E')).toBeChecked();
	await deadline.fill('2026-12-31');
	await page.getByRole('button', { name: 'Start the initiative' }).click();

	await expect(
		page.getByRole('heading', { level: 1, name: 'Seen within four hours' })
	).toBeVisible();
	await expect(page.getByText('Initiative started as a draft.')).toBeVisible();
	const initiativeUrl = page.url().replace(/\?.*$/, '');
	// Progress is computed from the figures: 70 is half way from 60 to 80.
	await expect(page.getByTestId('progress-summary')).toContainText('50% of the way');
	await expect(page.getByRole('link', { name: 'Night-long waits in A&E' })).toBeVisible();
	await expect(page.getByText('Time-bound: it has a deadline.')).toBeVisible();

	await page.getByLabel('Milestone', { exact: true }).fill('Petition delivered');
	await page.getByLabel('Due date').fill('2026-06-01');
	await page.getByRole('button', { name: 'Add the milestone' }).click();
	await expect(page.getByText('Milestone added.')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Petition delivered', exact: true })).toBeVisible();
	await expectAccessible(page);

	// The strategy chart, with a target official from the directory and a tactic aimed at her.
	await page.getByRole('link', { name: 'Strategy chart' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Strategy chart/ })).toBeVisible();
	await hydrated(page);
	await page.getByLabel('Where it goes on the chart').selectOption({ label: 'Long-term goals' });
	await page.getByLabel('Line', { exact: true }).fill('Nobody waits all night for a bed');
	await page.getByRole('button', { name: 'Add the line' }).click();
	await expect(page.getByText('Line added to the strategy chart.')).toBeVisible();
	await page.getByLabel('Where it goes on the chart').selectOption({ label: 'Opponents' });
	await page.getByLabel('Line', { exact: true }).fill('The finance officer');
	await page.getByLabel('Sensitive: leave it out of the shared plan').check();
	await page.getByRole('button', { name: 'Add the line' }).click();
	await expect(page.getByText('Line added to the strategy chart.')).toBeVisible();
	await page
		.getByLabel('Official or agency')
		.selectOption({ label: 'Ana Ruiz · Health board chair' });
	await page.getByRole('button', { name: 'Add the target' }).click();
	await expect(page.getByText('Target added.')).toBeVisible();
	const chart = page.getByRole('table', { name: 'Strategy chart' });
	await expect(chart.getByText('Ana Ruiz', { exact: true })).toBeVisible();
	await expect(chart.getByText('Stance: leaning in favour')).toBeVisible();
	await page.getByLabel('Aimed at').selectOption({ label: 'Ana Ruiz' });
	await page
		.getByLabel('Tactic', { exact: true })
		.fill('Deliver the petition at the board meeting');
	await page.getByLabel('Date').fill('2026-03-05');
	await page.getByRole('button', { name: 'Add the tactic' }).click();
	await expect(
		chart.getByText('Deliver the petition at the board meeting', { exact: true })
	).toBeVisible();
	await expect(chart.getByText('Nobody waits all night for a bed', { exact: true })).toBeVisible();
	await expectAccessible(page);

	// The board: two tasks, one moved by mouse, one by keyboard; both moves persist.
	await page.getByRole('link', { name: 'Board and timeline' }).click();
	await hydrated(page);
	for (const title of ['Draft the petition', 'Collect signatures']) {
		await page.getByLabel('Task', { exact: true }).fill(title);
		await page.getByRole('button', { name: 'Add the task' }).click();
		await expect(page.getByText('Task added to the board.')).toBeVisible();
		await expect(page.getByTestId('task-card').filter({ hasText: title })).toBeVisible();
	}
	const column = (status: string) => page.locator(`section.column[data-status="${status}"]`);
	await expect(column('todo').getByTestId('task-card')).toHaveCount(2);
	await column('todo')
		.getByTestId('task-card')
		.filter({ hasText: 'Draft the petition' })
		.dragTo(column('doing'), { sourcePosition: { x: 4, y: 4 }, targetPosition: { x: 40, y: 60 } });
	await expect(column('doing').getByText('Draft the petition')).toBeVisible();
	await page.getByTestId('task-card').filter({ hasText: 'Collect signatures' }).focus();
	await page.keyboard.press('ArrowRight');
	await expect(page.getByTestId('board-announcement')).toHaveText(
		'Collect signatures moved to Doing, position 1 of 2.'
	);
	await expect(
		page.getByTestId('task-card').filter({ hasText: 'Collect signatures' })
	).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(page.getByTestId('board-announcement')).toHaveText(
		'Collect signatures moved to Doing, position 2 of 2.'
	);
	await page.reload();
	await expect(column('todo').getByTestId('task-card')).toHaveCount(0);
	await expect(column('doing').getByTestId('task-card')).toHaveText([
		/Draft the petition/,
		/Collect signatures/
	]);
	await expect(page.getByRole('list').getByText(/Milestone: Petition delivered/)).toBeVisible();
	await expectAccessible(page);

	// A new measurement moves the progress on the page.
	await measure(client, teamId, indicator, 3, 78);
	await page.goto(initiativeUrl);
	await expect(page.getByTestId('progress-summary')).toContainText('90% of the way');

	// The one-page plan: sensitive fields left out unless chosen; prints without the app around it.
	await page.getByRole('link', { name: 'One-page plan' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Seen within four hours' })
	).toBeVisible();
	await expect(page.getByText('Nobody waits all night for a bed', { exact: true })).toBeVisible();
	await expect(page.getByText('The finance officer')).toHaveCount(0);
	await expect(page.getByText('The chair is standing down in March')).toHaveCount(0);
	await expect(page.getByText('Ana Ruiz', { exact: true })).toBeVisible();
	await expectAccessible(page);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download as CSV' }).click()
	]);
	const csv = readFileSync((await download.path())!, 'utf8');
	expect(csv).toContain('Deliver the petition at the board meeting');
	expect(csv).toContain('Collect signatures');
	expect(csv).not.toContain('The chair is standing down');
	expect(csv).not.toContain('The finance officer');
	await page.getByLabel('Include sensitive fields').check();
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page.getByTestId('plan-sensitive')).toContainText(
		'The chair is standing down in March'
	);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print the plan' })).toBeHidden();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Seen within four hours' })
	).toBeVisible();
	await page.emulateMedia({ media: 'screen' });

	// Deleting an initiative with tasks asks first, and can be undone from the list.
	await page.goto(initiativeUrl);
	await page.getByRole('link', { name: 'Delete this initiative…' }).click();
	await expect(page.getByText(/This initiative has 2 tasks/)).toBeVisible();
	await page.getByRole('button', { name: 'Yes, delete' }).click();
	await expect(page.getByText('Initiative deleted.')).toBeVisible();
	await page.getByRole('button', { name: 'Undo: restore Seen within four hours' }).click();
	await expect(page.getByText('Initiative restored, with all its parts.')).toBeVisible();
	await page.getByRole('link', { name: 'Board and timeline' }).click();
	await expect(page.getByTestId('task-card')).toHaveCount(2);
});

test('an objective on an indicator without data is allowed and says so; the list starts empty', async ({
	page
}) => {
	const { member, client, teamId } = await world('Empty Data Team');
	const empty = await client
		.from('indicators')
		.select('agency_id')
		.eq('team_id', teamId)
		.limit(1)
		.single();
	if (empty.error) throw empty.error;
	const fresh = await client
		.from('indicators')
		.insert({ team_id: teamId, agency_id: empty.data.agency_id, name: 'Beds open at night' })
		.select('id')
		.single();
	if (fresh.error) throw fresh.error;
	await signIn(page, member.email);
	await page.goto(`/t/${teamId}/initiatives`);
	await expect(page.getByText('No initiatives yet. Here is how to start:')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Start an initiative' }).click();
	await hydrated(page);
	await page.getByLabel('Title').fill('More beds at night');
	await page
		.getByLabel('Indicator', { exact: true })
		.selectOption({ label: 'City hospital · Beds open at night' });
	await page.getByLabel('Target value').fill('40');
	await page.getByRole('button', { name: 'Start the initiative' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'More beds at night' })).toBeVisible();
	await expect(page.getByTestId('progress-summary')).toHaveText(
		'No data yet: progress will show once the indicator has measurements.'
	);
	await page.goto(`/t/${teamId}/initiatives`);
	await expect(page.getByRole('cell', { name: /No data yet/ })).toBeVisible();
});
