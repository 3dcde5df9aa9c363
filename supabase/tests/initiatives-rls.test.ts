import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';
import { createAgency, createIndicator } from './helpers/agency.ts';

let stack: TestStack;
let w: TeamWorld;
let seed: {
	agency: string;
	indicator: string;
	point: string;
	official: string;
	interaction: string;
	initiative: string;
	target: string;
	milestone: string;
	task: string;
};

async function insert(client: SupabaseClient, table: string, row: Record<string, unknown>) {
	return (ok(await client.from(table).insert(row).select('id').single()) as { id: string }).id;
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const agency = await createAgency(w.leader, w.teamId, 'Health board');
	const indicator = await createIndicator(w.leader, w.teamId, agency, 'Seen within 4 hours');
	const point = await insert(w.leader.client, 'friction_points', {
		team_id: w.teamId,
		agency_id: agency,
		title: 'Long waits'
	});
	const official = await insert(w.leader.client, 'officials', {
		team_id: w.teamId,
		name: 'Ana Ruiz',
		stance: 4
	});
	const interaction = await insert(w.service, 'interactions', {
		team_id: w.teamId,
		type: 'meeting',
		status: 'held',
		occurred_at: '2026-11-01T10:00:00Z',
		title: 'First meeting'
	});
	const initiative = ok(
		await w.leader.client.rpc('create_initiative', {
			team_id: w.teamId,
			title: 'Shorter waits',
			friction_point_ids: [point],
			indicator_id: indicator,
			start_date: '2026-01-01'
		})
	) as string;
	const target = await insert(w.leader.client, 'initiative_targets', {
		team_id: w.teamId,
		initiative_id: initiative,
		official_id: official
	});
	const milestone = await insert(w.leader.client, 'milestones', {
		team_id: w.teamId,
		initiative_id: initiative,
		title: 'Petition delivered',
		due_on: '2026-06-01'
	});
	const task = await insert(w.leader.client, 'tasks', {
		team_id: w.teamId,
		initiative_id: initiative,
		title: 'Draft the petition'
	});
	seed = { agency, indicator, point, official, interaction, initiative, target, milestone, task };
});

afterAll(async () => {
	await stack?.stop();
});

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';
const TEAM: Who[] = ['member', 'organizer', 'leader'];
const STRANGERS: Who[] = ['outsider', 'orgAdmin'];

let n = 0;

/**
 * For each new table: a fresh row, and (where members change rows) a change and the column it shows
 * in. Links have no change: they are added and removed.
 */
const TABLES: Record<
	string,
	{
		row: () => Record<string, unknown>;
		patch?: Record<string, unknown>;
		check?: string;
		/** Rows unique per initiative: removed before each test adds one. */
		unique?: boolean;
	}
> = {
	initiatives: {
		row: () => ({ team_id: w.teamId, title: `Initiative ${++n}` }),
		patch: { vision: 'Nobody waits all night' },
		check: 'vision'
	},
	initiative_friction_points: {
		row: () => ({
			team_id: w.teamId,
			initiative_id: seed.initiative,
			friction_point_id: seed.point
		})
	},
	initiative_strategy_items: {
		row: () => ({
			team_id: w.teamId,
			initiative_id: seed.initiative,
			kind: 'ally',
			body: `Ally ${++n}`
		}),
		patch: { body: 'Nurses union' },
		check: 'body'
	},
	initiative_targets: {
		row: () => ({ team_id: w.teamId, initiative_id: seed.initiative, agency_id: seed.agency }),
		patch: { note: 'Fund two more beds' },
		check: 'note',
		unique: true
	},
	tactics: {
		row: () => ({
			team_id: w.teamId,
			initiative_id: seed.initiative,
			target_id: seed.target,
			description: `Tactic ${++n}`,
			planned_on: '2026-03-01'
		}),
		patch: { description: 'Public testimony' },
		check: 'description'
	},
	milestones: {
		row: () => ({
			team_id: w.teamId,
			initiative_id: seed.initiative,
			title: `Milestone ${++n}`,
			due_on: '2026-05-01'
		}),
		patch: { reached_on: '2026-05-02' },
		check: 'reached_on'
	},
	tasks: {
		row: () => ({ team_id: w.teamId, initiative_id: seed.initiative, title: `Task ${++n}` }),
		patch: { status: 'doing' },
		check: 'status'
	},
	interaction_initiatives: {
		row: () => ({
			team_id: w.teamId,
			interaction_id: seed.interaction,
			initiative_id: seed.initiative
		})
	}
};

function client(who: Who): SupabaseClient {
	return rolesOf(w)[who].client;
}

async function readAsService(table: string, id: string) {
	return ok(await w.service.from(table).select('*').eq('id', id).maybeSingle()) as Record<
		string,
		unknown
	> | null;
}

/** Links are unique per pair: clear the table's rows before each test that adds one. */
async function clearLinks(table: string) {
	const spec = TABLES[table];
	if (!spec.patch) ok(await w.service.from(table).delete().eq('team_id', w.teamId));
	else if (spec.unique)
		ok(await w.service.from(table).delete().eq('team_id', w.teamId).not('agency_id', 'is', null));
}

describe.each(Object.keys(TABLES))('%s', (table) => {
	const spec = () => TABLES[table];

	it('anon is refused outright', async () => {
		expectError(await w.anon.from(table).select('id'), '42501');
		expectError(await w.anon.from(table).insert(spec().row()), '42501');
	});

	it.each(STRANGERS)('the %s sees nothing and changes nothing', async (who) => {
		await clearLinks(table);
		const id = await insert(w.service, table, spec().row());
		const { data, error } = await client(who).from(table).select('id');
		expect(error).toBeNull();
		expect(data).toEqual([]);
		await clearLinks(table);
		expectError(await client(who).from(table).insert(spec().row()), '42501');
		const again = await insert(w.service, table, spec().row());
		const { patch, check } = spec();
		if (patch && check) {
			const updated = ok(await client(who).from(table).update(patch).eq('id', again).select('id'));
			expect(updated).toEqual([]);
			expect((await readAsService(table, again))![check]).not.toEqual(patch[check]);
		}
		const deleted = ok(await client(who).from(table).delete().eq('id', again).select('id'));
		expect(deleted).toEqual([]);
		expect(await readAsService(table, again)).not.toBeNull();
		expect(id).toBeTruthy();
	});

	it.each(TEAM)('a %s reads, adds, changes and deletes', async (who) => {
		await clearLinks(table);
		const id = await insert(client(who), table, spec().row());
		expect(ok(await client(who).from(table).select('id').eq('id', id))).toEqual([{ id }]);
		const { patch, check } = spec();
		if (patch && check) {
			const updated = ok(await client(who).from(table).update(patch).eq('id', id).select(check));
			expect(updated).toEqual([{ [check]: patch[check] }]);
		}
		const deleted = ok(await client(who).from(table).delete().eq('id', id).select('id'));
		expect(deleted).toEqual([{ id }]);
		expect(await readAsService(table, id)).toBeNull();
	});

	it('the service role reads and writes everything', async () => {
		await clearLinks(table);
		const id = await insert(w.service, table, spec().row());
		const { patch, check } = spec();
		if (patch && check) {
			ok(await w.service.from(table).update(patch).eq('id', id));
			expect((await readAsService(table, id))![check]).toEqual(patch[check]);
		}
		ok(await w.service.from(table).delete().eq('id', id));
		expect(await readAsService(table, id)).toBeNull();
	});
});

describe('task_comments', () => {
	it('members read every comment; only the author changes or deletes one', async () => {
		const id = await insert(w.member.client, 'task_comments', {
			team_id: w.teamId,
			task_id: seed.task,
			body: 'I can take this'
		});
		const row = await readAsService('task_comments', id);
		expect(row!.author_id).toBe(w.member.userId);
		expect(ok(await w.leader.client.from('task_comments').select('id').eq('id', id))).toHaveLength(
			1
		);
		// The leader cannot rewrite or remove the member's words.
		expect(
			ok(
				await w.leader.client.from('task_comments').update({ body: 'x' }).eq('id', id).select('id')
			)
		).toEqual([]);
		expect(
			ok(await w.leader.client.from('task_comments').delete().eq('id', id).select('id'))
		).toEqual([]);
		for (const who of STRANGERS) {
			expect(ok(await client(who).from('task_comments').select('id'))).toEqual([]);
			expectError(
				await client(who)
					.from('task_comments')
					.insert({ team_id: w.teamId, task_id: seed.task, body: 'Hello' }),
				'42501'
			);
		}
		expectError(await w.anon.from('task_comments').select('id'), '42501');
		const changed = ok(
			await w.member.client
				.from('task_comments')
				.update({ body: 'Done by Friday' })
				.eq('id', id)
				.select('body')
		);
		expect(changed).toEqual([{ body: 'Done by Friday' }]);
		expect(
			ok(await w.member.client.from('task_comments').delete().eq('id', id).select('id'))
		).toEqual([{ id }]);
	});

	it('a comment is always written in its writer’s name', async () => {
		const id = await insert(w.member.client, 'task_comments', {
			team_id: w.teamId,
			task_id: seed.task,
			body: 'Signed as someone else?',
			author_id: w.leader.userId
		}).catch((e: Error) => e.message);
		// author_id is not a column members may send at all.
		expect(String(id)).toMatch(/42501/);
	});
});

describe('initiative_status_changes', () => {
	it('records every status change; nobody writes it directly', async () => {
		const id = await insert(w.member.client, 'initiatives', {
			team_id: w.teamId,
			title: 'History'
		});
		ok(
			await w.member.client
				.from('initiatives')
				.update({ status: 'active', status_note: 'Launched' })
				.eq('id', id)
		);
		ok(await w.leader.client.from('initiatives').update({ status: 'won' }).eq('id', id));
		const history = ok(
			await w.member.client
				.from('initiative_status_changes')
				.select('from_status, to_status, note, changed_by')
				.eq('initiative_id', id)
				.order('id')
		);
		expect(history).toEqual([
			{ from_status: null, to_status: 'draft', note: null, changed_by: w.member.userId },
			{ from_status: 'draft', to_status: 'active', note: 'Launched', changed_by: w.member.userId },
			{ from_status: 'active', to_status: 'won', note: null, changed_by: w.leader.userId }
		]);
		for (const who of TEAM) {
			expectError(
				await client(who)
					.from('initiative_status_changes')
					.insert({ team_id: w.teamId, initiative_id: id, to_status: 'lost' }),
				'42501'
			);
			expectError(
				await client(who).from('initiative_status_changes').delete().eq('initiative_id', id),
				'42501'
			);
		}
		for (const who of STRANGERS) {
			expect(ok(await client(who).from('initiative_status_changes').select('id'))).toEqual([]);
		}
		expectError(await w.anon.from('initiative_status_changes').select('id'), '42501');
	});
});

describe('forces of an initiative', () => {
	it('hang off the initiative, one owner only, and members of other teams see none', async () => {
		const id = await insert(w.member.client, 'forces', {
			team_id: w.teamId,
			initiative_id: seed.initiative,
			direction: 'driving',
			description: 'Local press interest',
			weight: 4
		});
		expect(
			ok(await w.member.client.from('forces').select('id').eq('initiative_id', seed.initiative))
		).toEqual([{ id }]);
		expect(ok(await w.outsider.client.from('forces').select('id'))).toEqual([]);
		expectError(
			await w.member.client.from('forces').insert({
				team_id: w.teamId,
				initiative_id: seed.initiative,
				friction_point_id: seed.point,
				direction: 'driving',
				description: 'Both owners',
				weight: 2
			}),
			'23514'
		);
		expectError(
			await w.member.client.from('forces').insert({
				team_id: w.teamId,
				direction: 'driving',
				description: 'No owner',
				weight: 2
			}),
			'23514'
		);
	});
});

describe('nothing points at another team', () => {
	it('refuses a target, link or task that names another team’s rows', async () => {
		// The outsider leads a team of their own with an official, an agency and an interaction.
		const other = await createTeam(w.outsider, 'Other team');
		const theirOfficial = await insert(w.outsider.client, 'officials', {
			team_id: other,
			name: 'Someone else'
		});
		const theirAgency = await createAgency(w.outsider, other, 'Their agency');
		const theirIndicator = await createIndicator(w.outsider, other, theirAgency, 'Theirs');
		const theirPoint = await insert(w.outsider.client, 'friction_points', {
			team_id: other,
			agency_id: theirAgency,
			title: 'Theirs'
		});
		const base = { team_id: w.teamId, initiative_id: seed.initiative };
		expectError(
			await w.leader.client
				.from('initiative_targets')
				.insert({ ...base, official_id: theirOfficial }),
			'P0001',
			"that official is not in the team's directory"
		);
		expectError(
			await w.leader.client.from('initiative_targets').insert({ ...base, agency_id: theirAgency }),
			'P0001',
			"that agency is not one of the team's"
		);
		expectError(
			await w.leader.client
				.from('initiative_friction_points')
				.insert({ ...base, friction_point_id: theirPoint }),
			'P0001',
			'that friction point does not exist'
		);
		expectError(
			await w.leader.client.rpc('create_initiative', {
				team_id: w.teamId,
				title: 'Borrowed problem',
				friction_point_ids: [theirPoint]
			}),
			'P0001',
			'that friction point does not exist'
		);
		expectError(
			await w.leader.client
				.from('initiatives')
				.insert({ team_id: w.teamId, title: 'Their data', indicator_id: theirIndicator }),
			'P0001',
			'that indicator does not exist'
		);
		// Even the service role, past RLS and the triggers' sentences, hits the composite keys.
		const { error } = await w.service
			.from('initiative_targets')
			.insert({ team_id: other, initiative_id: seed.initiative, official_id: theirOfficial });
		expect(error?.code).toBe('23503');
		// Into the other team: the leader of this team is not a member there.
		expectError(
			await w.leader.client.from('initiatives').insert({ team_id: other, title: 'Intrusion' }),
			'42501'
		);
	});
});

describe('bad input gets a sentence', () => {
	it('refuses a deadline before the start', async () => {
		expectError(
			await w.member.client.from('initiatives').insert({
				team_id: w.teamId,
				title: 'Backwards',
				start_date: '2026-05-01',
				deadline: '2026-04-30'
			}),
			'P0001',
			'the deadline cannot be before the start'
		);
	});

	it('refuses a milestone before the start, an empty title and huge values', async () => {
		expectError(
			await w.member.client.from('milestones').insert({
				team_id: w.teamId,
				initiative_id: seed.initiative,
				title: 'Too early',
				due_on: '2025-12-31'
			}),
			'P0001',
			'a milestone cannot be due before the initiative starts'
		);
		expectError(
			await w.member.client.from('tasks').insert({ team_id: w.teamId, title: '   ' }),
			'P0001',
			'the title cannot be empty'
		);
		expectError(
			await w.member.client
				.from('initiatives')
				.insert({ team_id: w.teamId, title: 'Huge', target_value: 1e16 }),
			'P0001',
			'the target is too large'
		);
	});

	it('refuses an assignee from outside the team and a tactic without a target of its own', async () => {
		expectError(
			await w.member.client.from('tasks').insert({
				team_id: w.teamId,
				title: 'Outsourced',
				assignee_id: w.outsider.userId
			}),
			'P0001',
			'the assignee must be a member of the team'
		);
		const otherInitiative = await insert(w.member.client, 'initiatives', {
			team_id: w.teamId,
			title: 'Another plan'
		});
		expectError(
			await w.member.client.from('tactics').insert({
				team_id: w.teamId,
				initiative_id: otherInitiative,
				target_id: seed.target,
				description: 'Aimed at the wrong plan',
				planned_on: '2026-02-01'
			}),
			'P0001',
			"that target is not one of the initiative's"
		);
	});
});

describe('move_task', () => {
	it('moves a card across columns and renumbers both', async () => {
		const plan = await insert(w.member.client, 'initiatives', {
			team_id: w.teamId,
			title: 'Board'
		});
		const card = async (title: string) =>
			insert(w.member.client, 'tasks', { team_id: w.teamId, initiative_id: plan, title });
		const a = await card('A');
		const b = await card('B');
		const c = await card('C');
		ok(await w.member.client.from('tasks').update({ position: 1 }).eq('id', b));
		ok(await w.member.client.from('tasks').update({ position: 2 }).eq('id', c));
		ok(await w.member.client.rpc('move_task', { task_id: b, to_status: 'doing', to_position: 0 }));
		ok(await w.member.client.rpc('move_task', { task_id: c, to_status: 'doing', to_position: 0 }));
		const rows = ok(
			await w.member.client
				.from('tasks')
				.select('title, status, position')
				.eq('initiative_id', plan)
				.order('status')
				.order('position')
		);
		expect(rows).toEqual([
			{ title: 'A', status: 'todo', position: 0 },
			{ title: 'C', status: 'doing', position: 0 },
			{ title: 'B', status: 'doing', position: 1 }
		]);
		expect(a).toBeTruthy();
		// Strangers cannot move a card they cannot see.
		expectError(
			await w.outsider.client.rpc('move_task', { task_id: a, to_status: 'done', to_position: 0 }),
			'P0001',
			'that task does not exist'
		);
		expectError(
			await w.anon.rpc('move_task', { task_id: a, to_status: 'done', to_position: 0 }),
			'42501'
		);
	});
});
