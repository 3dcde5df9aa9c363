/**
 * Realtime through real supabase-js clients (realtime-js over `ws`) against a real stack:
 * broadcast, presence, postgres_changes under RLS, tokens, reconnects and hostile input.
 * The tables live in a test-only schema created here and added to the publication, as a
 * migration would (`alter publication supabase_realtime add table …`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { signJwt } from '../local/jwt.ts';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import type { User } from './helpers/teams.ts';

let stack: TestStack;
let member: User;
let outsider: User;
let facilitator: User;
const teamA = crypto.randomUUID();
const teamB = crypto.randomUUID();
const clients: SupabaseClient[] = [];

const SCHEMA = `
create schema rt_test;
grant usage on schema rt_test to anon, authenticated, service_role;

create table rt_test.members (
	team_id uuid not null,
	user_id uuid not null,
	facilitates boolean not null default false,
	primary key (team_id, user_id)
);
alter table rt_test.members enable row level security;

create function rt_test.is_member(team uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select exists (select 1 from rt_test.members m where m.team_id = team and m.user_id = (select auth.uid())) $$;
grant execute on function rt_test.is_member(uuid) to authenticated;

-- Private channels "team:<id>": members listen and track presence, only facilitators broadcast.
create function rt_test.topic_team() returns uuid
language sql stable set search_path = ''
as $$ select case when realtime.topic() ~ '^team:[0-9a-f-]{36}$' then substr(realtime.topic(), 6)::uuid end $$;
create function rt_test.facilitates(team uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select exists (select 1 from rt_test.members m
                     where m.team_id = team and m.user_id = (select auth.uid()) and m.facilitates) $$;
grant usage on schema rt_test to authenticated;
grant execute on function rt_test.topic_team(), rt_test.facilitates(uuid) to authenticated;
create policy "members receive on their team's topic" on realtime.messages
	for select to authenticated using ((select rt_test.is_member(rt_test.topic_team())));
create policy "members track presence, facilitators broadcast" on realtime.messages
	for insert to authenticated with check (
		case extension
			when 'presence' then (select rt_test.is_member(rt_test.topic_team()))
			when 'broadcast' then (select rt_test.facilitates(rt_test.topic_team()))
			else false
		end
	);

create table rt_test.cards (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	title text not null,
	position int not null default 0,
	due date
);
alter table rt_test.cards enable row level security;
create policy "members read their team's cards" on rt_test.cards
	for select to authenticated using ((select rt_test.is_member(team_id)));
grant select on rt_test.cards to authenticated;
grant all on rt_test.cards to service_role;

-- replica identity full: UPDATE and DELETE carry the whole old row.
create table rt_test.timers (
	id int primary key,
	team_id uuid not null,
	phase text not null,
	seconds int not null
);
alter table rt_test.timers replica identity full;
alter table rt_test.timers enable row level security;
create policy "members read their team's timers" on rt_test.timers
	for select to authenticated using ((select rt_test.is_member(team_id)));
grant select on rt_test.timers to authenticated;

-- readable by everyone: the sentinel that proves a client was listening.
create table rt_test.board (id serial primary key, message text not null);
alter table rt_test.board enable row level security;
create policy "anyone reads the board" on rt_test.board for select to anon, authenticated using (true);
grant select on rt_test.board to anon, authenticated;

-- a policy that fails for one user (the outsider's sub is put in rt_test.flaky_user): the change
-- must still reach everyone else.
create table rt_test.flaky_user (id uuid primary key);
grant select on rt_test.flaky_user to authenticated;
create table rt_test.notes (id serial primary key, body text not null);
alter table rt_test.notes enable row level security;
create policy "everyone reads notes, one user's check fails" on rt_test.notes for select to authenticated
	using (case when exists (select 1 from rt_test.flaky_user f where f.id = (select auth.uid()))
	            then 1 / (length(body) * 0) = 1 else true end);
grant select on rt_test.notes to authenticated;

alter publication supabase_realtime add table rt_test.cards, rt_test.timers, rt_test.board, rt_test.notes;
`;

function track<T extends SupabaseClient>(c: T): T {
	clients.push(c);
	return c;
}

/** A fresh client (its own socket and channels) carrying `user`'s session token. */
async function clientAs(user: User): Promise<SupabaseClient> {
	const c = track(stack.client());
	await c.realtime.setAuth(user.client.realtime.accessTokenValue);
	return c;
}

/** Subscribes and resolves once the server confirmed the join; rejects with the server's reason. */
function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
	return new Promise((resolve, reject) => {
		channel.subscribe((status, err) => {
			if (status === 'SUBSCRIBED') resolve(channel);
			else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
				reject(new Error(`${status}: ${err?.message ?? ''}`));
			}
		});
	});
}

/** Subscribes and resolves with the error the subscribe callback reported. */
function subscribeError(channel: RealtimeChannel): Promise<string> {
	return new Promise((resolve) => {
		channel.subscribe((status, err) => {
			if (status !== 'SUBSCRIBED') resolve(`${status}: ${err?.message ?? ''}`);
		});
	});
}

async function until<T>(what: string, get: () => T | undefined, ms = 5000): Promise<T> {
	const start = Date.now();
	for (;;) {
		const v = get();
		if (v !== undefined && v !== false) return v;
		if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sql(text: string): Promise<void> {
	await stack.db.exec(text);
}

type Change = {
	eventType: string;
	new: Record<string, unknown>;
	old: Record<string, unknown>;
	table: string;
	commit_timestamp: string;
};

/** A channel listening to `table` (all events, optional filter), recording what arrives. */
async function listen(
	client: SupabaseClient,
	table: string,
	filter?: string,
	topic = `changes-${crypto.randomUUID()}`
): Promise<{ channel: RealtimeChannel; got: Change[] }> {
	const got: Change[] = [];
	const channel = client
		.channel(topic)
		.on(
			'postgres_changes',
			{ event: '*', schema: 'rt_test', table, ...(filter ? { filter } : {}) },
			(p) => got.push(p as unknown as Change)
		);
	await subscribed(channel);
	return { channel, got };
}

/** Writes a board row and waits until `got` has it: every change written before it has been delivered. */
async function boardSentinel(...listeners: Change[][]): Promise<void> {
	const message = crypto.randomUUID();
	await sql(`insert into rt_test.board (message) values ('${message}')`);
	for (const got of listeners) {
		await until('the board sentinel', () =>
			got.some((c) => c.table === 'board' && c.new.message === message)
		);
	}
}

beforeAll(async () => {
	stack = await startTestStack();
	await sql(SCHEMA);
	member = await stack.signedIn();
	outsider = await stack.signedIn();
	facilitator = await stack.signedIn();
	clients.push(member.client, outsider.client, facilitator.client);
	await sql(`insert into rt_test.members values
		('${teamA}', '${member.userId}', false), ('${teamB}', '${member.userId}', false),
		('${teamB}', '${outsider.userId}', false), ('${teamA}', '${facilitator.userId}', true)`);
});

afterAll(async () => {
	for (const c of clients) await c.removeAllChannels();
	await stack?.stop();
});

describe('broadcast', () => {
	it('reaches the other subscribers, and the sender only with self', async () => {
		const topic = `room-${crypto.randomUUID()}`;
		const got = { quiet: [] as unknown[], loud: [] as unknown[], other: [] as unknown[] };
		const quiet = track(stack.client()).channel(topic);
		quiet.on('broadcast', { event: 'phase' }, (p) => got.quiet.push(p.payload));
		const loud = track(stack.client()).channel(topic, { config: { broadcast: { self: true } } });
		loud.on('broadcast', { event: 'phase' }, (p) => got.loud.push(p.payload));
		const other = track(stack.client()).channel(topic);
		other.on('broadcast', { event: 'phase' }, (p) => got.other.push(p.payload));
		await Promise.all([subscribed(quiet), subscribed(loud), subscribed(other)]);

		await quiet.send({ type: 'broadcast', event: 'phase', payload: { from: 'quiet' } });
		await loud.send({ type: 'broadcast', event: 'phase', payload: { from: 'loud' } });
		await until('both messages at other', () => got.other.length === 2);
		await until('loud hears itself', () => got.loud.length === 2);

		expect(got.other).toEqual([{ from: 'quiet' }, { from: 'loud' }]);
		expect(got.loud).toEqual([{ from: 'quiet' }, { from: 'loud' }]);
		expect(got.quiet).toEqual([{ from: 'loud' }]);
	});

	it('acknowledges a message when ack is on, and other topics hear nothing', async () => {
		const topic = `room-${crypto.randomUUID()}`;
		const sender = track(stack.client()).channel(topic, { config: { broadcast: { ack: true } } });
		const elsewhere: unknown[] = [];
		const other = track(stack.client()).channel(`${topic}-other`);
		other.on('broadcast', { event: '*' }, (p) => elsewhere.push(p));
		await Promise.all([subscribed(sender), subscribed(other)]);
		// With ack the promise waits for the server's reply; without one it would time out.
		expect(
			await sender.send({ type: 'broadcast', event: 'x', payload: {} }, { timeout: 3000 })
		).toBe('ok');
		await sleep(100);
		expect(elsewhere).toEqual([]);
	});

	it('delivers a REST broadcast (httpSend) from a client that never subscribed', async () => {
		const topic = `room-${crypto.randomUUID()}`;
		const got: unknown[] = [];
		const listener = track(stack.client()).channel(topic);
		listener.on('broadcast', { event: 'timer' }, (p) => got.push(p.payload));
		await subscribed(listener);
		const sender = track(stack.client()).channel(topic);
		await expect(sender.httpSend('timer', { left: 90 })).resolves.toEqual({ success: true });
		await until('the REST broadcast', () => got.length === 1);
		expect(got).toEqual([{ left: 90 }]);
		const priv = track(stack.client()).channel(topic, { config: { private: true } });
		await expect(priv.httpSend('timer', { left: 1 })).rejects.toThrow(/permissions/);

		// send() before subscribing falls back to the batch endpoint.
		const early = track(stack.client()).channel(topic);
		const warn = console.warn;
		console.warn = () => {}; // realtime-js warns that this fallback is deprecated
		try {
			expect(await early.send({ type: 'broadcast', event: 'timer', payload: { left: 60 } })).toBe(
				'ok'
			);
		} finally {
			console.warn = warn;
		}
		await until('the fallback broadcast', () => got.length === 2);
		expect(got[1]).toEqual({ left: 60 });
	});

	it('carries a binary payload as bytes', async () => {
		const topic = `room-${crypto.randomUUID()}`;
		const got: unknown[] = [];
		const listener = track(stack.client()).channel(topic);
		listener.on('broadcast', { event: 'blob' }, (p) => got.push(p.payload));
		const sender = track(stack.client()).channel(topic);
		await Promise.all([subscribed(listener), subscribed(sender)]);
		await sender.send({
			type: 'broadcast',
			event: 'blob',
			payload: new Uint8Array([1, 2, 250]).buffer
		});
		await until('the binary broadcast', () => got.length === 1);
		expect(new Uint8Array(got[0] as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 250]));
	});
});

describe('private channels (RLS on realtime.messages)', () => {
	const privateChannel = (c: SupabaseClient, topic: string, ack = false) =>
		c.channel(topic, { config: { private: true, broadcast: { ack } } });

	it('lets members join their team’s topic and refuses an outsider and anon', async () => {
		const topic = `team:${teamA}`;
		await subscribed(privateChannel(member.client, topic));
		const refusal = `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`;
		expect(await subscribeError(privateChannel(outsider.client, topic))).toContain(refusal);
		expect(await subscribeError(privateChannel(track(stack.client()), topic))).toContain(refusal);
	});

	it('carries the facilitator’s broadcasts to members, refuses a member’s, and keeps public apart', async () => {
		const topic = `team:${teamA}`;
		const heard: unknown[] = [];
		const publicHeard: unknown[] = [];
		const listener = privateChannel(await clientAs(member), topic);
		listener.on('broadcast', { event: 'phase' }, (p) => heard.push(p.payload));
		const publicListener = track(stack.client()).channel(topic);
		publicListener.on('broadcast', { event: 'phase' }, (p) => publicHeard.push(p.payload));
		const speaker = privateChannel(await clientAs(facilitator), topic, true);
		await Promise.all([subscribed(listener), subscribed(publicListener), subscribed(speaker)]);
		expect(
			await speaker.send({ type: 'broadcast', event: 'phase', payload: { to: 'diagnose' } })
		).toBe('ok');
		await until('the facilitator’s broadcast', () => heard.length === 1);

		// A member may listen on the topic but not speak; presence is theirs to track.
		const heckler = privateChannel(await clientAs(member), topic, true);
		await subscribed(heckler);
		expect(
			await heckler.send({ type: 'broadcast', event: 'phase', payload: { to: 'chaos' } })
		).toBe('error');
		expect(await heckler.track({ name: 'Mo' })).toBe('ok');
		const rest = (await clientAs(facilitator)).channel(topic, { config: { private: true } });
		await expect(rest.httpSend('phase', { to: 'rest' })).resolves.toEqual({ success: true });
		await until('the REST broadcast', () => heard.length === 2);
		expect(heard).toEqual([{ to: 'diagnose' }, { to: 'rest' }]);
		expect(publicHeard).toEqual([]);
	});
});

describe('presence', () => {
	it('sends the state on join, a diff on track, and a leave when a socket disconnects', async () => {
		const topic = `meeting-${crypto.randomUUID()}`;
		const facilitator = track(stack.client());
		const a = facilitator.channel(topic, { config: { presence: { key: 'facilitator' } } });
		const leaves: string[] = [];
		const joins: string[] = [];
		a.on('presence', { event: 'join' }, ({ key }) => joins.push(key));
		a.on('presence', { event: 'leave' }, ({ key }) => leaves.push(key));
		await subscribed(a);
		expect(await a.track({ name: 'Fran' })).toBe('ok');
		await until('the facilitator in its own state', () => joins.includes('facilitator'));

		const memberClient = track(stack.client());
		const b = memberClient.channel(topic, { config: { presence: { key: 'member-1' } } });
		b.on('presence', { event: 'sync' }, () => {});
		await subscribed(b);
		// The state on join already holds the facilitator.
		await until('the state at b', () => 'facilitator' in b.presenceState());
		expect(b.presenceState().facilitator[0]).toMatchObject({ name: 'Fran' });

		await b.track({ name: 'Mo' });
		await until('b joining at a', () => joins.includes('member-1'));
		expect(a.presenceState()['member-1'][0]).toMatchObject({ name: 'Mo' });

		// Untracking leaves; tracking again joins with the new metadata.
		expect(await b.untrack()).toBe('ok');
		await until('b untracking at a', () => leaves.includes('member-1'));
		expect(Object.keys(a.presenceState())).toEqual(['facilitator']);
		await b.track({ name: 'Mo', hand: true });
		await until(
			'b back at a',
			() => a.presenceState<{ hand?: boolean }>()['member-1']?.[0]?.hand === true
		);
		expect(a.presenceState()['member-1']).toHaveLength(1);

		leaves.length = 0;
		await memberClient.realtime.disconnect();
		await until('b leaving at a', () => leaves.includes('member-1'));
		expect(Object.keys(a.presenceState())).toEqual(['facilitator']);

		expect(await a.untrack()).toBe('ok');
		await until('the facilitator leaving', () => Object.keys(a.presenceState()).length === 0);
	});
});

describe('postgres_changes', () => {
	it('delivers a change to members of the row’s team only, never to an outsider or anon', async () => {
		const anon = track(stack.client());
		const service = track(stack.admin());
		const [m, o, an, svc] = await Promise.all(
			[member.client, outsider.client, anon, service].map((c) => listen(c, 'cards'))
		);
		const boards = await Promise.all([outsider.client, anon].map((c) => listen(c, 'board')));
		await sql(
			`insert into rt_test.cards (team_id, title, position) values ('${teamA}', 'Friction: wait times', 3)`
		);
		await until('the member’s insert', () => m.got.length === 1);
		expect(m.got[0]).toMatchObject({
			eventType: 'INSERT',
			table: 'cards',
			new: { team_id: teamA, title: 'Friction: wait times', position: 3, due: null },
			old: {}
		});
		expect(Number.isNaN(Date.parse(m.got[0].commit_timestamp))).toBe(false);
		await until('the service role’s insert', () => svc.got.length === 1);
		// Both outsider and anon were listening (they got the later board row), yet saw no card.
		await boardSentinel(boards[0].got, boards[1].got);
		expect(o.got).toEqual([]);
		expect(an.got).toEqual([]);
	});

	it('follows the team’s rows through UPDATE and DELETE with the old record Realtime sends', async () => {
		const cards = await listen(member.client, 'cards');
		// A filter on team_id can match a DELETE here: with replica identity full the old row has it.
		const timers = await listen(member.client, 'timers', `team_id=eq.${teamA}`);
		const id = crypto.randomUUID();
		// Each step waits for the last: as on Supabase, RLS is checked by selecting the row again when
		// the change is processed, so an UPDATE whose row is already gone reaches nobody under RLS.
		await sql(
			`insert into rt_test.cards (id, team_id, title) values ('${id}', '${teamA}', 'Draft')`
		);
		await until('the insert', () => cards.got.length === 1);
		await sql(`update rt_test.cards set title = 'Final', position = 2 where id = '${id}'`);
		await until('the update', () => cards.got.length === 2);
		await sql(`delete from rt_test.cards where id = '${id}'`);
		await until('the delete', () => cards.got.length === 3);
		expect(cards.got.map((c) => c.eventType)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
		// Default replica identity: the old row is its primary key.
		expect(cards.got[1].new).toMatchObject({ id, title: 'Final', position: 2 });
		expect(cards.got[1].old).toEqual({ id });
		expect(cards.got[2].new).toEqual({});
		expect(cards.got[2].old).toEqual({ id });

		await sql(`insert into rt_test.timers values (1, '${teamA}', 'gather', 300)`);
		await sql(`update rt_test.timers set phase = 'diagnose', seconds = 600 where id = 1`);
		await until('two timer changes', () => timers.got.length === 2);
		// Replica identity full: the whole old row.
		expect(timers.got[1].old).toEqual({ id: 1, team_id: teamA, phase: 'gather', seconds: 300 });
		expect(timers.got[1].new).toEqual({ id: 1, team_id: teamA, phase: 'diagnose', seconds: 600 });
		await sql(`delete from rt_test.timers where id = 1`);
		await until('the timer delete', () => timers.got.length === 3);
		// Under RLS a deleted row cannot be checked, so Realtime sends its primary key only.
		expect(timers.got[2]).toMatchObject({ eventType: 'DELETE', new: {}, old: { id: 1 } });
		expect(Object.keys(timers.got[2].old)).toEqual(['id']);
	});

	it('applies eq, neq, lt, lte, gt, gte and in filters on a column', async () => {
		const filters: Record<string, string> = {
			eq: `team_id=eq.${teamA}`,
			neq: `team_id=neq.${teamA}`,
			lt: 'position=lt.5',
			lte: 'position=lte.5',
			gt: 'position=gt.5',
			gte: 'position=gte.5',
			in: `title=in.(alpha,"b,c")`,
			date: 'due=lt.2027-01-01'
		};
		const got: Record<string, Change[]> = {};
		for (const [name, filter] of Object.entries(filters)) {
			got[name] = (await listen(member.client, 'cards', filter)).got;
		}
		const all = await listen(member.client, 'cards');
		const narrow: Change[] = [];
		await subscribed(
			member.client
				.channel(`narrow-${crypto.randomUUID()}`)
				.on(
					'postgres_changes',
					{ event: 'INSERT', schema: 'rt_test', table: 'cards', select: ['title', 'position'] },
					(p) => narrow.push(p as unknown as Change)
				)
		);
		await sql(`insert into rt_test.cards (team_id, title, position, due) values
			('${teamA}', 'alpha', 5, '2026-12-31'),
			('${teamB}', 'b,c', 9, '2027-03-01'),
			('${teamA}', 'gamma', 1, null)`);
		await until('all three inserts', () => all.got.length === 3);
		await boardSentinel((await listen(member.client, 'board')).got);
		const titles = (name: string) => got[name].map((c) => c.new.title).sort();
		expect(titles('eq')).toEqual(['alpha', 'gamma']);
		expect(titles('neq')).toEqual(['b,c']);
		expect(titles('lt')).toEqual(['gamma']);
		expect(titles('lte')).toEqual(['alpha', 'gamma']);
		expect(titles('gt')).toEqual(['b,c']);
		expect(titles('gte')).toEqual(['alpha', 'b,c']);
		expect(titles('in')).toEqual(['alpha', 'b,c']);
		expect(titles('date')).toEqual(['alpha']);
		// `select` narrows the record to the columns asked for.
		expect(
			narrow.map((c) => c.new).sort((a, b) => Number(a.position) - Number(b.position))
		).toEqual([
			{ title: 'gamma', position: 1 },
			{ title: 'alpha', position: 5 },
			{ title: 'b,c', position: 9 }
		]);
	});

	it('still delivers to everyone else when a policy fails for one subscriber', async () => {
		await sql(`insert into rt_test.flaky_user values ('${outsider.userId}')`);
		const [m, o] = await Promise.all([
			listen(member.client, 'notes'),
			listen(outsider.client, 'notes')
		]);
		const outsiderBoard = await listen(outsider.client, 'board');
		await sql(`insert into rt_test.notes (body) values ('agenda')`);
		await until('the member’s note', () => m.got.length === 1);
		await boardSentinel(outsiderBoard.got);
		expect(m.got[0].new).toMatchObject({ body: 'agenda' });
		expect(o.got).toEqual([]);
	});

	it('reports an unusable subscription in a system message instead of failing silently', async () => {
		const messages: Array<{ status: string; message: string }> = [];
		const channel = member.client
			.channel(`bad-${crypto.randomUUID()}`)
			.on(
				'postgres_changes',
				{ event: '*', schema: 'rt_test', table: 'cards', filter: 'position=eq.many' },
				() => {}
			)
			.on('system', {}, (p) => messages.push(p));
		await subscribed(channel);
		await until('the system message', () => messages.length > 0);
		expect(messages[0].status).toBe('error');
		expect(messages[0].message).toMatch(/invalid value "many" for position \(integer\)/);

		const unpublished = member.client
			.channel(`bad-${crypto.randomUUID()}`)
			.on('postgres_changes', { event: '*', schema: 'rt_test', table: 'members' }, () => {})
			.on('system', {}, (p) => messages.push(p));
		await subscribed(unpublished);
		await until('the second system message', () => messages.length > 1);
		expect(messages[1].message).toMatch(/not in the publication supabase_realtime/);
	});
});

describe('tokens', () => {
	it('refuses a malformed, forged or expired token with Realtime’s reason', async () => {
		const c = track(stack.client());
		await c.realtime.setAuth('not-a-jwt');
		expect(await subscribeError(c.channel(`t-${crypto.randomUUID()}`))).toMatch(
			/MalformedJWT: The token provided is not a valid JWT/
		);

		const forged = await signJwt(
			{ role: 'authenticated', sub: member.userId },
			'another secret',
			60
		);
		const f = track(stack.client());
		await f.realtime.setAuth(forged);
		expect(await subscribeError(f.channel(`t-${crypto.randomUUID()}`))).toMatch(
			/JwtSignatureError/
		);

		const expired = await signJwt(
			{ role: 'authenticated', sub: member.userId },
			stack.jwtSecret,
			-120
		);
		const e = track(stack.client());
		await e.realtime.setAuth(expired);
		expect(await subscribeError(e.channel(`t-${crypto.randomUUID()}`))).toMatch(
			/InvalidJWTToken: Token has expired 1[2-3]\d seconds ago/
		);
	});

	it('closes the channel when its token expires, as Realtime does', async () => {
		const soon = await signJwt({ role: 'authenticated', sub: member.userId }, stack.jwtSecret, 2);
		const c = track(stack.client());
		await c.realtime.setAuth(soon);
		const system: string[] = [];
		let closed = false;
		const channel = c
			.channel(`t-${crypto.randomUUID()}`)
			.on('system', {}, (p) => system.push(p.message));
		await new Promise<void>((resolve, reject) =>
			channel.subscribe((status) => {
				if (status === 'SUBSCRIBED') resolve();
				else if (status === 'CLOSED') closed = true;
				else reject(new Error(status));
			})
		);
		await until('the close', () => closed, 5000);
		expect(system.some((m) => /Token has expired/.test(m))).toBe(true);
	});

	it('switches to a refreshed access token: the channel then sees what the new user may see', async () => {
		const c = track(stack.client());
		await c.realtime.setAuth(outsider.client.realtime.accessTokenValue);
		const { got } = await listen(c, 'cards', `team_id=eq.${teamA}`);
		const board = await listen(c, 'board');
		await sql(`insert into rt_test.cards (team_id, title) values ('${teamA}', 'before')`);
		// Once the board row is in, 'before' has been judged under the outsider's claims.
		await boardSentinel(board.got);
		await c.realtime.setAuth(member.client.realtime.accessTokenValue);
		// A socket's messages are handled in order: once this join is answered, so is the new token.
		await subscribed(c.channel(`sync-${crypto.randomUUID()}`));
		await sql(`insert into rt_test.cards (team_id, title) values ('${teamA}', 'after')`);
		await until('the change after the refresh', () => got.length > 0);
		expect(got.map((g) => g.new.title)).toEqual(['after']);
	});

	it('refuses a WebSocket without a valid apikey before any channel', async () => {
		const base = stack.apiUrl.replace(/^http/, 'ws') + '/realtime/v1/websocket?vsn=2.0.0';
		const status = (url: string) =>
			new Promise<number>((resolve) => {
				const ws = new WebSocket(url);
				ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
				ws.on('open', () => resolve(101));
				ws.on('error', () => {});
			});
		expect(await status(base)).toBe(401);
		expect(await status(`${base}&apikey=wrong`)).toBe(401);
		expect(await status(`${base}&apikey=${stack.anonKey}`)).toBe(101);
	});
});

describe('resilience', () => {
	it('rejoins after its socket is killed and receives what is sent afterwards', async () => {
		const topic = `room-${crypto.randomUUID()}`;
		const c = track(stack.client());
		const got: unknown[] = [];
		const channel = c.channel(topic).on('broadcast', { event: 'next' }, (p) => got.push(p.payload));
		const states: string[] = [];
		channel.subscribe((s) => states.push(s));
		await until('subscribed', () => states.includes('SUBSCRIBED'));
		const changes: Change[] = [];
		const pg = member.client.channel(`pg-${crypto.randomUUID()}`);
		pg.on('postgres_changes', { event: 'INSERT', schema: 'rt_test', table: 'board' }, (p) =>
			changes.push(p as unknown as Change)
		);
		await subscribed(pg);

		// Kill both sockets from below, as a dropped network would.
		const conn = (client: SupabaseClient) =>
			(
				client.realtime as unknown as {
					socketAdapter: { getSocket(): { conn: WebSocket } };
				}
			).socketAdapter.getSocket().conn;
		conn(c).terminate();
		conn(member.client).terminate();
		await until(
			'the channel to rejoin',
			() => states.filter((s) => s === 'SUBSCRIBED').length >= 2,
			8000
		);
		await until(
			'the pg channel to rejoin',
			() => pg.state === 'joined' && member.client.realtime.isConnected(),
			8000
		);

		const sender = track(stack.client()).channel(topic);
		await subscribed(sender);
		await sender.send({ type: 'broadcast', event: 'next', payload: { n: 1 } });
		await until('the broadcast after the rejoin', () => got.length === 1);
		await sql(`insert into rt_test.board (message) values ('after reconnect')`);
		await until('the change after the rejoin', () => changes.length > 0);
		expect(changes.map((x) => x.new.message)).toEqual(['after reconnect']);
	});

	it('survives garbage frames, unknown topics and oversized messages on one socket', async () => {
		const url = `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?vsn=2.0.0&apikey=${stack.anonKey}`;
		const ws = new WebSocket(url);
		const replies: unknown[][] = [];
		ws.on('message', (d) => replies.push(JSON.parse(String(d)) as unknown[]));
		await new Promise((r) => ws.once('open', r));
		ws.send('not json');
		ws.send('[1, 2]');
		ws.send(Buffer.from([3, 200, 0, 0]));
		ws.send(JSON.stringify([null, '1', 'realtime:nowhere', 'broadcast', { event: 'x' }]));
		ws.send(JSON.stringify(['2', '2', 'elsewhere', 'phx_join', {}]));
		ws.send(JSON.stringify(['3', '3', 'realtime:', 'phx_join', {}]));
		const big = 'x'.repeat(300 * 1024);
		ws.send(JSON.stringify([null, '4', 'realtime:big', 'broadcast', { event: 'x', payload: big }]));
		ws.send(JSON.stringify([null, '5', 'phoenix', 'heartbeat', {}]));
		await until('the heartbeat reply', () => replies.some((r) => r[1] === '5'));
		const reason = (ref: string) =>
			(replies.find((r) => r[1] === ref)?.[4] as { response: { reason: string } }).response.reason;
		expect(reason('1')).toBe('unmatched topic');
		expect(reason('2')).toBe('unmatched topic');
		expect(reason('3')).toBe('TopicNameRequired: You must provide a topic name');
		expect(reason('4')).toMatch(
			/PayloadTooLarge: the message is \d+ bytes, the limit is 262144 bytes/
		);
		expect(replies.find((r) => r[1] === '5')?.[4]).toEqual({ status: 'ok', response: {} });
		ws.terminate();
		// The stack still answers everyone else.
		const health = await fetch(`${stack.apiUrl}/health`);
		expect(health.status).toBe(200);
	});
});
