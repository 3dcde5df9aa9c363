/**
 * `POST /realtime/v1/api/broadcast` (`{messages: [{topic, event, payload, private}]}`, what
 * realtime-js's `send()` falls back to before a channel is joined) and
 * `POST /realtime/v1/api/broadcast/:topic/events/:event` (`httpSend()`, JSON or
 * application/octet-stream). Both answer 202 once the messages are handed to the subscribers.
 */
import type { ApiRequest, ApiResponse, Handler, RequestAuth } from '../types.ts';
import { isObject } from './protocol.ts';
import { checkToken } from './tokens.ts';

export interface OutgoingBroadcast {
	/** Without the `realtime:` prefix. */
	topic: string;
	event: string;
	payload: unknown;
	private: boolean;
}

export interface BroadcastApiOptions {
	jwtSecret: string;
	maxMessageBytes: number;
	/** Whether RLS on realtime.messages lets this caller broadcast to a private topic. */
	canWrite: (auth: RequestAuth, topic: string) => Promise<boolean>;
	deliver: (msg: OutgoingBroadcast) => void;
}

function bad(status: number, message: string): ApiResponse {
	return { status, body: { message } };
}

/** The parsed JSON body, or the error response that says it is not JSON. */
function jsonBody(req: ApiRequest, expected: string): { value: unknown } | ApiResponse {
	try {
		return { value: JSON.parse(req.body.toString('utf8')) as unknown };
	} catch {
		return bad(400, `The body must be JSON: ${expected}`);
	}
}

function batch(req: ApiRequest): OutgoingBroadcast[] | ApiResponse {
	const body = jsonBody(req, '{"messages": [{"topic", "event", "payload"}]}');
	if (!('value' in body)) return body;
	const messages = isObject(body.value) ? body.value.messages : undefined;
	if (!Array.isArray(messages)) {
		return bad(400, '"messages" must be an array of {topic, event, payload}');
	}
	const out: OutgoingBroadcast[] = [];
	for (const [i, raw] of messages.entries()) {
		for (const field of ['topic', 'event'] as const) {
			if (!isObject(raw) || typeof raw[field] !== 'string' || raw[field] === '') {
				return bad(400, `messages[${i}].${field} must be a non-empty string`);
			}
		}
		const m = raw as Record<string, unknown>;
		out.push({
			topic: (m.topic as string).replace(/^realtime:/, ''),
			event: m.event as string,
			payload: m.payload ?? {},
			private: m.private === true
		});
	}
	return out;
}

function single(req: ApiRequest, topic: string, event: string): OutgoingBroadcast[] | ApiResponse {
	const binary = (req.headers['content-type'] ?? '').startsWith('application/octet-stream');
	let payload: unknown = req.body;
	if (!binary) {
		const body = jsonBody(req, 'a JSON payload, or application/octet-stream');
		if (!('value' in body)) return body;
		payload = body.value;
	}
	return [{ topic, event, payload, private: req.query.get('private') === 'true' }];
}

export function createBroadcastApi(opts: BroadcastApiOptions): Handler {
	return async (req) => {
		const m = /^\/api\/broadcast(?:\/([^/]+)\/events\/([^/]+))?\/?$/.exec(req.path);
		if (!m) return bad(404, 'no Route matched with those values');
		if (req.method !== 'POST') return bad(405, 'Method not allowed: use POST');
		const check = await checkToken(req.auth.token ?? '', opts.jwtSecret);
		if (!check.ok) return bad(401, check.reason);
		const messages = m[1] === undefined ? batch(req) : single(req, m[1], m[2]);
		if (!Array.isArray(messages)) return messages;
		for (const msg of messages) {
			if (msg.private && !(await opts.canWrite(check.auth, msg.topic))) {
				return bad(
					403,
					`You do not have permissions to broadcast to this Channel topic: ${msg.topic}`
				);
			}
			const size = Buffer.isBuffer(msg.payload)
				? msg.payload.length
				: Buffer.byteLength(JSON.stringify(msg.payload));
			if (size > opts.maxMessageBytes) {
				return bad(
					413,
					`Payload too large: ${size} bytes, the limit is ${opts.maxMessageBytes} bytes`
				);
			}
		}
		for (const msg of messages) opts.deliver(msg);
		return { status: 202 };
	};
}
