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

/** A team with one agency, one friction point and two logged meetings, made through the API. */
async function teamWithContacts() {
	const user = await createUser(uniqueEmail('cite'), PASSWORD, 'Cy Cite');
	const client = apiClient('anon');
	const { error } = await client.auth.signInWithPassword({ email: user.email, password: PASSWORD });
	if (error) throw error;
	const { data: teamId, error: teamError } = await client.rpc('create_team', {
		name: 'Bus Riders Union'
	});
	if (teamError) throw teamError;
	const one = async (table: string, row: Record<string, unknown>) => {
		const r = await client
			.from(table)
			.insert({ team_id: teamId, ...row })
			.select('id')
			.single<{ id: string }>();
		if (r.error) throw r.error;
		return r.data.id;
	};
	const agency = await one('agencies', { name: 'City Transit' });
	const point = await one('friction_points', { agency_id: agency, title: 'Buses skip stops' });
	const meeting = (title: string, occurred_at: string) =>
		one('interactions', { type: 'meeting', status: 'held', occurred_at, title, agency_id: agency });
	await meeting('Meeting with the transit director', '2026-10-14T15:00:00Z');
	const depot = await meeting('Meeting with the depot manager', '2026-10-20T09:00:00Z');
	await one('officials', { name: 'Dana Director', office: 'City Transit', agency_id: agency });
	const indicator = await one('indicators', {
		agency_id: agency,
		name: 'Scheduled stops served',
		unit: '%',
		direction: 'up'
	});
	await one('goals', {
		indicator_id: indicator,
		statement: 'Every scheduled stop served',
		target_value: 100
	});
	return { user, teamId: teamId as string, point, depot };
}

test('a friction point cites a contact from the outreach log and names an official as a pressure point', async ({
	page
}) => {
	test.setTimeout(90_000);
	const { user, teamId, point, depot } = await teamWithContacts();
	await signIn(page, user.email);
	await page.goto(`/t/${teamId}/friction/${point}`);

	// The contact is deleted from the log (in another tab) meanwhile: the reason, nothing typed lost.
	const cite = page.getByRole('form', { name: 'Cite a contact with officials' });
	const contact = cite.getByLabel('Contact');
	const note = cite.getByLabel('What it shows about this friction point');
	await contact.selectOption({ label: '2026-10-20 · Meeting with the depot manager' });
	await note.fill('They admitted the gaps');
	const removed = await apiClient('service_role').from('interactions').delete().eq('id', depot);
	if (removed.error) throw removed.error;
	await cite.getByRole('button', { name: 'Cite the contact' }).click();
	await expect(cite.getByText('That interaction does not exist')).toBeVisible();
	await expect(note).toHaveValue('They admitted the gaps');
	// Once the page is read again the deleted contact is no longer offered.
	await page.reload();
	await expect(contact).not.toContainText('depot manager');
	await note.fill('They admitted the gaps');
	await contact.selectOption({ label: '2026-10-14 · Meeting with the transit director' });
	await cite.getByRole('button', { name: 'Cite the contact' }).click();
	await expect(page.getByText('Evidence added.')).toBeVisible();
	const evidence = page.getByRole('listitem').filter({ hasText: 'Contact with officials' });
	await expect(evidence).toContainText('They admitted the gaps');
	await expect(evidence).toContainText('(Meeting,');
	// A cited contact is not offered again; with none left the form is gone.
	await expect(page.getByRole('form', { name: 'Cite a contact with officials' })).toHaveCount(0);
	await expectAccessible(page);

	// The contact's page names the friction point that cites it.
	await evidence.getByRole('link', { name: 'Meeting with the transit director' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Meeting with the transit director' })
	).toBeVisible();
	const citing = page.getByRole('region', { name: 'Friction points citing this contact' });
	await expect(citing.getByRole('link', { name: 'Buses skip stops' })).toBeVisible();
	await expect(citing).toContainText('They admitted the gaps');
	await expectAccessible(page);

	// A promise made there, recorded against the stated goal it serves.
	const promise = page.getByRole('form', { name: 'Record a commitment' });
	await promise.getByLabel('Who promised').selectOption({ label: 'Dana Director' });
	await promise.getByLabel('What was promised').fill('Review the skipped stops by December');
	await promise
		.getByLabel('Stated goal it serves')
		.selectOption({ label: 'Every scheduled stop served (Scheduled stops served)' });
	await promise.getByRole('button', { name: 'Add the commitment' }).click();
	await expect(page.getByText('Commitment recorded.')).toBeVisible();
	await expect(page.getByText('Serves the goal: Every scheduled stop served')).toBeVisible();

	// Removing the citation asks first and leaves the contact in the log.
	await citing.getByRole('link', { name: 'Buses skip stops' }).click();
	await page.getByText('Remove Meeting with the transit director').click();
	await page.getByRole('button', { name: 'Yes, remove it' }).click();
	await expect(page.getByText('Evidence removed.')).toBeVisible();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Contact with officials' })
	).toHaveCount(0);
	await expect(page.getByRole('form', { name: 'Cite a contact with officials' })).toBeVisible();

	// A pressure point about an official from the directory links to what the team knows of them.
	const pressure = page.getByRole('form', { name: 'Add a pressure point' });
	await pressure.getByLabel('Who or what').fill('The transit director');
	await pressure
		.getByLabel('Official from the directory')
		.selectOption({ label: 'Dana Director (City Transit)' });
	await pressure.getByLabel('Leverage (1–5)').fill('5');
	await pressure.getByLabel('Achievability (1–5)').fill('3');
	await pressure.getByLabel('Public salience (1–5)').fill('2');
	await pressure.getByRole('button', { name: 'Add the pressure point' }).click();
	await page.getByRole('link', { name: 'Dana Director in the directory' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Dana Director' })).toBeVisible();
});
