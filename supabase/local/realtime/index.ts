/**
 * The Supabase Realtime subset the app needs, spoken as realtime-js 2.x speaks it (Phoenix
 * channels over a WebSocket at `/realtime/v1/websocket`, on the API's own port):
 * broadcast (with `self` and `ack`), presence (track/untrack, `presence_state`, `presence_diff`),
 * `postgres_changes` for tables in the publication `supabase_realtime` (RLS-filtered per
 * subscriber: each change is selected again under the subscriber's role and claims), heartbeats,
 * `access_token` refresh, channel shutdown when the token expires, and the REST broadcast endpoint
 * `POST /realtime/v1/api/broadcast` that realtime-js falls back to when it is not subscribed.
 *
 * Private channels (`config.private`) are authorised as on Supabase, by RLS policies on
 * `realtime.messages` (see authorization.ts): read to join and receive, write to send and track.
 *
 * Nothing a client sends can crash the runtime: unparsable frames are dropped, oversized
 * messages get an error reply, unknown topics get Phoenix's "unmatched topic", a slow or vanished
 * client is disconnected, and every handler's failure is logged and contained to its socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { checkJwt } from '../server.ts';
import type { Database, Handler, RequestAuth, RuntimeConfig } from '../types.ts';
import { ChangeFeed, type Change } from './changes.ts';
import { FilterError } from './filters.ts';
import { PostgresChanges, hashParams, type PgSubscription } from './postgres-changes.ts';
import { PresenceRegistry, type PresenceDiff } from './presence.ts';
import {
	ProtocolError,
	decodeFrame,
	isObject,
	encodeMessage,
	encodeUserBroadcast,
	type Message,
	type Vsn
} from './protocol.ts';
import { checkToken, expiredMessage } from './tokens.ts';
import {
	readPolicies,
	writePolicies,
	type ReadPolicies,
	type WritePolicies
} from './authorization.ts';
import { createBroadcastApi } from './rest-broadcast.ts';
import { createTrace } from './trace.ts';

export interface RealtimeLimits {
	/** Largest message accepted, in bytes; larger ones get an error reply (Supabase free plan: 256 KB). */
	maxMessageBytes: number;
	/** A socket that sends nothing (not even a heartbeat) for this long is closed, as Phoenix does. */
	idleTimeoutMs: number;
	/** A client that lets this much output pile up unread is disconnected. */
	maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: RealtimeLimits = {
	maxMessageBytes: 256 * 1024,
	idleTimeoutMs: 60_000,
	maxBufferedBytes: 16 * 1024 * 1024
};

export interface RealtimeOptions {
	db: Database;
	config: RuntimeConfig;
	limits?: Partial<RealtimeLimits>;
	log?: (line: string) => void;
}

export interface Realtime {
	/** For the HTTP server's `upgrade` event. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** `/realtime/v1/*` over plain HTTP (the REST broadcast endpoint). */
	handler: Handler;
	/** Open sockets (tests, benchmarks). */
	readonly connections: number;
	close(): Promise<void>;
}

/** Timers cannot wait longer than this (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Channel {
	conn: Conn;
	topic: string;
	subTopic: string;
	/** `public:room` or `private:room`: private and public channels of one name are apart. */
	key: string;
	joinRef: string | null;
	/** Private channels only: what RLS on realtime.messages allows (write is checked on first use). */
	policies: { read: ReadPolicies; write: WritePolicies | null } | null;
	self: boolean;
	ack: boolean;
	presenceKey: string;
	presenceEnabled: boolean;
	auth: RequestAuth;
	claimsKey: string;
	expiry: NodeJS.Timeout | null;
	pg: PgSubscription[];
}

interface Conn {
	ws: WebSocket;
	vsn: Vsn;
	apikey: string;
	channels: Map<string, Channel>;
	lastSeen: number;
	/** Messages of one socket are handled one after another, in order. */
	queue: Promise<void>;
}

function rejectUpgrade(socket: Duplex, status: number, body: Record<string, string>): void {
	const text = JSON.stringify(body);
	const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request';
	socket.end(
		`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\n` +
			`content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
	);
}

export async function createRealtime(opts: RealtimeOptions): Promise<Realtime> {
	const { db, config } = opts;
	const limits: RealtimeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
	const log = opts.log ?? ((line: string) => console.error(`[realtime] ${line}`));
	const goodKeys = new Set([config.anonKey, config.serviceRoleKey]);
	const conns = new Set<Conn>();
	const topics = new Map<string, Set<Channel>>();
	const presence = new PresenceRegistry<Channel>();
	let pgChannels = 0;
	let closed = false;

	const wss = new WebSocketServer({
		noServer: true,
		// Well above the message limit, so an oversized message can still be answered; past this
		// the socket is closed with 1009 (message too big).
		maxPayload: limits.maxMessageBytes * 4
	});

	const trace = createTrace();
	const feed = new ChangeFeed({
		db,
		deliver: deliverChange,
		wanted: () => pgChannels > 0,
		log,
		trace
	});
	const changes = new PostgresChanges({ db, config, feed, log, trace });
	await feed.start();

	// ------------------------------------------------------------------ sending
	function send(conn: Conn, msg: Message): void {
		if (conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.ws.bufferedAmount > limits.maxBufferedBytes) {
			log('a client stopped reading; disconnecting it');
			conn.ws.terminate();
			return;
		}
		conn.ws.send(encodeMessage(msg, conn.vsn));
	}

	function reply(conn: Conn, msg: Message, status: 'ok' | 'error', response: unknown): void {
		if (msg.ref === null) return;
		send(conn, {
			joinRef: msg.joinRef,
			ref: msg.ref,
			topic: msg.topic,
			event: 'phx_reply',
			payload: { status, response }
		});
	}

	function push(ch: Channel, event: string, payload: unknown): void {
		send(ch.conn, { joinRef: ch.joinRef, ref: null, topic: ch.topic, event, payload });
	}

	function system(ch: Channel, extension: string, status: 'ok' | 'error', message: string): void {
		push(ch, 'system', { extension, status, message, channel: ch.subTopic });
	}

	// ------------------------------------------------------------------ channels
	function canRead(ch: Channel, extension: 'broadcast' | 'presence'): boolean {
		return !ch.policies || ch.policies.read[extension];
	}

	async function canWrite(ch: Channel, extension: 'broadcast' | 'presence'): Promise<boolean> {
		if (!ch.policies) return true;
		ch.policies.write ??= await writePolicies(db, ch.auth, ch.subTopic);
		return ch.policies.write[extension];
	}

	function presenceDiff(key: string, diff: PresenceDiff, except?: Channel): void {
		for (const other of topics.get(key) ?? []) {
			if (other !== except && other.presenceEnabled && canRead(other, 'presence')) {
				push(other, 'presence_diff', diff);
			}
		}
	}

	function unauthorized(verb: string, subTopic: string): string {
		return `Unauthorized: You do not have permissions to ${verb} this Channel topic: ${subTopic}`;
	}

	function removeChannel(ch: Channel): void {
		if (ch.conn.channels.get(ch.topic) === ch) ch.conn.channels.delete(ch.topic);
		const members = topics.get(ch.key);
		if (members?.delete(ch)) {
			if (members.size === 0) topics.delete(ch.key);
			if (ch.pg.length > 0) pgChannels--;
		}
		if (ch.expiry) clearTimeout(ch.expiry);
		ch.expiry = null;
		const diff = presence.untrack(ch.key, ch.presenceKey, ch);
		if (diff) presenceDiff(ch.key, diff);
	}

	/** What Realtime does when a channel must end: a `system` error, then `phx_close`. */
	function shutdown(ch: Channel, message: string): void {
		if (ch.conn.channels.get(ch.topic) !== ch) return; // already gone (left, or its socket closed)
		system(ch, 'system', 'error', message);
		push(ch, 'phx_close', {});
		removeChannel(ch);
	}

	function armExpiry(ch: Channel, exp: number): void {
		if (ch.expiry) clearTimeout(ch.expiry);
		const wait = exp * 1000 - Date.now();
		ch.expiry = setTimeout(
			() => {
				if (exp * 1000 > Date.now()) armExpiry(ch, exp);
				else shutdown(ch, expiredMessage(exp));
			},
			Math.min(Math.max(0, wait), MAX_TIMER_MS)
		);
		ch.expiry.unref();
	}

	function setAuth(ch: Channel, auth: RequestAuth): void {
		ch.auth = auth;
		ch.claimsKey = `${auth.role}\u0000${JSON.stringify(auth.claims)}`;
	}

	async function join(conn: Conn, msg: Message): Promise<void> {
		if (!msg.topic.startsWith('realtime:')) {
			reply(conn, msg, 'error', { reason: 'unmatched topic' });
			return;
		}
		const subTopic = msg.topic.slice('realtime:'.length);
		if (subTopic === '') {
			reply(conn, msg, 'error', { reason: 'TopicNameRequired: You must provide a topic name' });
			return;
		}
		const payload = isObject(msg.payload) ? msg.payload : {};
		const cfg = isObject(payload.config) ? payload.config : {};
		const broadcast = isObject(cfg.broadcast) ? cfg.broadcast : {};
		const presenceCfg = isObject(cfg.presence) ? cfg.presence : {};
		const isPrivate = cfg.private === true;
		const given = payload.access_token ?? payload.user_token;
		const token = typeof given === 'string' && !given.startsWith('sb_') ? given : conn.apikey;
		const check = await checkToken(token, config.jwtSecret);
		if (!check.ok) {
			reply(conn, msg, 'error', { reason: check.reason });
			return;
		}
		let read: ReadPolicies | null = null;
		if (isPrivate) {
			read = await readPolicies(db, check.auth, subTopic);
			if (!read.broadcast && !read.presence) {
				reply(conn, msg, 'error', { reason: unauthorized('read from', subTopic) });
				return;
			}
		}
		const rawPg = Array.isArray(cfg.postgres_changes)
			? cfg.postgres_changes.filter((p) => p != null)
			: [];
		let pg: PgSubscription[] = [];
		let pgError: string | null = null;
		if (rawPg.length > 0) {
			await feed.sync();
			try {
				pg = await changes.parse(rawPg);
			} catch (e) {
				if (!(e instanceof FilterError)) throw e;
				pgError = e.message;
			}
		}
		// Phoenix closes an earlier join of the same topic on the same socket.
		const previous = conn.channels.get(msg.topic);
		if (previous) {
			push(previous, 'phx_close', {});
			removeChannel(previous);
		}
		const key = `${isPrivate ? 'private' : 'public'}:${subTopic}`;
		const presenceKey =
			typeof presenceCfg.key === 'string' && presenceCfg.key !== ''
				? presenceCfg.key
				: randomUUID();
		const ch: Channel = {
			conn,
			topic: msg.topic,
			subTopic,
			key,
			joinRef: msg.joinRef ?? msg.ref,
			policies: read ? { read, write: null } : null,
			self: broadcast.self === true,
			ack: broadcast.ack === true,
			presenceKey,
			presenceEnabled: presenceCfg.enabled === true,
			auth: check.auth,
			claimsKey: '',
			expiry: null,
			pg
		};
		setAuth(ch, check.auth);
		conn.channels.set(msg.topic, ch);
		let members = topics.get(key);
		if (!members) topics.set(key, (members = new Set()));
		members.add(ch);
		if (pg.length > 0) pgChannels++;
		armExpiry(ch, check.exp);
		const ids = rawPg.map((p) => ({
			...(p as Record<string, unknown>),
			id: hashParams(p as Record<string, unknown>)
		}));
		reply(conn, msg, 'ok', { postgres_changes: ids });
		if (ch.presenceEnabled && canRead(ch, 'presence')) {
			push(ch, 'presence_state', presence.state(key));
		}
		if (pgError !== null) system(ch, 'postgres_changes', 'error', pgError);
		else if (pg.length > 0) system(ch, 'postgres_changes', 'ok', 'Subscribed to PostgreSQL');
	}

	function broadcastTo(
		key: string,
		topic: string,
		payload: Record<string, unknown>,
		from?: Channel
	): void {
		const members = topics.get(key);
		if (!members) return;
		const binary = Buffer.isBuffer(payload.payload) ? payload.payload : null;
		for (const ch of members) {
			if ((ch === from && !ch.self) || !canRead(ch, 'broadcast')) continue;
			if (binary) {
				if (ch.conn.vsn === '1.0.0') continue; // V1 sockets cannot carry binary payloads
				if (ch.conn.ws.readyState === WebSocket.OPEN) {
					ch.conn.ws.send(encodeUserBroadcast(topic, String(payload.event), binary));
				}
			} else push(ch, 'broadcast', payload);
		}
	}

	function messageSize(msg: Message): number {
		const p = isObject(msg.payload) ? msg.payload : null;
		if (p && Buffer.isBuffer(p.payload)) return p.payload.length;
		return Buffer.byteLength(JSON.stringify(msg.payload ?? null));
	}

	async function onBroadcast(ch: Channel, msg: Message, payload: Record<string, unknown>) {
		if (typeof payload.event !== 'string') {
			reply(ch.conn, msg, 'error', { reason: 'A broadcast needs an event name' });
			return;
		}
		if (!(await canWrite(ch, 'broadcast'))) {
			// As Realtime, an unauthorised broadcast is dropped; with ack the sender hears why.
			if (ch.ack) reply(ch.conn, msg, 'error', { reason: unauthorized('write to', ch.subTopic) });
			return;
		}
		const out = { type: 'broadcast', event: payload.event, payload: payload.payload ?? {} };
		broadcastTo(ch.key, ch.topic, out, ch);
		if (ch.ack) reply(ch.conn, msg, 'ok', {});
	}

	async function onPresence(ch: Channel, msg: Message, payload: Record<string, unknown>) {
		if (payload.event === 'untrack') {
			const diff = presence.untrack(ch.key, ch.presenceKey, ch);
			reply(ch.conn, msg, 'ok', {});
			if (diff) presenceDiff(ch.key, diff);
			return;
		}
		if (payload.event !== 'track') {
			reply(ch.conn, msg, 'error', { reason: 'Presence event must be track or untrack' });
			return;
		}
		const meta = payload.payload ?? {};
		if (!isObject(meta)) {
			reply(ch.conn, msg, 'error', { reason: 'Presence track payload must be a map' });
			return;
		}
		if (!(await canWrite(ch, 'presence'))) {
			reply(ch.conn, msg, 'error', { reason: unauthorized('track presence on', ch.subTopic) });
			return;
		}
		const wasEnabled = ch.presenceEnabled;
		ch.presenceEnabled = true;
		const diff = presence.track(ch.key, ch.presenceKey, ch, meta);
		reply(ch.conn, msg, 'ok', {});
		// A track can be what turns presence on: that client never got the state, so it gets it now.
		if (!wasEnabled && canRead(ch, 'presence')) push(ch, 'presence_state', presence.state(ch.key));
		presenceDiff(ch.key, diff, wasEnabled ? undefined : ch);
	}

	async function onAccessToken(ch: Channel, payload: Record<string, unknown>) {
		const token = payload.access_token;
		if (typeof token !== 'string' || token.startsWith('sb_') || token === ch.auth.token) return;
		const check = await checkToken(token, config.jwtSecret);
		if (!check.ok) {
			shutdown(ch, check.message);
			return;
		}
		if (ch.policies) {
			const before = ch.policies.read;
			const read = await readPolicies(db, check.auth, ch.subTopic);
			if ((before.broadcast && !read.broadcast) || (before.presence && !read.presence)) {
				shutdown(
					ch,
					`You no longer have permission to read from this Channel topic: ${ch.subTopic}`
				);
				return;
			}
			ch.policies = { read, write: null };
		}
		setAuth(ch, check.auth);
		armExpiry(ch, check.exp);
	}

	async function handle(conn: Conn, msg: Message, size: number): Promise<void> {
		if (msg.topic === 'phoenix' && msg.event === 'heartbeat') {
			reply(conn, msg, 'ok', {});
			return;
		}
		if (size > limits.maxMessageBytes) {
			reply(conn, msg, 'error', {
				reason: `PayloadTooLarge: the message is ${size} bytes, the limit is ${limits.maxMessageBytes} bytes`
			});
			return;
		}
		if (msg.event === 'phx_join') {
			await join(conn, msg);
			return;
		}
		const ch = conn.channels.get(msg.topic);
		if (!ch) {
			reply(conn, msg, 'error', { reason: 'unmatched topic' });
			return;
		}
		const payload = isObject(msg.payload) ? msg.payload : {};
		switch (msg.event) {
			case 'phx_leave':
				removeChannel(ch);
				reply(conn, msg, 'ok', {});
				return;
			case 'broadcast':
				await onBroadcast(ch, msg, payload);
				return;
			case 'presence':
				await onPresence(ch, msg, payload);
				return;
			case 'access_token':
				await onAccessToken(ch, payload);
				return;
			default:
				// As Realtime: anything else is ignored without a reply.
				return;
		}
	}

	// ------------------------------------------------------------------ postgres_changes
	async function deliverChange(change: Change): Promise<void> {
		const subscribers = [...topics.values()].flatMap((members) => [...members]);
		const deliveries = await changes.route(change, subscribers);
		const started = performance.now();
		for (const { subscriber: ch, payload } of deliveries) {
			// A channel that left (or was replaced by a rejoin) while the checks ran gets nothing.
			if (ch.conn.channels.get(ch.topic) === ch) push(ch, 'postgres_changes', payload);
		}
		if (deliveries.length > 0) trace.add('send', performance.now() - started);
	}

	// ------------------------------------------------------------------ sockets
	function onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
		conn.lastSeen = Date.now();
		const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
		let msg: Message;
		try {
			msg = decodeFrame(buf, isBinary);
		} catch (e) {
			if (e instanceof ProtocolError) return; // garbage is dropped; the socket stays usable
			throw e;
		}
		const size = buf.length > limits.maxMessageBytes ? buf.length : messageSize(msg);
		conn.queue = conn.queue
			.then(() => handle(conn, msg, size))
			.catch((e: unknown) => {
				log(`${msg.event} on ${msg.topic}: ${String(e)}`);
				reply(conn, msg, 'error', { reason: 'Unknown Error on Channel' });
			});
	}

	function onClose(conn: Conn): void {
		if (!conns.delete(conn)) return;
		for (const ch of [...conn.channels.values()]) removeChannel(ch);
	}

	const idle = setInterval(
		() => {
			const cutoff = Date.now() - limits.idleTimeoutMs;
			for (const conn of conns) if (conn.lastSeen < cutoff) conn.ws.terminate();
		},
		Math.max(1000, Math.floor(limits.idleTimeoutMs / 4))
	);
	idle.unref();

	async function upgradeAllowed(
		req: IncomingMessage
	): Promise<{ apikey: string; vsn: Vsn } | { status: number; body: Record<string, string> }> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!/^\/realtime\/v1\/websocket\/?$/.test(url.pathname)) {
			return { status: 404, body: { message: 'no Route matched with those values' } };
		}
		const apikey = url.searchParams.get('apikey') ?? (req.headers.apikey as string | undefined);
		if (!apikey) {
			return {
				status: 401,
				body: {
					message: 'No API key found in request',
					hint: 'No `apikey` request header or url param was found.'
				}
			};
		}
		if (!goodKeys.has(apikey) && !(await checkJwt(apikey, config.jwtSecret)).ok) {
			return {
				status: 401,
				body: {
					message: 'Invalid API key',
					hint: 'Double check your Supabase `anon` or `service_role` API key.'
				}
			};
		}
		const vsn = url.searchParams.get('vsn') ?? '1.0.0';
		if (vsn !== '1.0.0' && vsn !== '2.0.0') {
			return { status: 400, body: { message: `Unsupported serializer version ${vsn}` } };
		}
		return { apikey, vsn };
	}

	function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => socket.destroy());
		if (closed) {
			socket.destroy();
			return;
		}
		upgradeAllowed(req)
			.then((ok) => {
				if ('status' in ok) {
					rejectUpgrade(socket, ok.status, ok.body);
					return;
				}
				wss.handleUpgrade(req, socket, head, (ws) => {
					const conn: Conn = {
						ws,
						vsn: ok.vsn,
						apikey: ok.apikey,
						channels: new Map(),
						lastSeen: Date.now(),
						queue: Promise.resolve()
					};
					conns.add(conn);
					ws.on('message', (data, isBinary) => {
						try {
							onMessage(conn, data, isBinary);
						} catch (e) {
							log(`message: ${String(e)}`);
						}
					});
					ws.on('close', () => onClose(conn));
					ws.on('error', () => ws.terminate());
				});
			})
			.catch((e: unknown) => {
				log(`upgrade: ${String(e)}`);
				socket.destroy();
			});
	}

	const handler = createBroadcastApi({
		jwtSecret: config.jwtSecret,
		canWrite: async (auth, topic) => (await writePolicies(db, auth, topic)).broadcast,
		maxMessageBytes: limits.maxMessageBytes,
		deliver: (msg) =>
			broadcastTo(`${msg.private ? 'private' : 'public'}:${msg.topic}`, `realtime:${msg.topic}`, {
				type: 'broadcast',
				event: msg.event,
				payload: msg.payload
			})
	});

	return {
		upgrade,
		handler,
		get connections() {
			return conns.size;
		},
		async close() {
			closed = true;
			clearInterval(idle);
			for (const conn of conns) conn.ws.terminate();
			conns.clear();
			wss.close();
			await feed.close();
			for (const line of trace.summary()) log(`trace ${line}`);
		}
	};
}
