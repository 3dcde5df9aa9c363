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

/** A nine-person team with a little in each area, made through the API (service role). */
async function nineTeam() {
	const admin = apiClient('service_role');
	const leader = await createUser(uniqueEmail('split-lead'), PASSWORD, 'Lena Leader');
	const client = apiClient('anon');
	const { error } = await client.auth.signInWithPassword({
		email: leader.email,
		password: PASSWORD
	});
	if (error) throw error;
	const { data: teamId, error: teamError } = await client.rpc('create_team', {
		name: `Harbor Watch ${Date.now().toString(36)}`
	});
	if (teamError) throw teamError;
	const names = [
		'Nia New',
		'Omar Out',
		'Pia Part',
		'Ravi Rest',
		'Sol Stay',
		'Tom Stay',
		'Uma Stay',
		'Val Stay'
	];
	const people = await Promise.all(names.map((n) => createUser(uniqueEmail('split'), PASSWORD, n)));
	const check = <T>(r: { data: T; error: unknown }) => {
		if (r.error) throw r.error;
		return r.data;
	};
	check(
		await admin
			.from('team_members')
			.insert(people.map((p) => ({ team_id: teamId, user_id: p.id, role: 'member' })))
	);
	const insert = async (table: string, values: Record<string, unknown>) =>
		(check(await admin.from(table).insert(values).select('id').single()) as { id: string }).id;
	const hospital = await insert('agencies', { team_id: teamId, name: 'Harbor Hospital' });
	const housing = await insert('agencies', { team_id: teamId, name: 'Housing Office' });
	await insert('friction_points', {
		team_id: teamId,
		agency_id: hospital,
		title: 'Long waits at night'
	});
	await insert('friction_points', {
		team_id: teamId,
		agency_id: housing,
		title: 'Lost applications'
	});
	await insert('officials', { team_id: teamId, name: 'Councillor Lee' });
	await insert('tasks', { team_id: teamId, title: 'Book the library room' });
	return { leader, nia: people[0], teamId: teamId as string, admin };
}

test('a leader splits a nine-person team, checks both sides and undoes it', async ({
	page,
	browser
}) => {
	const { leader, nia, teamId, admin } = await nineTeam();
	await signIn(page, leader.email);
	await page.goto(`/t/${teamId}/split`);
	await expect(page.getByRole('heading', { name: 'Split the team', level: 1 })).toBeVisible();
	await expect(page.getByText('Your team has 9 members, more than the six to eight')).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel("New team's name").fill('ER Watch');
	await page.getByRole('button', { name: 'Next' }).click();
	for (const who of ['Nia New', 'Omar Out', 'Pia Part']) {
		await page.getByRole('group', { name: who }).getByLabel('Goes to ER Watch').check();
	}
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByLabel('Harbor Hospital').selectOption('moves');
	await page.getByLabel('Long waits at night').selectOption('moves');
	await page.getByLabel('Councillor Lee').selectOption('shared');
	await page.getByRole('button', { name: 'Next' }).click();

	// Nobody who moves leads yet: the review says so, and so does the server on submit.
	await expect(page.getByText('The new team needs at least one leader.')).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('I have checked the plan: split the team and make ER Watch').check();
	await page.getByRole('button', { name: 'Split the team' }).click();
	const membersStep = page.getByRole('group', { name: '2. Members and leaders' });
	await expect(membersStep.getByRole('alert')).toHaveText(
		'The new team needs at least one leader.'
	);

	await page.getByLabel('Role of Nia New').selectOption('leader');
	await membersStep.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByText('The plan is complete')).toBeVisible();
	await page.getByLabel('I have checked the plan: split the team and make ER Watch').check();
	await page.getByRole('button', { name: 'Split the team' }).click();

	await expect(page.getByText('The team was split: ER Watch is ready.')).toBeVisible();
	await expect(page.getByRole('row', { name: 'Friction points moved 1' })).toBeVisible();
	const { data: newTeam } = await admin.from('teams').select('id').eq('name', 'ER Watch').single();
	const newId = (newTeam as { id: string }).id;

	// The leader stayed: this team no longer has what moved, and keeps the shared official.
	await page.goto(`/t/${teamId}/friction`);
	await expect(page.getByText('Lost applications')).toBeVisible();
	await expect(page.getByText('Long waits at night')).toHaveCount(0);
	await page.goto(`/t/${teamId}/officials`);
	await expect(page.getByText('Councillor Lee')).toBeVisible();

	// Nia leads the new team: she sees what moved and the shared copy, not what stayed.
	const context = await browser.newContext();
	const niaPage = await context.newPage();
	await signIn(niaPage, nia.email);
	await niaPage.goto(`/t/${newId}/friction`);
	await expect(niaPage.getByText('Long waits at night')).toBeVisible();
	await expect(niaPage.getByText('Lost applications')).toHaveCount(0);
	await niaPage.goto(`/t/${newId}/officials`);
	await expect(niaPage.getByText('Councillor Lee')).toBeVisible();

	// A leader of either side can undo it: Nia merges her team back.
	await niaPage.goto(`/t/${newId}/split`);
	await niaPage.getByRole('link', { name: 'See the split' }).click();
	await niaPage.getByRole('link', { name: 'Undo the split…' }).click();
	await niaPage.getByLabel('Merge ER Watch back into the original team').check();
	await niaPage.getByRole('button', { name: 'Undo the split' }).click();
	await expect(niaPage.getByText('The split was undone')).toBeVisible();
	await context.close();

	await page.goto(`/t/${teamId}/friction`);
	await expect(page.getByText('Long waits at night')).toBeVisible();
	const { count } = await admin
		.from('team_members')
		.select('user_id', { count: 'exact', head: true })
		.eq('team_id', teamId);
	expect(count).toBe(9);
});
