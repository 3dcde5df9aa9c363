/**
 * Realtime in real Chromium: the meeting screens are browsers, whose WebSocket (not Node's `ws`)
 * talks to the runtime. supabase-js's own browser build runs in the page, signed in as a team
 * member, and follows a private team channel and a table's changes while Node plays the
 * facilitator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import type { User } from './helpers/teams.ts';

const bundle = createRequire(import.meta.url).resolve('@supabase/supabase-js/dist/umd/supabase.js');

let stack: TestStack;
let browser: Browser;
let page: Page;
let member: User;
let facilitator: User;
let profileDir: string;
const team = crypto.randomUUID();

beforeAll(async () => {
	stack = await startTestStack();
	member = await stack.signedIn();
	facilitator = await stack.signedIn();
	await stack.db.exec(`
		create schema rt_browser;
		grant usage on schema rt_browser to authenticated;
		create table rt_browser.members (team_id uuid, user_id uuid, primary key (team_id, user_id));
		insert into rt_browser.members values
			('${team}', '${member.userId}'), ('${team}', '${facilitator.userId}');
		create function rt_browser.is_member(t uuid) returns boolean
		language sql stable security definer set search_path = ''
		as $$ select exists (select 1 from rt_browser.members m where m.team_id = t and m.user_id = (select auth.uid())) $$;
		grant execute on function rt_browser.is_member(uuid) to authenticated;
		create table rt_browser.phases (id int primary key, team_id uuid not null, phase text not null);
		alter table rt_browser.phases enable row level security;
		create policy "members read their phases" on rt_browser.phases for select to authenticated
			using ((select rt_browser.is_member(team_id)));
		grant select on rt_browser.phases to authenticated;
		alter publication supabase_realtime add table rt_browser.phases;
		create policy "members use their team topic" on realtime.messages for select to authenticated
			using ((select rt_browser.is_member(substr(realtime.topic(), 6)::uuid)));
		create policy "members send on their team topic" on realtime.messages for insert to authenticated
			with check ((select rt_browser.is_member(substr(realtime.topic(), 6)::uuid)));
	`);
	profileDir = mkdtempSync(join(tmpdir(), 'gw-rt-browser-'));
	process.env.XDG_CONFIG_HOME = join(profileDir, 'config');
	process.env.XDG_CACHE_HOME = join(profileDir, 'cache');
	browser = await chromium.launch({
		executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
	});
	page = await browser.newPage();
	// A page served from the API's own origin: Chromium blocks about:blank from reaching loopback.
	await page.goto(`${stack.apiUrl}/health`);
	await page.addScriptTag({ path: bundle });
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await stack?.stop();
	if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

it('follows the facilitator’s broadcasts and the team’s row changes in Chromium', async () => {
	const token = member.client.realtime.accessTokenValue!;
	const topic = `team:${team}`;
	// In the page: supabase-js's browser build, the browser's own WebSocket.
	const status = await page.evaluate(
		async ({ url, key, token, topic }) => {
			type Supa = {
				createClient(
					u: string,
					k: string,
					o: object
				): {
					realtime: { setAuth(t: string): Promise<void> };
					channel(
						t: string,
						o: object
					): {
						on(type: string, f: object, cb: (p: unknown) => void): unknown;
						subscribe(cb: (s: string, e?: Error) => void): unknown;
					};
				};
			};
			const w = window as unknown as { supabase: Supa; seen: unknown[] };
			w.seen = [];
			const client = w.supabase.createClient(url, key, { auth: { persistSession: false } });
			await client.realtime.setAuth(token);
			const channel = client.channel(topic, { config: { private: true } });
			channel.on('broadcast', { event: 'phase' }, (p) => w.seen.push(p));
			channel.on('postgres_changes', { event: '*', schema: 'rt_browser', table: 'phases' }, (p) =>
				w.seen.push(p)
			);
			return new Promise<string>((resolve) =>
				channel.subscribe((s, e) => {
					if (s !== 'CLOSED') resolve(e ? `${s}: ${e.message}` : s);
				})
			);
		},
		{ url: stack.apiUrl, key: stack.anonKey, token, topic }
	);
	expect(status).toBe('SUBSCRIBED');

	const speaker = facilitator.client.channel(topic, { config: { private: true } });
	await new Promise<void>((resolve, reject) =>
		speaker.subscribe((s) =>
			s === 'SUBSCRIBED' ? resolve() : s !== 'CLOSED' && reject(new Error(s))
		)
	);
	await speaker.send({ type: 'broadcast', event: 'phase', payload: { phase: 'diagnose' } });
	await stack.db.exec(`insert into rt_browser.phases values (1, '${team}', 'diagnose')`);

	await expect
		.poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen.length), {
			timeout: 5000
		})
		.toBe(2);
	const seen = await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
	// Two paths (a broadcast, a committed row), so either may arrive first.
	expect(seen).toHaveLength(2);
	expect(seen).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ event: 'phase', payload: { phase: 'diagnose' } }),
			expect.objectContaining({
				eventType: 'INSERT',
				table: 'phases',
				new: { id: 1, team_id: team, phase: 'diagnose' }
			})
		])
	);
	await facilitator.client.removeAllChannels();
}, 30_000);
