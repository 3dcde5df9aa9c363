/**
 * A benchmark's process under test: a TypeScript file run with tsx in a child process, which
 * prints one JSON line `{"ready": …}` when it is ready and stops when its stdin closes. Keeps the
 * load generator and the runtime on separate event loops. (bench/api.ts and bench/import.ts
 * spawn theirs by hand the same way and could use this too.)
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ReadyChild<T> {
	ready: T;
	child: ChildProcess;
	/** Closes stdin and waits for the exit (SIGKILL after 20 s). */
	stop(): Promise<void>;
}

export async function startReadyChild<T>(
	script: string,
	args: string[],
	cwd: string
): Promise<ReadyChild<T>> {
	const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
		cwd,
		stdio: ['pipe', 'pipe', 'inherit'],
		// The child picks its own database; an inherited test URL must not leak into it.
		env: { ...process.env, SUPABASE_DB_URL: '' }
	});
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const ready = await new Promise<T>((resolve, reject) => {
		let buf = '';
		child.once('exit', (code) =>
			reject(new Error(`${script} exited (${code}) before it was ready`))
		);
		child.stdout!.on('data', (d: Buffer) => {
			buf += d.toString();
			for (const line of buf.split('\n')) {
				if (line.startsWith('{"ready"')) resolve((JSON.parse(line) as { ready: T }).ready);
			}
		});
	});
	return {
		ready,
		child,
		async stop() {
			child.stdin!.end();
			const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(t);
		}
	};
}
