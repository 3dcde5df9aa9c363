/**
 * A benchmark's process under test: a TypeScript file run with tsx in a child process, which
 * prints one JSON line `{"ready": …}` when it is ready and stops when its stdin closes. Keeps the
 * load generator and the runtime on separate event loops. A child that answers commands after that
 * prints one line per answer: `onLine` gets each line after the ready one.
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
	cwd: string,
	onLine?: (line: string) => void
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
		let started = false;
		child.once('exit', (code) => {
			if (!started) reject(new Error(`${script} exited (${code}) before it was ready`));
		});
		child.stdout!.on('data', (d: Buffer) => {
			buf += d.toString();
			const lines = buf.split('\n');
			buf = lines.pop()!;
			for (const line of lines) {
				if (started) onLine?.(line);
				else if (line.startsWith('{"ready"')) {
					started = true;
					resolve((JSON.parse(line) as { ready: T }).ready);
				}
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
