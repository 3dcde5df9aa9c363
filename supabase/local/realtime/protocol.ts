/**
 * The Phoenix channel wire format as realtime-js 2.x speaks it. With `vsn=2.0.0` (its default) a
 * text frame is the array `[join_ref, ref, topic, event, payload]`; with `vsn=1.0.0` it is the
 * object `{join_ref, ref, topic, event, payload}`. realtime-js also sends a user broadcast as a
 * binary frame (kind 3, "user broadcast push") and understands kind 4 ("user broadcast") from the
 * server, which is how a binary payload travels without JSON.
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface Message {
	joinRef: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: unknown;
}

/** A JSON object (not an array, not binary): the shape every payload and config must have. */
export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** A frame that is not a Phoenix message (garbage, unknown kind, truncated header). */
export class ProtocolError extends Error {}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

function refOf(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return String(v);
	throw new ProtocolError('ref must be a string');
}

function fromParts(
	joinRef: unknown,
	ref: unknown,
	topic: unknown,
	event: unknown,
	payload: unknown
) {
	if (typeof topic !== 'string' || typeof event !== 'string') {
		throw new ProtocolError('topic and event must be strings');
	}
	return { joinRef: refOf(joinRef), ref: refOf(ref), topic, event, payload: payload ?? {} };
}

function decodeText(text: string): Message {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new ProtocolError('frame is not JSON');
	}
	if (Array.isArray(parsed)) {
		if (parsed.length !== 5)
			throw new ProtocolError('expected [join_ref, ref, topic, event, payload]');
		const [joinRef, ref, topic, event, payload] = parsed as unknown[];
		return fromParts(joinRef, ref, topic, event, payload);
	}
	if (typeof parsed === 'object' && parsed !== null) {
		const o = parsed as Record<string, unknown>;
		return fromParts(o.join_ref, o.ref, o.topic, o.event, o.payload);
	}
	throw new ProtocolError('frame is neither an array nor an object');
}

/** Kind 3: kind, 5 lengths and an encoding byte, then join_ref, ref, topic, event, metadata, payload. */
function decodeUserBroadcastPush(buf: Buffer): Message {
	const header = 7;
	if (buf.length < header) throw new ProtocolError('truncated broadcast header');
	const lengths = [buf[1], buf[2], buf[3], buf[4], buf[5]];
	const encoding = buf[6];
	const total = header + lengths.reduce((a, b) => a + b, 0);
	if (buf.length < total) throw new ProtocolError('truncated broadcast header');
	let offset = header;
	const [joinRef, ref, topic, event, meta] = lengths.map((len) => {
		const s = buf.subarray(offset, offset + len).toString('utf8');
		offset += len;
		return s;
	});
	const body = buf.subarray(offset);
	let userPayload: unknown;
	if (encoding === ENCODING_JSON) {
		try {
			userPayload = JSON.parse(body.toString('utf8'));
		} catch {
			throw new ProtocolError('broadcast payload is not JSON');
		}
	} else if (encoding === ENCODING_BINARY) {
		userPayload = Buffer.from(body);
	} else throw new ProtocolError(`unknown payload encoding ${encoding}`);
	const payload: Record<string, unknown> = { type: 'broadcast', event, payload: userPayload };
	if (meta !== '') {
		try {
			payload.meta = JSON.parse(meta);
		} catch {
			throw new ProtocolError('broadcast metadata is not JSON');
		}
	}
	return {
		joinRef: joinRef === '' ? null : joinRef,
		ref: ref === '' ? null : ref,
		topic,
		event: 'broadcast',
		payload
	};
}

export function decodeFrame(data: Buffer, isBinary: boolean): Message {
	if (!isBinary) return decodeText(data.toString('utf8'));
	if (data.length === 0) throw new ProtocolError('empty binary frame');
	if (data[0] === KIND_USER_BROADCAST_PUSH) return decodeUserBroadcastPush(data);
	throw new ProtocolError(`unsupported binary frame kind ${data[0]}`);
}

function shortString(s: string, what: string): Buffer {
	const b = Buffer.from(s, 'utf8');
	if (b.length > 255) throw new ProtocolError(`${what} longer than 255 bytes`);
	return b;
}

/** Kind 4 (server to client): kind, 3 lengths and an encoding byte, then topic, event, metadata, payload. */
export function encodeUserBroadcast(topic: string, event: string, payload: Buffer): Buffer {
	const t = shortString(topic, 'topic');
	const e = shortString(event, 'event');
	const head = Buffer.from([KIND_USER_BROADCAST, t.length, e.length, 0, ENCODING_BINARY]);
	return Buffer.concat([head, t, e, payload]);
}

export function encodeMessage(msg: Message, vsn: Vsn): string {
	if (vsn === '1.0.0') {
		return JSON.stringify({
			join_ref: msg.joinRef,
			ref: msg.ref,
			topic: msg.topic,
			event: msg.event,
			payload: msg.payload
		});
	}
	return JSON.stringify([msg.joinRef, msg.ref, msg.topic, msg.event, msg.payload]);
}
