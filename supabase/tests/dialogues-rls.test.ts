/**
 * Dialogues under RLS: for every new table, what anon, an outsider, an organization admin, a
 * member, an organizer, a leader and the service role may read and write. The live functions and
 * anonymity are in dialogues-live.test.ts.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { expectError, ok, rolesOf, teamWorld, type TeamWorld } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let template: string;
let live: string;
let closed: string;
let decision: string;

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';
const STRANGERS: Who[] = ['outsider', 'orgAdmin'];
const LEADS: Who[] = ['organizer', 'leader'];

function client(who: Who): SupabaseClient {
	return rolesOf(w)[who].client;
}

async function schedule(title: string): Promise<string> {
	return ok(
		await w.leader.client.rpc('schedule_dialogue', {
			team_id: w.teamId,
			template_id: template,
			title,
			starts_at: '2026-12-10T18:00:00Z'
		})
	) as string;
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const t = ok(
		await w.leader.client
			.from('dialogue_templates')
			.select('id')
			.eq('key', 'diagnostic_dialogue')
			.single()
	) as { id: string };
	template = t.id;
	live = await schedule('Live one');
	ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: live }));
	decision = ok(
		await w.leader.client.rpc('open_decision', {
			dialogue_id: live,
			question: 'Meet monthly?',
			method: 'fist_to_five'
		})
	) as string;
	closed = await schedule('Closed one');
	ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: closed }));
	ok(await w.leader.client.rpc('close_dialogue', { dialogue_id: closed, present: [] }));
});

afterAll(async () => {
	await stack?.stop();
});

const ALL_TABLES = [
	'dialogue_templates',
	'dialogues',
	'agenda_items',
	'dialogue_rsvps',
	'attendance',
	'speaking_queue',
	'turns',
	'input_cards',
	'dialogue_notes',
	'decisions',
	'decision_votes',
	'action_items',
	'pulse_checks',
	'dialogue_amendments'
];

describe('anon', () => {
	it.each(ALL_TABLES)('is refused %s outright', async (table) => {
		expectError(await w.anon.from(table).select('*'), '42501');
		expectError(await w.anon.from(table).insert({ team_id: w.teamId }), '42501');
	});
});

describe('templates', () => {
	it('built-ins are readable by every signed-in user and changed by nobody', async () => {
		for (const who of [...STRANGERS, 'member', 'leader'] as Who[]) {
			const rows = ok(
				await client(who).from('dialogue_templates').select('key').not('key', 'is', null)
			) as Array<{ key: string }>;
			expect(rows.map((r) => r.key).sort()).toEqual([
				'diagnostic_dialogue',
				'officials_debrief',
				'planning_session',
				'team_health_check'
			]);
		}
		const changed = ok(
			await w.leader.client
				.from('dialogue_templates')
				.update({ name: 'Mine now' })
				.eq('id', template)
				.select('id')
		);
		expect(changed).toEqual([]);
		expectError(
			await w.leader.client
				.from('dialogue_templates')
				.insert({ team_id: null, name: 'Fake built-in', phases: [{ title: 'x' }] }),
			'42501'
		);
	});

	it.each(LEADS)('a %s saves, edits and deletes the team’s own copy', async (who) => {
		const row = ok(
			await client(who)
				.from('dialogue_templates')
				.insert({
					team_id: w.teamId,
					name: 'Our check-in',
					phases: [{ title: 'Round', minutes: 5 }]
				})
				.select('id')
				.single()
		) as { id: string };
		const seen = ok(await w.member.client.from('dialogue_templates').select('id').eq('id', row.id));
		expect(seen).toEqual([{ id: row.id }]);
		for (const stranger of STRANGERS) {
			expect(
				ok(await client(stranger).from('dialogue_templates').select('id').eq('id', row.id))
			).toEqual([]);
		}
		ok(await client(who).from('dialogue_templates').update({ name: 'Renamed' }).eq('id', row.id));
		const deleted = ok(
			await client(who).from('dialogue_templates').delete().eq('id', row.id).select('name')
		);
		expect(deleted).toEqual([{ name: 'Renamed' }]);
	});

	it('a member cannot save a team template', async () => {
		expectError(
			await w.member.client
				.from('dialogue_templates')
				.insert({ team_id: w.teamId, name: 'Nope', phases: [{ title: 'Round' }] }),
			'42501'
		);
	});
});

describe('dialogues, agenda items and action items', () => {
	it('members read them; strangers see nothing', async () => {
		const mine = ok(await w.member.client.from('dialogues').select('id').eq('id', live));
		expect(mine).toEqual([{ id: live }]);
		const items = ok(
			await w.member.client.from('agenda_items').select('title').eq('dialogue_id', live)
		) as Array<{ title: string }>;
		expect(items.map((i) => i.title)).toEqual([
			'Check-in round',
			'Data review',
			'Friction points',
			'Pressure points',
			'Commitments and next steps',
			'Check-out'
		]);
		for (const who of STRANGERS) {
			for (const table of ['dialogues', 'agenda_items', 'action_items', 'decisions']) {
				expect(ok(await client(who).from(table).select('id'))).toEqual([]);
			}
		}
	});

	it('a member cannot schedule, edit the agenda or add action items', async () => {
		expectError(
			await w.member.client.rpc('schedule_dialogue', {
				team_id: w.teamId,
				template_id: template,
				title: 'Mine',
				starts_at: '2026-12-10T18:00:00Z'
			}),
			'P0001',
			'only leaders and organizers schedule dialogues'
		);
		expectError(
			await w.member.client
				.from('dialogues')
				.insert({ team_id: w.teamId, title: 'Direct', starts_at: '2026-12-10T18:00:00Z' }),
			'42501'
		);
		const renamed = ok(
			await w.member.client
				.from('dialogues')
				.update({ title: 'Hijacked' })
				.eq('id', live)
				.select('id')
		);
		expect(renamed).toEqual([]);
		expectError(
			await w.member.client
				.from('agenda_items')
				.insert({ team_id: w.teamId, dialogue_id: live, position: 10, title: 'Extra' }),
			'42501'
		);
		expectError(
			await w.member.client
				.from('action_items')
				.insert({ team_id: w.teamId, dialogue_id: live, title: 'Call the board' }),
			'42501'
		);
	});

	it.each(LEADS)('a %s edits the agenda and action items of an open dialogue', async (who) => {
		const item = ok(
			await client(who)
				.from('agenda_items')
				.insert({ team_id: w.teamId, dialogue_id: live, position: 20, title: 'Extra round' })
				.select('id')
				.single()
		) as { id: string };
		ok(await client(who).from('agenda_items').update({ minutes: 3 }).eq('id', item.id));
		ok(await client(who).from('agenda_items').delete().eq('id', item.id));
		const action = ok(
			await client(who)
				.from('action_items')
				.insert({ team_id: w.teamId, dialogue_id: live, title: 'Write to the board' })
				.select('id')
				.single()
		) as { id: string };
		ok(
			await client(who)
				.from('action_items')
				.update({ assignee_id: w.member.userId })
				.eq('id', action.id)
		);
		ok(await client(who).from('action_items').delete().eq('id', action.id));
	});

	it('nobody writes the live state directly, not even the leader', async () => {
		expectError(
			await w.leader.client.from('dialogues').update({ status: 'closed' }).eq('id', live),
			'42501'
		);
		expectError(
			await w.leader.client
				.from('dialogues')
				.update({ facilitator_id: w.member.userId })
				.eq('id', live),
			'42501'
		);
		for (const table of ['turns', 'attendance', 'decisions', 'input_cards']) {
			expectError(
				await w.leader.client.from(table).insert({ team_id: w.teamId, dialogue_id: live }),
				'42501'
			);
		}
	});

	it('the record of a closed dialogue no longer changes: amendments instead', async () => {
		expectError(
			await w.leader.client.from('dialogues').update({ title: 'Renamed late' }).eq('id', closed),
			'P0001',
			'this dialogue is closed: add an amendment instead'
		);
		expectError(
			await w.leader.client
				.from('action_items')
				.insert({ team_id: w.teamId, dialogue_id: closed, title: 'Late' }),
			'P0001',
			'this dialogue is closed: add an amendment instead'
		);
		const amended = ok(
			await w.member.client
				.from('dialogue_amendments')
				.insert({ team_id: w.teamId, dialogue_id: closed, body: 'Sam was there too' })
				.select('body, created_by')
				.single()
		);
		expect(amended).toEqual({ body: 'Sam was there too', created_by: w.member.userId });
		expectError(
			await w.member.client
				.from('dialogue_amendments')
				.insert({ team_id: w.teamId, dialogue_id: live, body: 'Too early' }),
			'P0001',
			'amendments are for closed dialogues: change the dialogue itself'
		);
		for (const who of STRANGERS) {
			expectError(
				await client(who)
					.from('dialogue_amendments')
					.insert({ team_id: w.teamId, dialogue_id: closed, body: 'Not ours' }),
				'42501'
			);
		}
		// Amendments are never changed or removed.
		expectError(
			await w.member.client
				.from('dialogue_amendments')
				.update({ body: 'x' })
				.eq('dialogue_id', closed),
			'42501'
		);
		expectError(
			await w.member.client.from('dialogue_amendments').delete().eq('dialogue_id', closed),
			'42501'
		);
	});
});

describe("each member's own rows: RSVPs, raised hands, votes, notes", () => {
	it('a member answers, raises a hand and votes for themselves only', async () => {
		ok(
			await w.member.client
				.from('dialogue_rsvps')
				.insert({ team_id: w.teamId, dialogue_id: live, response: 'yes' })
		);
		expectError(
			await w.member.client.from('dialogue_rsvps').insert({
				team_id: w.teamId,
				dialogue_id: live,
				user_id: w.leader.userId,
				response: 'no'
			}),
			'42501'
		);
		const others = ok(
			await w.member.client
				.from('dialogue_rsvps')
				.update({ response: 'no' })
				.eq('user_id', w.leader.userId)
				.select('user_id')
		);
		expect(others).toEqual([]);
		ok(
			await w.member.client.from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: live })
		);
		ok(
			await w.leader.client.from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: live })
		);
		// Lowering someone else's hand does nothing.
		const lowered = ok(
			await w.member.client
				.from('speaking_queue')
				.delete()
				.eq('user_id', w.leader.userId)
				.select('id')
		);
		expect(lowered).toEqual([]);
		ok(
			await w.member.client
				.from('decision_votes')
				.insert({ team_id: w.teamId, decision_id: decision, value: 4 })
		);
		expectError(
			await w.member.client.from('decision_votes').insert({
				team_id: w.teamId,
				decision_id: decision,
				user_id: w.leader.userId,
				value: 0
			}),
			'42501'
		);
		const votes = ok(
			await w.leader.client
				.from('decision_votes')
				.select('user_id, value')
				.eq('decision_id', decision)
		);
		expect(votes).toEqual([{ user_id: w.member.userId, value: 4 }]);
		for (const who of STRANGERS) {
			for (const table of ['dialogue_rsvps', 'speaking_queue', 'decision_votes']) {
				expect(ok(await client(who).from(table).select('team_id'))).toEqual([]);
			}
			expectError(
				await client(who).from('speaking_queue').insert({ team_id: w.teamId, dialogue_id: live }),
				'42501'
			);
		}
	});

	it('a hand cannot go up before the dialogue is live', async () => {
		const later = await schedule('Not yet live');
		expectError(
			await w.member.client
				.from('speaking_queue')
				.insert({ team_id: w.teamId, dialogue_id: later }),
			'P0001',
			'hands go up once the dialogue is live'
		);
	});

	it('notes: any member adds; only the writer changes or removes', async () => {
		const note = ok(
			await w.member.client
				.from('dialogue_notes')
				.insert({ team_id: w.teamId, dialogue_id: live, body: 'Beds are the issue' })
				.select('id')
				.single()
		) as { id: string };
		const byLeader = ok(
			await w.leader.client
				.from('dialogue_notes')
				.update({ body: 'x' })
				.eq('id', note.id)
				.select('id')
		);
		expect(byLeader).toEqual([]);
		ok(
			await w.member.client
				.from('dialogue_notes')
				.update({ body: 'Too few beds' })
				.eq('id', note.id)
		);
		expect(
			ok(await w.leader.client.from('dialogue_notes').select('body').eq('id', note.id))
		).toEqual([{ body: 'Too few beds' }]);
		for (const who of STRANGERS) {
			expect(ok(await client(who).from('dialogue_notes').select('id'))).toEqual([]);
		}
	});
});

describe('pulse checks', () => {
	it('no API role reads a single answer, not even the leader', async () => {
		ok(
			await w.member.client.rpc('submit_pulse_check', {
				dialogue_id: closed,
				safe: 2,
				heard: 3,
				useful: 4
			})
		);
		for (const who of ['member', 'leader', 'outsider'] as Who[]) {
			expectError(await client(who).from('pulse_checks').select('*'), '42501');
		}
		const rows = ok(await w.service.from('pulse_checks').select('safe').eq('dialogue_id', closed));
		expect(rows).toEqual([{ safe: 2 }]);
	});
});

describe('the service role', () => {
	it('reads every table', async () => {
		for (const table of ALL_TABLES) {
			const { error } = await w.service.from(table).select('*').limit(1);
			expect(error, table).toBeNull();
		}
	});
});
