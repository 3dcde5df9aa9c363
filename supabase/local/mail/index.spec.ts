import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, createMailHandler, htmlToText, type Mailbox } from './index.ts';

describe('mailbox store', () => {
	it('lists newest first and finds by id', () => {
		const box = createMailbox();
		const a = box.send({ to: 'a@example.test', subject: 'First', html: '<p>one</p>' });
		const b = box.send({ to: 'b@example.test', subject: 'Second', html: '<p>two</p>' });
		expect(box.list().map((m) => m.ID)).toEqual([b.ID, a.ID]);
		expect(box.get(a.ID)?.Subject).toBe('First');
		expect(a.From.Address).toBe('admin@email.com');
	});

	it('drops the oldest messages past its capacity', () => {
		const box = createMailbox({ capacity: 3 });
		for (let i = 0; i < 5; i++) box.send({ to: 'x@example.test', subject: `m${i}`, html: '' });
		expect(box.size).toBe(3);
		expect(box.list().map((m) => m.Subject)).toEqual(['m4', 'm3', 'm2']);
	});

	it('searches by recipient, subject and words', () => {
		const box = createMailbox();
		box.send({ to: 'Ann <ann@example.test>', subject: 'Your Magic Link', html: '<p>hello</p>' });
		box.send({ to: 'bob@example.test', subject: 'Reset Your Password', html: '<p>reset</p>' });
		expect(box.search('to:ann@example.test').map((m) => m.Subject)).toEqual(['Your Magic Link']);
		expect(box.search('subject:"reset your"').length).toBe(1);
		expect(box.search('to:bob@example.test hello').length).toBe(0);
		box.delete(box.search('to:bob').map((m) => m.ID));
		expect(box.size).toBe(1);
	});

	it('renders links in the text part so they stay usable', () => {
		const text = htmlToText(
			'<h2>Magic Link</h2><p><a href="http://x/verify?a=1&amp;b=2">Log In</a></p>'
		);
		expect(text).toContain('Log In (http://x/verify?a=1&b=2)');
	});
});

describe('mail HTTP API', () => {
	let server: Server;
	let base: string;
	let box: Mailbox;

	beforeAll(async () => {
		box = createMailbox();
		server = createServer(createMailHandler(box));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	it('serves Mailpit-shaped listings, messages, search and delete', async () => {
		box.send({
			to: 'carol@example.test',
			subject: 'Confirm Your Signup',
			html: '<a href="http://l/1">Confirm</a>'
		});
		const newest = box.send({
			to: 'dave@example.test',
			subject: 'Your Magic Link',
			html: '<a href="http://l/2">Log In</a>'
		});

		const list = await (await fetch(`${base}/api/v1/messages`)).json();
		expect(list.total).toBe(2);
		expect(list.messages[0]).toMatchObject({
			ID: newest.ID,
			Subject: 'Your Magic Link',
			To: [{ Address: 'dave@example.test' }],
			From: { Address: 'admin@email.com' }
		});
		expect(list.messages[0].Snippet).toContain('http://l/2');

		const one = await (await fetch(`${base}/api/v1/message/${newest.ID}`)).json();
		expect(one.HTML).toContain('href="http://l/2"');
		expect(one.Text).toContain('http://l/2');

		const found = await (
			await fetch(`${base}/api/v1/search?query=${encodeURIComponent('to:carol@example.test')}`)
		).json();
		expect(found.messages.map((m: { Subject: string }) => m.Subject)).toEqual([
			'Confirm Your Signup'
		]);

		expect((await fetch(`${base}/api/v1/message/nope`)).status).toBe(404);
		const del = await fetch(`${base}/api/v1/messages`, { method: 'DELETE' });
		expect(del.status).toBe(200);
		expect((await (await fetch(`${base}/api/v1/messages`)).json()).total).toBe(0);
	});

	it('serves a readable HTML page that escapes what it shows', async () => {
		box.send({ to: 'eve@example.test', subject: '<script>x</script>', html: '<p>hi</p>' });
		const res = await fetch(`${base}/`);
		expect(res.headers.get('content-type')).toContain('text/html');
		const html = await res.text();
		expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
		expect(html).not.toContain('<script>x</script>');
		expect(html).toContain('eve@example.test');
		const id = box.list()[0].ID;
		const view = await (await fetch(`${base}/view/${id}`)).text();
		expect(view).toContain('<p>hi</p>');
	});

	it('answers bad JSON on delete with 400', async () => {
		const res = await fetch(`${base}/api/v1/messages`, { method: 'DELETE', body: '{nope' });
		expect(res.status).toBe(400);
	});
});
