import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/**
 * PGlite takes no lock on its data folder, and two processes opening the same folder corrupt it.
 * This lock is a pid file beside the folder (`<dataDir>.lock`), created with O_EXCL so only one
 * opener wins. A lock whose process is gone (killed, crashed) is stale and is taken over.
 */

export class DataDirLockedError extends Error {
	readonly code = 'DATA_DIR_LOCKED';
	constructor(
		readonly dataDir: string,
		readonly pid: number
	) {
		super(
			`the database folder ${dataDir} is in use by process ${pid}: stop it with \`npm run supabase -- stop\``
		);
	}
}

interface LockInfo {
	pid: number;
	host: string;
	token: string;
}

export function lockPathOf(dataDir: string): string {
	return resolve(dataDir).replace(/[\\/]+$/, '') + '.lock';
}

function readLock(path: string): LockInfo | null {
	try {
		const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
		return typeof info.pid === 'number' ? (info as LockInfo) : { pid: 0, host: '', token: '' };
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		// Half-written or garbage: its writer died between open and write.
		return { pid: 0, host: '', token: '' };
	}
}

function alive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: the process exists but belongs to another user.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function tryCreate(path: string, info: LockInfo): boolean {
	let fd: number;
	try {
		fd = openSync(path, 'wx');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw e;
	}
	try {
		writeSync(fd, JSON.stringify(info));
	} finally {
		closeSync(fd);
	}
	return true;
}

/**
 * Takes the lock on `dataDir` or throws `DataDirLockedError` at once if a live process holds it
 * (this process included). Returns the release function (idempotent); the lock is also removed
 * when the process exits normally.
 */
export function acquireDataDirLock(dataDir: string): () => void {
	const path = lockPathOf(dataDir);
	const info: LockInfo = {
		pid: process.pid,
		host: hostname(),
		token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
	};
	for (let attempt = 0; attempt < 5; attempt++) {
		if (tryCreate(path, info)) return releaser(path, info.token);
		const held = readLock(path);
		if (held === null) continue; // released meanwhile
		if (held.pid > 0 && alive(held.pid) && (held.host === info.host || held.host === '')) {
			throw new DataDirLockedError(resolve(dataDir), held.pid);
		}
		// Stale. Move it aside under a name of our own (rename is atomic, so of two processes
		// taking over the same stale lock only one moves it), then check we moved the stale one.
		const aside = `${path}.stale-${info.token}`;
		try {
			renameSync(path, aside);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw e;
		}
		const moved = readLock(aside);
		if (moved && moved.token !== held.token && moved.pid > 0 && alive(moved.pid)) {
			// Another process took the stale lock over between our read and our rename: give it back.
			try {
				renameSync(aside, path);
			} catch {
				/* it will be seen as missing and re-created by its owner's next check */
			}
			throw new DataDirLockedError(resolve(dataDir), moved.pid);
		}
		try {
			unlinkSync(aside);
		} catch {
			/* already gone */
		}
	}
	const held = readLock(path);
	throw new DataDirLockedError(resolve(dataDir), held?.pid ?? 0);
}

function releaser(path: string, token: string): () => void {
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		process.off('exit', release);
		// Only remove the lock if it is still ours.
		if (readLock(path)?.token === token) {
			try {
				unlinkSync(path);
			} catch {
				/* already gone */
			}
		}
	};
	process.on('exit', release);
	return release;
}
