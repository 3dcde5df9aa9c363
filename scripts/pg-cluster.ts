/**
 * A throwaway PostgreSQL 15 cluster from Debian's binaries, for tests and benchmarks on native
 * PostgreSQL: a temporary folder, a free port, fsync off, stopped and deleted afterwards.
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export { freePort };

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
	url: string;
	port: number;
	stop(): void;
}

export function nativeAvailable(): boolean {
	return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

function asOwner(cmd: string, args: string[]): void {
	const root = process.getuid?.() === 0;
	const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function startCluster(opts: { fsync?: boolean } = {}): Promise<Cluster> {
	const dir = mkdtempSync(join(tmpdir(), 'gw-pg-'));
	chmodSync(dir, 0o755);
	if (process.getuid?.() === 0) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
	}
	const data = join(dir, 'data');
	asOwner(join(BIN, 'initdb'), [
		'-D',
		data,
		'-A',
		'trust',
		'-U',
		'postgres',
		'--nosync',
		'-E',
		'UTF8',
		'--locale=C.UTF-8'
	]);
	const port = await freePort();
	const fsync = opts.fsync ? 'on' : 'off';
	asOwner(join(BIN, 'pg_ctl'), [
		'-D',
		data,
		'-w',
		'-l',
		join(dir, 'log'),
		'-o',
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync} -c max_connections=200`,
		'start'
	]);
	let stopped = false;
	return {
		url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
		port,
		stop() {
			if (stopped) return;
			stopped = true;
			try {
				asOwner(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
