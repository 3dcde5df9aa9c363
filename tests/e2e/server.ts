/**
 * Playwright's web server. Two fresh local Supabase runtimes (in memory, free ports, migrations
 * applied), each behind its own adapter-node server of one production build:
 * - `default` on GW_E2E_PORT with supabase/config.toml as is (email confirmations off, like the
 *   Supabase CLI);
 * - `confirm` on GW_E2E_PORT_CONFIRM with email confirmations on, like a hosted project, so sign-up
 *   confirmation and the two-link email change are tested too.
 * Where each runtime listens is written to $GW_E2E_DIR/runtime.json (mailbox, admin API).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStack, type Stack } from '../../supabase/local/stack.ts';

const dir = process.env.GW_E2E_DIR;
const port = process.env.GW_E2E_PORT;
const confirmPort = process.env.GW_E2E_PORT_CONFIRM;
if (!dir || !port || !confirmPort) throw new Error('run through playwright (GW_E2E_* unset)');

/** A copy of supabase/ whose config.toml turns email confirmations on. */
function confirmingSupabaseDir(): string {
	const target = join(dir!, 'supabase-confirm');
	mkdirSync(target, { recursive: true });
	const toml = readFileSync('supabase/config.toml', 'utf8').replace(
		/^enable_confirmations\s*=\s*false/m,
		'enable_confirmations = true'
	);
	if (!/^enable_confirmations = true/m.test(toml)) throw new Error('config.toml changed shape');
	writeFileSync(join(target, 'config.toml'), toml);
	symlinkSync(resolve('supabase/migrations'), join(target, 'migrations'));
	return target;
}

const common = {
	memory: true,
	apiPort: 0,
	dbPort: 0,
	mailPort: 0,
	smtpPort: 0,
	wire: false,
	seed: false
};
const stacks: Stack[] = [];
const apps: ChildProcess[] = [];

let stopping = false;
async function shutdown(code = 0) {
	if (stopping) return;
	stopping = true;
	for (const app of apps) if (app.exitCode === null) app.kill('SIGTERM');
	for (const s of stacks) await s.stop();
	process.exit(code);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

stacks.push(await startStack({ ...common, workdir: join(dir, 'default') }));
stacks.push(
	await startStack({
		...common,
		workdir: join(dir, 'confirm'),
		supabaseDir: confirmingSupabaseDir()
	})
);
// The whole suite signs in and sends mail far more often than one person could: GoTrue's per-IP
// limits (30 sign-ins per 5 minutes, 30 mails an hour) would otherwise fail later tests at random.
// The limits themselves are tested against the runtime in supabase/tests/auth-flows.test.ts.
for (const s of stacks) {
	s.config.auth.rateLimit.signInSignUps = 10_000;
	s.config.auth.rateLimit.emailSent = 10_000;
	s.config.auth.rateLimit.tokenVerifications = 10_000;
}
const info = (s: Stack) => ({
	apiUrl: s.apiUrl,
	mailUrl: s.mailUrl,
	anonKey: s.anonKey,
	serviceRoleKey: s.serviceRoleKey
});
writeFileSync(
	join(dir, 'runtime.json'),
	JSON.stringify({ default: info(stacks[0]), confirm: info(stacks[1]) })
);

if (!process.env.GW_E2E_SKIP_BUILD) {
	const build = spawnSync(
		process.execPath,
		['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
		{ stdio: 'inherit' }
	);
	if (build.status !== 0) await shutdown(build.status ?? 1);
}

function startApp(stack: Stack, appPort: string): ChildProcess {
	const app = spawn(process.execPath, ['build/index.js'], {
		stdio: 'inherit',
		env: {
			...process.env,
			PUBLIC_SUPABASE_URL: stack.apiUrl,
			PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
			SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
			SMTP_URL: stack.smtpUrl,
			HOST: '127.0.0.1',
			PORT: appPort,
			ORIGIN: `http://localhost:${appPort}`,
			NODE_ENV: 'production'
		}
	});
	app.on('exit', () => void shutdown());
	apps.push(app);
	return app;
}

// Playwright waits for the default app only, so the other one starts first and is awaited here.
startApp(stacks[1], confirmPort);
for (let i = 0; ; i++) {
	try {
		await fetch(`http://127.0.0.1:${confirmPort}/`);
		break;
	} catch {
		if (i > 300) await shutdown(1);
		await new Promise((r) => setTimeout(r, 100));
	}
}
startApp(stacks[0], port);
