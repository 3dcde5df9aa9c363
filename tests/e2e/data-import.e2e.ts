import { type Page } from '@playwright/test';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, createUser, expect, PASSWORD, signIn, test } from './helpers.ts';

// Public Health Scotland, weekly A&E activity (OGL v3.0; see tests/fixtures/NOTICE).
const PHS = 'tests/fixtures/real/phs_scotland__weekly_ae_activity_20230625.first200.csv';
const BAD_ROWS = 'tests/fixtures/csv/wizard-bad-rows.csv';

async function memberWithTeam(name: string) {
	const user = await createUser(undefined, undefined, 'Ida Wells');
	const client = apiClient('anon');
	const { error } = await client.auth.signInWithPassword({ email: user.email, password: PASSWORD });
	if (error) throw error;
	const { data, error: rpcError } = await client.rpc('create_team', { name });
	if (rpcError) throw rpcError;
	return { user, teamId: data as string, client };
}

async function pick(page: Page, path: string, name?: string, mimeType = 'text/csv') {
	await page
		.getByLabel('CSV file', { exact: true })
		.setInputFiles(name ? { name, mimeType, buffer: readFileSync(path) } : path);
}

async function mapPhs(page: Page) {
	await expect(page.getByRole('heading', { level: 2, name: 'Check the columns' })).toBeVisible();
	// The suggestion reads it as wide (one column per measure): this file has one row per
	// hospital and week, so the member switches to long, one indicator per hospital.
	await page.getByLabel('Layout').selectOption('long');
	await page.getByLabel('Indicator', { exact: true }).selectOption('TreatmentLocation');
	await page.getByLabel('Value', { exact: true }).selectOption('PercentageWithin4HoursEpisode');
	await page.getByLabel('Period or date').selectOption('WeekEndingDate');
	await page.getByLabel('Agency for every row').fill('Public Health Scotland');
	await page.getByLabel('Unit for every row (optional)').fill('%');
	await page.getByRole('button', { name: 'Check the rows' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Check the rows' })).toBeVisible();
}

test('a member imports a real file, fixes the mapping, re-imports without duplicates and undoes', async ({
	page
}) => {
	test.setTimeout(120_000);
	const { user, teamId, client } = await memberWithTeam('Scottish A&E Watch');
	await signIn(page, user.email);
	await page.goto(`/t/${teamId}/data/import`);
	await expect(page.getByRole('heading', { level: 1, name: 'Import a CSV file' })).toBeVisible();

	await pick(page, PHS);
	// Each step's heading takes focus, so a screen reader follows the wizard.
	await expect(page.getByRole('heading', { level: 2, name: 'Check the columns' })).toBeFocused();
	await expect(page.getByRole('definition').first()).toHaveText(
		'phs_scotland__weekly_ae_activity_20230625.first200.csv'
	);
	await expect(page.getByRole('definition').nth(1)).toHaveText('200');
	await expect(page.getByLabel('Character encoding')).toHaveValue('utf-8');
	await expect(page.getByLabel('Separator', { exact: true })).toHaveValue(',');
	await expect(page.getByLabel('Header row number')).toHaveValue('1');

	// Checking without an agency is refused with what is missing.
	await page.getByLabel('Layout').selectOption('long');
	await page.getByRole('button', { name: 'Check the rows' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Before checking the rows, say where these come from:');
	await expect(alert).toContainText('the agency (a column, or one agency for every row)');
	await expect(alert).toBeFocused();

	await mapPhs(page);
	await expect(
		page.getByText('200 rows read: 200 measurements can be imported, 0 rows rejected.')
	).toBeVisible();
	await expect(page.getByRole('heading', { name: 'The first 50 measurements' })).toBeVisible();

	// Commit: the agency and the 32 hospitals' indicators do not exist yet → offered to create them.
	await page.getByRole('button', { name: 'Import 200 measurements' }).click();
	await expect(
		page.getByRole('heading', { level: 2, name: 'Some of this does not exist yet' })
	).toBeVisible();
	await expect(page.getByText('This agency is new to the team:')).toBeVisible();
	await expect(page.getByText('These 32 indicators do not exist yet:')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'A210H' })).toBeVisible();
	await page.getByRole('button', { name: 'Create them and import' }).click();

	await expect(page.getByRole('heading', { level: 2, name: 'Import complete' })).toBeVisible();
	const facts = page.locator('dl');
	await expect(facts).toContainText('New measurements 200');
	await expect(facts).toContainText('Unchanged 0');
	await expect(facts).toContainText('1 agency, 32 indicators');
	const link = page.getByRole('link', { name: 'A210H' });
	await expect(link).toHaveAttribute(
		'href',
		new RegExp(`/t/${teamId}/data/indicators/[0-9a-f-]{36}$`)
	);
	const { data: indicator } = await client
		.from('indicators')
		.select('id, name, unit, agencies(name)')
		.eq('team_id', teamId)
		.eq('name', 'A210H')
		.single();
	expect(indicator).toMatchObject({ unit: '%', agencies: { name: 'Public Health Scotland' } });
	const { data: series } = await client
		.from('measurements')
		.select('period_start, value')
		.eq('indicator_id', indicator!.id)
		.order('period_start');
	expect(series![0]).toEqual({ period_start: '2015-02-22', value: 76.7 });
	// The indicator page (built beside this wizard) answers for the new indicator.
	const indicatorPage = await page.request.get(`/t/${teamId}/data/indicators/${indicator!.id}`);
	expect([200, 404]).toContain(indicatorPage.status());

	// The same file again: the saved mapping is reused, nothing is duplicated.
	await page.getByRole('button', { name: 'Import another file' }).click();
	await pick(page, PHS);
	await expect(
		page.getByText(/These columns were imported before: the mapping saved on/)
	).toBeVisible();
	await expect(page.getByLabel('Agency for every row')).toHaveValue('Public Health Scotland');
	await page.getByRole('button', { name: 'Check the rows' }).click();
	await page.getByRole('button', { name: 'Import 200 measurements' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Import complete' })).toBeVisible();
	await expect(facts).toContainText('New measurements 0');
	await expect(facts).toContainText('Updated 0');
	await expect(facts).toContainText('Unchanged 200');
	const { count } = await client
		.from('measurements')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId);
	expect(count).toBe(200);

	// History: both imports; undo the first (its 200 measurements go).
	await page.getByRole('link', { name: 'Import history' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import history' })).toBeVisible();
	const entries = page.locator('li.card');
	await expect(entries).toHaveCount(2);
	await expect(entries.nth(0)).toContainText('0 new, 0 updated, 200 unchanged, 0 rejected');
	await expect(entries.nth(1)).toContainText('200 new, 0 updated, 0 unchanged, 0 rejected');
	await expect(entries.nth(1)).toContainText('Ida Wells');
	await entries
		.nth(1)
		.getByRole('link', { name: /Undo the import of/ })
		.click();
	await expect(
		page.getByRole('heading', { name: /Undo the import of phs_scotland.*\?/ })
	).toBeVisible();
	await page.getByRole('button', { name: 'Yes, undo it' }).click();
	await expect(
		page.getByText('Import undone: 200 measurements deleted, 0 restored.')
	).toBeVisible();
	await expect(entries.nth(1)).toContainText('Undone');
	const { count: left } = await client
		.from('measurements')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId);
	expect(left).toBe(0);
});

test('bad rows are counted by reason, highlighted and reported; nothing is half-imported', async ({
	page
}) => {
	test.setTimeout(60_000);
	const { user, teamId, client } = await memberWithTeam('Bad rows');
	await signIn(page, user.email);
	await page.goto(`/t/${teamId}/data/import?mode=main`);
	await pick(page, BAD_ROWS);
	await expect(page.getByRole('heading', { level: 2, name: 'Check the columns' })).toBeVisible();
	await page.getByLabel('Agency for every row').fill('NHS Lothian');
	await page.getByRole('button', { name: 'Check the rows' }).click();
	await expect(
		page.getByText('9 rows read: 5 measurements can be imported, 4 rows rejected.')
	).toBeVisible();
	const reasons = page.getByRole('table', { name: 'Problems by reason' });
	await expect(reasons.getByRole('row', { name: 'Not a date 1' })).toBeVisible();
	await expect(reasons.getByRole('row', { name: 'Not a number 1' })).toBeVisible();
	await expect(reasons.getByRole('row', { name: 'No value 1' })).toBeVisible();
	await expect(
		reasons.getByRole('row', { name: 'Repeated in the file (the later row is kept) 1' })
	).toBeVisible();
	const problems = page.getByRole('region', { name: 'Problem rows' });
	await expect(problems.locator('tr.problem')).toHaveCount(3);
	await expect(problems.locator('mark', { hasText: 'soon' })).toBeVisible();
	await expect(problems.locator('mark', { hasText: 'lots' })).toBeVisible();
	await expect(problems.getByRole('row', { name: /^4 / })).toContainText(
		'Not a date: "soon" in "Week ending".'
	);

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download the error report (CSV)' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('wizard-bad-rows-errors.csv');
	const report = readFileSync(await file.path(), 'utf8').replace(/^\ufeff/, '');
	const lines = report.trim().split('\r\n');
	expect(lines[0]).toBe('row,column,reason,message,value');
	expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
		'4,Week ending,not_a_date',
		'5,Value,not_a_number',
		'6,Value,missing_value',
		'8,,duplicate'
	]);

	// Sent and then cancelled at the "create them?" step: nothing is saved.
	await page.getByRole('button', { name: 'Import 5 measurements' }).click();
	await expect(page.getByText('These 2 indicators do not exist yet:')).toBeVisible();
	await page.getByRole('button', { name: 'Cancel the import' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Check the rows' })).toBeVisible();
	const { data: imports } = await client.from('imports').select('status').eq('team_id', teamId);
	expect(imports).toEqual([{ status: 'cancelled' }]);
	const { count } = await client
		.from('measurements')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId);
	expect(count).toBe(0);
});

test('empty, binary, header-only and oversized files each get their own message', async ({
	page
}) => {
	const { user, teamId } = await memberWithTeam('Bad files');
	await signIn(page, user.email);
	await page.goto(`/t/${teamId}/data/import`);
	const alert = page.getByRole('alert');

	await pick(page, join('tests/fixtures/csv', 'empty.csv'));
	await expect(alert).toHaveText('The file is empty: there is nothing to import.');
	await pick(page, join('tests/fixtures/csv', 'binary-xlsx.csv'), 'figures.csv');
	await expect(alert).toHaveText(
		'This looks like an Excel or OpenDocument workbook (.xlsx or .ods), not a CSV file. Save it as CSV and try again.'
	);
	await pick(page, join('tests/fixtures/csv', 'binary-png.csv'), 'chart.csv');
	await expect(alert).toHaveText('This is an image, not a CSV file.');
	await pick(page, join('tests/fixtures/csv', 'header-only.csv'));
	await expect(alert).toHaveText('The file has a header row but no data rows.');
	await pick(page, join('tests/fixtures/csv', 'unterminated-quote.csv'));
	await expect(alert).toContainText('is never closed (a missing ")');

	// Over 100 MB: refused before reading a byte (a sparse file from the page, not from disk).
	await page.evaluate(() => {
		const input = document.querySelector<HTMLInputElement>('#file')!;
		const big = new File([new Uint8Array(101 * 1024 * 1024)], 'huge.csv', { type: 'text/csv' });
		const dt = new DataTransfer();
		dt.items.add(big);
		input.files = dt.files;
		input.dispatchEvent(new Event('change', { bubbles: true }));
	});
	await expect(alert).toContainText('This file is 101 MB; the importer takes files up to 100 MB.');
});

test('reading a large file can be cancelled, in the worker and on the main thread', async ({
	page
}) => {
	test.setTimeout(60_000);
	const { user, teamId } = await memberWithTeam('Cancel');
	await signIn(page, user.email);
	// About 60 MB: long enough to read that the cancel lands while it is still reading.
	const path = test.info().outputPath('big.csv');
	const out = createWriteStream(path);
	out.write('agency,indicator,period,value\n');
	for (let block = 0; block < 200; block++) {
		let text = '';
		for (let i = 0; i < 10_000; i++)
			text += `Transit,Route ${i % 500},2024-01-${(i % 28) + 1},${block * 10_000 + i}\n`;
		if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
	}
	await new Promise<void>((r) => out.end(() => r()));
	for (const mode of ['worker', 'main']) {
		await page.goto(`/t/${teamId}/data/import?mode=${mode}`);
		await page.getByLabel('CSV file', { exact: true }).setInputFiles(path);
		await expect(page.getByRole('heading', { level: 2, name: 'Reading big.csv' })).toBeVisible();
		await page.getByRole('button', { name: 'Cancel' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Choose a CSV file' })).toBeVisible();
		await expect(page.getByRole('status').filter({ hasText: 'Cancelled.' })).toBeAttached();
	}
});
