import {
	createUser,
	expectAccessible,
	latestMail,
	linkIn,
	PASSWORD,
	signIn,
	uniqueEmail,
	expect,
	test
} from './helpers.ts';

// This project's runtime has email confirmations on, as hosted Supabase projects usually do.

test('sign up, confirm the address from the mailbox, land signed in', async ({ page }) => {
	const email = uniqueEmail('confirm');
	const since = Date.now() - 1000;
	await page.goto('/sign-up');
	await page.getByLabel('Your name').fill('Ella Baker');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('status')).toContainText(`confirmation link to ${email}`);
	await expectAccessible(page);

	// Signing in before confirming is explained beside the email.
	await page.goto('/sign-in');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(PASSWORD);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(form.getByLabel('Email')).toHaveAccessibleDescription(/confirm your email/i);

	await page.goto(linkIn(await latestMail(email, /confirm your signup/i, since)));
	await expect(page).toHaveURL(/\/home$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Ella Baker');
});

test('change the email address, confirmed from both mailboxes', async ({ page }) => {
	const user = await createUser();
	const newEmail = uniqueEmail('moved');
	await signIn(page, user.email);
	await page.goto('/account');
	const since = Date.now() - 1000;
	await page.getByLabel('New email address').fill(newEmail);
	await page.getByRole('button', { name: 'Change email' }).click();
	await expect(page.getByRole('status')).toContainText(newEmail);
	await expectAccessible(page);

	const toOld = await latestMail(user.email, /email change/i, since);
	const toNew = await latestMail(newEmail, /email change/i, since);
	await page.goto(linkIn(toOld));
	await expect(page).toHaveURL(/\/account\?notice=email-half-confirmed/);
	await expect(page.getByRole('status').first()).toContainText('other address');
	await expect(page.getByText(`You sign in with ${user.email}.`)).toBeVisible();

	await page.goto(linkIn(toNew));
	await expect(page).toHaveURL(/\/account\?notice=email-changed/);
	await expect(page.getByText(`You sign in with ${newEmail}.`)).toBeVisible();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await signIn(page, newEmail, user.password);
});
