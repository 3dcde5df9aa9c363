import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	addMember,
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';
import { createAgency } from './helpers/agency.ts';

let stack: TestStack;
let w: TeamWorld;
let seed: {
	official: string;
	/** Logged by the member: theirs to edit. */
	memberInteraction: string;
	/** Logged by the leader, with a confidential note. */
	leaderInteraction: string;
};

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';
const STRANGERS: Who[] = ['outsider', 'orgAdmin'];
const TEAM: Who[] = ['member', 'organizer', 'leader'];
const MANAGERS: Who[] = ['organizer', 'leader'];

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const ahead = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const day = (offsetDays: number) =>
	new Date(Date.now() + offsetDays * 24 * HOUR).toISOString().slice(0, 10);

function client(who: Who): SupabaseClient {
	return rolesOf(w)[who].client;
}

let n = 0;

async function logInteraction(
	c: SupabaseClient,
	fields: Record<string, unknown> = {},
	extra: { member_ids?: string[]; official_ids?: string[]; confidential?: string | null } = {}
): Promise<string> {
	return ok(
		await c.rpc('log_interaction', {
			team_id: w.teamId,
			interaction: {
				type: 'meeting',
				status: 'held',
				occurred_at: ago(2),
				title: `Meeting ${++n}`,
				...fields
			},
			...extra
		})
	) as string;
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const official = ok(
		await w.organizer.client
			.from('officials')
			.insert({
				team_id: w.teamId,
				name: 'Ana Ortiz',
				office: 'City Council, Ward 3',
				influence: 5,
				stance: 3
			})
			.select('id')
			.single()
	) as { id: string };
	const memberInteraction = await logInteraction(
		w.member.client,
		{ asks: 'Fund the clinic' },
		{ member_ids: [w.member.userId], official_ids: [official.id] }
	);
	const leaderInteraction = await logInteraction(
		w.leader.client,
		{ title: 'Budget meeting' },
		{ official_ids: [official.id], confidential: 'She hinted the vote is already lost.' }
	);
	ok(
		await w.organizer.client.from('commitments').insert({
			team_id: w.teamId,
			official_id: official.id,
			interaction_id: leaderInteraction,
			description: 'Raise it at the next council session'
		})
	);
	ok(
		await w.organizer.client.from('official_staff').insert({
			team_id: w.teamId,
			official_id: official.id,
			name: 'Sam Lee',
			role: 'Scheduler'
		})
	);
	ok(
		await w.organizer.client.from('follow_ups').insert({
			team_id: w.teamId,
			interaction_id: leaderInteraction,
			official_id: official.id,
			title: 'Send the figures',
			due_on: day(3),
			assignee_id: w.member.userId
		})
	);
	seed = { official: official.id, memberInteraction, leaderInteraction };
});

afterAll(async () => {
	await stack?.stop();
});

/** Tables every member reads and strangers do not: the count each team role sees (at least one). */
const READABLE = [
	'officials',
	'official_staff',
	'official_stance_changes',
	'interactions',
	'interaction_participants',
	'commitments',
	'follow_ups'
];

describe.each(READABLE)('%s', (table) => {
	it('anon is refused outright', async () => {
		expectError(await w.anon.from(table).select('*'), '42501');
	});

	it.each(STRANGERS)('the %s sees nothing', async (who) => {
		expect(ok(await client(who).from(table).select('*'))).toEqual([]);
	});

	it.each(TEAM)('a %s reads the team rows', async (who) => {
		const rows = ok(await client(who).from(table).select('*').eq('team_id', w.teamId)) as unknown[];
		expect(rows.length).toBeGreaterThan(0);
	});
});

describe('officials and staff', () => {
	it.each(MANAGERS)('a %s adds, changes and deletes officials and staff', async (who) => {
		const c = client(who);
		const made = ok(
			await c
				.from('officials')
				.insert({ team_id: w.teamId, name: `Official ${++n}`, email: 'A@Example.org' })
				.select('id, email')
				.single()
		) as { id: string; email: string };
		expect(made.email).toBe('a@example.org');
		ok(
			await c
				.from('official_staff')
				.insert({ team_id: w.teamId, official_id: made.id, name: 'Aide' })
		);
		expect(
			ok(await c.from('officials').update({ stance: 4 }).eq('id', made.id).select('stance'))
		).toEqual([{ stance: 4 }]);
		expect(ok(await c.from('officials').delete().eq('id', made.id).select('id'))).toEqual([
			{ id: made.id }
		]);
	});

	it('a member reads but cannot add, change or delete them', async () => {
		const c = w.member.client;
		expectError(await c.from('officials').insert({ team_id: w.teamId, name: 'X' }), '42501');
		expectError(
			await c
				.from('official_staff')
				.insert({ team_id: w.teamId, official_id: seed.official, name: 'X' }),
			'42501'
		);
		expect(
			ok(await c.from('officials').update({ notes: 'x' }).eq('id', seed.official).select('id'))
		).toEqual([]);
		expect(ok(await c.from('officials').delete().eq('id', seed.official).select('id'))).toEqual([]);
	});

	it.each(STRANGERS)('the %s changes nothing', async (who) => {
		const c = client(who);
		expectError(await c.from('officials').insert({ team_id: w.teamId, name: 'X' }), '42501');
		expect(
			ok(await c.from('officials').update({ notes: 'x' }).eq('id', seed.official).select('id'))
		).toEqual([]);
		expect(ok(await c.from('officials').delete().eq('id', seed.official).select('id'))).toEqual([]);
	});

	it('the service role reads and writes them', async () => {
		const row = ok(
			await w.service
				.from('officials')
				.insert({ team_id: w.teamId, name: `Service ${++n}` })
				.select('id')
				.single()
		) as { id: string };
		ok(await w.service.from('officials').delete().eq('id', row.id));
	});

	it('refuses a duplicate name and office, bad emails, phones, scores and terms with a sentence', async () => {
		const c = w.organizer.client;
		expectError(
			await c
				.from('officials')
				.insert({ team_id: w.teamId, name: '  ana  ORTIZ ', office: 'city council,  ward 3' }),
			'P0001',
			'the team already has an official with that name and office'
		);
		expectError(
			await c.from('officials').insert({ team_id: w.teamId, name: 'B', email: 'not-an-email' }),
			'P0001',
			'the email is not a valid email address'
		);
		expectError(
			await c.from('officials').insert({ team_id: w.teamId, name: 'B', phone: '12-34' }),
			'P0001',
			/^the phone number is not a valid phone number/
		);
		expectError(
			await c.from('officials').insert({ team_id: w.teamId, name: 'B', phone: 'call me' }),
			'P0001',
			/^the phone number is not a valid phone number/
		);
		expectError(
			await c
				.from('officials')
				.insert({ team_id: w.teamId, name: 'B', term_start: '2026-01-01', term_end: '2025-01-01' }),
			'P0001',
			'the term cannot end before it starts'
		);
		expectError(
			await c.from('officials').insert({ team_id: w.teamId, name: 'B', influence: 6 }),
			'23514'
		);
		const ok1 = ok(
			await c
				.from('officials')
				.insert({ team_id: w.teamId, name: `Phone ${++n}`, phone: '+1 (602) 262-7444' })
				.select('phone')
				.single()
		);
		expect(ok1).toEqual({ phone: '+1 (602) 262-7444' });
	});

	it('keeps every stance change, and nobody writes the history directly', async () => {
		const c = w.organizer.client;
		const o = ok(
			await c
				.from('officials')
				.insert({ team_id: w.teamId, name: `Stance ${++n}`, stance: 2 })
				.select('id')
				.single()
		) as { id: string };
		ok(await c.from('officials').update({ stance: 4 }).eq('id', o.id));
		ok(await c.from('officials').update({ notes: 'unrelated' }).eq('id', o.id));
		const history = ok(
			await w.member.client
				.from('official_stance_changes')
				.select('previous_stance, stance, changed_by')
				.eq('official_id', o.id)
				.order('changed_at')
		);
		expect(history).toEqual([
			{ previous_stance: null, stance: 2, changed_by: w.organizer.userId },
			{ previous_stance: 2, stance: 4, changed_by: w.organizer.userId }
		]);
		expectError(
			await w.leader.client
				.from('official_stance_changes')
				.insert({ team_id: w.teamId, official_id: o.id, stance: 1 }),
			'42501'
		);
	});
});

describe('interactions', () => {
	it('any member logs one as themselves, with who was present', async () => {
		const id = await logInteraction(
			w.member.client,
			{ type: 'call' },
			{ member_ids: [w.member.userId], official_ids: [seed.official] }
		);
		const row = ok(
			await w.leader.client
				.from('interactions')
				.select('created_by, interaction_participants(user_id, official_id)')
				.eq('id', id)
				.single()
		) as { created_by: string; interaction_participants: unknown[] };
		expect(row.created_by).toBe(w.member.userId);
		expect(row.interaction_participants).toHaveLength(2);
	});

	it('its author, leaders and organizers change it; another member does not', async () => {
		const other = await stack.signedIn();
		await addMember(stack, w.teamId, other, 'member');
		expect(
			ok(
				await other.client
					.from('interactions')
					.update({ response: 'x' })
					.eq('id', seed.memberInteraction)
					.select('id')
			)
		).toEqual([]);
		expectError(
			await other.client.from('interaction_participants').insert({
				team_id: w.teamId,
				interaction_id: seed.memberInteraction,
				user_id: other.userId
			}),
			'42501'
		);
		for (const who of ['member', 'organizer', 'leader'] as Who[]) {
			expect(
				ok(
					await client(who)
						.from('interactions')
						.update({ response: `Answer from ${who}` })
						.eq('id', seed.memberInteraction)
						.select('response')
				)
			).toEqual([{ response: `Answer from ${who}` }]);
		}
		// The member did not write the leader's interaction.
		expect(
			ok(
				await w.member.client
					.from('interactions')
					.delete()
					.eq('id', seed.leaderInteraction)
					.select('id')
			)
		).toEqual([]);
	});

	it.each(STRANGERS)('the %s cannot log or change one', async (who) => {
		expectError(
			await client(who).rpc('log_interaction', {
				team_id: w.teamId,
				interaction: { type: 'call', status: 'held', occurred_at: ago(1), title: 'X' }
			}),
			'P0001',
			'only a member of the team can log its interactions'
		);
		expect(
			ok(
				await client(who)
					.from('interactions')
					.update({ title: 'x' })
					.eq('id', seed.memberInteraction)
					.select('id')
			)
		).toEqual([]);
	});

	it('refuses a past interaction in the future and a planned one in the past', async () => {
		expectError(
			await w.member.client.rpc('log_interaction', {
				team_id: w.teamId,
				interaction: { type: 'call', status: 'held', occurred_at: ahead(48), title: 'X' }
			}),
			'P0001',
			'a past interaction cannot be in the future: choose "planned" or an earlier date'
		);
		expectError(
			await w.member.client.rpc('log_interaction', {
				team_id: w.teamId,
				interaction: { type: 'call', status: 'planned', occurred_at: ago(48), title: 'X' }
			}),
			'P0001',
			'a planned interaction cannot be in the past: choose "held" or a later date'
		);
	});

	it('cannot name an official or agency of another team, and logs nothing then', async () => {
		const other = await createTeam(w.leader);
		const theirs = ok(
			await w.leader.client
				.from('officials')
				.insert({ team_id: other, name: 'Elsewhere' })
				.select('id')
				.single()
		) as { id: string };
		const theirAgency = await createAgency(w.leader, other, 'Their agency');
		const before = ok(
			await w.leader.client.from('interactions').select('id').eq('team_id', w.teamId)
		);
		expectError(
			await w.leader.client.rpc('log_interaction', {
				team_id: w.teamId,
				interaction: { type: 'call', status: 'held', occurred_at: ago(1), title: 'X' },
				official_ids: [theirs.id]
			}),
			'P0001',
			'a person, official or agency chosen is not in the team'
		);
		expectError(
			await w.leader.client.rpc('log_interaction', {
				team_id: w.teamId,
				interaction: {
					type: 'call',
					status: 'held',
					occurred_at: ago(1),
					title: 'X',
					agency_id: theirAgency
				}
			}),
			'P0001',
			'a person, official or agency chosen is not in the team'
		);
		const after = ok(
			await w.leader.client.from('interactions').select('id').eq('team_id', w.teamId)
		);
		expect(after).toHaveLength((before as unknown[]).length);
		expectError(
			await w.leader.client.from('commitments').insert({
				team_id: w.teamId,
				official_id: theirs.id,
				description: 'X'
			}),
			'23503'
		);
	});
});

describe('confidential notes', () => {
	it('only leaders read them; members and organizers see no rows, strangers none', async () => {
		const leaderRows = ok(
			await w.leader.client
				.from('interaction_confidential_notes')
				.select('body')
				.eq('interaction_id', seed.leaderInteraction)
		);
		expect(leaderRows).toEqual([{ body: 'She hinted the vote is already lost.' }]);
		for (const who of ['member', 'organizer', 'outsider', 'orgAdmin'] as Who[]) {
			expect(ok(await client(who).from('interaction_confidential_notes').select('*'))).toEqual([]);
			// Not through an embed either.
			const embedded = ok(
				await client(who)
					.from('interactions')
					.select('id, interaction_confidential_notes(body)')
					.eq('id', seed.leaderInteraction)
			) as Array<{ interaction_confidential_notes: unknown }>;
			for (const row of embedded) expect(row.interaction_confidential_notes ?? []).toEqual([]);
		}
		expectError(await w.anon.from('interaction_confidential_notes').select('*'), '42501');
	});

	it('only leaders write them', async () => {
		for (const who of ['member', 'organizer'] as Who[]) {
			expectError(
				await client(who).from('interaction_confidential_notes').insert({
					team_id: w.teamId,
					interaction_id: seed.memberInteraction,
					body: 'x'
				}),
				'42501'
			);
			expect(
				ok(
					await client(who)
						.from('interaction_confidential_notes')
						.update({ body: 'changed' })
						.eq('interaction_id', seed.leaderInteraction)
						.select('body')
				)
			).toEqual([]);
		}
		expectError(
			await w.organizer.client.rpc('log_interaction', {
				team_id: w.teamId,
				interaction: { type: 'call', status: 'held', occurred_at: ago(1), title: 'X' },
				confidential: 'secret'
			}),
			'P0001',
			'only a leader can write a confidential note'
		);
		ok(
			await w.leader.client.from('interaction_confidential_notes').insert({
				team_id: w.teamId,
				interaction_id: seed.memberInteraction,
				body: 'Leader only'
			})
		);
		ok(
			await w.leader.client
				.from('interaction_confidential_notes')
				.delete()
				.eq('interaction_id', seed.memberInteraction)
		);
	});
});

describe('commitments and follow-ups', () => {
	it('organizers and the interaction author record commitments; other members cannot', async () => {
		ok(
			await w.member.client.from('commitments').insert({
				team_id: w.teamId,
				official_id: seed.official,
				interaction_id: seed.memberInteraction,
				description: 'Will send the budget'
			})
		);
		expectError(
			await w.member.client.from('commitments').insert({
				team_id: w.teamId,
				official_id: seed.official,
				interaction_id: seed.leaderInteraction,
				description: 'Not mine'
			}),
			'42501'
		);
		expectError(
			await w.member.client
				.from('commitments')
				.insert({ team_id: w.teamId, official_id: seed.official, description: 'No interaction' }),
			'42501'
		);
		const c = ok(
			await w.organizer.client
				.from('commitments')
				.update({ status: 'kept', evidence: 'Minutes of 3 May' })
				.eq('interaction_id', seed.leaderInteraction)
				.select('status, status_changed_at')
		) as Array<{ status: string; status_changed_at: string }>;
		expect(c[0].status).toBe('kept');
		expect(c[0].status_changed_at).not.toBeNull();
		expectError(
			await w.organizer.client.from('commitments').insert({
				team_id: w.teamId,
				official_id: seed.official,
				description: 'Backwards',
				made_on: day(0),
				due_on: day(-3)
			}),
			'P0001',
			'a commitment cannot be due before it was made'
		);
	});

	it('a member manages their own follow-ups; organizers all; none due before the interaction', async () => {
		const mine = ok(
			await w.member.client
				.from('follow_ups')
				.insert({
					team_id: w.teamId,
					interaction_id: seed.memberInteraction,
					title: 'Thank-you note',
					due_on: day(0),
					assignee_id: w.member.userId
				})
				.select('id')
				.single()
		) as { id: string };
		expectError(
			await w.member.client.from('follow_ups').insert({
				team_id: w.teamId,
				title: 'For the leader',
				due_on: day(2),
				assignee_id: w.leader.userId
			}),
			'42501'
		);
		ok(
			await w.organizer.client.from('follow_ups').insert({
				team_id: w.teamId,
				title: 'For the leader',
				due_on: day(2),
				assignee_id: w.leader.userId
			})
		);
		expect(
			ok(
				await w.member.client
					.from('follow_ups')
					.update({ done_at: new Date().toISOString() })
					.eq('id', mine.id)
					.select('id')
			)
		).toEqual([{ id: mine.id }]);
		// The leader's follow-up is not the member's to close.
		expect(
			ok(
				await w.member.client
					.from('follow_ups')
					.update({ done_at: new Date().toISOString() })
					.eq('assignee_id', w.leader.userId)
					.select('id')
			)
		).toEqual([]);
		expectError(
			await w.member.client.from('follow_ups').insert({
				team_id: w.teamId,
				interaction_id: seed.memberInteraction,
				title: 'Too early',
				due_on: day(-5),
				assignee_id: w.member.userId
			}),
			'P0001',
			'a follow-up cannot be due before the interaction it follows'
		);
		// Due yesterday is fine for a meeting held two days ago.
		const earlier = await logInteraction(w.member.client, { occurred_at: ago(48) });
		ok(
			await w.member.client.from('follow_ups').insert({
				team_id: w.teamId,
				interaction_id: earlier,
				title: 'Overdue already',
				due_on: day(-1),
				assignee_id: w.member.userId
			})
		);
		for (const who of STRANGERS) {
			expectError(
				await client(who)
					.from('follow_ups')
					.insert({ team_id: w.teamId, title: 'x', due_on: day(1) }),
				'42501'
			);
		}
	});
});

describe('import_officials', () => {
	it('adds and merges all rows, or none with the row that failed', async () => {
		const result = ok(
			await w.organizer.client.rpc('import_officials', {
				team_id: w.teamId,
				rows: [
					{
						row_no: 2,
						name: 'Imported One',
						office: 'Mayor',
						level: 'local',
						email: 'one@city.gov'
					},
					{
						row_no: 3,
						merge_into: seed.official,
						name: 'Ana Ortiz',
						party: 'Green',
						email: 'ana@city.gov'
					}
				]
			})
		);
		expect(result).toEqual({ added: 1, merged: 1 });
		const ana = ok(
			await w.member.client
				.from('officials')
				.select('party, email, influence')
				.eq('id', seed.official)
				.single()
		);
		expect(ana).toEqual({ party: 'Green', email: 'ana@city.gov', influence: 5 });

		const before = ok(await w.member.client.from('officials').select('id')) as unknown[];
		expectError(
			await w.organizer.client.rpc('import_officials', {
				team_id: w.teamId,
				rows: [
					{ row_no: 2, name: 'Fine Person' },
					{ row_no: 7, name: 'Bad Email', email: 'nope' }
				]
			}),
			'P0001',
			'row 7: the email is not a valid email address'
		);
		expect(ok(await w.member.client.from('officials').select('id'))).toHaveLength(before.length);
		expectError(
			await w.member.client.rpc('import_officials', { team_id: w.teamId, rows: [] }),
			'P0001',
			'only leaders and organizers can import officials'
		);
		expectError(
			await w.outsider.client.rpc('import_officials', { team_id: w.teamId, rows: [] }),
			'P0001',
			'only leaders and organizers can import officials'
		);
	});
});

describe('import_officials and agencies', () => {
	it("links each row's agency, and refuses another team's agency with the row number", async () => {
		const mine = await createAgency(w.leader, w.teamId, 'Transit Authority');
		const other = await createTeam(w.leader);
		const theirs = await createAgency(w.leader, other, 'Not ours');
		ok(
			await w.organizer.client.rpc('import_officials', {
				team_id: w.teamId,
				rows: [{ row_no: 2, name: 'Agency Person', office: 'Board', agency_id: mine }]
			})
		);
		expect(
			ok(
				await w.member.client
					.from('officials')
					.select('agency_id')
					.eq('name', 'Agency Person')
					.single()
			)
		).toEqual({ agency_id: mine });
		expectError(
			await w.leader.client.rpc('import_officials', {
				team_id: w.teamId,
				rows: [{ row_no: 9, name: 'Wrong Agency', agency_id: theirs }]
			}),
			'P0001',
			'row 9: that agency is not in the team'
		);
	});
});

describe('merge_officials', () => {
	it('moves everything to the kept official, keeps the removed record, takes chosen values', async () => {
		const c = w.organizer.client;
		const [keep, gone] = (await Promise.all(
			['Dup Keep', 'Dup Gone'].map(async (name, i) =>
				ok(
					await c
						.from('officials')
						.insert({
							team_id: w.teamId,
							name,
							office: 'Board',
							email: `${i}@board.org`,
							stance: i + 2
						})
						.select('id')
						.single()
				)
			)
		)) as Array<{ id: string }>;
		const i1 = await logInteraction(w.leader.client, {}, { official_ids: [keep.id, gone.id] });
		ok(
			await c
				.from('commitments')
				.insert({ team_id: w.teamId, official_id: gone.id, description: 'Promise' })
		);
		ok(
			await c
				.from('official_staff')
				.insert({ team_id: w.teamId, official_id: gone.id, name: 'Aide' })
		);
		ok(
			await c
				.from('follow_ups')
				.insert({ team_id: w.teamId, official_id: gone.id, title: 'Call', due_on: day(1) })
		);

		expectError(
			await w.member.client.rpc('merge_officials', { keep_id: keep.id, remove_id: gone.id }),
			'P0001',
			'only leaders and organizers can merge officials'
		);
		expectError(
			await w.outsider.client.rpc('merge_officials', { keep_id: keep.id, remove_id: gone.id }),
			'P0001',
			'that official does not exist'
		);
		ok(
			await c.rpc('merge_officials', {
				keep_id: keep.id,
				remove_id: gone.id,
				chosen: { email: 'remove' }
			})
		);
		const kept = ok(
			await c
				.from('officials')
				.select(
					'name, email, stance, commitments(id), official_staff(id), follow_ups(id), official_stance_changes(id)'
				)
				.eq('id', keep.id)
				.single()
		) as Record<string, unknown>;
		expect(kept.name).toBe('Dup Keep');
		expect(kept.email).toBe('1@board.org');
		expect(kept.stance).toBe(2);
		expect(kept.commitments).toHaveLength(1);
		expect(kept.official_staff).toHaveLength(1);
		expect(kept.follow_ups).toHaveLength(1);
		expect(kept.official_stance_changes).toHaveLength(2);
		expect(ok(await c.from('officials').select('id').eq('id', gone.id))).toEqual([]);
		const present = ok(
			await c.from('interaction_participants').select('official_id').eq('interaction_id', i1)
		);
		expect(present).toEqual([{ official_id: keep.id }]);
		const merges = ok(
			await w.member.client
				.from('official_merges')
				.select('removed_official')
				.eq('kept_official_id', keep.id)
		) as Array<{ removed_official: { name: string; email: string } }>;
		expect(merges[0].removed_official).toMatchObject({ name: 'Dup Gone', email: '1@board.org' });
		expectError(await c.from('official_merges').insert({ team_id: w.teamId }), '42501');
	});
});

describe('calendar feeds', () => {
	it('a member gets a secret feed of their planned interactions and follow-ups, never confidential notes', async () => {
		const planned = await logInteraction(
			w.leader.client,
			{ status: 'planned', occurred_at: ahead(72), title: 'Site visit with the board' },
			{ member_ids: [w.member.userId], confidential: 'Do not mention the audit.' }
		);
		const token = ok(
			await w.member.client.rpc('create_calendar_feed', { team_id: w.teamId })
		) as string;
		expect(token).toMatch(/^[0-9a-f]{64}$/);
		const feed = ok(await w.anon.rpc('calendar_feed_events', { token })) as {
			interactions: Array<{ id: string; title: string }>;
			follow_ups: Array<{ title: string }>;
		};
		expect(feed.interactions.map((i) => i.id)).toEqual([planned]);
		expect(feed.follow_ups.map((f) => f.title)).toContain('Send the figures');
		expect(JSON.stringify(feed)).not.toContain('audit');
		// The owner sees the feed exists, never its hash; others see nothing.
		expect(
			ok(await w.member.client.from('calendar_feeds').select('revoked_at').eq('team_id', w.teamId))
		).toEqual([{ revoked_at: null }]);
		expectError(await w.member.client.from('calendar_feeds').select('token_hash'), '42501');
		expect(ok(await w.leader.client.from('calendar_feeds').select('id'))).toEqual([]);
		expectError(await w.anon.from('calendar_feeds').select('id'), '42501');

		// A new token revokes the old one; revoking ends the new one.
		const second = ok(
			await w.member.client.rpc('create_calendar_feed', { team_id: w.teamId })
		) as string;
		expect(ok(await w.anon.rpc('calendar_feed_events', { token }))).toBeNull();
		expect(ok(await w.anon.rpc('calendar_feed_events', { token: second }))).not.toBeNull();
		ok(await w.member.client.rpc('revoke_calendar_feed', { team_id: w.teamId }));
		expect(ok(await w.anon.rpc('calendar_feed_events', { token: second }))).toBeNull();
		expect(ok(await w.anon.rpc('calendar_feed_events', { token: 'guess' }))).toBeNull();
		expectError(
			await w.outsider.client.rpc('create_calendar_feed', { team_id: w.teamId }),
			'P0001',
			'only a member of the team can have its calendar feed'
		);
	});
});

describe('an archived team', () => {
	it('stays readable but refuses writes with a sentence', async () => {
		const teamId = await createTeam(w.leader);
		const o = ok(
			await w.leader.client
				.from('officials')
				.insert({ team_id: teamId, name: 'Archived official' })
				.select('id')
				.single()
		) as { id: string };
		ok(await w.leader.client.rpc('archive_team', { team_id: teamId }));
		const archived = 'this team is archived: unarchive it before changing its data';
		expect(
			ok(await w.leader.client.from('officials').select('name').eq('team_id', teamId))
		).toEqual([{ name: 'Archived official' }]);
		expectError(
			await w.leader.client.from('officials').update({ notes: 'x' }).eq('id', o.id),
			'P0001',
			archived
		);
		expectError(
			await w.leader.client.rpc('log_interaction', {
				team_id: teamId,
				interaction: { type: 'call', status: 'held', occurred_at: ago(1), title: 'X' }
			}),
			'P0001',
			archived
		);
		expectError(
			await w.leader.client.rpc('import_officials', { team_id: teamId, rows: [] }),
			'P0001',
			archived
		);
	});
});
