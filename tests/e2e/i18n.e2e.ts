import { type Page } from '@playwright/test';
import { createUser, expectAccessible, PASSWORD, signIn, expect, test } from './helpers.ts';

async function signInInSpanish(page: Page, email: string) {
	await page.goto('/sign-in');
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'Con tu contraseña' })
	});
	await form.getByLabel('Correo electrónico').fill(email);
	await form.getByLabel('Contraseña').fill(PASSWORD);
	await form.getByRole('button', { name: 'Iniciar sesión' }).click();
	await expect(page).toHaveURL(/\/home$/);
}

/** The language saved on the signed-in person's profile, as the account page shows it. */
async function preferredLanguage(page: Page): Promise<string> {
	const back = page.url();
	await page.goto('/account');
	const value = await page.locator('#preferred_language').inputValue();
	await page.goto(back);
	return value;
}

test('switch to Español: the page is Spanish and stays so across navigation and sign-in', async ({
	page
}) => {
	const user = await createUser(undefined, undefined, 'Dolores Huerta');
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('button', { name: 'Español' }).click();

	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Groundwork ayuda a la ciudadanía a mejorar los servicios públicos de los que depende'
	);
	await expect(page.getByRole('button', { name: 'Español' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expectAccessible(page);

	// Navigation keeps the language.
	await page.getByRole('banner').getByRole('link', { name: 'Iniciar sesión' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
	await expectAccessible(page);

	// So does signing in, and the form's own messages are Spanish too.
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'Con tu contraseña' })
	});
	await form.getByLabel('Correo electrónico').fill(user.email);
	await form.getByLabel('Contraseña').fill('wrong password');
	await form.getByRole('button', { name: 'Iniciar sesión' }).click();
	await expect(form.getByLabel('Contraseña')).toHaveAccessibleDescription(
		/no coinciden con ninguna cuenta/
	);
	await signInInSpanish(page, user.email);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hola, Dolores Huerta');
	await expect(page.getByText('Todavía no estás en ningún equipo.')).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('main').getByRole('link', { name: 'Crear un equipo' }).click();
	await page.getByLabel('Nombre del equipo').fill('Vecinos del Transporte');
	await page.getByRole('button', { name: 'Crear el equipo' }).click();
	await expect(
		page.getByText('1 miembro — los equipos funcionan mejor con seis a ocho')
	).toBeVisible();
	await expectAccessible(page);

	// Back to English, from any page; signed in, the choice is saved on the account.
	await page.getByRole('button', { name: 'English' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Vecinos del Transporte' })
	).toBeVisible();
	await expect(page.getByText('1 member — teams work best at six to eight')).toBeVisible();
	expect(await preferredLanguage(page)).toBe('en');
});

test('signed in, the choice goes to the profile and follows the person to a new device', async ({
	page,
	browser
}) => {
	const user = await createUser(undefined, undefined, 'César Chávez');
	await signIn(page, user.email);
	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Tus equipos' })).toBeVisible();
	expect(await preferredLanguage(page)).toBe('es');

	// A fresh browser (no cookie, English Accept-Language) signs in and gets Spanish.
	const other = await browser.newContext({ locale: 'en-US' });
	const fresh = await other.newPage();
	await signIn(fresh, user.email);
	await fresh.goto('/home');
	await expect(fresh.locator('html')).toHaveAttribute('lang', 'es');
	await expect(fresh.getByRole('heading', { level: 2, name: 'Tus equipos' })).toBeVisible();
	await other.close();
});

test('the browser language is the default, and switching works without JavaScript', async ({
	browser
}) => {
	const spanish = await browser.newContext({ locale: 'es-ES' });
	const page = await spanish.newPage();
	await page.goto('/sign-up');
	await expect(page.getByRole('heading', { level: 1, name: 'Crear una cuenta' })).toBeVisible();
	await spanish.close();

	const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
	const plain = await noScript.newPage();
	await plain.goto('/sign-in');
	await expect(plain.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	await plain.getByRole('button', { name: 'Español' }).click();
	await expect(plain).toHaveURL(/\/sign-in$/);
	await expect(plain.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
	await noScript.close();
});
