/**
 * The WebSocket endpoint's own defences, on a bare realtime part (no REST, no Auth) with small
 * limits, spoken to with raw frames: silent sockets are closed, oversized frames cut off, the
 * v1 serializer answered in kind, and stop leaves nothing open.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { applyBaseline } from '../migrate.ts';
import type { Database, RuntimeConfig } from '../types.ts';
import { createRealtime, type Realtime } from './index.ts';

let db: Database;
let config: RuntimeConfig;
let realtime: Realtime;
let server: Server;
let url: string;

beforeAll(async () => {
	db = await openDatabase({ memory: true });
	await applyBaseline(db);
	config = await loadConfig({ memory: true, jwtSecret: randomBytes(32).toString('hex') });
	realtime = await createRealtime({
		db,
		config,
		limits: { idleTimeoutMs: 400, maxMessageBytes: 1024 },
		log: () => {}
	});
	server = createServer((_req, res) => res.end());
	server.on('upgrade', realtime.upgrade);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/realtime/v1/websocket?apikey=${config.anonKey}`;
}, 30_000);

afterAll(async () => {
	await realtime?.close();
	server?.close();
	await db?.close();
});

function open(query = '&vsn=2.0.0'): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url + query);
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
	});
}

const closed = (ws: WebSocket) =>
	new Promise<number>((r) => ws.once('close', (code: number) => r(code)));

describe('realtime endpoint', () => {
	it('closes a socket that stops sending heartbeats', async () => {
		const ws = await open();
		const started = Date.now();
		const code = await closed(ws);
		expect(code).toBe(1006); // terminated, as a vanished client would be
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
		// The server forgets it as soon as its own close event has run.
		for (let i = 0; i < 50 && realtime.connections > 0; i++)
			await new Promise((r) => setTimeout(r, 10));
		expect(realtime.connections).toBe(0);
	});

	it('keeps a socket that heartbeats, and answers v1 frames as objects', async () => {
		const ws = await open('&vsn=1.0.0');
		const replies: unknown[] = [];
		ws.on('message', (d) => replies.push(JSON.parse(String(d))));
		for (let i = 0; i < 5; i++) {
			ws.send(
				JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: String(i) })
			);
			await new Promise((r) => setTimeout(r, 150));
		}
		expect(ws.readyState).toBe(WebSocket.OPEN);
		expect(replies).toHaveLength(5);
		expect(replies[0]).toEqual({
			join_ref: null,
			ref: '0',
			topic: 'phoenix',
			event: 'phx_reply',
			payload: { status: 'ok', response: {} }
		});
		ws.close();
	});

	it('answers an oversized message with an error and cuts off a frame far past the limit', async () => {
		const ws = await open();
		const replies: unknown[][] = [];
		ws.on('message', (d) => replies.push(JSON.parse(String(d)) as unknown[]));
		ws.send(JSON.stringify([null, '1', 'realtime:x', 'broadcast', { pad: 'x'.repeat(2000) }]));
		await new Promise((r) => setTimeout(r, 100));
		expect(replies[0][4]).toEqual({
			status: 'error',
			response: {
				reason: expect.stringMatching(
					/^PayloadTooLarge: the message is \d+ bytes, the limit is 1024 bytes$/
				)
			}
		});
		ws.send('y'.repeat(10_000));
		expect(await closed(ws)).toBe(1009);
	});

	it('refuses unknown paths and serializer versions at the handshake', async () => {
		const status = (u: string) =>
			new Promise<number>((resolve) => {
				const ws = new WebSocket(u);
				ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
				ws.on('error', () => {});
			});
		expect(await status(url.replace('/websocket', '/elsewhere'))).toBe(404);
		expect(await status(`${url}&vsn=3.0.0`)).toBe(400);
	});
});
