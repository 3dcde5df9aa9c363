import { createUser, expectAccessible, signIn, uniqueEmail, expect, test } from './helpers.ts';

test('edit the profile: name and preferred language', async ({ page }) => {
	const user = await createUser(undefined, undefined, 'Before');
	await signIn(page, user.email);
	await page.getByRole('link', { name: 'Account' }).click();
	await expect(page.getByLabel('Your name')).toHaveValue('Before');
	await expectAccessible(page);

	await page.getByLabel('Your name').fill('');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByLabel('Your name')).toHaveAccessibleDescription(/Enter the name/);
	await expect(page.getByLabel('Your name')).toBeFocused();

	await page.getByLabel('Your name').fill('Fannie Lou Hamer');
	await page.getByLabel('Preferred language').selectOption({ label: 'Español' });
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByRole('status').first()).toContainText('profile was saved');

	await page.reload();
	await expect(page.getByLabel('Your name')).toHaveValue('Fannie Lou Hamer');
	await expect(page.getByLabel('Preferred language')).toHaveValue('es');
	await page.goto('/home');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Fannie Lou Hamer');
});

// supabase/config.toml has email confirmations off (like the Supabase CLI's default), so the
// auth server applies an email change at once, as GoTrue does with autoconfirm.
test('change the email address, then sign in with the new one', async ({ page }) => {
	const user = await createUser();
	const newEmail = uniqueEmail('moved');
	await signIn(page, user.email);
	await page.goto('/account');
	await expect(page.getByText(`You sign in with ${user.email}.`)).toBeVisible();

	await page.getByLabel('New email address').fill(user.email);
	await page.getByRole('button', { name: 'Change email' }).click();
	await expect(page.getByLabel('New email address')).toHaveAccessibleDescription(
		/already your email/
	);
	await page.getByLabel('New email address').fill('not-an-address');
	await page.getByRole('button', { name: 'Change email' }).click();
	await expect(page.getByLabel('New email address')).toHaveAccessibleDescription(/valid email/);

	await page.getByLabel('New email address').fill(newEmail);
	await page.getByRole('button', { name: 'Change email' }).click();
	await expect(page).toHaveURL(/\/account\?notice=email-changed/);
	await expect(page.getByRole('status').first()).toContainText('email address was changed');
	await expect(page.getByText(`You sign in with ${newEmail}.`)).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await signIn(page, newEmail, user.password);
});
