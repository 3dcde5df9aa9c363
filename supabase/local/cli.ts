/**
 * `npm run supabase -- <command>`: the Supabase CLI's local commands, without Docker.
 *
 *   start [--workdir DIR] [--api-port N] [--db-port N] [--mail-port N] [--smtp-port N] [--db-url URL] [--foreground]
 *   stop
 *   status [-o env|json]
 *   db reset
 *
 * Flags may also come from the environment: SUPABASE_WORKDIR, SUPABASE_API_PORT, SUPABASE_DB_PORT,
 * SUPABASE_MAIL_PORT, SUPABASE_SMTP_PORT, SUPABASE_DB_URL.
 */
import { spawn } from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { startStack, type StackOptions } from './stack.ts';

interface State {
	pid: number;
	apiUrl: string;
	dbUrl: string;
	mailUrl: string;
	/** Absent in a state file written before the SMTP receiver existed. */
	smtpUrl?: string;
	anonKey: string;
	serviceRoleKey: string;
	jwtSecret: string;
	engine: 'pglite' | 'postgres';
}

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		workdir: { type: 'string' },
		'api-port': { type: 'string' },
		'db-port': { type: 'string' },
		'mail-port': { type: 'string' },
		'smtp-port': { type: 'string' },
		'db-url': { type: 'string' },
		output: { type: 'string', short: 'o' },
		foreground: { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	}
});

const workdir = resolve(values.workdir ?? process.env.SUPABASE_WORKDIR ?? '.supabase');
const stateFile = join(workdir, 'runtime.json');
const logFile = join(workdir, 'runtime.log');

function port(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`"${v}" is not a port number.`);
	return n;
}

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

function stackOptions(): StackOptions {
	return {
		workdir,
		apiPort: port(values['api-port']),
		dbPort: port(values['db-port']),
		mailPort: port(values['mail-port']),
		smtpPort: port(values['smtp-port']),
		dbUrl: values['db-url'] ?? undefined
	};
}

function readState(): State | null {
	if (!existsSync(stateFile)) return null;
	try {
		return JSON.parse(readFileSync(stateFile, 'utf8')) as State;
	} catch {
		return null;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function healthy(apiUrl: string): Promise<boolean> {
	try {
		const r = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(1000) });
		return r.ok;
	} catch {
		return false;
	}
}

async function running(): Promise<State | null> {
	const s = readState();
	if (s && alive(s.pid) && (await healthy(s.apiUrl))) return s;
	return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function printStatus(s: State, format: string | undefined): void {
	const env: Record<string, string> = {
		API_URL: s.apiUrl,
		REST_URL: `${s.apiUrl}/rest/v1`,
		DB_URL: s.dbUrl,
		INBUCKET_URL: s.mailUrl,
		MAILPIT_URL: s.mailUrl,
		...(s.smtpUrl ? { SMTP_URL: s.smtpUrl } : {}),
		JWT_SECRET: s.jwtSecret,
		ANON_KEY: s.anonKey,
		SERVICE_ROLE_KEY: s.serviceRoleKey
	};
	if (format === 'env') {
		for (const [k, v] of Object.entries(env)) console.log(`${k}="${v}"`);
	} else if (format === 'json') {
		console.log(JSON.stringify(env, null, 2));
	} else {
		console.log(`local Supabase is running (${s.engine}, pid ${s.pid}).\n`);
		for (const [k, v] of Object.entries(env)) console.log(`${k.padStart(18)}: ${v}`);
	}
}

/** Runs the stack in this process until SIGINT/SIGTERM. */
async function serve(): Promise<void> {
	mkdirSync(workdir, { recursive: true });
	const stack = await startStack({ ...stackOptions(), log: (l) => console.log(l) });
	const state: State = {
		pid: process.pid,
		apiUrl: stack.apiUrl,
		dbUrl: stack.dbUrl,
		mailUrl: stack.mailUrl,
		smtpUrl: stack.smtpUrl,
		anonKey: stack.anonKey,
		serviceRoleKey: stack.serviceRoleKey,
		jwtSecret: stack.jwtSecret,
		engine: stack.db.kind
	};
	writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
	console.log(`ready: API ${stack.apiUrl}, DB ${stack.dbUrl || '(native)'}, mail ${stack.mailUrl}`);
	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		await stack.stop();
		rmSync(stateFile, { force: true });
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown());
	process.on('SIGTERM', () => void shutdown());
}

async function start(): Promise<void> {
	const current = await running();
	if (current) {
		console.log('local Supabase is already running.');
		printStatus(current, values.output);
		return;
	}
	if (values.foreground) return serve();
	mkdirSync(workdir, { recursive: true });
	rmSync(stateFile, { force: true });
	const out = openSync(logFile, 'a');
	const args = ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve', '--workdir', workdir];
	for (const flag of ['api-port', 'db-port', 'mail-port', 'smtp-port', 'db-url'] as const) {
		const v = values[flag];
		if (v !== undefined) args.push(`--${flag}`, v);
	}
	const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
	closeSync(out);
	let exited: number | null = null;
	child.on('exit', (code) => (exited = code ?? 1));
	child.unref();
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (exited !== null) {
			const tail = existsSync(logFile)
				? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')
				: '';
			fail(`local Supabase failed to start (exit ${exited}). Last lines of ${logFile}:\n${tail}`);
		}
		const s = readState();
		if (s && (await healthy(s.apiUrl))) {
			printStatus(s, values.output);
			return;
		}
		await sleep(100);
	}
	fail(`local Supabase did not become healthy within 120 s; see ${logFile}.`);
}

async function stop(): Promise<boolean> {
	const s = readState();
	if (!s || !alive(s.pid)) {
		rmSync(stateFile, { force: true });
		return false;
	}
	process.kill(s.pid, 'SIGTERM');
	const deadline = Date.now() + 30_000;
	while (alive(s.pid) && Date.now() < deadline) await sleep(50);
	if (alive(s.pid)) process.kill(s.pid, 'SIGKILL');
	rmSync(stateFile, { force: true });
	return true;
}

async function reset(): Promise<void> {
	const wasRunning = await stop();
	const config = await loadConfig(stackOptions());
	if (config.dbUrl) {
		const { openDatabase } = await import('./db/index.ts');
		const { reset: resetDb } = await import('./migrate.ts');
		const db = await openDatabase({ dbUrl: config.dbUrl });
		try {
			await resetDb(db, resolve('supabase'));
		} finally {
			await db.close();
		}
	} else {
		rmSync(join(workdir, 'db'), { recursive: true, force: true });
	}
	console.log('database reset: baseline, migrations and seed.sql applied.');
	if (wasRunning || !config.dbUrl) await start();
}

const [command, sub] = positionals;
if (values.help || !command) {
	console.log(
		'usage: npm run supabase -- start [--workdir DIR] [--api-port N] [--db-port N] [--mail-port N] [--smtp-port N] [--db-url URL] [--foreground]\n' +
			'                          stop | status [-o env|json] | db reset'
	);
	process.exit(command ? 0 : 1);
}

switch (command) {
	case 'start':
		await start();
		break;
	case 'serve':
		await serve();
		break;
	case 'stop':
		console.log((await stop()) ? 'stopped local Supabase.' : 'local Supabase is not running.');
		break;
	case 'status': {
		const s = await running();
		if (!s)
			fail(
				`local Supabase is not running (workdir ${workdir}). Start it with: npm run supabase -- start`
			);
		printStatus(s, values.output);
		break;
	}
	case 'db':
		if (sub !== 'reset') fail(`unknown command "db ${sub ?? ''}". Did you mean "db reset"?`);
		await reset();
		break;
	default:
		fail(`unknown command "${command}". Commands: start, stop, status, db reset.`);
}
