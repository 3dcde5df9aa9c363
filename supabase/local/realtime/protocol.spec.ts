import { describe, expect, it } from 'vitest';
import Serializer from '@supabase/realtime-js/dist/main/lib/serializer.js';
import { ProtocolError, decodeFrame, encodeMessage, encodeUserBroadcast } from './protocol.ts';

/** Encodes as realtime-js does, so the server reads exactly what the client library writes. */
function clientFrame(msg: {
	join_ref: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: Record<string, unknown>;
}): { data: Buffer; binary: boolean } {
	let out: ArrayBuffer | string = '';
	new Serializer().encode(msg, (r: ArrayBuffer | string) => (out = r));
	return typeof out === 'string'
		? { data: Buffer.from(out), binary: false }
		: { data: Buffer.from(out), binary: true };
}

describe('decodeFrame', () => {
	it('reads a v2 array frame and a v1 object frame', () => {
		const v2 = clientFrame({
			join_ref: '1',
			ref: '2',
			topic: 'realtime:a',
			event: 'phx_join',
			payload: { x: 1 }
		});
		expect(v2.binary).toBe(false);
		expect(decodeFrame(v2.data, false)).toEqual({
			joinRef: '1',
			ref: '2',
			topic: 'realtime:a',
			event: 'phx_join',
			payload: { x: 1 }
		});
		const v1 = Buffer.from(
			JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: 7 })
		);
		expect(decodeFrame(v1, false)).toMatchObject({ joinRef: null, ref: '7', topic: 'phoenix' });
	});

	it('reads the binary user broadcast realtime-js sends for a JSON payload', () => {
		const f = clientFrame({
			join_ref: '3',
			ref: '9',
			topic: 'realtime:room',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'phase', payload: { n: 2, text: 'é' } }
		});
		expect(f.binary).toBe(true);
		expect(decodeFrame(f.data, true)).toEqual({
			joinRef: '3',
			ref: '9',
			topic: 'realtime:room',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'phase', payload: { n: 2, text: 'é' } }
		});
	});

	it('keeps a binary broadcast payload as bytes', () => {
		const bytes = new Uint8Array([0, 1, 255]).buffer;
		const f = clientFrame({
			join_ref: '3',
			ref: '4',
			topic: 'realtime:room',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'blob', payload: bytes }
		});
		const msg = decodeFrame(f.data, true);
		expect((msg.payload as { payload: Buffer }).payload).toEqual(Buffer.from([0, 1, 255]));
	});

	it('refuses garbage with a ProtocolError', () => {
		for (const [data, binary] of [
			[Buffer.from('not json'), false],
			[Buffer.from('[1,2]'), false],
			[Buffer.from('"text"'), false],
			[Buffer.from('[null,null,5,"e",{}]'), false],
			[Buffer.from([3, 200, 0, 0, 0, 0, 1]), true],
			[Buffer.from([9]), true],
			[Buffer.alloc(0), true]
		] as const) {
			expect(() => decodeFrame(data, binary)).toThrow(ProtocolError);
		}
	});
});

describe('encodeMessage / encodeUserBroadcast', () => {
	it('writes what realtime-js decodes', () => {
		const s = new Serializer();
		const text = encodeMessage(
			{ joinRef: '1', ref: null, topic: 'realtime:a', event: 'broadcast', payload: { a: 1 } },
			'2.0.0'
		);
		let decoded: unknown;
		s.decode(text, (m: unknown) => (decoded = m));
		expect(decoded).toEqual({
			join_ref: '1',
			ref: null,
			topic: 'realtime:a',
			event: 'broadcast',
			payload: { a: 1 }
		});

		const bin = encodeUserBroadcast('realtime:a', 'blob', Buffer.from([7, 8]));
		const ab = new Uint8Array(bin).buffer;
		s.decode(ab, (m: unknown) => (decoded = m));
		expect(decoded).toMatchObject({
			topic: 'realtime:a',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'blob' }
		});
		expect(
			new Uint8Array((decoded as { payload: { payload: ArrayBuffer } }).payload.payload)
		).toEqual(new Uint8Array([7, 8]));
	});

	it('writes v1 frames as objects', () => {
		const text = encodeMessage(
			{ joinRef: null, ref: '1', topic: 'phoenix', event: 'phx_reply', payload: {} },
			'1.0.0'
		);
		expect(JSON.parse(text)).toEqual({
			join_ref: null,
			ref: '1',
			topic: 'phoenix',
			event: 'phx_reply',
			payload: {}
		});
	});
});
