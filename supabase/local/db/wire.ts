/**
 * The DB port for PGlite: the Postgres wire protocol on TCP, so `psql` and `pg` clients connect to
 * the same PGlite the API uses.
 *
 * Why not PGLiteSocketServer from @electric-sql/pglite-socket: it queues wire messages under
 * PGlite's query lock only, so API calls run between the messages of a wire client's open
 * transaction (inside it), and with maxConnections > 1 all clients share one session (SET, temp
 * tables and prepared statements leak between them). Here instead:
 * - every wire message runs through the session arbiter (pglite.ts), the same queue as API calls;
 *   while the client's transaction is open (ReadyForQuery status 'T' or 'E', or an extended-protocol
 *   batch not yet synced) the client keeps the session, so nothing else runs inside its transaction
 *   and its statements never run inside an API transaction;
 * - when the API (or nothing) takes the session back, the client's session settings (SET ROLE,
 *   search_path, …) are saved and reset, and restored before its next message;
 * - one wire client has the session at a time: others wait (up to `queueTimeoutMs`) until it
 *   disconnects; on disconnect its transaction is rolled back and its state discarded (prepared
 *   statements, cursors, temp tables, advisory locks, its LISTENs, settings).
 * Limits: notifications the API's own statements raise are not delivered to wire clients; a wire
 * client's temp tables are visible to API calls while it is connected (one session).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { protocol, type PGlite } from '@electric-sql/pglite';
import type { Database } from '../types.ts';
import { arbiterOf, passThrough, PgliteDatabase, type SessionArbiter } from './pglite.ts';
import { serializeParam } from './values.ts';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

export interface WireServerOptions {
	host?: string;
	/** 0 (default) picks a free port. */
	port?: number;
	/** How long a second client waits for the session before it gets an error. Default 30 s. */
	queueTimeoutMs?: number;
	/**
	 * A client idle inside an open transaction blocks the API; after this long it is disconnected
	 * (its transaction rolled back), like Postgres' idle_in_transaction_session_timeout.
	 * Default 60 s; 0 disables it.
	 */
	idleInTransactionTimeoutMs?: number;
}

export interface WireServer {
	host: string;
	port: number;
	close(): Promise<void>;
}

/** An ErrorResponse message (severity, SQLSTATE, message). */
function errorResponse(severity: string, code: string, message: string): Buffer {
	const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${message}\0\0`, 'utf8');
	const head = Buffer.alloc(5);
	head.write('E', 0);
	head.writeInt32BE(fields.length + 4, 1);
	return Buffer.concat([head, fields]);
}

/** Reassembles backend messages from PGlite's output chunks. */
class BackendFramer {
	#pending: Buffer = Buffer.alloc(0);

	/** Complete messages in `chunk` (and before it); keeps an incomplete tail for the next call. */
	push(chunk: Uint8Array): Buffer[] {
		const buf = this.#pending.length
			? Buffer.concat([this.#pending, chunk])
			: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		const out: Buffer[] = [];
		let i = 0;
		while (buf.length - i >= 5) {
			const end = i + 1 + buf.readInt32BE(i + 1);
			if (end > buf.length) break;
			out.push(buf.subarray(i, end));
			i = end;
		}
		// Copy the tail: PGlite reuses its output buffer.
		this.#pending = Buffer.from(buf.subarray(i));
		return out;
	}
}

/** `COPY … FROM STDIN` (also what psql's `\copy … from` sends). */
const COPY_FROM_STDIN = /\bcopy\b[^;]*\bfrom\s+stdin\b/i;

const COPY_IN_REFUSAL = Buffer.from(
	`do $$ begin raise exception using errcode = '0A000', message = ` +
		`'COPY FROM STDIN is not supported on the PGlite database port (PGlite 0.5 aborts on it)', ` +
		`hint = 'use INSERT statements, or native PostgreSQL (SUPABASE_DB_URL)'; end $$`,
	'utf8'
);

/**
 * PGlite 0.5 exits (the whole process) when a COPY FROM STDIN reaches it over the raw protocol,
 * so a Query or Parse carrying one is replaced by a statement raising a clear error instead.
 */
export function refuseCopyIn(msg: Buffer): Buffer {
	const type = msg[0];
	if (type === 0x51 /* Q */) {
		if (!COPY_FROM_STDIN.test(msg.subarray(5).toString('utf8'))) return msg;
		return frontendMessage('Q', [COPY_IN_REFUSAL, Buffer.from([0])]);
	}
	if (type === 0x50 /* P */) {
		const nameEnd = msg.indexOf(0, 5);
		const textEnd = msg.indexOf(0, nameEnd + 1);
		if (!COPY_FROM_STDIN.test(msg.subarray(nameEnd + 1, textEnd).toString('utf8'))) return msg;
		return frontendMessage('P', [
			msg.subarray(5, nameEnd + 1),
			COPY_IN_REFUSAL,
			Buffer.from([0]),
			msg.subarray(textEnd + 1)
		]);
	}
	return msg;
}

function frontendMessage(type: string, parts: Buffer[]): Buffer {
	const body = Buffer.concat(parts);
	const head = Buffer.alloc(5);
	head.write(type, 0);
	head.writeInt32BE(body.length + 4, 1);
	return Buffer.concat([head, body]);
}

let nextClientId = 1;

class WireClient {
	readonly id = `wire-${nextClientId++}`;
	#incoming: Buffer = Buffer.alloc(0);
	#queue: Buffer[] = [];
	#pumping = false;
	#started = false;
	#release: (() => void) | null = null;
	/** True once a ReadyForQuery 'I' was the last thing the backend said. */
	#idle = true;
	#closed = false;
	#idleTimer: NodeJS.Timeout | undefined;
	#waitTimer: NodeJS.Timeout | undefined;
	#seated = false;
	ended: Promise<void>;
	#resolveEnded!: () => void;

	constructor(
		readonly socket: Socket,
		readonly server: WireSessionServer
	) {
		this.ended = new Promise((r) => (this.#resolveEnded = r));
		socket.setNoDelay(true);
		socket.on('data', (d) => this.#onData(d));
		socket.on('error', () => this.end());
		socket.on('close', () => this.end());
	}

	get pglite(): PGlite {
		return this.server.pglite;
	}

	get arbiter(): SessionArbiter {
		return this.server.arbiter;
	}

	#onData(data: Buffer): void {
		this.#incoming = this.#incoming.length ? Buffer.concat([this.#incoming, data]) : data;
		for (;;) {
			const buf = this.#incoming;
			if (!this.#started) {
				// Before the startup message: untyped messages (length, code).
				if (buf.length < 8) return;
				const len = buf.readInt32BE(0);
				if (buf.length < len) return;
				const code = buf.readInt32BE(4);
				this.#incoming = buf.subarray(len);
				if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
					this.socket.write('N');
				} else if (code === CANCEL_REQUEST) {
					// No backend process to signal: like pglite-socket, accept and close.
					this.socket.end();
					return;
				} else if (code === PROTOCOL_3) {
					this.#started = true;
					this.#queue.push(Buffer.from(buf.subarray(0, len)));
					this.server.seat(this);
				} else {
					this.socket.end(errorResponse('FATAL', '0A000', 'unsupported frontend protocol'));
					return;
				}
				continue;
			}
			if (buf.length < 5) return;
			const len = 1 + buf.readInt32BE(1);
			if (buf.length < len) return;
			this.#queue.push(Buffer.from(buf.subarray(0, len)));
			this.#incoming = buf.subarray(len);
			void this.pump();
		}
	}

	/** Called by the server once this client has the wire seat. */
	takeSeat(): void {
		clearTimeout(this.#waitTimer);
		this.#seated = true;
		void this.pump();
	}

	waitForSeat(timeoutMs: number): void {
		if (timeoutMs <= 0) return;
		this.#waitTimer = setTimeout(() => {
			this.socket.end(
				errorResponse(
					'FATAL',
					'53300',
					'the database port serves one client at a time (PGlite has a single session) and ' +
						'another client is connected: disconnect it, or use native PostgreSQL (SUPABASE_DB_URL)'
				)
			);
			this.end();
		}, timeoutMs);
	}

	async pump(): Promise<void> {
		if (this.#pumping || !this.#seated || this.#closed) return;
		this.#pumping = true;
		clearTimeout(this.#idleTimer);
		try {
			while (this.#queue.length > 0 && !this.#closed) {
				const msg = this.#queue.shift()!;
				if (msg[0] === 0x58 /* X: Terminate */) {
					this.socket.end();
					this.end();
					return;
				}
				if (!this.#release) this.#release = await this.arbiter.hold(this.id);
				if (this.#closed) break;
				await this.#execute(msg);
				if (this.#idle) {
					this.#release();
					this.#release = null;
				}
			}
		} catch (e) {
			this.socket.destroy(e as Error);
			this.end();
		} finally {
			this.#pumping = false;
		}
		if (this.#release && !this.#closed) this.#armIdleTimer();
	}

	#armIdleTimer(): void {
		const ms = this.server.idleInTransactionTimeoutMs;
		if (ms <= 0) return;
		this.#idleTimer = setTimeout(() => {
			this.socket.end(
				errorResponse(
					'FATAL',
					'25P03',
					'terminating connection due to idle-in-transaction timeout (an open transaction on the ' +
						'database port blocks the API)'
				)
			);
			this.end();
		}, ms);
	}

	/** Runs one frontend message; forwards the output; tracks ReadyForQuery. */
	async #execute(frontend: Buffer): Promise<void> {
		const msg = refuseCopyIn(frontend);
		const framer = new BackendFramer();
		let sawReady = false;
		const notifications: Array<[string, string]> = [];
		await this.pglite.runExclusive(() =>
			this.pglite.execProtocolRawStream(msg, {
				onRawData: (chunk) => {
					const frames = framer.push(chunk);
					const forward: Buffer[] = [];
					for (const f of frames) {
						if (f[0] === 0x5a /* Z */) {
							sawReady = true;
							this.#idle = f[5] === 0x49; /* I */
						} else if (f[0] === 0x41 /* A: NotificationResponse */) {
							const body = f.subarray(9);
							const nul = body.indexOf(0);
							const channel = body.subarray(0, nul).toString('utf8');
							const payload = body.subarray(nul + 1, body.indexOf(0, nul + 1)).toString('utf8');
							// The session LISTENs for the API: those notifications are the API's.
							if (this.arbiter.listeners.has(channel)) {
								notifications.push([channel, payload]);
								continue;
							}
						}
						forward.push(f);
					}
					if (forward.length && !this.socket.destroyed) this.socket.write(Buffer.concat(forward));
				}
			})
		);
		// No ReadyForQuery: an extended-protocol batch or a COPY is under way; keep the session.
		if (!sawReady) this.#idle = false;
		for (const [channel, payload] of notifications) this.arbiter.dispatch(channel, payload);
	}

	/** Disconnect: give the session back clean, then the seat to the next client. */
	end(): void {
		if (this.#closed) return;
		this.#closed = true;
		clearTimeout(this.#idleTimer);
		clearTimeout(this.#waitTimer);
		if (!this.socket.destroyed) this.socket.destroy();
		void this.#cleanup()
			.catch(() => {})
			.finally(() => this.#resolveEnded());
	}

	async #cleanup(): Promise<void> {
		if (!this.#seated) return this.server.unseat(this);
		// Wait for a message that is running, so the cleanup does not interleave with it.
		while (this.#pumping) await new Promise((r) => setTimeout(r, 1));
		const release = this.#release ?? (this.#started ? await this.arbiter.hold(this.id) : null);
		this.#release = null;
		try {
			if (release && !this.pglite.closed) await this.#discardSession();
		} catch {
			// The database is closing; nothing to give back.
		} finally {
			release?.();
			this.arbiter.forget(this.id);
			this.server.unseat(this);
		}
	}

	async #discardSession(): Promise<void> {
		const pg = this.pglite;
		// End a COPY or an unsynced extended-protocol batch (both are ignored when not under way).
		await pg.runExclusive(async () => {
			await pg.execProtocolRawStream(protocol.serialize.copyFail('client disconnected'), {
				onRawData: () => {}
			});
			await pg.execProtocolRawStream(protocol.serialize.sync(), { onRawData: () => {} });
		});
		if (pg.isInTransaction()) await pg.exec('rollback');
		// DISCARD ALL would also UNLISTEN the API's channels: the same minus that.
		const api = [...this.arbiter.listeners.keys()];
		const { rows } = await pg.query<{ channel: string }>(
			'select c as channel from pg_listening_channels() c where c <> all($1::text[])',
			[serializeParam(api)],
			{ serializers: passThrough }
		);
		const unlisten = rows.map((r) => `unlisten "${r.channel.replaceAll('"', '""')}";`).join('');
		await this.arbiter.resetSession();
		await pg.exec(
			`close all; deallocate all; select pg_advisory_unlock_all(); discard plans; ` +
				`discard sequences; discard temp; ${unlisten}`
		);
	}
}

/** Who has the wire seat of a PGlite (one per instance, even across several wire servers). */
interface Seat {
	seated: WireClient | null;
	waiting: WireClient[];
}
const seats = new WeakMap<PGlite, Seat>();

class WireSessionServer {
	readonly arbiter: SessionArbiter;
	readonly clients = new Set<WireClient>();
	readonly #seat: Seat;

	constructor(
		readonly pglite: PGlite,
		readonly queueTimeoutMs: number,
		readonly idleInTransactionTimeoutMs: number
	) {
		this.arbiter = arbiterOf(pglite);
		let seat = seats.get(pglite);
		if (!seat) {
			seat = { seated: null, waiting: [] };
			seats.set(pglite, seat);
		}
		this.#seat = seat;
	}

	seat(client: WireClient): void {
		if (!this.#seat.seated) {
			this.#seat.seated = client;
			client.takeSeat();
		} else {
			this.#seat.waiting.push(client);
			client.waitForSeat(this.queueTimeoutMs);
		}
	}

	unseat(client: WireClient): void {
		this.clients.delete(client);
		const seat = this.#seat;
		seat.waiting = seat.waiting.filter((c) => c !== client);
		if (seat.seated !== client) return;
		seat.seated = seat.waiting.shift() ?? null;
		seat.seated?.takeSeat();
	}
}

/**
 * Serves `target` (a PGlite database from openDatabase, or its PGlite instance) on the wire
 * protocol. No TLS (clients connect with `sslmode=disable`) and no password check: bind it to
 * loopback.
 */
export async function startWireServer(
	target: PGlite | Database,
	opts: WireServerOptions = {}
): Promise<WireServer> {
	const pglite = target instanceof PgliteDatabase ? target.pglite : (target as PGlite);
	if (typeof (pglite as PGlite).execProtocolRawStream !== 'function')
		throw new Error('startWireServer: the wire port serves PGlite only');
	const sessions = new WireSessionServer(
		pglite,
		opts.queueTimeoutMs ?? 30_000,
		opts.idleInTransactionTimeoutMs ?? 60_000
	);
	const server: Server = createServer((socket) => {
		const client = new WireClient(socket, sessions);
		sessions.clients.add(client);
	});
	const host = opts.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
	return {
		host,
		port,
		async close() {
			const closed = new Promise<void>((r) => server.close(() => r()));
			const clients = [...sessions.clients];
			for (const c of clients) c.end();
			await Promise.all(clients.map((c) => c.ended));
			await closed;
		}
	};
}
