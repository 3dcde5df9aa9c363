/**
 * `npm run dev`: the local Supabase runtime (unless the env points at a hosted project), demo
 * accounts, and Vite's dev server, stopped together on Ctrl-C.
 */
import { createServer } from 'vite';
import { ensureDemoUsers, ensureRuntime } from './runtime.ts';

const runtime = await ensureRuntime({ mode: 'development' });
Object.assign(process.env, runtime.env);

let demo: string[] = [];
if (runtime.local) demo = await ensureDemoUsers(runtime.env);

// Vite reads the env from process.env; `localhost` keeps mailbox links (redirects to site_url's
// host) landing on this server.
const vite = await createServer({ server: { host: process.env.HOST ?? 'localhost' } });
await vite.listen();

const appUrl = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
console.log(`\n  Groundwork is running.\n\n  App      ${appUrl}`);
if (runtime.local) {
	console.log(`  API      ${runtime.local.apiUrl}`);
	console.log(
		`  Mailbox  ${runtime.local.mailUrl}   (sign-in, reset and confirmation emails land here)`
	);
	console.log(`  DB       ${runtime.local.dbUrl}`);
	if (demo.length) console.log(`\n  Demo logins:\n${demo.join('\n')}`);
}
console.log('\n  Press Ctrl-C to stop.\n');
vite.bindCLIShortcuts({ print: false });

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping…`);
	await vite.close().catch(() => undefined);
	await runtime.stop().catch((e: unknown) => console.error(e));
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
