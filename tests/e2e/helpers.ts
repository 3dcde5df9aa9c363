import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface RuntimeInfo {
	apiUrl: string;
	mailUrl: string;
	anonKey: string;
	serviceRoleKey: string;
}

/**
 * Playwright's test, whose `page.goto` also waits for hydration: text typed into a server-rendered
 * form before Svelte hydrates it can be reset, and a click can submit it without `use:enhance`.
 */
export const test = base.extend({
	page: async ({ page }, use) => {
		const goto = page.goto.bind(page);
		page.goto = async (url, options) => {
			const response = await goto(url, options);
			// Error responses of endpoints are SvelteKit's static error page, which never hydrates.
			if (response?.ok() && response.headers()['content-type']?.startsWith('text/html'))
				await hydrated(page);
			return response;
		};
		await use(page);
	}
});
export { expect };

let info: Record<'default' | 'confirm', RuntimeInfo> | undefined;

/** The runtime behind the app under test: `confirm` for the `*.confirm.e2e.ts` files. */
export function runtime(): RuntimeInfo {
	info ??= JSON.parse(
		readFileSync(join(process.env.GW_E2E_DIR!, 'runtime.json'), 'utf8')
	) as Record<'default' | 'confirm', RuntimeInfo>;
	return base.info().project.name === 'confirmations' ? info.confirm : info.default;
}

/** A supabase-js client for the test process (Node 20 has no WebSocket: realtime needs `ws`). */
export function apiClient(key: 'anon' | 'service_role'): SupabaseClient {
	const { apiUrl, anonKey, serviceRoleKey } = runtime();
	return createClient(apiUrl, key === 'anon' ? anonKey : serviceRoleKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}

let n = 0;
export function uniqueEmail(prefix: string): string {
	return `${prefix}-${Date.now().toString(36)}-${process.pid}-${n++}@example.test`;
}

export const PASSWORD = 'correct horse battery staple';

/** An account made through the admin API, for tests that are not about signing up. */
export async function createUser(email = uniqueEmail('user'), password = PASSWORD, name?: string) {
	const admin = apiClient('service_role');
	const { data, error } = await admin.auth.admin.createUser({
		email,
		password,
		email_confirm: true,
		user_metadata: name ? { display_name: name } : {}
	});
	if (error) throw error;
	return { id: data.user.id, email, password };
}

interface Summary {
	ID: string;
	Subject: string;
	Created: string;
}

/** Polls the local mailbox (Mailpit's API) for the newest message to `email` matching `subject`. */
export async function latestMail(
	email: string,
	subject: RegExp,
	after = 0
): Promise<{ subject: string; text: string; html: string }> {
	const { mailUrl } = runtime();
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const res = await fetch(`${mailUrl}/api/v1/search?query=${encodeURIComponent(`to:${email}`)}`);
		const { messages } = (await res.json()) as { messages: Summary[] };
		const hit = messages
			.filter((m) => subject.test(m.Subject) && new Date(m.Created).getTime() >= after)
			.sort((a, b) => b.Created.localeCompare(a.Created))[0];
		if (hit) {
			const full = (await (await fetch(`${mailUrl}/api/v1/message/${hit.ID}`)).json()) as {
				Subject: string;
				Text: string;
				HTML: string;
			};
			return { subject: full.Subject, text: full.Text, html: full.HTML };
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no mail to ${email} matching ${subject}`);
}

/** The verification link in a mail (GoTrue's `{{ .ConfirmationURL }}`). */
export function linkIn(mail: { html: string; text: string }): string {
	const fromHtml = /href="([^"]*\/verify\?[^"]*)"/.exec(mail.html)?.[1];
	const url = fromHtml ?? /(https?:\/\/\S*\/verify\?\S*)/.exec(mail.text)?.[1];
	if (!url) throw new Error(`no link in mail:\n${mail.text}`);
	return url.replace(/&amp;/g, '&');
}

/** axe on the current page: no serious or critical violations. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((nd) => nd.target.join(' ')).join(', ')})`)
	).toEqual([]);
}

/** Waits until SvelteKit has hydrated the page, so typed values are not reset under the test. */
export async function hydrated(page: Page): Promise<void> {
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
	await page.goto('/sign-in');
	await hydrated(page);
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/home$/);
}
