import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
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

/** A team led through the API, with a member, an agency, a friction point and an initiative. */
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
	const agency = await one('agencies', { name: 'Riverside Housing Authority' });
	const point = await one('friction_points', { agency_id: agency, title: 'Repairs take months' });
	const initiative = await client.rpc('create_initiative', {
		team_id: teamId,
		title: 'Repairs within two weeks',
		friction_point_ids: [point]
	});
	if (initiative.error) throw initiative.error;
	return { leader, member, teamId: teamId as string };
}

test('a leader downloads the team archive and imports it as a new team, a bad file is named', async ({
	page
}) => {
	test.setTimeout(90_000);
	const { leader, teamId } = await world('Riverside Repairs Watch');
	await signIn(page, leader.email);

	await page.goto(`/t/${teamId}`);
	await page
		.getByRole('navigation', { name: 'Team' })
		.getByRole('link', { name: 'Export' })
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: "Download the team's archive" })
	).toBeVisible();
	await expect(page.getByLabel('Include the confidential notes on interactions')).not.toBeChecked();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download the archive (zip)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^groundwork-riverside-repairs-watch-.*\.zip$/);
	const zip = readFileSync((await download.path())!);
	const files = unzipSync(zip);
	expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'agencies.csv']));
	expect(Object.keys(files)).not.toContain('interaction_confidential_notes.csv');

	await page.goto('/teams/new');
	await page.getByRole('link', { name: /Import its archive/ }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Import a team archive' })
	).toBeVisible();
	await hydrated(page);
	const fileInput = page.getByLabel('Archive file (.zip)');

	// A wrong file and a changed one are refused with what is wrong, nothing saved.
	await fileInput.setInputFiles({
		name: 'notes.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from('not a zip at all')
	});
	await expect(page.getByRole('alert')).toContainText('This is not a zip file.');
	await expect(fileInput).toHaveAttribute('aria-invalid', 'true');
	const tampered = { ...files };
	tampered['agencies.csv'] = strToU8(
		strFromU8(files['agencies.csv']).replace('Riverside', 'Hillside')
	);
	await fileInput.setInputFiles({
		name: 'archive.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from(zipSync(tampered))
	});
	await expect(page.getByRole('alert')).toContainText(
		'agencies.csv was changed after the export (its checksum does not match manifest.json).'
	);

	// The real archive: a preview with row counts, then the import.
	await fileInput.setInputFiles({
		name: download.suggestedFilename(),
		mimeType: 'application/zip',
		buffer: zip
	});
	const preview = page.getByRole('table');
	await expect(preview.getByRole('row', { name: /agencies\.csv 1 Yes/ })).toBeVisible();
	await expect(preview.getByRole('row', { name: /team_members\.csv 2 No/ })).toBeVisible();
	await expect(page.getByText('What happens to people')).toBeVisible();
	await expect(page.getByLabel('Name of the new team')).toHaveValue('Riverside Repairs Watch');
	await expectAccessible(page);
	await page.getByLabel('Name of the new team').fill('Riverside Repairs Watch (moved)');
	await page.getByRole('button', { name: 'Import as a new team' }).click();

	await expect(page.getByText('“Riverside Repairs Watch (moved)” was imported')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Mina Member' })).toBeVisible();
	await page.getByRole('link', { name: 'Open the team' }).click();
	await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
	const newTeam = new URL(page.url()).pathname;
	expect(newTeam).not.toBe(`/t/${teamId}`);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Riverside Repairs Watch (moved)' })
	).toBeVisible();
	await page.goto(`${newTeam}/data`);
	await expect(page.getByText('Riverside Housing Authority')).toBeVisible();
	await page.goto(`${newTeam}/friction`);
	await expect(page.getByText('Repairs take months').first()).toBeVisible();
	await page.goto(`${newTeam}/initiatives`);
	await expect(page.getByText('Repairs within two weeks').first()).toBeVisible();
});

test('a member cannot open the export page nor download the archive', async ({ page }) => {
	const { member, teamId } = await world('Members Only Circle');
	await signIn(page, member.email);
	await page.goto(`/t/${teamId}`);
	await expect(
		page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Members' })
	).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Export' })
	).toHaveCount(0);
	expect((await page.goto(`/t/${teamId}/export/archive`))?.status()).toBe(403);
	expect((await page.request.get(`/t/${teamId}/export/archive.zip`)).status()).toBe(403);
});
