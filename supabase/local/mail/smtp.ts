/**
 * The local SMTP receiver: what Inbucket's SMTP port (`[inbucket] smtp_port`, 54325) is to the
 * Supabase CLI. The app's own mail (dialogue reminders and summaries, sent with nodemailer) arrives
 * here and lands in the same mailbox as the auth emails.
 *
 * A small, strict subset of RFC 5321: the greeting, EHLO/HELO, AUTH PLAIN/LOGIN (any credentials,
 * like Mailpit), MAIL FROM (with SIZE), RCPT TO, DATA with dot-unstuffing, RSET, NOOP, VRFY, HELP,
 * QUIT; replies in the RFC's codes, a size limit, an idle timeout, loopback clients only. And enough
 * MIME (RFC 2045–2047, 2231) for what nodemailer sends: multipart/*, quoted-printable, base64 and
 * 7bit/8bit bodies in any charset TextDecoder knows, encoded-word headers, attachments.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { MailAttachment, Mailbox } from './index.ts';

export interface SmtpOptions {
	host: string;
	port: number;
	/** Largest message accepted, in bytes (552 above). Default 10 MiB. */
	maxBytes?: number;
	/** Idle time before the server says 421 and hangs up. Default 5 minutes. */
	idleMs?: number;
	/** Name in the greeting. */
	hostname?: string;
}

export interface SmtpServer {
	port: number;
	close(): Promise<void>;
}

const MAX_RECIPIENTS = 100;
/** RFC 5321 §4.5.3.1.4 says 512 for a command line; some clients send longer AUTH lines. */
const MAX_COMMAND = 2048;

export function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	return (
		address === '::1' ||
		address.startsWith('127.') ||
		address.startsWith('::ffff:127.') ||
		address === '::ffff:7f00:1'
	);
}

/** `<a@b>` (or a bare address) from a MAIL/RCPT argument; '' for the null path `<>`. */
export function parsePath(arg: string): { address: string; params: Record<string, string> } | null {
	const m = /^\s*<([^<>]*)>(.*)$/.exec(arg) ?? /^\s*([^\s<>]+)(.*)$/.exec(arg);
	if (!m) return null;
	// A source route (@a,@b:user@host) is allowed by the grammar and ignored, as RFC 5321 says.
	const address = m[1].replace(/^@[^:]*:/, '').trim();
	if (address !== '' && !/^[^\s@]+@[^\s@]+$/.test(address)) return null;
	const params: Record<string, string> = {};
	for (const p of m[2].trim().split(/\s+/).filter(Boolean)) {
		const [k, v = ''] = p.split('=');
		params[k.toUpperCase()] = v;
	}
	return { address, params };
}

// ----- MIME

type Headers = Map<string, string[]>;

/** Splits a message into its header block (unfolded) and body. Bytes are kept as latin1 text. */
function splitMessage(raw: string): { headers: Headers; body: string } {
	const idx = raw.search(/\r?\n\r?\n/);
	const head = idx < 0 ? raw : raw.slice(0, idx);
	const body = idx < 0 ? '' : raw.slice(idx).replace(/^\r?\n\r?\n/, '');
	const headers: Headers = new Map();
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const c = line.indexOf(':');
		if (c <= 0) continue;
		const key = line.slice(0, c).trim().toLowerCase();
		const list = headers.get(key) ?? [];
		list.push(line.slice(c + 1).trim());
		headers.set(key, list);
	}
	return { headers, body };
}

function decodeBytes(bytes: Buffer, charset: string): string {
	try {
		return new TextDecoder(charset || 'utf-8').decode(bytes);
	} catch {
		return bytes.toString('utf8');
	}
}

/** Quoted-printable (RFC 2045 §6.7) to bytes: soft line breaks dropped, =XX decoded. */
export function decodeQuotedPrintable(s: string): Buffer {
	const text = s.replace(/[ \t]+(\r?\n)/g, '$1').replace(/=\r?\n/g, '');
	const out: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
			out.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else out.push(text.charCodeAt(i) & 0xff);
	}
	return Buffer.from(out);
}

/** RFC 2047 encoded-words in a header value; whitespace between adjacent words is dropped. */
export function decodeHeader(value: string): string {
	const word = /=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g;
	return value
		.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
		.replace(word, (_, charset: string, enc: string, text: string) => {
			const bytes =
				enc.toUpperCase() === 'B'
					? Buffer.from(text, 'base64')
					: decodeQuotedPrintable(text.replace(/_/g, ' '));
			return decodeBytes(bytes, charset);
		});
}

/** `type/subtype; a=b; c="d"` with RFC 2231 parameters (`name*=utf-8''…`, `name*0*=…`). */
export function parseParams(value: string): { value: string; params: Record<string, string> } {
	const parts: string[] = [];
	let cur = '';
	let quoted = false;
	for (let i = 0; i < value.length; i++) {
		const ch = value[i];
		if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
		if (ch === ';' && !quoted) {
			parts.push(cur);
			cur = '';
		} else cur += ch;
	}
	parts.push(cur);
	const params: Record<string, string> = {};
	const extended: Record<string, Array<{ n: number; v: string; enc: boolean }>> = {};
	for (const p of parts.slice(1)) {
		const eq = p.indexOf('=');
		if (eq < 0) continue;
		const key = p.slice(0, eq).trim().toLowerCase();
		let v = p.slice(eq + 1).trim();
		if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
		// name*=charset'lang'value, or continuations name*0, name*1* … (RFC 2231).
		const ext = /^([^*]+)\*(?:(\d+)(\*)?)?$/.exec(key);
		if (ext) {
			const enc = ext[2] === undefined || ext[3] === '*';
			(extended[ext[1]] ??= []).push({ n: Number(ext[2] ?? 0), v, enc });
		} else params[key] = decodeHeader(v);
	}
	for (const [name, pieces] of Object.entries(extended)) {
		pieces.sort((a, b) => a.n - b.n);
		let charset = 'utf-8';
		const bytes: Buffer[] = [];
		for (const [i, piece] of pieces.entries()) {
			let v = piece.v;
			if (piece.enc && i === 0) {
				const m = /^([^']*)'[^']*'(.*)$/.exec(v);
				if (m) {
					charset = m[1] || charset;
					v = m[2];
				}
			}
			bytes.push(
				Buffer.from(
					piece.enc
						? v.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) =>
								String.fromCharCode(parseInt(h, 16))
							)
						: v,
					'latin1'
				)
			);
		}
		params[name] = decodeBytes(Buffer.concat(bytes), charset);
	}
	return { value: parts[0].trim().toLowerCase(), params };
}

export interface ParsedMail {
	from: string;
	to: string[];
	cc: string[];
	subject: string;
	messageId: string | null;
	text: string;
	html: string;
	attachments: MailAttachment[];
}

interface Collected {
	text: string | null;
	html: string | null;
	attachments: MailAttachment[];
}

function decodeBody(body: string, encoding: string): Buffer {
	switch (encoding) {
		case 'base64':
			return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
		case 'quoted-printable':
			return decodeQuotedPrintable(body);
		default:
			return Buffer.from(body, 'latin1');
	}
}

function walk(raw: string, into: Collected, depth = 0): void {
	const { headers, body } = splitMessage(raw);
	const type = parseParams(headers.get('content-type')?.[0] ?? 'text/plain; charset=us-ascii');
	const disposition = parseParams(headers.get('content-disposition')?.[0] ?? '');
	if (type.value.startsWith('multipart/') && type.params.boundary && depth < 10) {
		const b = type.params.boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		const pieces = body.split(new RegExp(`(?:^|\\r?\\n)--${b}(?:--)?[ \\t]*(?=\\r?\\n|$)`));
		// Before the first boundary is the preamble; after the closing one, the epilogue.
		for (const part of pieces.slice(1)) {
			const content = part.replace(/^\r?\n/, '');
			if (content.trim() === '' || content.startsWith('--')) continue;
			walk(content, into, depth + 1);
		}
		return;
	}
	const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').trim().toLowerCase();
	const bytes = decodeBody(body, encoding);
	const filename = disposition.params.filename ?? type.params.name ?? null;
	const isAttachment =
		disposition.value === 'attachment' || (filename !== null && disposition.value !== 'inline');
	if (!isAttachment && type.value === 'text/plain' && into.text === null) {
		into.text = decodeBytes(bytes, type.params.charset ?? 'us-ascii');
	} else if (!isAttachment && type.value === 'text/html' && into.html === null) {
		into.html = decodeBytes(bytes, type.params.charset ?? 'us-ascii');
	} else {
		into.attachments.push({
			filename: filename ?? 'attachment',
			contentType: type.value,
			size: bytes.length,
			content: bytes
		});
	}
}

function addresses(value: string | undefined): string[] {
	if (!value) return [];
	const decoded = decodeHeader(value);
	const out: string[] = [];
	let cur = '';
	let quoted = false;
	let angle = false;
	for (const ch of decoded) {
		if (ch === '"') quoted = !quoted;
		if (ch === '<' && !quoted) angle = true;
		if (ch === '>' && !quoted) angle = false;
		if (ch === ',' && !quoted && !angle) {
			if (cur.trim()) out.push(cur.trim());
			cur = '';
		} else cur += ch;
	}
	if (cur.trim()) out.push(cur.trim());
	return out;
}

/** A whole message (headers and body, bytes as latin1 text) as the mailbox needs it. */
export function parseMail(raw: string): ParsedMail {
	const { headers } = splitMessage(raw);
	const collected: Collected = { text: null, html: null, attachments: [] };
	walk(raw, collected);
	const one = (k: string) => headers.get(k)?.[0];
	return {
		from: decodeHeader(one('from') ?? ''),
		to: addresses(one('to')),
		cc: addresses(one('cc')),
		subject: decodeHeader(one('subject') ?? ''),
		messageId: one('message-id')?.replace(/^<|>$/g, '') ?? null,
		// Line ends as a reader expects them (SMTP carries CRLF).
		text: (collected.text ?? '').replace(/\r\n/g, '\n'),
		html: (collected.html ?? '').replace(/\r\n/g, '\n'),
		attachments: collected.attachments
	};
}

// ----- the SMTP session

interface Transaction {
	from: string | null;
	to: string[];
}

function session(socket: Socket, mailbox: Mailbox, opts: Required<SmtpOptions>): void {
	let greeted = false;
	let tx: Transaction = { from: null, to: [] };
	let mode: 'command' | 'data' | 'auth-plain' | 'auth-login-user' | 'auth-login-pass' = 'command';
	let buffer: Buffer = Buffer.alloc(0);
	let data: Buffer[] = [];
	let dataSize = 0;
	let tooBig = false;
	let closed = false;

	const reply = (code: number, ...lines: string[]) => {
		if (closed) return;
		const text = lines.length ? lines : [''];
		socket.write(
			text.map((l, i) => `${code}${i < text.length - 1 ? '-' : ' '}${l}`.trimEnd()).join('\r\n') +
				'\r\n'
		);
	};
	const hangUp = () => {
		closed = true;
		socket.end();
	};

	socket.setTimeout(opts.idleMs, () => {
		reply(421, `${opts.hostname} timeout, closing connection`);
		hangUp();
	});

	function deliver(raw: Buffer): void {
		const parsed = parseMail(raw.toString('latin1'));
		const to = parsed.to.length ? parsed.to : tx.to;
		mailbox.send({
			from: parsed.from || tx.from || undefined,
			to,
			subject: parsed.subject,
			html: parsed.html,
			text: parsed.text || undefined,
			attachments: parsed.attachments
		});
	}

	function endData(): void {
		mode = 'command';
		const raw = Buffer.concat(data);
		data = [];
		if (tooBig) reply(552, 'message exceeds fixed maximum message size');
		else {
			try {
				deliver(raw);
				reply(250, 'OK: queued');
			} catch (e) {
				console.error('[smtp] could not store a message', e);
				reply(451, 'local error in processing');
			}
		}
		tooBig = false;
		dataSize = 0;
		tx = { from: null, to: [] };
	}

	function command(line: string): void {
		const m = /^([A-Za-z]+)(?:\s+(.*))?$/.exec(line);
		if (!m) return reply(500, 'syntax error, command unrecognized');
		const verb = m[1].toUpperCase();
		const arg = (m[2] ?? '').trim();
		switch (verb) {
			case 'EHLO':
			case 'HELO':
				if (!arg) return reply(501, `syntax: ${verb} hostname`);
				greeted = true;
				tx = { from: null, to: [] };
				if (verb === 'HELO') return reply(250, opts.hostname);
				return reply(
					250,
					`${opts.hostname} greets ${arg}`,
					'PIPELINING',
					`SIZE ${opts.maxBytes}`,
					'8BITMIME',
					'SMTPUTF8',
					'AUTH PLAIN LOGIN',
					'HELP'
				);
			case 'AUTH': {
				if (!greeted) return reply(503, 'send EHLO first');
				const [mech, initial] = arg.split(/\s+/);
				if (mech?.toUpperCase() === 'PLAIN') {
					if (initial) return reply(235, 'authentication succeeded');
					mode = 'auth-plain';
					return reply(334, '');
				}
				if (mech?.toUpperCase() === 'LOGIN') {
					mode = 'auth-login-user';
					return reply(334, Buffer.from('Username:').toString('base64'));
				}
				return reply(504, 'unrecognized authentication type');
			}
			case 'MAIL': {
				if (!greeted) return reply(503, 'send EHLO or HELO first');
				if (tx.from !== null) return reply(503, 'nested MAIL command');
				const fm = /^FROM:(.*)$/i.exec(arg);
				const path = fm ? parsePath(fm[1]) : null;
				if (!path) return reply(501, 'syntax: MAIL FROM:<address>');
				const size = path.params.SIZE;
				if (size !== undefined && !/^\d+$/.test(size)) return reply(501, 'bad SIZE parameter');
				if (size !== undefined && Number(size) > opts.maxBytes)
					return reply(552, 'message size exceeds fixed maximum message size');
				tx.from = path.address;
				return reply(250, 'OK');
			}
			case 'RCPT': {
				if (tx.from === null) return reply(503, 'need MAIL before RCPT');
				const tm = /^TO:(.*)$/i.exec(arg);
				const path = tm ? parsePath(tm[1]) : null;
				if (!path || path.address === '') return reply(501, 'syntax: RCPT TO:<address>');
				if (tx.to.length >= MAX_RECIPIENTS) return reply(452, 'too many recipients');
				tx.to.push(path.address);
				return reply(250, 'OK');
			}
			case 'DATA':
				if (arg) return reply(501, 'DATA takes no arguments');
				if (tx.from === null) return reply(503, 'need MAIL command');
				if (tx.to.length === 0) return reply(503, 'need RCPT command');
				mode = 'data';
				return reply(354, 'end data with <CR><LF>.<CR><LF>');
			case 'RSET':
				tx = { from: null, to: [] };
				return reply(250, 'OK');
			case 'NOOP':
				return reply(250, 'OK');
			case 'VRFY':
				return reply(252, 'cannot VRFY user, but will accept message');
			case 'HELP':
				return reply(214, 'EHLO HELO MAIL RCPT DATA RSET NOOP VRFY QUIT AUTH');
			case 'QUIT':
				reply(221, `${opts.hostname} closing connection`);
				return hangUp();
			case 'STARTTLS':
				return reply(454, 'TLS not available on the local receiver');
			default:
				return reply(502, 'command not implemented');
		}
	}

	function authLine(line: string): void {
		if (line === '*') {
			mode = 'command';
			return reply(501, 'authentication cancelled');
		}
		if (mode === 'auth-login-user') {
			mode = 'auth-login-pass';
			return reply(334, Buffer.from('Password:').toString('base64'));
		}
		mode = 'command';
		reply(235, 'authentication succeeded');
	}

	function dataLine(line: Buffer): void {
		// `line` includes its CRLF.
		const isEnd = line.length <= 3 && line.toString('latin1').replace(/\r?\n$/, '') === '.';
		if (isEnd) return endData();
		// Dot-unstuffing (RFC 5321 §4.5.2).
		const content = line[0] === 0x2e ? line.subarray(1) : line;
		dataSize += content.length;
		if (dataSize > opts.maxBytes) tooBig = true;
		if (!tooBig) data.push(content);
	}

	socket.on('data', (chunk: Buffer) => {
		buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
		let nl: number;
		while (!closed && (nl = buffer.indexOf(0x0a)) >= 0) {
			const line = buffer.subarray(0, nl + 1);
			buffer = buffer.subarray(nl + 1);
			if (mode === 'data') {
				dataLine(line);
				continue;
			}
			const text = line.toString('utf8').replace(/\r?\n$/, '');
			if (line.length > MAX_COMMAND) reply(500, 'line too long');
			else if (mode === 'command') command(text);
			else authLine(text);
		}
		if (mode !== 'data' && buffer.length > MAX_COMMAND) {
			reply(500, 'line too long');
			buffer = Buffer.alloc(0);
		}
		if (mode === 'data' && buffer.length > opts.maxBytes + 1024) {
			tooBig = true;
			buffer = Buffer.alloc(0);
		}
	});
	socket.on('error', () => {
		closed = true;
	});
	socket.on('close', () => {
		closed = true;
	});

	reply(220, `${opts.hostname} ESMTP Groundwork local mail receiver`);
}

/** Starts the receiver; port 0 picks a free one. Clients from other machines are turned away. */
export function startSmtpServer(mailbox: Mailbox, options: SmtpOptions): Promise<SmtpServer> {
	const opts: Required<SmtpOptions> = {
		maxBytes: 10 * 1024 * 1024,
		idleMs: 5 * 60_000,
		hostname: 'groundwork.local',
		...options
	};
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		if (!isLoopback(socket.remoteAddress)) {
			socket.end('554 this receiver accepts loopback clients only\r\n');
			return;
		}
		session(socket, mailbox, opts);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve({
				port: (server.address() as AddressInfo).port,
				close: () =>
					new Promise<void>((res) => {
						for (const s of sockets) s.destroy();
						server.close(() => res());
					})
			});
		});
	});
}
