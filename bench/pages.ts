/**
 * `npm run bench:pages`: Lighthouse (performance, accessibility, best practices) and first-load
 * JS (gzipped) of the sign-in page and the signed-in home, against the production build and a
 * fresh in-memory runtime. Targets: ≥ 95 / 100 / 100 and < 60 KB.
 *
 * Lighthouse 12.8 runs through `npx -y lighthouse@12.8.2` (13 needs Node 22; as a devDependency it
 * would add ~180 MB). Without it (no registry), the JS sizes are still measured.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startStack } from '../supabase/local/stack.ts';
import { freePort } from '../scripts/free-port.ts';

const TARGET = { performance: 95, accessibility: 100, 'best-practices': 100, jsKb: 60 };
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

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

/**
 * Every JS file the browser loads up front: SvelteKit lists them as modulepreload links in the
 * `Link` header and imports the entry from the HTML (paths are relative, e.g. `./_app/…`).
 */
export async function firstLoadJs(
	url: string,
	cookie?: string
): Promise<{ files: number; gzipKb: number }> {
	const res = await fetch(url, { headers: cookie ? { cookie } : {} });
	const text = `${res.headers.get('link') ?? ''}\n${await res.text()}`;
	const files = [...new Set(text.match(/_app\/immutable\/[^"'\s)>;]+\.js/g) ?? [])];
	let total = 0;
	for (const f of files) {
		const body = Buffer.from(await (await fetch(new URL(`/${f}`, url))).arrayBuffer());
		total += gzipSync(body, { level: 9 }).length;
	}
	return { files: files.length, gzipKb: Math.round((total / 1024) * 10) / 10 };
}

interface Scores {
	performance: number;
	accessibility: number;
	'best-practices': number;
}

/** Runs a child without blocking: the runtime serving the app lives in this process. */
function run(
	cmd: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs: number
): Promise<{ code: number; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code: code ?? 1, output });
		});
		child.on('error', (e) => {
			clearTimeout(timer);
			resolve({ code: 1, output: String(e) });
		});
	});
}

async function lighthouse(url: string, dir: string, cookie?: string): Promise<Scores | string> {
	const out = join(dir, `lh-${Date.now()}.json`);
	const args = [
		'-y',
		'lighthouse@12.8.2',
		url,
		'--quiet',
		'--output=json',
		`--output-path=${out}`,
		'--only-categories=performance,accessibility,best-practices',
		'--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic'
	];
	if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
	const r = await run(
		'npx',
		args,
		{
			...process.env,
			CHROME_PATH: CHROME,
			XDG_CONFIG_HOME: join(dir, 'xdg-config'),
			XDG_CACHE_HOME: join(dir, 'xdg-cache')
		},
		300_000
	);
	if (r.code !== 0) {
		return `lighthouse failed: ${r.output.trim().split('\n').slice(-3).join(' | ')}`;
	}
	const report = JSON.parse(readFileSync(out, 'utf8')) as {
		categories: Record<
			keyof Scores,
			{ score: number | null; auditRefs: { id: string; weight: number }[] }
		>;
		audits: Record<
			string,
			{
				score: number | null;
				title: string;
				displayValue?: string;
				details?: { items?: Record<string, unknown>[] };
			}
		>;
	};
	// Name what cost points, so a score below target says what to fix.
	for (const id of [
		'first-contentful-paint',
		'largest-contentful-paint',
		'total-blocking-time',
		'speed-index',
		'server-response-time'
	]) {
		const a = report.audits[id];
		if (a && a.score !== null && a.score < 0.9)
			console.log(`  ${url}: performance ${id} ${a.displayValue ?? ''}`);
	}
	for (const cat of ['accessibility', 'best-practices'] as const) {
		for (const ref of report.categories[cat].auditRefs) {
			const audit = report.audits[ref.id];
			if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
				console.log(`  ${url}: ${cat} ✗ ${ref.id}: ${audit.title}`);
				for (const item of (audit.details?.items ?? []).slice(0, 3)) {
					console.log(`      ${JSON.stringify(item).slice(0, 300)}`);
				}
			}
		}
	}
	const score = (k: keyof Scores) => Math.round((report.categories[k].score ?? 0) * 100);
	return {
		performance: score('performance'),
		accessibility: score('accessibility'),
		'best-practices': score('best-practices')
	};
}

const dir = mkdtempSync(join(tmpdir(), 'gw-bench-pages-'));
const stack = await startStack({
	workdir: join(dir, 'supabase'),
	memory: true,
	apiPort: 0,
	dbPort: 0,
	mailPort: 0,
	wire: false,
	seed: false
});
let app: ReturnType<typeof spawn> | undefined;
let failed = false;
try {
	if (!process.argv.includes('--no-build')) {
		const b = spawnSync(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
			{ stdio: 'inherit' }
		);
		if (b.status !== 0) throw new Error('vite build failed');
	}
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	app = spawn(process.execPath, ['build/index.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {
			...process.env,
			PUBLIC_SUPABASE_URL: stack.apiUrl,
			PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
			SMTP_URL: stack.smtpUrl,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			NODE_ENV: 'production'
		}
	});
	await waitFor(`http://127.0.0.1:${port}/`);

	// A real account and the session cookie the sign-in form sets.
	const email = 'bench@example.test';
	const password = 'bench password 2026';
	const admin = createClient(stack.apiUrl, stack.serviceRoleKey, {
		auth: { persistSession: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	const { error } = await admin.auth.admin.createUser({
		email,
		password,
		email_confirm: true,
		user_metadata: { display_name: 'Bench' }
	});
	if (error) throw error;
	const res = await fetch(`${origin}/sign-in?/password`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.filter((c) => /^sb-.*-auth-token/.test(c) && !c.endsWith('='))
		.join('; ');
	if (!cookie) throw new Error(`sign-in did not set a session cookie (status ${res.status})`);

	const pages = [
		{ name: 'sign-in', url: `${origin}/sign-in`, cookie: undefined },
		{ name: 'home (signed in)', url: `${origin}/home`, cookie }
	];
	const rows: string[] = [];
	// Sizes first: Lighthouse takes long enough for the server to close idle keep-alive sockets.
	const sizes = [];
	for (const p of pages) sizes.push(await firstLoadJs(p.url, p.cookie));
	for (const [i, p] of pages.entries()) {
		const js = sizes[i];
		const lh = await lighthouse(p.url, dir, p.cookie);
		const jsOk = js.gzipKb < TARGET.jsKb;
		let line = `${p.name.padEnd(18)} JS ${String(js.gzipKb).padStart(5)} KB gz (${js.files} files) ${jsOk ? 'ok' : 'OVER'}`;
		if (typeof lh === 'string') {
			line += `  ${lh}`;
		} else {
			const ok =
				lh.performance >= TARGET.performance &&
				lh.accessibility >= TARGET.accessibility &&
				lh['best-practices'] >= TARGET['best-practices'];
			line += `  performance ${lh.performance}  accessibility ${lh.accessibility}  best-practices ${lh['best-practices']}  ${ok ? 'ok' : 'BELOW TARGET'}`;
			if (!ok) failed = true;
		}
		if (!jsOk) failed = true;
		rows.push(line);
	}
	console.log(
		`\nTargets: performance ≥ ${TARGET.performance}, accessibility ${TARGET.accessibility}, best practices ${TARGET['best-practices']}, first-load JS < ${TARGET.jsKb} KB gzipped\n`
	);
	for (const r of rows) console.log(r);
} finally {
	app?.kill('SIGTERM');
	await stack.stop();
	rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
