import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type ConfigOptions } from './config.ts';
import { openDatabase, pgliteOf } from './db/index.ts';
import { startWireServer } from './db/wire.ts';
import { applyBaseline, migrate, seed } from './migrate.ts';
import { createRest } from './rest/index.ts';
import { createAuth } from './auth/index.ts';
import { createMailbox, createMailHandler } from './mail/index.ts';
import { startSmtpServer } from './mail/smtp.ts';
import { createApiServer } from './server.ts';
import { createRealtime } from './realtime/index.ts';
import type { Database, RuntimeConfig } from './types.ts';

export interface StackOptions extends ConfigOptions {
	/** Run `seed.sql` when the database is new (default true for a persisted stack). */
	seed?: boolean;
	/** Serve the database on the wire protocol (PGlite only; default true). */
	wire?: boolean;
	/** Start from a prepared data folder dump (tests), skipping baseline and migrations. */
	loadDataDir?: Blob;
	/** Apply the baseline and pending migrations on start (default true; off for prepared clones). */
	migrate?: boolean;
	log?: (line: string) => void;
}

export interface Stack {
	config: RuntimeConfig;
	db: Database;
	apiUrl: string;
	dbUrl: string;
	mailUrl: string;
	/** The SMTP receiver feeding the mailbox: `smtp://host:port` (the app's SMTP_URL locally). */
	smtpUrl: string;
	anonKey: string;
	serviceRoleKey: string;
	jwtSecret: string;
	/** Migrations applied by this start. */
	applied: string[];
	/** Reloads the REST schema cache now (tests that create tables by hand). */
	reloadSchema(): Promise<void>;
	stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((res, rej) => {
		server.once('error', rej);
		server.listen(port, host, () => {
			server.off('error', rej);
			res((server.address() as AddressInfo).port);
		});
	});
}

function close(server: Server): Promise<void> {
	return new Promise((res) => {
		server.close(() => res());
		server.closeAllConnections();
	});
}

/**
 * Starts a whole local Supabase: database, migrations, REST, Auth, mailbox (HTTP and SMTP) and the
 * DB port.
 * Ports of 0 pick free ones (tests). Everything started is stopped by `stop()`, in reverse order.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
	const log = opts.log ?? (() => {});
	const config = await loadConfig(opts);
	const supabaseDir = resolve(opts.supabaseDir ?? 'supabase');
	const dataDir = join(config.workdir, 'db');
	const isNew = !config.dbUrl && !config.memory && !existsSync(dataDir);

	const db = await openDatabase({
		dbUrl: config.dbUrl,
		memory: config.memory,
		dataDir: config.memory ? undefined : dataDir,
		loadDataDir: opts.loadDataDir
	});
	const cleanups: (() => Promise<void>)[] = [() => db.close()];
	const stop = async () => {
		for (const c of cleanups.reverse()) {
			try {
				await c();
			} catch (e) {
				log(`stop: ${String(e)}`);
			}
		}
		cleanups.length = 0;
	};

	try {
		let applied: string[] = [];
		if (!opts.loadDataDir && opts.migrate !== false) {
			await applyBaseline(db);
			applied = await migrate(db, join(supabaseDir, 'migrations'), { log });
			if (isNew && (opts.seed ?? true)) await seed(db, supabaseDir);
		}

		const rest = await createRest({ db, config });
		cleanups.push(() => rest.close());
		const mailbox = createMailbox();
		const auth = createAuth({ db, config, mailbox });

		const realtime = await createRealtime({ db, config, log: opts.log });
		const api = createApiServer(config, {
			rest: rest.handler,
			auth: auth.handler,
			realtime: realtime.handler
		});
		api.on('upgrade', realtime.upgrade);
		cleanups.push(() => close(api));
		// Runs before the API closes (cleanups run in reverse): WebSockets are not the HTTP server's to end.
		cleanups.push(() => realtime.close());
		const apiPort = await listen(api, config.apiPort, config.host);
		const mail = createServer(createMailHandler(mailbox));
		const mailPort = await listen(mail, config.mailPort, config.host);
		cleanups.push(() => close(mail));
		const smtp = await startSmtpServer(mailbox, { host: config.host, port: config.smtpPort });
		cleanups.push(() => smtp.close());

		let dbUrl = config.dbUrl ?? '';
		if (!config.dbUrl && opts.wire !== false) {
			const wire = await startWireServer(pgliteOf(db), { host: config.host, port: config.dbPort });
			cleanups.push(() => wire.close());
			dbUrl = `postgresql://postgres:postgres@${config.host}:${wire.port}/postgres?sslmode=disable`;
		}

		// Ports chosen by the OS (0) are written back so status and clients see the real ones.
		config.apiPort = apiPort;
		config.mailPort = mailPort;
		config.smtpPort = smtp.port;
		const apiUrl = `http://${config.host}:${apiPort}`;
		return {
			config,
			db,
			apiUrl,
			dbUrl,
			mailUrl: `http://${config.host}:${mailPort}`,
			smtpUrl: `smtp://${config.host}:${smtp.port}`,
			anonKey: config.anonKey,
			serviceRoleKey: config.serviceRoleKey,
			jwtSecret: config.jwtSecret,
			applied,
			reloadSchema: () => rest.reload(),
			stop
		};
	} catch (e) {
		await stop();
		throw e;
	}
}
