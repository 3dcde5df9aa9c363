/**
 * The local runtime as a child process, exactly as `npm run supabase -- start` runs it
 * (`cli.ts serve`), in a throwaway project folder of its own: tests and benchmarks that kill it,
 * restart it or time its start-up use this.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/free-port.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(root, 'supabase/local/cli.ts');

export interface Project {
	/** The project folder (holds `supabase/`); the child runs with it as cwd. */
	dir: string;
	/** The runtime's work directory (data folder, lock, secret, runtime.json). */
	workdir: string;
	remove(): void;
}

/**
 * A project with its own `supabase/config.toml` and migrations. The CLI finds `supabase/` in its
 * cwd, and `node --import tsx` resolves tsx from there too, hence the node_modules link.
 */
export function makeProject(migrations: Record<string, string>, configToml = ''): Project {
	const dir = mkdtempSync(join(tmpdir(), 'gw-proj-'));
	mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
	writeFileSync(join(dir, 'supabase/config.toml'), configToml);
	for (const [name, sql] of Object.entries(migrations))
		writeFileSync(join(dir, 'supabase/migrations', name), sql);
	symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
	const workdir = join(dir, '.supabase');
	return { dir, workdir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RuntimeState {
	pid: number;
	apiUrl: string;
	dbUrl: string;
	anonKey: string;
	serviceRoleKey: string;
}

export interface RunningRuntime extends RuntimeState {
	child: ChildProcess;
	/** Milliseconds from spawn to a healthy /health. */
	startMs: number;
	/** Whatever the child printed (for failure messages). */
	output(): string;
	kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `n` distinct free ports (freePort never hands out the same port twice in one process). */
export async function freePorts(n: number): Promise<number[]> {
	const ports: number[] = [];
	for (let i = 0; i < n; i++) ports.push(await freePort());
	return ports;
}

async function healthy(apiUrl: string): Promise<boolean> {
	try {
		const r = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(1000) });
		return r.ok;
	} catch {
		return false;
	}
}

/** Starts `cli.ts serve` on free ports and waits until it answers /health. */
export async function startRuntime(
	project: Project,
	opts: { dbUrl?: string; timeoutMs?: number } = {}
): Promise<RunningRuntime> {
	const [api, db, mail] = await freePorts(3);
	const args = ['--import', 'tsx', CLI, 'serve', '--workdir', project.workdir];
	args.push('--api-port', String(api), '--db-port', String(db), '--mail-port', String(mail));
	if (opts.dbUrl) args.push('--db-url', opts.dbUrl);
	const t0 = performance.now();
	const child = spawn(process.execPath, args, {
		cwd: project.dir,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, SUPABASE_DB_URL: '' }
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	let exit: number | string | null = null;
	const exited = new Promise<void>((r) =>
		child.once('exit', (code, signal) => {
			exit = code ?? signal ?? 'exit';
			r();
		})
	);
	const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
		if (exit === null) child.kill(signal);
		await exited;
	};
	const stateFile = join(project.workdir, 'runtime.json');
	const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		if (exit !== null) throw new Error(`runtime exited (${exit}) before it was healthy:\n${out}`);
		// runtime.json of a killed predecessor stays behind: only this child's counts.
		if (existsSync(stateFile)) {
			let s: RuntimeState | null = null;
			try {
				s = JSON.parse(readFileSync(stateFile, 'utf8')) as RuntimeState;
			} catch {
				// being written
			}
			if (s && s.pid === child.pid && (await healthy(s.apiUrl))) {
				return { ...s, child, startMs: performance.now() - t0, output: () => out, kill };
			}
		}
		await new Promise((r) => setTimeout(r, 25));
	}
	await kill();
	throw new Error(`runtime not healthy within ${opts.timeoutMs ?? 60_000} ms:\n${out}`);
}
