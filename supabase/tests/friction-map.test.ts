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
import { createAgency, createIndicator, importRows, weeks } from './helpers/agency.ts';
import * as friction from '../../src/lib/server/db/friction.ts';

let stack: TestStack;
let w: TeamWorld;
let seed: { agency: string; indicator: string; goal: string; point: string; cause: string };

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const agency = await createAgency(w.leader, w.teamId, 'Health board');
	const indicator = await createIndicator(w.leader, w.teamId, agency, 'Seen within 4 hours', {
		unit: '%'
	});
	await importRows(
		w.leader.client,
		w.teamId,
		weeks('Health board', 'Seen within 4 hours', 6, (i) => 90 - i)
	);
	const goal = ok(
		await w.leader.client
			.from('goals')
			.insert({
				team_id: w.teamId,
				indicator_id: indicator,
				statement: '95% seen within 4 hours',
				target_value: 95
			})
			.select('id')
			.single()
	) as { id: string };
	const point = ok(
		await w.leader.client
			.from('friction_points')
			.insert({ team_id: w.teamId, agency_id: agency, goal_id: goal.id, title: 'Long waits' })
			.select('id')
			.single()
	) as { id: string };
	const cause = ok(
		await w.leader.client
			.from('root_causes')
			.insert({ team_id: w.teamId, friction_point_id: point.id, statement: 'Too few beds' })
			.select('id')
			.single()
	) as { id: string };
	seed = { agency, indicator, goal: goal.id, point: point.id, cause: cause.id };
});

afterAll(async () => {
	await stack?.stop();
});

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';
const TEAM: Who[] = ['member', 'organizer', 'leader'];
const STRANGERS: Who[] = ['outsider', 'orgAdmin'];

let n = 0;

/** For each new table: a fresh row, a change, and the column that change shows in. */
const TABLES: Record<
	string,
	{ row: () => Record<string, unknown>; patch: Record<string, unknown>; check: string }
> = {
	friction_points: {
		row: () => ({ team_id: w.teamId, agency_id: seed.agency, title: `Point ${++n}` }),
		patch: { observed: 'Waits of twelve hours' },
		check: 'observed'
	},
	evidence: {
		row: () => ({
			team_id: w.teamId,
			friction_point_id: seed.point,
			kind: 'document',
			title: `Report ${++n}`
		}),
		patch: { body: 'Page 4' },
		check: 'body'
	},
	root_causes: {
		row: () => ({ team_id: w.teamId, friction_point_id: seed.point, statement: `Cause ${++n}` }),
		patch: { parent_id: null, statement: 'Changed' },
		check: 'statement'
	},
	pressure_points: {
		row: () => ({
			team_id: w.teamId,
			friction_point_id: seed.point,
			target: `Board ${++n}`,
			leverage: 3,
			achievability: 3,
			salience: 3
		}),
		patch: { description: 'Meets monthly' },
		check: 'description'
	},
	forces: {
		row: () => ({
			team_id: w.teamId,
			friction_point_id: seed.point,
			direction: 'driving',
			description: `Force ${++n}`,
			weight: 2
		}),
		patch: { weight: 5 },
		check: 'weight'
	},
	friction_dismissals: {
		row: () => ({ team_id: w.teamId, indicator_id: seed.indicator }),
		patch: { run_started: '2024-01-01' },
		check: 'run_started'
	}
};

function client(who: Who): SupabaseClient {
	return rolesOf(w)[who].client;
}

async function insertAsService(table: string): Promise<string> {
	const row = ok(await w.service.from(table).insert(TABLES[table].row()).select('id').single()) as {
		id: string;
	};
	return row.id;
}

async function readAsService(table: string, id: string) {
	return ok(await w.service.from(table).select('*').eq('id', id).maybeSingle()) as Record<
		string,
		unknown
	> | null;
}

describe.each(Object.keys(TABLES))('%s', (table) => {
	const spec = () => TABLES[table];
	// Dismissals are unique per indicator: clear the seed's before each insert that makes one.
	const clearDismissals = async () => {
		if (table === 'friction_dismissals')
			ok(await w.service.from(table).delete().eq('team_id', w.teamId));
	};

	it('anon is refused outright', async () => {
		expectError(await w.anon.from(table).select('id'), '42501');
		expectError(await w.anon.from(table).insert(spec().row()), '42501');
	});

	it.each(STRANGERS)('the %s sees nothing and changes nothing', async (who) => {
		await clearDismissals();
		const id = await insertAsService(table);
		const { data, error } = await client(who).from(table).select('id');
		expect(error).toBeNull();
		expect(data).toEqual([]);
		expectError(await client(who).from(table).insert(spec().row()), '42501');
		const updated = ok(
			await client(who).from(table).update(spec().patch).eq('id', id).select('id')
		);
		expect(updated).toEqual([]);
		const deleted = ok(await client(who).from(table).delete().eq('id', id).select('id'));
		expect(deleted).toEqual([]);
		const row = await readAsService(table, id);
		expect(row).not.toBeNull();
		expect(row![spec().check]).not.toEqual(spec().patch[spec().check]);
	});

	it.each(TEAM)('a %s reads, adds, changes and deletes', async (who) => {
		await clearDismissals();
		const created = ok(
			await client(who).from(table).insert(spec().row()).select('id').single()
		) as { id: string };
		const seen = ok(await client(who).from(table).select('id').eq('id', created.id));
		expect(seen).toEqual([{ id: created.id }]);
		const updated = ok(
			await client(who).from(table).update(spec().patch).eq('id', created.id).select(spec().check)
		);
		expect(updated).toEqual([{ [spec().check]: spec().patch[spec().check] }]);
		const deleted = ok(await client(who).from(table).delete().eq('id', created.id).select('id'));
		expect(deleted).toEqual([{ id: created.id }]);
		expect(await readAsService(table, created.id)).toBeNull();
	});

	it('the service role reads and writes everything', async () => {
		await clearDismissals();
		const id = await insertAsService(table);
		ok(await w.service.from(table).update(spec().patch).eq('id', id));
		expect((await readAsService(table, id))![spec().check]).toEqual(spec().patch[spec().check]);
		ok(await w.service.from(table).delete().eq('id', id));
		expect(await readAsService(table, id)).toBeNull();
	});
});

describe('friction_point_status_changes', () => {
	it('records every status change with who, from, to and why; nobody writes it directly', async () => {
		const p = await friction.createFrictionPoint(w.member.client, w.teamId, seed.agency, {
			title: 'Repairs backlog'
		});
		const id = p.data!.id;
		await friction.changeStatus(w.member.client, w.teamId, id, 'investigating', 'Asked for data');
		// A later change without a note does not repeat the earlier note.
		await friction.changeStatus(w.leader.client, w.teamId, id, 'confirmed', null);
		const history = await friction.statusHistory(w.member.client, w.teamId, id);
		expect(history.data!.map((h) => [h.from_status, h.to_status, h.note, h.changed_by])).toEqual([
			['investigating', 'confirmed', null, w.leader.userId],
			['noticed', 'investigating', 'Asked for data', w.member.userId],
			[null, 'noticed', null, w.member.userId]
		]);
		for (const who of TEAM) {
			expectError(
				await client(who)
					.from('friction_point_status_changes')
					.insert({ team_id: w.teamId, friction_point_id: id, to_status: 'resolved' }),
				'42501'
			);
			expectError(
				await client(who)
					.from('friction_point_status_changes')
					.update({ note: 'rewritten' })
					.eq('friction_point_id', id),
				'42501'
			);
			expectError(
				await client(who)
					.from('friction_point_status_changes')
					.delete()
					.eq('friction_point_id', id),
				'42501'
			);
		}
		for (const who of STRANGERS) {
			expect(ok(await client(who).from('friction_point_status_changes').select('id'))).toEqual([]);
		}
		expectError(await w.anon.from('friction_point_status_changes').select('id'), '42501');
		const all = ok(
			await w.service.from('friction_point_status_changes').select('id').eq('friction_point_id', id)
		);
		expect(all).toHaveLength(3);
	});
});

describe('bad input gets a sentence', () => {
	it('refuses scores outside 1–5', async () => {
		const row = TABLES.pressure_points.row();
		expectError(
			await w.member.client.from('pressure_points').insert({ ...row, leverage: 6 }),
			'P0001',
			'leverage must be a whole number from 1 to 5'
		);
		expectError(
			await w.member.client.from('pressure_points').insert({ ...row, salience: 0 }),
			'P0001',
			'public salience must be a whole number from 1 to 5'
		);
		expectError(
			await w.member.client.from('forces').insert({ ...TABLES.forces.row(), weight: 9 }),
			'P0001',
			'the weight must be a whole number from 1 to 5'
		);
		expectError(
			await w.member.client.from('friction_points').update({ team_rating: 7 }).eq('id', seed.point),
			'P0001',
			"the team's rating must be a whole number from 1 to 5"
		);
		expectError(
			await w.member.client
				.from('friction_points')
				.insert({ ...TABLES.friction_points.row(), title: '  ' }),
			'P0001',
			'the title cannot be empty'
		);
		expectError(
			await w.member.client.from('evidence').insert({
				...TABLES.evidence.row(),
				url: 'javascript:alert(1)'
			}),
			'P0001',
			'the address must be a web address starting with http:// or https://'
		);
	});

	it('refuses cause loops and parents that do not exist', async () => {
		const child = await friction.addCause(w.member.client, w.teamId, seed.point, {
			statement: 'Beds blocked by delayed discharges',
			parent_id: seed.cause
		});
		const grandchild = await friction.addCause(w.member.client, w.teamId, seed.point, {
			statement: 'No social care places',
			parent_id: child.data!.id
		});
		expect(
			await friction.updateCause(w.member.client, w.teamId, seed.cause, {
				parent_id: grandchild.data!.id
			})
		).toEqual({
			error: 'A cause cannot sit under itself or under one of its own causes',
			code: 'P0001'
		});
		expect(
			await friction.updateCause(w.member.client, w.teamId, seed.cause, { parent_id: seed.cause })
		).toMatchObject({ error: 'A cause cannot sit under itself or under one of its own causes' });
		expect(
			await friction.addCause(w.member.client, w.teamId, seed.point, {
				statement: 'Orphan',
				parent_id: crypto.randomUUID()
			})
		).toMatchObject({ error: 'That parent cause does not exist' });
		// Deleting a cause takes what hangs under it.
		ok(await w.member.client.from('root_causes').delete().eq('id', child.data!.id));
		expect(await readAsService('root_causes', grandchild.data!.id)).toBeNull();
		expect(await readAsService('root_causes', seed.cause)).not.toBeNull();
	});
});

describe('rows belong to one team', () => {
	it("cannot cite another team's indicator, goal, cause or member", async () => {
		// The leader is in both teams, so RLS alone would let these through.
		const other = await createTeam(w.leader);
		const theirAgency = await createAgency(w.leader, other, 'Elsewhere');
		const theirIndicator = await createIndicator(w.leader, other, theirAgency, 'Theirs');
		const theirPoint = ok(
			await w.leader.client
				.from('friction_points')
				.insert({ team_id: other, agency_id: theirAgency, title: 'Theirs' })
				.select('id')
				.single()
		) as { id: string };
		const theirCause = ok(
			await w.leader.client
				.from('root_causes')
				.insert({ team_id: other, friction_point_id: theirPoint.id, statement: 'Theirs' })
				.select('id')
				.single()
		) as { id: string };

		expect(
			await friction.addEvidence(w.leader.client, w.teamId, seed.point, {
				kind: 'indicator',
				indicator_id: theirIndicator
			})
		).toEqual({ error: 'That indicator does not exist', code: 'P0001' });
		expect(
			await friction.createFrictionPoint(w.leader.client, w.teamId, theirAgency, { title: 'X' })
		).toEqual({ error: 'That agency does not exist' });
		expect(
			await friction.createFrictionPoint(w.leader.client, other, theirAgency, {
				title: 'X',
				goal_id: seed.goal
			})
		).toEqual({ error: 'That goal does not exist', code: 'P0001' });
		expect(
			await friction.addCause(w.leader.client, w.teamId, seed.point, {
				statement: 'Borrowed parent',
				parent_id: theirCause.id
			})
		).toEqual({ error: 'That parent cause does not exist', code: 'P0001' });
		// A friction point of this team under the other team's id is refused by the key.
		expectError(
			await w.leader.client
				.from('evidence')
				.insert({ team_id: other, friction_point_id: seed.point, kind: 'observation', body: 'x' }),
			'23503'
		);
		expect(
			await friction.updateFrictionPoint(w.leader.client, w.teamId, seed.point, {
				owner_id: w.outsider.userId
			})
		).toEqual({ error: 'The owner must be a member of the team', code: 'P0001' });
		// A cause of another friction point of the same team is refused with its own sentence.
		const second = await friction.createFrictionPoint(w.leader.client, w.teamId, seed.agency, {
			title: 'Second'
		});
		expect(
			await friction.addCause(w.leader.client, w.teamId, second.data!.id, {
				statement: 'Wrong tree',
				parent_id: seed.cause
			})
		).toEqual({ error: 'The parent cause belongs to another friction point', code: 'P0001' });
	});

	it('keeps team_id and the goal snapshot out of reach', async () => {
		expectError(
			await w.member.client
				.from('friction_points')
				.update({ team_id: crypto.randomUUID() })
				.eq('id', seed.point),
			'42501'
		);
		expectError(
			await w.member.client
				.from('friction_points')
				.update({ goal_statement: 'forged' })
				.eq('id', seed.point),
			'42501'
		);
	});
});

describe('owners', () => {
	it('a member who leaves the team stops owning its friction points', async () => {
		const helper = await stack.signedIn();
		await addMember(stack, w.teamId, helper);
		const p = await friction.createFrictionPoint(w.member.client, w.teamId, seed.agency, {
			title: 'Owned',
			owner_id: helper.userId
		});
		expect(p.data?.owner_id).toBe(helper.userId);
		ok(
			await w.service
				.from('team_members')
				.delete()
				.eq('team_id', w.teamId)
				.eq('user_id', helper.userId)
		);
		const after = await friction.getFrictionPoint(w.member.client, w.teamId, p.data!.id);
		expect(after.data).toMatchObject({ owner_id: null, title: 'Owned' });
	});
});

describe('the report', () => {
	it("reads every friction point's parts of the team, and only that team's", async () => {
		const parts = await friction.teamParts(w.member.client, w.teamId);
		expect(parts.data!.causes.map((c) => c.statement)).toContain('Too few beds');
		const stranger = await friction.teamParts(w.outsider.client, w.teamId);
		expect(stranger.data).toEqual({ evidence: [], causes: [], pressure: [], forces: [] });
	});
});

describe('goals and friction points', () => {
	it('takes a snapshot of the goal that survives its deletion', async () => {
		const goal = ok(
			await w.member.client
				.from('goals')
				.insert({
					team_id: w.teamId,
					indicator_id: seed.indicator,
					statement: 'Everyone seen in 4 hours',
					target_value: 100
				})
				.select('id')
				.single()
		) as { id: string };
		const p = await friction.createFrictionPoint(w.member.client, w.teamId, seed.agency, {
			title: 'Nobody is seen in time',
			goal_id: goal.id
		});
		expect(p.data).toMatchObject({
			goal_id: goal.id,
			indicator_id: seed.indicator,
			goal_statement: 'Everyone seen in 4 hours'
		});
		expect(Number(p.data!.goal_target)).toBe(100);
		expect(await friction.countForGoal(w.member.client, w.teamId, goal.id)).toEqual({ data: 1 });
		// An edit of the goal follows into the snapshot.
		ok(await w.member.client.from('goals').update({ target_value: 98 }).eq('id', goal.id));
		ok(await w.member.client.from('goals').delete().eq('id', goal.id));
		const after = await friction.getFrictionPoint(w.member.client, w.teamId, p.data!.id);
		expect(after.data).toMatchObject({
			goal_id: null,
			goal_statement: 'Everyone seen in 4 hours',
			goal_target: 98,
			indicator_id: seed.indicator
		});
		const history = await friction.statusHistory(w.member.client, w.teamId, p.data!.id);
		expect(history.data).toHaveLength(1);
	});
});

describe('suggestions from data', () => {
	it('accepting one makes a friction point with the indicator as evidence and forgets the dismissal', async () => {
		expect(
			await friction.dismissSuggestion(w.member.client, w.teamId, seed.indicator, '2024-01-01')
		).toEqual({ data: null });
		expect((await friction.listDismissals(w.member.client, w.teamId)).data).toHaveLength(1);
		const made = await friction.acceptSuggestion(w.member.client, w.teamId, {
			indicatorId: seed.indicator,
			title: 'Seen within 4 hours is off target',
			goalId: seed.goal
		});
		const id = made.data!;
		const point = await friction.getFrictionPoint(w.member.client, w.teamId, id);
		expect(point.data).toMatchObject({
			agency_id: seed.agency,
			indicator_id: seed.indicator,
			goal_statement: '95% seen within 4 hours',
			status: 'noticed',
			agency_name: 'Health board'
		});
		const evidence = await friction.listEvidence(w.member.client, w.teamId, id);
		expect(evidence.data).toMatchObject([
			{ kind: 'indicator', indicator_id: seed.indicator, title: 'Seen within 4 hours' }
		]);
		expect((await friction.listDismissals(w.member.client, w.teamId)).data).toEqual([]);
		const series = await friction.seriesByIndicator(w.member.client, [seed.indicator]);
		expect(series.data!.get(seed.indicator)!.map((p) => p.value)).toEqual([90, 89, 88, 87, 86, 85]);
	});

	it('refuses an indicator the caller cannot see, and strangers and anon', async () => {
		expect(
			await friction.acceptSuggestion(w.outsider.client, w.teamId, {
				indicatorId: seed.indicator,
				title: 'x'
			})
		).toEqual({ error: 'That indicator does not exist', code: 'P0001' });
		expectError(
			await w.anon.rpc('accept_friction_suggestion', {
				team_id: w.teamId,
				indicator_id: seed.indicator,
				title: 'x'
			}),
			'42501'
		);
	});
});

describe('an archived team', () => {
	it('stays readable but refuses every write with a sentence', async () => {
		const teamId = await createTeam(w.leader);
		await addMember(stack, teamId, w.member);
		const a = await createAgency(w.member, teamId, 'Agency');
		const i = await createIndicator(w.member, teamId, a, 'Indicator');
		const p = await friction.createFrictionPoint(w.member.client, teamId, a, { title: 'P' });
		ok(await w.leader.client.rpc('archive_team', { team_id: teamId }));
		const archived = 'This team is archived: unarchive it before changing its data';
		const c = w.member.client;
		expect((await friction.listFrictionPoints(c, teamId)).data).toHaveLength(1);
		expect(await friction.updateFrictionPoint(c, teamId, p.data!.id, { title: 'Q' })).toMatchObject(
			{
				error: archived
			}
		);
		expect(
			await friction.addPressurePoint(c, teamId, p.data!.id, {
				kind: 'official',
				target: 'Mayor',
				leverage: 4,
				achievability: 2,
				salience: 3
			})
		).toMatchObject({ error: archived });
		expect(
			await friction.addForce(c, teamId, p.data!.id, {
				direction: 'driving',
				description: 'x',
				weight: 1
			})
		).toMatchObject({ error: archived });
		expect(await friction.dismissSuggestion(c, teamId, i, null)).toMatchObject({ error: archived });
		expect(
			await friction.acceptSuggestion(c, teamId, { indicatorId: i, title: 'x' })
		).toMatchObject({ error: archived });
		expect(await friction.deleteFrictionPoint(c, teamId, p.data!.id)).toMatchObject({
			error: archived
		});
	});
});
