/**
 * `npm start` (after `npm run build`): the production build on one machine, with the local
 * Supabase runtime and its data kept in `.supabase/` between runs. With PUBLIC_SUPABASE_URL on a
 * hosted project, only the app starts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDemoUsers, ensureRuntime } from './runtime.ts';

if (!existsSync('build/index.js')) {
	console.error('No production build found. Run `npm run build` first.');
	process.exit(1);
}

const runtime = await ensureRuntime({ mode: 'production' });
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
const origin = process.env.ORIGIN ?? `http://localhost:${port}`;
let demo: string[] = [];
if (runtime.local) demo = await ensureDemoUsers(runtime.env);

const app = spawn(process.execPath, ['build/index.js'], {
	stdio: 'inherit',
	env: {
		...process.env,
		...runtime.env,
		PORT: port,
		HOST: host,
		ORIGIN: origin,
		NODE_ENV: 'production'
	}
});

console.log(`\n  Groundwork (production build)\n\n  App      ${origin}`);
if (runtime.local) {
	console.log(`  API      ${runtime.local.apiUrl}\n  Mailbox  ${runtime.local.mailUrl}`);
	if (demo.length) console.log(`\n  Demo logins:\n${demo.join('\n')}`);
}
console.log('\n  Press Ctrl-C to stop.\n');

let stopping = false;
async function shutdown(code: number) {
	if (stopping) return;
	stopping = true;
	if (app.exitCode === null) app.kill('SIGTERM');
	await runtime.stop().catch((e: unknown) => console.error(e));
	process.exit(code);
}
app.on('exit', (code) => void shutdown(code ?? 0));
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
