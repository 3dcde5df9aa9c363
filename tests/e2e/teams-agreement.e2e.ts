import {
	apiClient,
	createUser,
	expectAccessible,
	PASSWORD,
	signIn,
	expect,
	test
} from './helpers.ts';

test('the leader publishes the agreement, a newcomer accepts it on joining and again after a change', async ({
	page,
	browser
}) => {
	test.setTimeout(60_000);
	const leader = await createUser(undefined, undefined, 'Ada Leader');
	const client = apiClient('anon');
	await client.auth.signInWithPassword({ email: leader.email, password: PASSWORD });
	const teamName = `Riverside ${Date.now().toString(36)}`;
	const { data: teamId, error } = await client.rpc('create_team', {
		name: teamName,
		purpose: 'Better bus service on our side of the river.'
	});
	expect(error).toBeNull();

	// A first draft starts from the team's purpose and common ground rules.
	await signIn(page, leader.email);
	await page.goto(`/t/${teamId}/agreement`);
	await expect(page.getByRole('heading', { level: 1, name: 'Team agreement' })).toBeVisible();
	await expect(page.getByText('Your team has no agreement yet.')).toBeVisible();
	await expect(page.getByLabel('Purpose')).toHaveValue(
		'Better bus service on our side of the river.'
	);
	await expect(page.getByLabel('Ground rules')).toHaveValue(/What is said in the team stays/);
	await expectAccessible(page);
	await page.getByLabel('Ground rules').fill('  ');
	await page.getByRole('button', { name: 'Publish the agreement' }).click();
	await expect(page.getByLabel('Ground rules')).toHaveAccessibleDescription(
		/Write at least one ground rule/
	);
	await page.getByLabel('Ground rules').fill('What is said here stays here.\nOne voice at a time.');
	await page.getByRole('button', { name: 'Publish the agreement' }).click();
	await expect(page.getByRole('status').first()).toContainText('The new version is published.');
	await expect(page.getByRole('heading', { name: /^Version 1, published/ })).toBeVisible();
	await expect(page.getByText('You have accepted version 1.')).toBeVisible();

	// The newcomer reads it on the invitation page and must accept it to join.
	const { data: rows } = await client.rpc('create_invitation', { team_id: teamId, max_uses: 2 });
	const token = (rows as Array<{ token: string }>)[0].token;
	const newcomer = await createUser(undefined, undefined, 'Noor Newcomer');
	const noor = await (await browser.newContext()).newPage();
	await signIn(noor, newcomer.email);
	await noor.goto(`/invite/${token}`);
	await expect(noor.getByRole('heading', { name: 'The team agreement (version 1)' })).toBeVisible();
	await expect(noor.getByText('One voice at a time.')).toBeVisible();
	await expectAccessible(noor);
	await noor.getByRole('button', { name: `Join ${teamName}` }).click();
	await expect(
		noor.getByLabel('I have read the team agreement and I accept it.')
	).toHaveAccessibleDescription(/Tick the box/);
	await noor.getByLabel('I have read the team agreement and I accept it.').check();
	await noor.getByRole('button', { name: `Join ${teamName}` }).click();
	await expect(noor).toHaveURL(new RegExp(`/t/${teamId}`));
	await noor.goto(`/t/${teamId}/agreement`);
	await expect(noor.getByText('You have accepted version 1.')).toBeVisible();
	// Members read it; only leaders draft.
	await expect(noor.getByRole('button', { name: /Publish/ })).toHaveCount(0);

	// The leader sees who accepted, then publishes a change.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Who has accepted version 1' })).toBeVisible();
	await expect(page.getByText(/^Noor Newcomer, on /)).toBeVisible();
	await expect(page.getByText('Everyone in the team has accepted it.')).toBeVisible();
	await page
		.getByLabel('Ground rules')
		.fill('What is said here stays here.\nOne voice at a time.\nPhones away.');
	await page.getByRole('button', { name: 'Publish the new version' }).click();
	await expect(page.getByRole('heading', { name: /^Version 2, published/ })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Still to accept' })).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Noor Newcomer' })).toBeVisible();
	await expectAccessible(page);

	// The member is asked again.
	await noor.reload();
	await expect(noor.getByText('Phones away.')).toBeVisible();
	await expect(noor.getByRole('heading', { name: 'Accept the agreement' })).toBeVisible();
	await noor.getByRole('button', { name: 'Accept the agreement' }).click();
	await expect(
		noor.getByLabel('I have read this version of the agreement and I accept it.')
	).toHaveAccessibleDescription(/Tick the box/);
	await noor.getByLabel('I have read this version of the agreement and I accept it.').check();
	await noor.getByRole('button', { name: 'Accept the agreement' }).click();
	await expect(noor.getByRole('status').first()).toContainText(
		'you have accepted the team agreement'
	);
	await expect(noor.getByText('You have accepted version 2.')).toBeVisible();
	await expectAccessible(noor);
});
