/**
 * Running a dialogue through the database functions, with real supabase-js clients: the
 * facilitator lock, phases and the server-side timer start, rounds that skip a member who dropped
 * and let them back in, the speaking queue, decisions, anonymous cards (no API path reveals the
 * author: select, embed, rpc, private schema, realtime payload), closing with unassigned action
 * items, frozen snapshots and the pulse check in aggregate only. Realtime through realtime-js.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createIndicator, importRows, weeks } from './helpers/agency.ts';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	addMembers,
	expectError,
	ok,
	teamWorld,
	type TeamWorld,
	type User
} from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let template: string;
let indicator: string;
let extra: User[];
const channels: RealtimeChannel[] = [];

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	extra = await addMembers(stack, w.teamId, 2);
	const t = ok(
		await w.leader.client
			.from('dialogue_templates')
			.select('id')
			.eq('key', 'diagnostic_dialogue')
			.single()
	) as { id: string };
	template = t.id;
	const agency = await createAgency(w.leader, w.teamId, 'Housing office');
	indicator = await createIndicator(w.leader, w.teamId, agency, 'Repairs done in 28 days', {
		unit: '%'
	});
	await importRows(
		w.leader.client,
		w.teamId,
		weeks('Housing office', 'Repairs done in 28 days', 4, (i) => 60 + i)
	);
});

afterAll(async () => {
	for (const c of channels) await c.unsubscribe();
	await stack?.stop();
});

async function schedule(): Promise<string> {
	return ok(
		await w.leader.client.rpc('schedule_dialogue', {
			team_id: w.teamId,
			template_id: template,
			title: 'December dialogue',
			starts_at: '2026-12-10T18:00:00Z',
			indicator_id: indicator
		})
	) as string;
}

async function state(id: string) {
	return ok(await w.member.client.from('dialogues').select('*').eq('id', id).single()) as Record<
		string,
		unknown
	>;
}

async function until<T>(what: string, get: () => T | undefined | false, ms = 5000): Promise<T> {
	const start = Date.now();
	for (;;) {
		const v = get();
		if (v !== undefined && v !== false) return v as T;
		if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

function subscribed(channel: RealtimeChannel): Promise<string> {
	channels.push(channel);
	return new Promise((resolve) => {
		channel.subscribe((status, err) => {
			if (status === 'SUBSCRIBED') resolve('SUBSCRIBED');
			else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT')
				resolve(`${status}: ${err?.message ?? ''}`);
		});
	});
}

/** A client of its own (own socket) carrying the user's token. */
async function realtimeAs(user: User): Promise<SupabaseClient> {
	const c = stack.client();
	await c.realtime.setAuth(user.client.realtime.accessTokenValue);
	return c;
}

describe('the facilitator lock', () => {
	it('one facilitator at a time; another leader takes over only when asking to', async () => {
		const id = await schedule();
		expectError(
			await w.member.client.rpc('take_facilitation', { dialogue_id: id }),
			'P0001',
			'only leaders and organizers facilitate'
		);
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		const live = await state(id);
		expect(live.status).toBe('live');
		expect(live.current_position).toBe(0);
		expect(live.facilitator_id).toBe(w.leader.userId);
		expectError(
			await w.organizer.client.rpc('take_facilitation', { dialogue_id: id }),
			'GW001',
			'someone else is facilitating this dialogue'
		);
		ok(await w.organizer.client.rpc('take_facilitation', { dialogue_id: id, take_over: true }));
		// The former facilitator's next action is refused, not silently applied.
		expectError(
			await w.leader.client.rpc('set_dialogue_phase', { dialogue_id: id, phase_position: 1 }),
			'GW001',
			'someone else is facilitating this dialogue'
		);
		expect((await state(id)).facilitator_id).toBe(w.organizer.userId);
		expectError(
			await w.outsider.client.rpc('take_facilitation', { dialogue_id: id }),
			'P0001',
			'that dialogue does not exist'
		);
	});
});

describe('phases, rounds and the queue', () => {
	let id: string;
	beforeAll(async () => {
		id = await schedule();
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
	});

	it('a phase change restarts the timer from the database clock', async () => {
		const before = (await state(id)).phase_started_at as string;
		await new Promise((r) => setTimeout(r, 20));
		ok(await w.leader.client.rpc('set_dialogue_phase', { dialogue_id: id, phase_position: 1 }));
		const after = await state(id);
		expect(after.current_position).toBe(1);
		expect(Date.parse(after.phase_started_at as string)).toBeGreaterThan(Date.parse(before));
		expectError(
			await w.leader.client.rpc('set_dialogue_phase', { dialogue_id: id, phase_position: 99 }),
			'P0001',
			'that phase is not on the agenda'
		);
	});

	it('a round skips a member who dropped and gives them a turn at the end when back', async () => {
		const [a, b] = extra;
		ok(
			await w.leader.client.rpc('start_dialogue_round', {
				dialogue_id: id,
				// The outsider is not in the team and a duplicate counts once.
				members: [a.userId, w.outsider.userId, b.userId, w.member.userId, a.userId]
			})
		);
		let s = await state(id);
		expect(s.round_order).toEqual([a.userId, b.userId, w.member.userId]);
		expect(s.speaker_id).toBe(a.userId);
		// b dropped: the round passes to the member.
		ok(
			await w.leader.client.rpc('next_round_turn', {
				dialogue_id: id,
				present: [a.userId, w.member.userId]
			})
		);
		expect((await state(id)).speaker_id).toBe(w.member.userId);
		// b is back before the round ends: their turn comes last.
		ok(
			await w.leader.client.rpc('next_round_turn', {
				dialogue_id: id,
				present: [a.userId, b.userId, w.member.userId]
			})
		);
		s = await state(id);
		expect(s.speaker_id).toBe(b.userId);
		ok(
			await w.leader.client.rpc('next_round_turn', {
				dialogue_id: id,
				present: [a.userId, b.userId, w.member.userId]
			})
		);
		s = await state(id);
		expect(s.speaker_id).toBeNull();
		expect(s.round_index).toBeNull();
		const turns = ok(
			await w.member.client
				.from('turns')
				.select('user_id, kind, ended_at')
				.eq('dialogue_id', id)
				.order('started_at')
		) as Array<{ user_id: string; kind: string; ended_at: string | null }>;
		expect(turns.map((t) => t.user_id)).toEqual([a.userId, w.member.userId, b.userId]);
		expect(turns.every((t) => t.kind === 'round' && t.ended_at !== null)).toBe(true);
	});

	it('raised hands are called oldest first, and a called hand comes down', async () => {
		ok(await w.member.client.from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: id }));
		ok(await extra[0].client.from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: id }));
		expectError(
			await w.member.client.from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: id }),
			'23505'
		);
		ok(await w.leader.client.rpc('call_speaker', { dialogue_id: id }));
		expect((await state(id)).speaker_id).toBe(w.member.userId);
		const queue = ok(
			await w.member.client.from('speaking_queue').select('user_id').eq('dialogue_id', id)
		);
		expect(queue).toEqual([{ user_id: extra[0].userId }]);
		expectError(
			await w.member.client.rpc('call_speaker', { dialogue_id: id }),
			'GW001',
			'someone else is facilitating this dialogue'
		);
	});
});

describe('decisions', () => {
	it('fist to five passes with no 0 or 1 and an average of at least 3; consent fails on one objection', async () => {
		const id = await schedule();
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		const fist = ok(
			await w.leader.client.rpc('open_decision', {
				dialogue_id: id,
				question: 'Ask for the repair logs',
				method: 'fist_to_five'
			})
		) as string;
		for (const [u, v] of [
			[w.member, 4],
			[extra[0], 3],
			[extra[1], 5]
		] as const) {
			ok(
				await u.client
					.from('decision_votes')
					.insert({ team_id: w.teamId, decision_id: fist, value: v })
			);
		}
		expect(ok(await w.leader.client.rpc('close_decision', { decision_id: fist }))).toBe(true);
		const done = ok(
			await w.member.client.from('decisions').select('passed, result').eq('id', fist).single()
		);
		expect(done).toEqual({
			passed: true,
			result: { votes: 3, counts: { '3': 1, '4': 1, '5': 1 }, average: 4 }
		});
		expectError(
			await w.organizer.client
				.from('decision_votes')
				.insert({ team_id: w.teamId, decision_id: fist, value: 5 }),
			'P0001',
			'voting on this decision has closed'
		);

		const consent = ok(
			await w.leader.client.rpc('open_decision', {
				dialogue_id: id,
				question: 'Meet fortnightly',
				method: 'consent'
			})
		) as string;
		expectError(
			await w.member.client
				.from('decision_votes')
				.insert({ team_id: w.teamId, decision_id: consent, value: 4 }),
			'P0001',
			'this decision takes yes (1) or no (0)'
		);
		ok(
			await w.member.client
				.from('decision_votes')
				.insert({ team_id: w.teamId, decision_id: consent, value: 1 })
		);
		ok(
			await extra[0].client
				.from('decision_votes')
				.insert({ team_id: w.teamId, decision_id: consent, value: 0 })
		);
		expect(ok(await w.leader.client.rpc('close_decision', { decision_id: consent }))).toBe(false);
	});
});

describe('anonymous input cards', () => {
	let id: string;
	let card: string;
	beforeAll(async () => {
		id = await schedule();
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
	});

	it('no API path tells anyone, the leader included, who wrote a card', async () => {
		const leaderRt = await realtimeAs(w.leader);
		const got: Array<Record<string, unknown>> = [];
		const channel = leaderRt
			.channel(`cards-${id}`)
			.on(
				'postgres_changes',
				{ event: '*', schema: 'public', table: 'input_cards', filter: `dialogue_id=eq.${id}` },
				(p) => got.push(p as unknown as Record<string, unknown>)
			);
		expect(await subscribed(channel)).toBe('SUBSCRIBED');

		card = ok(
			await w.member.client.rpc('add_input_card', {
				dialogue_id: id,
				body: '  Nobody answers the phone '
			})
		) as string;
		const rows = ok(await w.leader.client.from('input_cards').select('*').eq('id', card)) as Array<
			Record<string, unknown>
		>;
		expect(rows).toHaveLength(1);
		expect(Object.keys(rows[0]).sort()).toEqual([
			'body',
			'created_at',
			'dialogue_id',
			'id',
			'team_id',
			'updated_at'
		]);
		expect(rows[0].body).toBe('Nobody answers the phone');
		// To the minute: the arrival time does not point at whoever just typed.
		expect(new Date(rows[0].created_at as string).getUTCSeconds()).toBe(0);
		// No foreign key to embed a person through.
		expect(
			(await w.leader.client.from('input_cards').select('id, profiles(*)')).error
		).not.toBeNull();
		// The private schema is not exposed, not even to the service role's REST calls.
		expect(
			(
				await w.service
					.schema('private' as 'public')
					.from('input_card_markers')
					.select('*')
			).error
		).not.toBeNull();
		// Only the author's own cards are theirs.
		expect(ok(await w.member.client.rpc('my_input_cards', { dialogue_id: id }))).toEqual([card]);
		expect(ok(await w.leader.client.rpc('my_input_cards', { dialogue_id: id }))).toEqual([]);
		expectError(
			await w.leader.client.rpc('change_input_card', { card_id: card, body: 'Edited by leader' }),
			'P0001',
			'that card is not one of yours'
		);
		expectError(
			await w.leader.client.rpc('remove_input_card', { card_id: card }),
			'P0001',
			'that card is not one of yours'
		);
		ok(await w.member.client.rpc('change_input_card', { card_id: card, body: 'Phones ring out' }));

		await until('the realtime insert and update', () => got.length >= 2);
		for (const change of got) {
			const record = change.new as Record<string, unknown>;
			expect(Object.keys(record).sort()).toEqual([
				'body',
				'created_at',
				'dialogue_id',
				'id',
				'team_id',
				'updated_at'
			]);
			expect(JSON.stringify(change)).not.toContain(w.member.userId);
		}
		await leaderRt.removeAllChannels();
	});

	it('an outsider cannot add, read or guess cards', async () => {
		expectError(
			await w.outsider.client.rpc('add_input_card', { dialogue_id: id, body: 'Spam' }),
			'P0001',
			'that dialogue does not exist'
		);
		expect(ok(await w.outsider.client.from('input_cards').select('id'))).toEqual([]);
		expect(ok(await w.outsider.client.rpc('my_input_cards', { dialogue_id: id }))).toEqual([]);
		expectError(
			await w.member.client.rpc('add_input_card', { dialogue_id: id, body: '   ' }),
			'P0001',
			'the card cannot be empty'
		);
	});

	it('the author withdraws their own card', async () => {
		ok(await w.member.client.rpc('remove_input_card', { card_id: card }));
		expect(ok(await w.leader.client.from('input_cards').select('id').eq('id', card))).toEqual([]);
	});
});

describe('closing', () => {
	it('asks first about unassigned action items, records attendance and freezes the data', async () => {
		const id = await schedule();
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		ok(
			await w.leader.client.from('action_items').insert([
				{
					team_id: w.teamId,
					dialogue_id: id,
					title: 'Write to the board',
					assignee_id: w.member.userId
				},
				{ team_id: w.teamId, dialogue_id: id, title: 'Find a venue' }
			])
		);
		expectError(
			await w.leader.client
				.from('action_items')
				.insert({ team_id: w.teamId, dialogue_id: id, title: 'x', assignee_id: w.outsider.userId }),
			'P0001',
			'the assignee must be a member of the team'
		);
		const live = ok(
			await w.member.client
				.from('agenda_items')
				.select('id')
				.eq('dialogue_id', id)
				.eq('embed_kind', 'indicator')
		) as Array<{ id: string }>;
		const now = ok(await w.member.client.rpc('dialogue_embed', { agenda_item_id: live[0].id })) as {
			name: string;
			points: Array<{ value: number }>;
		};
		expect(now.name).toBe('Repairs done in 28 days');
		expect(now.points.map((p) => p.value)).toEqual([60, 61, 62, 63]);
		expect(
			ok(await w.outsider.client.rpc('dialogue_embed', { agenda_item_id: live[0].id }))
		).toBeNull();

		expectError(
			await w.leader.client.rpc('close_dialogue', { dialogue_id: id, present: [] }),
			'GW002',
			'1 action items have no one assigned'
		);
		expect((await state(id)).status).toBe('live');
		ok(
			await w.leader.client.rpc('close_dialogue', {
				dialogue_id: id,
				present: [w.leader.userId, w.member.userId, w.outsider.userId],
				summary: 'We ask for the repair logs.',
				confirm_unassigned: true
			})
		);
		const closed = await state(id);
		expect(closed.status).toBe('closed');
		expect(closed.summary).toBe('We ask for the repair logs.');
		const present = ok(
			await w.member.client.from('attendance').select('user_id').eq('dialogue_id', id)
		) as Array<{ user_id: string }>;
		expect(present.map((p) => p.user_id).sort()).toEqual([w.leader.userId, w.member.userId].sort());

		// New figures after the close do not change the record.
		await importRows(
			w.leader.client,
			w.teamId,
			weeks('Housing office', 'Repairs done in 28 days', 6, (i) => 60 + i)
		);
		const frozen = ok(
			await w.member.client.from('agenda_items').select('snapshot').eq('id', live[0].id).single()
		) as { snapshot: { points: Array<{ value: number }> } };
		expect(frozen.snapshot.points.map((p) => p.value)).toEqual([60, 61, 62, 63]);
		expectError(
			await w.leader.client.rpc('take_facilitation', { dialogue_id: id }),
			'P0001',
			'this dialogue is closed: add an amendment instead'
		);
	});

	it('the pulse check is shown only in aggregate, from three answers', async () => {
		const id = await schedule();
		expectError(
			await w.member.client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 4,
				heard: 4,
				useful: 4
			}),
			'P0001',
			'the pulse check opens when the dialogue closes'
		);
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		ok(await w.leader.client.rpc('close_dialogue', { dialogue_id: id, present: [] }));
		expectError(
			await w.member.client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 6,
				heard: 4,
				useful: 4
			}),
			'P0001',
			'how safe it felt must be a whole number from 1 to 5'
		);
		ok(
			await w.member.client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 2,
				heard: 4,
				useful: 5
			})
		);
		ok(
			await extra[0].client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 4,
				heard: 4,
				useful: 3
			})
		);
		// A second answer replaces the first.
		ok(
			await extra[0].client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 5,
				heard: 4,
				useful: 3
			})
		);
		expect(ok(await w.leader.client.rpc('dialogue_pulse', { dialogue_id: id }))).toEqual([
			{ responses: 2, safe: null, heard: null, useful: null, answered: false }
		]);
		ok(
			await extra[1].client.rpc('submit_pulse_check', {
				dialogue_id: id,
				safe: 2,
				heard: 1,
				useful: 4
			})
		);
		expect(ok(await w.member.client.rpc('dialogue_pulse', { dialogue_id: id }))).toEqual([
			{ responses: 3, safe: 3, heard: 3, useful: 4, answered: true }
		]);
		expect(ok(await w.outsider.client.rpc('dialogue_pulse', { dialogue_id: id }))).toEqual([
			{ responses: 0, safe: null, heard: null, useful: null, answered: false }
		]);
	});
});

describe('live for everyone (realtime-js)', () => {
	it('members follow the facilitator under RLS; outsiders cannot join the channel', async () => {
		const id = await schedule();
		const memberRt = await realtimeAs(w.member);
		const outsiderRt = await realtimeAs(w.outsider);
		const seen: Array<Record<string, unknown>> = [];
		const strangerSaw: unknown[] = [];
		const ch = memberRt
			.channel(`dialogue:${id}`, { config: { private: true, presence: { key: w.member.userId } } })
			.on(
				'postgres_changes',
				{ event: 'UPDATE', schema: 'public', table: 'dialogues', filter: `id=eq.${id}` },
				(p) => seen.push(p.new as Record<string, unknown>)
			);
		expect(await subscribed(ch)).toBe('SUBSCRIBED');
		await ch.track({ name: 'member' });
		const outsiderPrivate = outsiderRt.channel(`dialogue:${id}`, { config: { private: true } });
		expect(await subscribed(outsiderPrivate)).toMatch(/CHANNEL_ERROR/);
		const outsiderChanges = outsiderRt
			.channel(`peek-${id}`)
			.on(
				'postgres_changes',
				{ event: '*', schema: 'public', table: 'dialogues', filter: `id=eq.${id}` },
				(p) => strangerSaw.push(p)
			);
		expect(await subscribed(outsiderChanges)).toBe('SUBSCRIBED');

		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		ok(await w.leader.client.rpc('set_dialogue_phase', { dialogue_id: id, phase_position: 2 }));
		await until('the phase change', () => seen.some((r) => r.current_position === 2));
		await until('presence', () => Object.keys(ch.presenceState()).includes(w.member.userId));
		expect(strangerSaw).toEqual([]);
		await memberRt.removeAllChannels();
		await outsiderRt.removeAllChannels();
	});
});

describe('action items become tasks', () => {
	it('closing makes a task for every assigned item, which its assignee sees', async () => {
		const id = await schedule();
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		ok(
			await w.leader.client.from('action_items').insert([
				{
					team_id: w.teamId,
					dialogue_id: id,
					title: 'Ask for the repair logs',
					assignee_id: w.member.userId,
					due_on: '2026-12-20'
				},
				{
					team_id: w.teamId,
					dialogue_id: id,
					title: 'Ask for the repair logs',
					assignee_id: extra[0].userId
				},
				{ team_id: w.teamId, dialogue_id: id, title: 'Book a room' }
			])
		);
		ok(
			await w.leader.client.rpc('close_dialogue', {
				dialogue_id: id,
				present: [w.member.userId],
				confirm_unassigned: true
			})
		);
		const items = ok(
			await w.member.client
				.from('action_items')
				.select('title, assignee_id, task_id')
				.eq('dialogue_id', id)
				.order('created_at')
		) as Array<{ title: string; assignee_id: string | null; task_id: string | null }>;
		expect(items.filter((i) => i.task_id).length).toBe(2);
		expect(items.find((i) => !i.assignee_id)!.task_id).toBeNull();
		const mine = ok(
			await w.member.client
				.from('tasks')
				.select('id, title, due_on, description')
				.eq('assignee_id', w.member.userId)
				.in(
					'id',
					items.flatMap((i) => (i.task_id ? [i.task_id] : []))
				)
		) as Array<{ id: string; title: string; due_on: string; description: string }>;
		expect(mine).toEqual([
			{
				id: items.find((i) => i.assignee_id === w.member.userId)!.task_id,
				title: 'Ask for the repair logs',
				due_on: '2026-12-20',
				description: 'From the dialogue "December dialogue".'
			}
		]);
		expect(ok(await w.outsider.client.from('tasks').select('id'))).toEqual([]);
	});
});
