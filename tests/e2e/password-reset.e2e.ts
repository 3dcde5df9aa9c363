import {
	createUser,
	expectAccessible,
	latestMail,
	linkIn,
	signIn,
	expect,
	test
} from './helpers.ts';

test('reset a forgotten password through the mailbox; the link works once', async ({ page }) => {
	const user = await createUser();
	const since = Date.now() - 1000;
	await page.goto('/sign-in');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page).toHaveURL(/\/forgot-password$/);
	await expectAccessible(page);
	await page.getByLabel('Email').fill(user.email);
	await page.getByRole('button', { name: 'Send me a reset link' }).click();
	await expect(page.getByRole('status')).toContainText('we sent it a link');

	const link = linkIn(await latestMail(user.email, /reset/i, since));
	await page.goto(link);
	await expect(page).toHaveURL(/\/account\/password$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
	await expectAccessible(page);

	// Mismatch and weak passwords are explained beside the field.
	await page.getByLabel('New password', { exact: true }).fill('new password one');
	await page.getByLabel('New password, again').fill('new password two');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByLabel('New password, again')).toHaveAccessibleDescription(/do not match/);

	await page.getByLabel('New password', { exact: true }).fill('fresh new password 42');
	await page.getByLabel('New password, again').fill('fresh new password 42');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page).toHaveURL(/\/account\?notice=password-changed/);
	await expect(page.getByRole('status').first()).toContainText('password was changed');

	// Old password no longer works; the new one does.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.goto('/sign-in');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(user.email);
	await form.getByLabel('Password').fill(user.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(form.locator('.field-error')).toContainText('do not match');
	await signIn(page, user.email, 'fresh new password 42');

	// A reused reset link is explained where a new one can be asked for.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.goto(link);
	await expect(page).toHaveURL(/\/forgot-password\?error=link-expired/);
	await expect(page.getByRole('alert')).toContainText('expired or was already used');
});
