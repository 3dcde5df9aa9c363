import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The local mailbox: what Inbucket/Mailpit is to the Supabase CLI. Auth "sends" mail here instead
 * of to an SMTP server; a page and a Mailpit-shaped JSON API let people and tests read it.
 */

export interface Address {
	Name: string;
	Address: string;
}

export interface MailMessage {
	ID: string;
	MessageID: string;
	From: Address;
	To: Address[];
	Subject: string;
	/** RFC 3339, like Mailpit. */
	Created: string;
	Text: string;
	HTML: string;
	Read: boolean;
	/** Files attached (mail received over SMTP; auth mail has none). */
	Attachments: MailAttachment[];
}

export interface MailAttachment {
	filename: string;
	contentType: string;
	size: number;
	content: Buffer;
}

export interface OutgoingMail {
	from?: string;
	/** One address, or several (mail received over SMTP). */
	to: string | string[];
	subject: string;
	html: string;
	text?: string;
	attachments?: MailAttachment[];
}

export interface Mailbox {
	send(mail: OutgoingMail): MailMessage;
	/** Newest first. */
	list(): MailMessage[];
	get(id: string): MailMessage | undefined;
	/** Mailpit's search subset: `to:`, `from:`, `subject:` and free words, all of which must match. */
	search(query: string): MailMessage[];
	delete(ids?: string[]): void;
	readonly size: number;
}

export interface MailboxOptions {
	/** Oldest messages are dropped past this count. */
	capacity?: number;
}

export const DEFAULT_SENDER = 'Admin <admin@email.com>';

function parseAddress(s: string): Address {
	const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(s);
	if (m) return { Name: m[1].replace(/^"|"$/g, ''), Address: m[2].trim() };
	return { Name: '', Address: s.trim() };
}

/** A plain-text rendering of an HTML body, links kept as `text (url)` so they stay usable. */
export function htmlToText(html: string): string {
	return html
		.replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gis, (_, href: string, label: string) => {
			const url = decodeEntities(href);
			const text = label.replace(/<[^>]+>/g, '').trim();
			return text && text !== url ? `${text} (${url})` : url;
		})
		.replace(/<\/(p|h\d|div|li)>/gi, '\n')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.split('\n')
		.map((l) => decodeEntities(l).trim())
		.filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
		.join('\n')
		.trim();
}

function decodeEntities(s: string): string {
	return s
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&');
}

export function escapeHtml(s: string): string {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

function matches(m: MailMessage, query: string): boolean {
	const terms = query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
	return terms.every((raw) => {
		const term = raw.replace(/"/g, '').toLowerCase();
		const idx = term.indexOf(':');
		const key = idx > 0 ? term.slice(0, idx) : '';
		const value = idx > 0 ? term.slice(idx + 1) : term;
		const addr = (a: Address) => `${a.Name} ${a.Address}`.toLowerCase();
		switch (key) {
			case 'to':
				return m.To.some((a) => addr(a).includes(value));
			case 'from':
				return addr(m.From).includes(value);
			case 'subject':
				return m.Subject.toLowerCase().includes(value);
			default:
				return `${m.Subject}\n${m.Text}\n${m.To.map(addr).join(' ')}\n${addr(m.From)}`
					.toLowerCase()
					.includes(term);
		}
	});
}

export function createMailbox(opts: MailboxOptions = {}): Mailbox {
	const capacity = opts.capacity ?? 1000;
	// Oldest first; readers reverse.
	const messages: MailMessage[] = [];
	let seq = 0;

	return {
		send(mail) {
			seq += 1;
			const id = `${Date.now().toString(36)}${seq.toString(36).padStart(4, '0')}${randomBytes(4).toString('hex')}`;
			const message: MailMessage = {
				ID: id,
				MessageID: `${id}@groundwork.local`,
				From: parseAddress(mail.from ?? DEFAULT_SENDER),
				To: (Array.isArray(mail.to) ? mail.to : [mail.to]).map(parseAddress),
				Subject: mail.subject,
				Created: new Date().toISOString(),
				HTML: mail.html,
				Text: mail.text ?? htmlToText(mail.html),
				Read: false,
				Attachments: mail.attachments ?? []
			};
			messages.push(message);
			if (messages.length > capacity) messages.splice(0, messages.length - capacity);
			return message;
		},
		list: () => [...messages].reverse(),
		get: (id) => messages.find((m) => m.ID === id),
		search: (query) => [...messages].reverse().filter((m) => matches(m, query)),
		delete(ids) {
			if (!ids || ids.length === 0) {
				messages.length = 0;
				return;
			}
			const drop = new Set(ids);
			for (let i = messages.length - 1; i >= 0; i--)
				if (drop.has(messages[i].ID)) messages.splice(i, 1);
		},
		get size() {
			return messages.length;
		}
	};
}

function summary(m: MailMessage) {
	return {
		ID: m.ID,
		MessageID: m.MessageID,
		Read: m.Read,
		From: m.From,
		To: m.To,
		Cc: [],
		Bcc: [],
		ReplyTo: [],
		Subject: m.Subject,
		Created: m.Created,
		Tags: [],
		Size: Buffer.byteLength(m.HTML) + Buffer.byteLength(m.Text),
		Attachments: m.Attachments.length,
		Snippet: m.Text.replace(/\s+/g, ' ').slice(0, 250)
	};
}

function listing(all: MailMessage[], url: URL, total: number) {
	const start = Math.max(0, Number(url.searchParams.get('start')) || 0);
	const limit = Math.max(1, Number(url.searchParams.get('limit')) || 50);
	const page = all.slice(start, start + limit);
	return {
		total,
		unread: all.filter((m) => !m.Read).length,
		count: page.length,
		messages_count: all.length,
		start,
		tags: [],
		messages: page.map(summary)
	};
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(payload)),
		'access-control-allow-origin': '*'
	});
	res.end(payload);
}

function sendText(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
	res.writeHead(status, {
		'content-type': `${type}; charset=utf-8`,
		'content-length': String(Buffer.byteLength(body)),
		'access-control-allow-origin': '*'
	});
	res.end(body);
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}
header{background:#1f3a33;color:#fff;padding:.75rem 1.25rem;display:flex;gap:1rem;align-items:center}
header h1{font-size:1.1rem;margin:0} header a{color:#fff}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid #ddd;vertical-align:top}
article{background:#fff;padding:1rem 1.25rem;border:1px solid #ddd}
.meta{color:#555;font-size:.9rem} a{color:#0b5c9e}
form{display:inline} button{font:inherit}
</style></head>
<body><header><h1>Local mailbox</h1><a href="/">All messages</a></header><main>${body}</main></body></html>`;
}

function renderList(mailbox: Mailbox): string {
	const rows = mailbox
		.list()
		.map(
			(m) =>
				`<tr><td>${escapeHtml(m.To.map((a) => a.Address).join(', '))}</td>` +
				`<td><a href="/view/${encodeURIComponent(m.ID)}">${escapeHtml(m.Subject || '(no subject)')}</a></td>` +
				`<td><time datetime="${m.Created}">${escapeHtml(new Date(m.Created).toLocaleString())}</time></td></tr>`
		)
		.join('');
	const table = rows
		? `<table><caption class="meta">${mailbox.size} message(s), newest first</caption>` +
			`<thead><tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Received</th></tr></thead><tbody>${rows}</tbody></table>` +
			`<p><form method="post" action="/clear"><button type="submit">Delete all messages</button></form></p>`
		: '<p>No messages yet. Mail sent by auth (sign-up confirmations, magic links, password resets) and by the app over SMTP (dialogue reminders and summaries) appears here.</p>';
	return page('Local mailbox', table);
}

function renderMessage(m: MailMessage): string {
	return page(
		m.Subject,
		`<article><h2>${escapeHtml(m.Subject)}</h2>` +
			`<p class="meta">From ${escapeHtml(m.From.Address)} to ${escapeHtml(m.To.map((a) => a.Address).join(', '))}, ` +
			`<time datetime="${m.Created}">${escapeHtml(new Date(m.Created).toLocaleString())}</time></p>` +
			// The HTML comes from our own templates, which escape every interpolated value.
			`<div>${m.HTML || `<pre>${escapeHtml(m.Text)}</pre>`}</div></article>`
	);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const c of req) {
		size += (c as Buffer).length;
		if (size > 1024 * 1024) return null;
		chunks.push(c as Buffer);
	}
	const s = Buffer.concat(chunks).toString('utf8').trim();
	if (!s) return null;
	try {
		return JSON.parse(s);
	} catch {
		return undefined;
	}
}

/** Serves the mailbox on the mail port: an HTML page and Mailpit's JSON API. */
export function createMailHandler(
	mailbox: Mailbox
): (req: IncomingMessage, res: ServerResponse) => void {
	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.replace(/\/+$/, '') || '/';

		if (method === 'OPTIONS') {
			res.writeHead(204, {
				'access-control-allow-origin': '*',
				'access-control-allow-methods': 'GET, PUT, DELETE, POST, OPTIONS',
				'access-control-allow-headers': 'content-type'
			});
			res.end();
			return;
		}
		if (path === '/api/v1/messages') {
			if (method === 'GET') return sendJson(res, 200, listing(mailbox.list(), url, mailbox.size));
			if (method === 'DELETE') {
				const body = await readJson(req);
				if (body === undefined) return sendText(res, 400, 'invalid JSON');
				const ids = (body as { IDs?: unknown } | null)?.IDs;
				mailbox.delete(Array.isArray(ids) ? ids.map(String) : undefined);
				return sendText(res, 200, 'ok');
			}
			if (method === 'PUT') {
				const body = (await readJson(req)) as { IDs?: unknown; Read?: unknown } | null | undefined;
				if (body === undefined) return sendText(res, 400, 'invalid JSON');
				const ids = Array.isArray(body?.IDs) ? new Set(body.IDs.map(String)) : null;
				for (const m of mailbox.list()) if (!ids || ids.has(m.ID)) m.Read = body?.Read !== false;
				return sendText(res, 200, 'ok');
			}
			return sendText(res, 405, 'method not allowed');
		}
		if (path === '/api/v1/search') {
			const query = url.searchParams.get('query') ?? '';
			if (method === 'GET') {
				const found = mailbox.search(query);
				return sendJson(res, 200, listing(found, url, mailbox.size));
			}
			if (method === 'DELETE') {
				mailbox.delete(mailbox.search(query).map((m) => m.ID));
				return sendText(res, 200, 'ok');
			}
			return sendText(res, 405, 'method not allowed');
		}
		const part = /^\/api\/v1\/message\/([^/]+)\/part\/(\d+)$/.exec(path);
		if (part && method === 'GET') {
			const a = mailbox.get(decodeURIComponent(part[1]))?.Attachments[Number(part[2]) - 1];
			if (!a) return sendText(res, 404, 'attachment not found');
			res.writeHead(200, {
				'content-type': a.contentType,
				'content-length': String(a.content.length),
				'content-disposition': `attachment; filename="${a.filename.replace(/["\\\r\n]/g, '_')}"`,
				'access-control-allow-origin': '*'
			});
			res.end(a.content);
			return;
		}
		const one = /^\/api\/v1\/message\/([^/]+)(\/raw)?$/.exec(path);
		if (one) {
			const id = decodeURIComponent(one[1]);
			const m = id === 'latest' ? mailbox.list()[0] : mailbox.get(id);
			if (!m) return sendText(res, 404, 'message not found');
			if (method !== 'GET') return sendText(res, 405, 'method not allowed');
			m.Read = true;
			if (one[2]) {
				return sendText(
					res,
					200,
					`From: ${m.From.Address}\r\nTo: ${m.To.map((a) => a.Address).join(', ')}\r\nSubject: ${m.Subject}\r\n` +
						`Date: ${new Date(m.Created).toUTCString()}\r\nMessage-ID: <${m.MessageID}>\r\n` +
						`Content-Type: text/html; charset=utf-8\r\n\r\n${m.HTML}`
				);
			}
			return sendJson(res, 200, {
				...summary(m),
				ReturnPath: m.From.Address,
				Date: m.Created,
				Text: m.Text,
				HTML: m.HTML,
				Inline: [],
				Attachments: m.Attachments.map((a, i) => ({
					PartID: String(i + 1),
					FileName: a.filename,
					ContentType: a.contentType,
					Size: a.size
				}))
			});
		}
		if (method === 'GET' && path === '/')
			return sendText(res, 200, renderList(mailbox), 'text/html');
		const view = /^\/view\/([^/]+)$/.exec(path);
		if (method === 'GET' && view) {
			const m = mailbox.get(decodeURIComponent(view[1]));
			if (!m) return sendText(res, 404, page('Not found', '<p>No such message.</p>'), 'text/html');
			m.Read = true;
			return sendText(res, 200, renderMessage(m), 'text/html');
		}
		if (method === 'POST' && path === '/clear') {
			mailbox.delete();
			res.writeHead(303, { location: '/' });
			res.end();
			return;
		}
		return sendText(res, 404, 'not found');
	}

	return (req, res) => {
		handle(req, res).catch((e: unknown) => {
			console.error('[mail] unhandled error', e);
			if (!res.headersSent) sendText(res, 500, 'internal error');
			else res.destroy();
		});
	};
}
