import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailbox, type Mailbox } from './index.ts';
import {
	decodeHeader,
	decodeQuotedPrintable,
	parseMail,
	parseParams,
	parsePath,
	startSmtpServer,
	type SmtpServer
} from './smtp.ts';

let mailbox: Mailbox;
let server: SmtpServer;

beforeAll(async () => {
	mailbox = createMailbox();
	server = await startSmtpServer(mailbox, { host: '127.0.0.1', port: 0, maxBytes: 64 * 1024 });
});
afterAll(async () => {
	await server?.close();
});
beforeEach(() => mailbox.delete());

function transport(auth = false) {
	return nodemailer.createTransport({
		host: '127.0.0.1',
		port: server.port,
		secure: false,
		...(auth ? { auth: { user: 'app', pass: 'secret' } } : {})
	});
}

/** A raw SMTP conversation: send lines, read the replies. */
async function talk(lines: string[]): Promise<string[]> {
	const socket: Socket = connect(server.port, '127.0.0.1');
	let received = '';
	socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
	const replies = () => received.split('\r\n').filter((l) => /^\d{3} /.test(l));
	const waitFor = async (n: number) => {
		for (let i = 0; i < 200 && replies().length < n; i++)
			await new Promise((r) => setTimeout(r, 5));
	};
	await waitFor(1);
	let expected = 1;
	let inData = false;
	for (const line of lines) {
		socket.write(line + '\r\n');
		// Lines of a message get no reply until the final dot.
		if (inData && line !== '.') continue;
		expected += 1;
		await waitFor(expected);
		inData = line === 'DATA' && replies().at(-1)?.startsWith('354') === true;
	}
	socket.destroy();
	return replies();
}

describe('SMTP receiver, through nodemailer', () => {
	it('stores a multipart UTF-8 message with an attachment in the mailbox', async () => {
		await transport().sendMail({
			from: '"Groundwork" <noreply@groundwork.test>',
			to: 'Ana Núñez <ana@example.test>, bob@example.test',
			subject: 'Recordatorio: diálogo mañana — 18:00 ✓',
			text: 'Hola Ana,\n.a line that starts with a dot\n..and two dots\nAgenda: ronda de apertura ✓',
			html: '<p>Hola <b>Ana</b> — ¿vienes?</p>',
			attachments: [
				{
					filename: 'diálogo.ics',
					content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
					contentType: 'text/calendar'
				}
			]
		});
		const [m] = mailbox.list();
		expect(m.Subject).toBe('Recordatorio: diálogo mañana — 18:00 ✓');
		expect(m.From).toEqual({ Name: 'Groundwork', Address: 'noreply@groundwork.test' });
		expect(m.To.map((a) => a.Address)).toEqual(['ana@example.test', 'bob@example.test']);
		expect(m.To[0].Name).toBe('Ana Núñez');
		expect(m.Text).toContain('.a line that starts with a dot\n..and two dots');
		expect(m.Text).toContain('ronda de apertura ✓');
		expect(m.HTML).toBe('<p>Hola <b>Ana</b> — ¿vienes?</p>');
		expect(m.Attachments).toHaveLength(1);
		expect(m.Attachments[0].filename).toBe('diálogo.ics');
		expect(m.Attachments[0].contentType).toBe('text/calendar');
		expect(m.Attachments[0].content.toString()).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
		expect(mailbox.search('to:bob@example.test').length).toBe(1);
	});

	it('accepts any credentials and long base64 bodies, like Mailpit', async () => {
		const long = 'Línea larga con acentos. '.repeat(400);
		await transport(true).sendMail({
			from: 'app@groundwork.test',
			to: 'c@example.test',
			subject: 'plain',
			text: long,
			textEncoding: 'base64'
		});
		expect(mailbox.list()[0].Text).toBe(long);
	});

	it('refuses a message over the size limit and stores nothing', async () => {
		await expect(
			transport().sendMail({
				from: 'app@groundwork.test',
				to: 'c@example.test',
				subject: 'big',
				text: 'x'.repeat(70 * 1024)
			})
		).rejects.toThrow(/552/);
		expect(mailbox.size).toBe(0);
	});
});

describe('SMTP commands', () => {
	it('greets, answers EHLO with its extensions and keeps the order of a transaction', async () => {
		const r = await talk([
			'MAIL FROM:<a@example.test>',
			'EHLO client.test',
			'RCPT TO:<b@example.test>',
			'DATA',
			'MAIL FROM:<a@example.test>',
			'MAIL FROM:<a@example.test>',
			'DATA',
			'RSET',
			'RCPT TO:<b@example.test>',
			'NOOP',
			'FROB',
			'QUIT'
		]);
		expect(r[0]).toMatch(/^220 /);
		expect(r[1]).toMatch(/^503 /);
		expect(r[2]).toMatch(/^250 HELP/);
		expect(r[3]).toMatch(/^503 need MAIL/);
		expect(r[4]).toMatch(/^503 need MAIL/);
		expect(r[5]).toMatch(/^250 /);
		expect(r[6]).toMatch(/^503 nested/);
		expect(r[7]).toMatch(/^503 need RCPT/);
		expect(r[8]).toMatch(/^250 /);
		expect(r[9]).toMatch(/^503 need MAIL/);
		expect(r[10]).toMatch(/^250 /);
		expect(r[11]).toMatch(/^502 /);
		expect(r[12]).toMatch(/^221 /);
	});

	it('takes a message over HELO, unstuffing dots, and refuses bad syntax', async () => {
		const r = await talk([
			'HELO client.test',
			'MAIL FROM:not an address',
			'MAIL FROM:<a@example.test> SIZE=99999999',
			'MAIL FROM:<a@example.test> SIZE=10',
			'RCPT TO:<>',
			'RCPT TO:<b@example.test>',
			'DATA',
			'Subject: Raw =?UTF-8?B?8J+Mjw==?=',
			'',
			'..hidden dot',
			'.'
		]);
		expect(r.slice(1)).toEqual([
			'250 groundwork.local',
			'501 syntax: MAIL FROM:<address>',
			'552 message size exceeds fixed maximum message size',
			'250 OK',
			'501 syntax: RCPT TO:<address>',
			'250 OK',
			'354 end data with <CR><LF>.<CR><LF>',
			'250 OK: queued'
		]);
		const [m] = mailbox.list();
		expect(m.Subject).toBe('Raw 🌏');
		expect(m.To[0].Address).toBe('b@example.test');
		expect(m.Text).toBe('.hidden dot\n');
	});
});

describe('MIME pieces', () => {
	it('decodes encoded words, joining adjacent ones', () => {
		expect(decodeHeader('=?UTF-8?Q?Caf=C3=A9_con?= =?UTF-8?B?IGxlY2hl?=')).toBe('Café con leche');
		expect(decodeHeader('=?ISO-8859-1?Q?Se=F1or?= Pérez')).toBe('Señor Pérez');
	});

	it('decodes quoted-printable with soft breaks', () => {
		expect(decodeQuotedPrintable('Ma=C3=B1ana a las =\r\n18:00=3D').toString('utf8')).toBe(
			'Mañana a las 18:00='
		);
	});

	it('reads parameters, quoted and RFC 2231 extended', () => {
		expect(parseParams('text/plain; charset="utf-8"; format=flowed')).toEqual({
			value: 'text/plain',
			params: { charset: 'utf-8', format: 'flowed' }
		});
		expect(parseParams("attachment; filename*=utf-8''di%C3%A1logo.ics").params.filename).toBe(
			'diálogo.ics'
		);
		expect(parseParams('attachment; filename*0="a"; filename*1="b.ics"').params.filename).toBe(
			'ab.ics'
		);
	});

	it('parses paths with parameters and the null path', () => {
		expect(parsePath('<a@b.test> SIZE=12 BODY=8BITMIME')).toEqual({
			address: 'a@b.test',
			params: { SIZE: '12', BODY: '8BITMIME' }
		});
		expect(parsePath('<>')?.address).toBe('');
		expect(parsePath('<nobody>')).toBeNull();
	});

	it('finds the text and HTML of a multipart/alternative message', () => {
		const raw = [
			'Subject: hi',
			'Content-Type: multipart/alternative; boundary="XY"',
			'',
			'preamble',
			'--XY',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Hola =C3=A1',
			'--XY',
			'Content-Type: text/html; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			Buffer.from('<p>Hola á</p>').toString('base64'),
			'--XY--',
			''
		].join('\r\n');
		const m = parseMail(raw);
		expect(m.text).toBe('Hola á');
		expect(m.html).toBe('<p>Hola á</p>');
		expect(m.attachments).toEqual([]);
	});
});
