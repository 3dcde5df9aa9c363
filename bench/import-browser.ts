/**
 * `npm run bench:import-browser`: how smooth the page stays during a CSV import, and how fast a
 * long chart draws (issue 5), in Chromium against the production build and a fresh in-memory
 * runtime (as bench/pages.ts).
 *
 *   npm run bench:import-browser [-- --rows 100000] [--modes worker,main] [--no-build]
 *     [--skip-import] [--skip-chart] [--series 10] [--points 3650] [--repeat 3]
 *
 * 1. Import: a member opens the wizard (`/t/<team>/data/import`, and `?mode=main` for the variant
 *    that parses on the page's own thread in slices), picks a generated long-format file of
 *    100,000 rows, checks, imports and creates the missing indicators. A PerformanceObserver
 *    ('longtask', buffered) installed before the page loads records every main-thread task over
 *    50 ms; the longest one between picking the file and "Import complete" is the figure.
 *    Target: < 200 ms.
 * 2. Chart: 10 indicators × 3,650 daily points seeded through the API (PostgREST inserts as the
 *    member), shown together on the compare page. Figures: chart.js's first draw (the chart
 *    component's `data-render-ms`) and, what a reader waits for, the time from the page being
 *    interactive (hydrated, data in hand) to the chart drawn (`data-chart-state="ready"`), which
 *    also loads chart.js. Target: < 300 ms.
 *
 * Chromium from /usr/bin/chromium (CHROME_PATH) with the flags of playwright.config.ts; the build
 * is reused when build/ is newer than the sources (or with --no-build).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startStack } from '../supabase/local/stack.ts';
import { freePort } from '../scripts/free-port.ts';
import { generateFile } from './lib/import-data.ts';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		modes: { type: 'string', default: 'worker,main' },
		'no-build': { type: 'boolean', default: false },
		'skip-import': { type: 'boolean', default: false },
		'skip-chart': { type: 'boolean', default: false },
		series: { type: 'string', default: '10' },
		points: { type: 'string', default: '3650' },
		repeat: { type: 'string', default: '3' },
		timeout: { type: 'string', default: '600' }
	}
});
const ROWS = Number(values.rows.replace(/[_,]/g, ''));
const MODES = values.modes.split(',') as ('worker' | 'main')[];
const SERIES = Number(values.series);
const POINTS = Number(values.points);
const REPEAT = Math.max(1, Number(values.repeat));
const STEP_TIMEOUT = Number(values.timeout) * 1000;
const TARGET = { longTaskMs: 200, chartMs: 300 };
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The newest modification time under `path` (files only), skipping generated folders. */
function newest(path: string): number {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = 0;
	for (const e of readdirSync(path)) {
		if (e === 'node_modules' || e === 'paraglide' || e.startsWith('.')) continue;
		max = Math.max(max, newest(join(path, e)));
	}
	return max;
}

/** build/ is fresh when it is newer than everything that goes into it. */
function buildIsFresh(): boolean {
	const built = join(root, 'build/handler.js');
	if (!existsSync(built)) return false;
	const inputs = [
		'src',
		'messages',
		'static',
		'svelte.config.js',
		'vite.config.ts',
		'package.json'
	];
	return statSync(built).mtimeMs > Math.max(...inputs.map((p) => newest(join(root, p))));
}

async function waitFor(url: string, ms = 30_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(url)).status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${url} did not answer`);
}

/** The data of a supabase-js answer, or the error thrown with what was being done. */
function ok(what: string, r: { data: unknown; error: unknown }): unknown {
	const e = r.error as { code?: string; message: string } | null;
	if (e) throw new Error(`${what}: ${e.code ?? ''} ${e.message}`);
	return r.data;
}

/**
 * Installed before any page script: long tasks (buffered, so none is missed before the observer
 * starts), and when the page hydrated and when a chart reported itself drawn.
 */
const INIT_SCRIPT = `(() => {
	const b = (window.__gwBench = { longtasks: [], hydratedAt: null, chartReadyAt: null });
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	} catch (e) {
		b.unsupported = String(e);
	}
	new MutationObserver((records) => {
		for (const r of records) {
			const el = r.target;
			if (r.attributeName === 'data-hydrated' && b.hydratedAt === null) b.hydratedAt = performance.now();
			if (r.attributeName === 'data-chart-state' && el.getAttribute('data-chart-state') === 'ready' && b.chartReadyAt === null)
				b.chartReadyAt = performance.now();
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated', 'data-chart-state'] });
})();`;

interface BenchState {
	longtasks: { start: number; duration: number }[];
	hydratedAt: number | null;
	chartReadyAt: number | null;
	unsupported?: string;
}
const state = (page: Page) =>
	page.evaluate(() => (window as unknown as { __gwBench: BenchState }).__gwBench);
const now = (page: Page) => page.evaluate(() => performance.now());

async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/sign-in');
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
	const form = page.locator('form', {
		has: page.getByRole('heading', { name: 'With your password' })
	});
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Password').fill(password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/\/home$/);
}

interface ImportRun {
	mode: string;
	/** From picking the file to "Import complete" (the user's clicks included). */
	totalMs: number;
	/** Longest task while the wizard page loaded (before the measured window). */
	loadLongest: number;
	longest: number;
	count: number;
	over200: number;
	phases: { name: string; ms: number; longest: number }[];
	inserted: number;
}

/** One import through the wizard; long tasks from picking the file to "Import complete". */
async function importRun(
	browser: Browser,
	origin: string,
	creds: { email: string; password: string },
	teamId: string,
	file: string,
	mode: 'worker' | 'main'
): Promise<ImportRun> {
	const context = await browser.newContext({ baseURL: origin });
	await context.addInitScript(INIT_SCRIPT);
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	try {
		await signIn(page, creds.email, creds.password);
		await page.goto(`/t/${teamId}/data/import${mode === 'main' ? '?mode=main' : ''}`);
		await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
		const marks: number[] = [await now(page)];
		await page.locator('#file').setInputFiles(file);
		// Read: inspect, then parse + map + validate the whole file.
		const check = page.getByRole('button', { name: 'Check the rows' });
		await check.waitFor();
		marks.push(await now(page));
		await check.click();
		const importButton = page.getByRole('button', {
			name: /^Import [\d,.\s\u202f]+ measurements$/
		});
		await importButton.waitFor();
		marks.push(await now(page));
		// Send: start, stage in chunks, check; then commit creating the missing indicators.
		await importButton.click();
		const create = page.getByRole('button', { name: 'Create them and import' });
		const done = page.getByRole('heading', { name: 'Import complete' });
		await Promise.race([create.waitFor(), done.waitFor()]);
		marks.push(await now(page));
		if (await create.isVisible()) await create.click();
		await done.waitFor();
		marks.push(await now(page));
		const inserted = Number(
			(await page.locator('dl.facts dd').first().innerText()).replace(/[^\d]/g, '')
		);
		// Self-check, after the measured window: a deliberate 120 ms task must be seen, or a quiet
		// result would mean nothing. (A timer task: code run by page.evaluate itself comes through
		// DevTools, outside the page's task scheduler, and is never reported as a long task.)
		const probe = await page.evaluate(() => {
			const t = performance.now();
			setTimeout(() => {
				const s = performance.now();
				while (performance.now() - s < 120) {
					// busy on purpose
				}
			}, 0);
			return t;
		});
		await page.waitForFunction(
			(t) =>
				(window as unknown as { __gwBench: BenchState }).__gwBench.longtasks.some(
					(x) => x.start >= t - 5 && x.duration >= 100
				),
			probe,
			{ timeout: 10_000 }
		);
		const s = await state(page);
		if (s.unsupported) throw new Error(`longtask observer: ${s.unsupported}`);
		const within = (a: number, b: number) =>
			s.longtasks.filter((t) => t.start >= a && t.start < b).map((t) => t.duration);
		const all = within(marks[0], marks[marks.length - 1]);
		const names = ['read (parse + map + validate)', 'review', 'send + check', 'commit'];
		const phases = names.map((name, i) => {
			const d = within(marks[i], marks[i + 1]);
			return { name, ms: marks[i + 1] - marks[i], longest: d.length ? Math.max(...d) : 0 };
		});
		const before = s.longtasks.filter((t) => t.start < marks[0]).map((t) => t.duration);
		return {
			mode,
			totalMs: marks[marks.length - 1] - marks[0],
			loadLongest: before.length ? Math.max(...before) : 0,
			longest: all.length ? Math.max(...all) : 0,
			count: all.length,
			over200: all.filter((d) => d > TARGET.longTaskMs).length,
			phases,
			inserted
		};
	} finally {
		await context.close();
	}
}

/** A team with `series` indicators of `points` daily measurements, inserted through PostgREST. */
async function seedChart(member: SupabaseClient): Promise<{ teamId: string; ids: string[] }> {
	const teamId = ok(
		'create_team',
		await member.rpc('create_team', { name: 'Bench charts' })
	) as string;
	const agency = ok(
		'agency',
		await member
			.from('agencies')
			.insert({ team_id: teamId, name: 'Bench agency' })
			.select('id')
			.single()
	) as { id: string };
	const indicators = ok(
		'indicators',
		await member
			.from('indicators')
			.insert(
				Array.from({ length: SERIES }, (_, k) => ({
					team_id: teamId,
					agency_id: agency.id,
					name: `Daily indicator ${k + 1}`,
					unit: 'cases',
					direction: 'up',
					frequency: 'day'
				}))
			)
			.select('id')
	) as { id: string }[];
	const start = Date.UTC(2015, 0, 1);
	const rows: Record<string, unknown>[] = [];
	const flush = async () => {
		if (rows.length) ok('measurements', await member.from('measurements').insert(rows.splice(0)));
	};
	for (const [k, ind] of indicators.entries()) {
		for (let d = 0; d < POINTS; d++) {
			const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
			rows.push({
				team_id: teamId,
				indicator_id: ind.id,
				period_start: day,
				period_end: day,
				grain: 'day',
				value: 100 + k * 20 + 30 * Math.sin(d / 30 + k) + ((d * 7919 + k) % 13),
				target: 110 + k * 20
			});
			if (rows.length === 5000) await flush();
		}
	}
	await flush();
	return { teamId, ids: indicators.map((i) => i.id) };
}

interface ChartRun {
	/** The compare page's server response (its load function fetches every point). */
	ttfbMs: number;
	renderMs: number;
	readyMs: number;
	navMs: number;
	longest: number;
}

async function chartRun(
	browser: Browser,
	origin: string,
	creds: { email: string; password: string },
	url: string
): Promise<ChartRun[]> {
	const context = await browser.newContext({ baseURL: origin });
	await context.addInitScript(INIT_SCRIPT);
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	const runs: ChartRun[] = [];
	try {
		await signIn(page, creds.email, creds.password);
		// One unmeasured load: chart.js and the page's chunks in the cache, as for a returning reader.
		for (let i = 0; i <= REPEAT; i++) {
			await page.goto(url);
			const box = page.locator('[data-chart-state]').first();
			await page
				.locator('[data-chart-state="ready"], [data-chart-state="failed"]')
				.first()
				.waitFor();
			if ((await box.getAttribute('data-chart-state')) === 'failed')
				throw new Error('the chart failed to load');
			const renderMs = Number(await box.getAttribute('data-render-ms'));
			const s = await state(page);
			const ttfbMs = await page.evaluate(
				() =>
					(performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
						.responseStart
			);
			if (i === 0) continue;
			runs.push({
				ttfbMs,
				renderMs,
				readyMs: s.chartReadyAt! - s.hydratedAt!,
				navMs: s.chartReadyAt!,
				longest: Math.max(0, ...s.longtasks.map((t) => t.duration))
			});
		}
	} finally {
		await context.close();
	}
	return runs;
}

const dir = mkdtempSync(join(tmpdir(), 'gw-bench-import-browser-'));
const started = performance.now();
let app: ChildProcess | undefined;
let browser: Browser | undefined;
const stack = await startStack({
	workdir: join(dir, 'supabase'),
	supabaseDir: join(root, 'supabase'),
	memory: true,
	apiPort: 0,
	dbPort: 0,
	mailPort: 0,
	wire: false,
	seed: false
});
let failed = false;
try {
	console.log(
		`bench:import-browser — ${cpus().length} cores, load average ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}, Chromium ${CHROME}, production build, PGlite in memory`
	);
	if (!values['no-build'] && !buildIsFresh()) {
		console.log('Building (build/ is older than the sources)…');
		const b = spawnSync(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
			{ cwd: root, stdio: 'inherit' }
		);
		if (b.status !== 0) throw new Error('vite build failed');
	} else console.log('Reusing build/.');
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	app = spawn(process.execPath, ['build/index.js'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {
			...process.env,
			PUBLIC_SUPABASE_URL: stack.apiUrl,
			PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
			SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
			SMTP_URL: stack.smtpUrl,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			NODE_ENV: 'production'
		}
	});
	await waitFor(`http://127.0.0.1:${port}/`);

	// A member made through the admin API; teams created by them through create_team.
	const creds = { email: 'bench-browser@example.test', password: 'bench browser password 2026' };
	const client = (key: string) =>
		createClient(stack.apiUrl, key, {
			auth: { persistSession: false, autoRefreshToken: false },
			realtime: { transport: ws as unknown as typeof WebSocket }
		});
	ok(
		'createUser',
		await client(stack.serviceRoleKey).auth.admin.createUser({
			...creds,
			email_confirm: true,
			user_metadata: { display_name: 'Bench' }
		})
	);
	const member = client(stack.anonKey);
	ok('sign in', await member.auth.signInWithPassword(creds));

	browser = await chromium.launch({
		executablePath: CHROME,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		],
		env: {
			...process.env,
			XDG_CONFIG_HOME: join(dir, 'xdg-config'),
			XDG_CACHE_HOME: join(dir, 'xdg-cache')
		}
	});

	const summary: string[] = [];
	if (!values['skip-import']) {
		const file = await generateFile(join(dir, `long-${ROWS}.csv`), ROWS);
		console.log(
			`\nImport of ${f0(ROWS)} rows (${f1(file.bytes / 1024 / 1024)} MiB, ${file.indicators} indicators): main-thread long tasks (> 50 ms) from picking the file to "Import complete"`
		);
		for (const mode of MODES) {
			const teamId = ok(
				'create_team',
				await member.rpc('create_team', { name: `Bench import ${mode}` })
			) as string;
			try {
				const r = await importRun(browser, origin, creds, teamId, file.path, mode);
				const pass = r.longest < TARGET.longTaskMs && r.inserted === ROWS;
				if (!pass) failed = true;
				console.log(
					`  ${(mode === 'main' ? '?mode=main' : 'worker (default)').padEnd(17)} longest task ${f0(r.longest).padStart(5)} ms (< ${TARGET.longTaskMs}) ${verdict(r.longest < TARGET.longTaskMs)}; ` +
						`${r.count} long tasks, ${r.over200} over ${TARGET.longTaskMs} ms; ${f0(r.inserted)} inserted in ${f1(r.totalMs / 1000)} s ` +
						`(${f0(ROWS / (r.totalMs / 1000))} rows/s through the app); page load before it: longest task ${f0(r.loadLongest)} ms`
				);
				for (const p of r.phases)
					console.log(
						`      ${p.name.padEnd(30)} ${f0(p.ms).padStart(7)} ms, longest task ${f0(p.longest)} ms`
					);
				summary.push(
					`  import ${mode}: longest main-thread task ${f0(r.longest)} ms (< ${TARGET.longTaskMs}) ${verdict(r.longest < TARGET.longTaskMs)}`
				);
			} catch (e) {
				failed = true;
				console.log(`  ${mode}: FAILED ${String(e).split('\n')[0]}`);
				summary.push(`  import ${mode}: did not finish (${String(e).split('\n')[0]}) MISS`);
			}
		}
	}

	if (!values['skip-chart']) {
		const s0 = performance.now();
		const { teamId, ids } = await seedChart(member);
		console.log(
			`\nChart: ${SERIES} indicators × ${f0(POINTS)} daily points on the compare page (seeded through the API in ${f1((performance.now() - s0) / 1000)} s); median of ${REPEAT} loads after a warm-up`
		);
		const url = `/t/${teamId}/data/compare?${ids.map((id) => `i=${id}`).join('&')}&scale=actual`;
		const runs = await chartRun(browser, origin, creds, url);
		const render = median(runs.map((r) => r.renderMs));
		const ready = median(runs.map((r) => r.readyMs));
		const nav = median(runs.map((r) => r.navMs));
		const longest = median(runs.map((r) => r.longest));
		const ttfb = median(runs.map((r) => r.ttfbMs));
		console.log(
			`  chart.js first draw (data-render-ms)            ${f1(render).padStart(7)} ms (< ${TARGET.chartMs}) ${verdict(render < TARGET.chartMs)}  runs ${runs.map((r) => f1(r.renderMs)).join(', ')}`
		);
		console.log(
			`  page interactive → chart drawn (loads chart.js) ${f1(ready).padStart(7)} ms (< ${TARGET.chartMs}) ${verdict(ready < TARGET.chartMs)}  runs ${runs.map((r) => f1(r.readyMs)).join(', ')}`
		);
		console.log(
			`  navigation start → chart drawn                  ${f1(nav).padStart(7)} ms (for reference: server load, HTML, hydration)`
		);
		console.log(
			`    of which the server's response (TTFB)         ${f1(ttfb).padStart(7)} ms (the load function fetching ${f0(SERIES * POINTS)} points)`
		);
		console.log(`  longest main-thread task during the load        ${f1(longest).padStart(7)} ms`);
		if (ready >= TARGET.chartMs) failed = true;
		summary.push(
			`  chart ${SERIES}×${POINTS}: drawn ${f1(ready)} ms after the page is interactive, first draw ${f1(render)} ms (< ${TARGET.chartMs}) ${verdict(ready < TARGET.chartMs)}`
		);
	}
	console.log('\nTargets (issue 5):');
	for (const line of summary) console.log(line);
} finally {
	await browser?.close();
	app?.kill('SIGTERM');
	await stack.stop();
	rmSync(dir, { recursive: true, force: true });
}
console.log(`\nTotal ${f1((performance.now() - started) / 1000)} s.`);
process.exit(failed ? 1 : 0);
