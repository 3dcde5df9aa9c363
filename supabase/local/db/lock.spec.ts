import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index.ts';
import { acquireDataDirLock, DataDirLockedError, lockPathOf } from './lock.ts';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'db-lock-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lockModule = new URL('./lock.ts', import.meta.url).pathname;
const indexModule = new URL('./index.ts', import.meta.url).pathname;

/** Runs a script in another Node process (with tsx), returns its stdout and stderr. */
async function inChild(code: string): Promise<{ out: string; ms: number }> {
	const started = Date.now();
	try {
		const { stdout, stderr } = await run(
			process.execPath,
			['--import', 'tsx', '--input-type=module', '-e', code],
			{ timeout: 20_000 }
		);
		return { out: stdout + stderr, ms: Date.now() - started };
	} catch (e) {
		const err = e as { stdout?: string; stderr?: string };
		return { out: (err.stdout ?? '') + (err.stderr ?? ''), ms: Date.now() - started };
	}
}

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await new Promise((r) => child.on('exit', r));
	return child.pid!;
}

describe('data folder lock', () => {
	it('refuses a second opener in the same process with a clear message', () => {
		const dir = join(root, 'same-process');
		const release = acquireDataDirLock(dir);
		try {
			expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
			expect(() => acquireDataDirLock(dir)).toThrow(
				`the database folder ${dir} is in use by process ${process.pid}: stop it with \`npm run supabase -- stop\``
			);
		} finally {
			release();
		}
		expect(existsSync(lockPathOf(dir))).toBe(false);
		acquireDataDirLock(dir)();
	});

	it('refuses an opener in another process, fast', async () => {
		const dir = join(root, 'other-process');
		const release = acquireDataDirLock(dir);
		try {
			const { out } = await inChild(
				`import { acquireDataDirLock } from ${JSON.stringify(lockModule)};
				 try { acquireDataDirLock(${JSON.stringify(dir)}); console.log('acquired'); }
				 catch (e) { console.log(e.message); }`
			);
			expect(out).toContain(`is in use by process ${process.pid}`);
			expect(out).not.toContain('acquired');
		} finally {
			release();
		}
	});

	it('takes over the lock of a process that is gone', async () => {
		const dir = join(root, 'stale');
		writeFileSync(
			lockPathOf(dir),
			JSON.stringify({ pid: await deadPid(), host: '', token: 'old' })
		);
		const release = acquireDataDirLock(dir);
		expect(JSON.parse(readFileSync(lockPathOf(dir), 'utf8')).pid).toBe(process.pid);
		release();
		// A torn lock file (its writer died mid-write) is stale too.
		writeFileSync(lockPathOf(dir), '{"pid":');
		acquireDataDirLock(dir)();
	});

	it('guards a persisted PGlite folder: a second process fails fast, the data survives reopening', async () => {
		const dir = join(root, 'pglite');
		const db = await openDatabase({ dataDir: dir });
		try {
			await db.exec('create table kept (id int); insert into kept values (1)');
			await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/is in use by process/);
			const { out, ms } = await inChild(
				`import { openDatabase } from ${JSON.stringify(indexModule)};
				 try { await openDatabase({ dataDir: ${JSON.stringify(dir)} }); console.log('opened'); }
				 catch (e) { console.log(e.message); }`
			);
			expect(out).toContain(`the database folder ${dir} is in use by process ${process.pid}`);
			expect(ms).toBeLessThan(10_000);
		} finally {
			await db.close();
		}
		const again = await openDatabase({ dataDir: dir });
		try {
			expect((await again.query('select id from kept')).rows).toEqual([{ id: 1 }]);
		} finally {
			await again.close();
		}
	}, 60_000);
});
