/**
 * `npm test`: the whole suite, in order of speed. Unit tests; database and runtime tests on PGlite;
 * the same database tests on native PostgreSQL 15 when its binaries are installed (a throwaway
 * cluster); the crash tests; the browser tests. Stops at the first failing stage.
 */
import { spawnSync } from 'node:child_process';
import { nativeAvailable, startCluster } from './pg-cluster.ts';

/** Thrown by a failing stage; caught at the end, after cleanups such as stopping the cluster. */
class StageFailed extends Error {
	constructor(readonly status: number) {
		super(`exit ${status}`);
	}
}

function run(label: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
	console.log(`\n=== ${label} ===`);
	const started = Date.now();
	const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(
		`=== ${label}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`
	);
	if (r.status !== 0) throw new StageFailed(r.status ?? 1);
}

try {
	run('unit', ['vitest', 'run', '--project', 'unit']);
	run('database (PGlite)', ['vitest', 'run', '--project', 'db'], { SUPABASE_DB_URL: '' });
	if (nativeAvailable() && process.env.GW_SKIP_NATIVE !== '1') {
		const cluster = await startCluster();
		try {
			// The runtime's own engine tests (db, baseline, migrate) and every database test, again on
			// native PostgreSQL 15.
			run(
				'runtime engine (PostgreSQL 15)',
				['vitest', 'run', '--project', 'unit', 'supabase/local'],
				{
					SUPABASE_DB_URL: cluster.url
				}
			);
			run('database (PostgreSQL 15)', ['vitest', 'run', '--project', 'db'], {
				SUPABASE_DB_URL: cluster.url
			});
		} finally {
			cluster.stop();
		}
	} else {
		console.log(
			'\n=== database (PostgreSQL 15): not run, /usr/lib/postgresql/15/bin is missing (apt-get install postgresql-15) ==='
		);
	}
	run('crash', ['vitest', 'run', '--project', 'crash']);
	run('browser (Playwright, Chromium)', ['playwright', 'test']);
} catch (e) {
	if (!(e instanceof StageFailed)) throw e;
	process.exit(e.status);
}
