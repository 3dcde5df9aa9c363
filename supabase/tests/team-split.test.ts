import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
	addMembers,
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld,
	type User
} from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let extra: User[];
let service: SupabaseClient;
let ids: Ids;

type Ids = Record<string, string>;

/** Inserts one row as the service role and returns its id. */
async function row(table: string, values: Record<string, unknown>): Promise<string> {
	const r = ok(await service.from(table).insert(values).select('id').single()) as { id: string };
	return r.id;
}

/** A fresh nine-person team with a little of everything; returns its ids by name. */
async function seedTeam(): Promise<{ world: TeamWorld; people: User[]; ids: Ids }> {
	const world = await teamWorld(stack);
	const people = await addMembers(stack, world.teamId, 6);
	const t = world.teamId;
	const ids: Ids = {};
	ids.movingAgency = await row('agencies', { team_id: t, name: 'County Hospital' });
	ids.sharedAgency = await row('agencies', { team_id: t, name: 'Transit Authority' });
	ids.stayingAgency = await row('agencies', { team_id: t, name: 'Housing Office' });
	ids.movingIndicator = await row('indicators', {
		team_id: t,
		agency_id: ids.movingAgency,
		name: 'Wait in minutes'
	});
	ids.sharedIndicator = await row('indicators', {
		team_id: t,
		agency_id: ids.sharedAgency,
		name: 'Buses on time'
	});
	for (const [indicator, value] of [
		[ids.movingIndicator, 50],
		[ids.sharedIndicator, 80]
	] as const) {
		ok(
			await service.from('measurements').insert({
				team_id: t,
				indicator_id: indicator,
				period_start: '2026-01-01',
				period_end: '2026-01-31',
				grain: 'month',
				value
			})
		);
	}
	ids.movingGoal = await row('goals', {
		team_id: t,
		indicator_id: ids.movingIndicator,
		statement: 'Seen within 30 minutes',
		target_value: 30
	});
	ids.movingFriction = await row('friction_points', {
		team_id: t,
		agency_id: ids.movingAgency,
		indicator_id: ids.movingIndicator,
		title: 'Long waits at the ER',
		owner_id: people[0].userId
	});
	ids.sharedFriction = await row('friction_points', {
		team_id: t,
		agency_id: ids.sharedAgency,
		title: 'Late buses'
	});
	ids.stayingFriction = await row('friction_points', {
		team_id: t,
		agency_id: ids.stayingAgency,
		title: 'Lost applications'
	});
	ids.movingEvidence = await row('evidence', {
		team_id: t,
		friction_point_id: ids.movingFriction,
		kind: 'observation',
		title: 'We waited four hours',
		body: 'Saturday night'
	});
	ids.movingOfficial = await row('officials', { team_id: t, name: 'Dr. Moreno', stance: 3 });
	ids.sharedOfficial = await row('officials', { team_id: t, name: 'Councillor Lee', stance: 4 });
	ids.stayingOfficial = await row('officials', { team_id: t, name: 'Director Ruiz' });
	ids.sharedStaff = await row('official_staff', {
		team_id: t,
		official_id: ids.sharedOfficial,
		name: 'Sam, scheduler'
	});
	ids.pressure = await row('pressure_points', {
		team_id: t,
		friction_point_id: ids.movingFriction,
		kind: 'official',
		target: 'Council health committee',
		leverage: 4,
		achievability: 3,
		salience: 3,
		official_id: ids.sharedOfficial
	});
	ids.movingInteraction = await row('interactions', {
		team_id: t,
		type: 'meeting',
		status: 'held',
		occurred_at: '2026-02-01T10:00:00Z',
		title: 'Met Dr. Moreno'
	});
	ok(
		await service.from('interaction_participants').insert([
			{ team_id: t, interaction_id: ids.movingInteraction, official_id: ids.movingOfficial },
			{ team_id: t, interaction_id: ids.movingInteraction, user_id: people[0].userId },
			{ team_id: t, interaction_id: ids.movingInteraction, user_id: world.member.userId }
		])
	);
	ok(
		await service.from('interaction_confidential_notes').insert({
			team_id: t,
			interaction_id: ids.movingInteraction,
			body: 'He hinted at a budget cut'
		})
	);
	ids.commitment = await row('commitments', {
		team_id: t,
		official_id: ids.movingOfficial,
		interaction_id: ids.movingInteraction,
		description: 'Publish wait times monthly',
		made_on: '2026-02-01'
	});
	ids.movingInitiative = await row('initiatives', { team_id: t, title: 'Shorter ER waits' });
	ok(
		await service.from('initiative_friction_points').insert({
			team_id: t,
			initiative_id: ids.movingInitiative,
			friction_point_id: ids.movingFriction
		})
	);
	ids.initiativeTask = await row('tasks', {
		team_id: t,
		initiative_id: ids.movingInitiative,
		title: 'Draft the letter'
	});
	ids.openTask = await row('tasks', { team_id: t, title: 'Book a room' });
	ids.stayingTask = await row('tasks', { team_id: t, title: 'Order leaflets' });
	ids.dialogue = await row('dialogues', {
		team_id: t,
		title: 'January dialogue',
		starts_at: '2026-01-10T18:00:00Z',
		duration_minutes: 90
	});
	ok(
		await service
			.from('attendance')
			.insert({ team_id: t, dialogue_id: ids.dialogue, user_id: people[0].userId })
	);
	return { world, people, ids };
}

/** The plan used throughout: the leader stays; three members and a new leader move. */
function planFor(
	world: TeamWorld,
	people: User[],
	ids: Ids,
	overrides: Record<string, unknown> = {}
) {
	return {
		name: 'ER Watch',
		members: [
			{ user_id: world.leader.userId, side: 'source', role: 'leader' },
			{ user_id: world.organizer.userId, side: 'source', role: 'organizer' },
			{ user_id: world.member.userId, side: 'source', role: 'member' },
			{ user_id: people[0].userId, side: 'new', role: 'leader' },
			{ user_id: people[1].userId, side: 'new', role: 'member' },
			{ user_id: people[2].userId, side: 'new', role: 'member' },
			{ user_id: people[3].userId, side: 'new', role: 'organizer' },
			{ user_id: people[4].userId, side: 'source', role: 'member' },
			{ user_id: people[5].userId, side: 'source', role: 'member' }
		],
		agencies: { [ids.movingAgency]: 'moves', [ids.sharedAgency]: 'shared' },
		officials: { [ids.movingOfficial]: 'moves', [ids.sharedOfficial]: 'shared' },
		friction_points: { [ids.movingFriction]: 'moves', [ids.sharedFriction]: 'stays' },
		initiatives: { [ids.movingInitiative]: 'moves' },
		tasks: { [ids.openTask]: 'moves' },
		...overrides
	};
}

async function teamOf(table: string, id: string): Promise<string | null> {
	const r = ok(await service.from(table).select('team_id').eq('id', id).maybeSingle()) as {
		team_id: string;
	} | null;
	return r?.team_id ?? null;
}

beforeAll(async () => {
	stack = await startTestStack();
	// Four nine-person teams sign up more people than the default per-window limit allows.
	stack.config.auth.rateLimit = { ...stack.config.auth.rateLimit, signInSignUps: 10_000 };
	service = stack.admin();
	({ world: w, people: extra, ids } = await seedTeam());
});

afterAll(async () => {
	await stack?.stop();
});

describe('coverage', () => {
	it('has a rule for every public table with a team_id column', async () => {
		const rules = ok(await w.leader.client.rpc('team_split_table_rules')) as Array<{
			table_name: string;
			handling: string;
			reason: string;
		}>;
		// information_schema is not exposed over REST: ask the stack's database directly.
		const tables = (
			await stack.db.query<{ table_name: string }>(
				`select c.table_name from information_schema.columns c
				join information_schema.tables t using (table_schema, table_name)
				where c.table_schema = 'public' and c.column_name = 'team_id' and t.table_type = 'BASE TABLE'
				order by 1`
			)
		).rows;
		const covered = new Set(rules.map((r) => r.table_name));
		const missing = tables
			.map((t) => t.table_name)
			.filter((t) => !covered.has(t) && t !== 'team_splits');
		expect(missing, 'team tables the split does not handle yet').toEqual([]);
		expect(tables.length).toBeGreaterThan(50);
		for (const r of rules) {
			expect(['moves', 'copies', 'stays', 'members']).toContain(r.handling);
			expect(r.reason.length).toBeGreaterThan(10);
		}
	});

	it('can move rows between teams in one transaction: every key that carries team_id is deferrable', async () => {
		// A table added later with a plain composite key would make a split's undo fail on it; such
		// migrations call private.split_defer_team_keys() again.
		const stiff = (
			await stack.db.query<{ key: string }>(
				`select con.conrelid::regclass::text || '.' || con.conname as key
				from pg_constraint con
				where con.contype = 'f' and con.connamespace = 'public'::regnamespace
					and not con.condeferrable and con.confrelid <> 'public.teams'::regclass
					and exists (select 1 from pg_attribute a where a.attrelid = con.conrelid
						and a.attnum = any (con.conkey) and a.attname = 'team_id')
				order by 1`
			)
		).rows.map((r) => r.key);
		expect(stiff, 'foreign keys with team_id that a split cannot defer').toEqual([]);
	});
});

describe('who may split', () => {
	it('refuses anon, an outsider, an org admin, a member and an organizer', async () => {
		const plan = planFor(w, extra, ids, {
			agencies: {},
			officials: {},
			friction_points: {},
			initiatives: {},
			tasks: {}
		});
		const anon = await w.anon.rpc('split_team', { team_id: w.teamId, plan });
		expect(anon.error).not.toBeNull();
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			const r = await rolesOf(w)[who].client.rpc('split_team', { team_id: w.teamId, plan });
			expectError(r, 'P0001', 'only a team leader can split the team');
		}
		const members = ok(
			await service.from('team_members').select('user_id').eq('team_id', w.teamId)
		) as unknown[];
		expect(members).toHaveLength(9);
	});

	it('cannot be written directly, even by a leader', async () => {
		const r = await w.leader.client.from('team_splits').insert({
			source_team_id: w.teamId,
			new_team_name: 'Sneaky',
			plan: {},
			members: []
		});
		expect(r.error).not.toBeNull();
	});
});

describe('a bad plan is refused with the reason, and nothing changes', () => {
	const empty = { agencies: {}, officials: {}, friction_points: {}, initiatives: {}, tasks: {} };

	it('needs a leader on the new side', async () => {
		const plan = planFor(w, extra, ids, empty);
		plan.members = plan.members.map((m) => (m.side === 'new' ? { ...m, role: 'member' } : m));
		const r = await w.leader.client.rpc('split_team', { team_id: w.teamId, plan });
		expectError(r, 'P0001', 'the new team needs at least one leader');
	});

	it('needs a leader who stays', async () => {
		const plan = planFor(w, extra, ids, empty);
		plan.members = plan.members.map((m) =>
			m.user_id === w.leader.userId ? { ...m, side: 'new' } : m
		);
		const r = await w.leader.client.rpc('split_team', { team_id: w.teamId, plan });
		expectError(r, 'P0001', /needs at least one leader who stays/);
	});

	it('needs every member on one side', async () => {
		const plan = planFor(w, extra, ids, empty);
		plan.members = plan.members.slice(1);
		const r = await w.leader.client.rpc('split_team', { team_id: w.teamId, plan });
		expectError(r, 'P0001', /choose a team for every member/);
		plan.members = [...plan.members, plan.members[0]];
		const twice = await w.leader.client.rpc('split_team', { team_id: w.teamId, plan });
		expectError(twice, 'P0001', 'each member goes to exactly one team');
	});

	it('refuses an outsider in the plan, an empty name and rows of another team', async () => {
		const plan = planFor(w, extra, ids, empty);
		plan.members[8] = { user_id: w.outsider.userId, side: 'new', role: 'member' };
		expectError(
			await w.leader.client.rpc('split_team', { team_id: w.teamId, plan }),
			'P0001',
			/not a member of this team/
		);
		expectError(
			await w.leader.client.rpc('split_team', {
				team_id: w.teamId,
				plan: { ...planFor(w, extra, ids, empty), name: '  ' }
			}),
			'P0001',
			'give the new team a name of 1 to 80 characters'
		);
		const otherTeam = await createTeam(w.outsider, 'Another team');
		const theirs = await row('agencies', { team_id: otherTeam, name: 'Their agency' });
		expectError(
			await w.leader.client.rpc('split_team', {
				team_id: w.teamId,
				plan: { ...planFor(w, extra, ids, empty), agencies: { [theirs]: 'moves' } }
			}),
			'P0001',
			/not this team's/
		);
		expect(await teamOf('agencies', theirs)).toBe(otherTeam);
	});

	it('names both sides of a dependency that would be torn apart', async () => {
		const plan = planFor(w, extra, ids, {
			friction_points: { [ids.sharedFriction]: 'stays' }
		});
		const r = await w.leader.client.rpc('split_team', { team_id: w.teamId, plan });
		expectError(
			r,
			'P0001',
			/^the friction point “Long waits at the ER” stays in .*, but the agency “County Hospital” it depends on moves to ER Watch: move them together, or share the agency$/
		);
		const teams = ok(await service.from('teams').select('id').eq('name', 'ER Watch')) as unknown[];
		expect(teams).toHaveLength(0);
		expect(await teamOf('agencies', ids.movingAgency)).toBe(w.teamId);
	});
});

describe('a split and its undo', () => {
	let world: TeamWorld;
	let people: User[];
	let newTeam: string;
	let splitId: string;

	beforeAll(async () => {
		world = w;
		people = extra;
		newTeam = ok(
			await world.leader.client.rpc('split_team', {
				team_id: world.teamId,
				plan: planFor(world, people, ids)
			})
		) as string;
		const s = ok(
			await world.leader.client.from('team_splits').select('id').eq('source_team_id', world.teamId)
		) as Array<{ id: string }>;
		splitId = s[0].id;
	});

	it('moves the members with their roles and keeps a leader on each side', async () => {
		const rows = ok(
			await service
				.from('team_members')
				.select('team_id, user_id, role')
				.in('team_id', [world.teamId, newTeam])
		) as Array<{ team_id: string; user_id: string; role: string }>;
		const of = (team: string) => rows.filter((r) => r.team_id === team);
		expect(of(world.teamId)).toHaveLength(5);
		expect(of(newTeam)).toHaveLength(4);
		expect(of(newTeam).find((r) => r.user_id === people[0].userId)?.role).toBe('leader');
		expect(of(world.teamId).find((r) => r.user_id === world.leader.userId)?.role).toBe('leader');
		const team = ok(
			await people[0].client
				.from('teams')
				.select('name, organization_id')
				.eq('id', newTeam)
				.single()
		) as {
			name: string;
			organization_id: string;
		};
		expect(team).toEqual({ name: 'ER Watch', organization_id: world.orgId });
	});

	it('moves whole closures and keeps history and dialogues with the source team', async () => {
		expect(await teamOf('agencies', ids.movingAgency)).toBe(newTeam);
		expect(await teamOf('indicators', ids.movingIndicator)).toBe(newTeam);
		expect(await teamOf('goals', ids.movingGoal)).toBe(newTeam);
		expect(await teamOf('friction_points', ids.movingFriction)).toBe(newTeam);
		expect(await teamOf('evidence', ids.movingEvidence)).toBe(newTeam);
		expect(await teamOf('officials', ids.movingOfficial)).toBe(newTeam);
		expect(await teamOf('interactions', ids.movingInteraction)).toBe(newTeam);
		expect(await teamOf('commitments', ids.commitment)).toBe(newTeam);
		expect(await teamOf('initiatives', ids.movingInitiative)).toBe(newTeam);
		expect(await teamOf('tasks', ids.initiativeTask)).toBe(newTeam);
		expect(await teamOf('tasks', ids.openTask)).toBe(newTeam);
		expect(await teamOf('tasks', ids.stayingTask)).toBe(world.teamId);
		expect(await teamOf('agencies', ids.stayingAgency)).toBe(world.teamId);
		expect(await teamOf('dialogues', ids.dialogue)).toBe(world.teamId);
		const attendance = ok(
			await service.from('attendance').select('user_id').eq('dialogue_id', ids.dialogue)
		) as unknown[];
		expect(attendance).toHaveLength(1);
		const fp = ok(
			await service.from('friction_points').select('owner_id').eq('id', ids.movingFriction).single()
		) as { owner_id: string };
		expect(fp.owner_id).toBe(people[0].userId);
		const participants = ok(
			await service
				.from('interaction_participants')
				.select('user_id, official_id')
				.eq('interaction_id', ids.movingInteraction)
		) as Array<{ user_id: string | null }>;
		// The member who stayed is no longer listed on the moved interaction.
		expect(participants.map((p) => p.user_id).filter(Boolean)).toEqual([people[0].userId]);
		const history = ok(
			await service
				.from('friction_point_status_changes')
				.select('team_id')
				.eq('friction_point_id', ids.movingFriction)
		) as Array<{ team_id: string }>;
		expect(history.length).toBeGreaterThan(0);
		expect(history.every((h) => h.team_id === newTeam)).toBe(true);
	});

	it('gives the new team copies of shared rows, and moved rows cite the copies', async () => {
		const agencies = ok(
			await service
				.from('agencies')
				.select('id, team_id')
				.eq('name', 'Transit Authority')
				.in('team_id', [world.teamId, newTeam])
		) as Array<{ id: string; team_id: string }>;
		expect(agencies.map((a) => a.team_id).sort()).toEqual([world.teamId, newTeam].sort());
		const copy = agencies.find((a) => a.team_id === newTeam)!;
		const measurements = ok(
			await service
				.from('measurements')
				.select('value, indicators!inner(agency_id)')
				.eq('indicators.agency_id', copy.id)
		) as Array<{ value: number }>;
		expect(measurements.map((m) => m.value)).toEqual([80]);
		const officials = ok(
			await service.from('officials').select('id, team_id, stance').eq('name', 'Councillor Lee')
		) as Array<{ id: string; team_id: string; stance: number }>;
		const officialCopy = officials.find((o) => o.team_id === newTeam)!;
		expect(officialCopy.stance).toBe(4);
		const staff = ok(
			await service.from('official_staff').select('name').eq('official_id', officialCopy.id)
		) as unknown[];
		expect(staff).toEqual([{ name: 'Sam, scheduler' }]);
		const pp = ok(
			await service
				.from('pressure_points')
				.select('official_id, team_id')
				.eq('id', ids.pressure)
				.single()
		) as {
			official_id: string;
			team_id: string;
		};
		expect(pp).toEqual({ official_id: officialCopy.id, team_id: newTeam });
	});

	it('never shows one side the other side’s rows (service role sees both)', async () => {
		const stayer = world.member.client;
		const mover = people[1].client;
		for (const [table, id] of [
			['friction_points', ids.movingFriction],
			['agencies', ids.movingAgency],
			['interactions', ids.movingInteraction],
			['tasks', ids.openTask],
			['commitments', ids.commitment]
		] as const) {
			const seenByStayer = ok(await stayer.from(table).select('id').eq('id', id)) as unknown[];
			expect(seenByStayer, `${table} hidden from the source team`).toHaveLength(0);
			const seenByMover = ok(await mover.from(table).select('id').eq('id', id)) as unknown[];
			expect(seenByMover, `${table} visible to the new team`).toHaveLength(1);
			const seenByService = ok(await service.from(table).select('id').eq('id', id)) as unknown[];
			expect(seenByService).toHaveLength(1);
		}
		for (const [table, id] of [
			['friction_points', ids.stayingFriction],
			['agencies', ids.stayingAgency],
			['dialogues', ids.dialogue],
			['tasks', ids.stayingTask]
		] as const) {
			expect(ok(await mover.from(table).select('id').eq('id', id)) as unknown[]).toHaveLength(0);
			expect(ok(await stayer.from(table).select('id').eq('id', id)) as unknown[]).toHaveLength(1);
		}
		const notes = ok(
			await people[0].client
				.from('interaction_confidential_notes')
				.select('body')
				.eq('interaction_id', ids.movingInteraction)
		) as unknown[];
		expect(notes).toHaveLength(1);
		expect(
			ok(
				await world.leader.client
					.from('interaction_confidential_notes')
					.select('body')
					.eq('interaction_id', ids.movingInteraction)
			) as unknown[]
		).toHaveLength(0);
	});

	it('records the split for leaders of both sides and in both activity logs', async () => {
		for (const leader of [world.leader, people[0]]) {
			const rows = ok(
				await leader.client.from('team_splits').select('id, counts').eq('id', splitId)
			) as Array<{
				counts: Record<string, number>;
			}>;
			expect(rows).toHaveLength(1);
			expect(rows[0].counts.members).toBe(4);
			expect(rows[0].counts.friction_points).toBe(1);
		}
		for (const other of [world.member, people[1], world.outsider, world.orgAdmin]) {
			expect(
				ok(await other.client.from('team_splits').select('id').eq('id', splitId)) as unknown[]
			).toHaveLength(0);
		}
		expect((await activity(stack, world.teamId)).some((a) => a.action === 'team.split')).toBe(true);
		expect((await activity(stack, newTeam)).some((a) => a.action === 'team.split')).toBe(true);
	});

	it('lets only a leader of either side undo it', async () => {
		for (const who of [
			world.member,
			world.organizer,
			people[1],
			people[3],
			world.outsider,
			world.orgAdmin
		]) {
			const r = await who.client.rpc('undo_team_split', { split_id: splitId });
			expectError(r, 'P0001', 'only a leader of either team can undo this split');
		}
		expect((await w.anon.rpc('undo_team_split', { split_id: splitId })).error).not.toBeNull();
	});

	it('merges everything back, including what the new team made since, and can be undone once', async () => {
		const since = await row('friction_points', {
			team_id: newTeam,
			agency_id: (
				ok(
					await service
						.from('agencies')
						.select('id')
						.eq('team_id', newTeam)
						.eq('name', 'Transit Authority')
						.single()
				) as { id: string }
			).id,
			title: 'Buses skip our stop'
		});
		ok(await people[0].client.rpc('undo_team_split', { split_id: splitId }));
		expect(
			ok(await service.from('teams').select('id').eq('id', newTeam)) as unknown[]
		).toHaveLength(0);
		const members = ok(
			await service.from('team_members').select('user_id, role').eq('team_id', world.teamId)
		) as Array<{
			user_id: string;
			role: string;
		}>;
		expect(members).toHaveLength(9);
		expect(members.find((m) => m.user_id === people[0].userId)?.role).toBe('member');
		expect(await teamOf('friction_points', ids.movingFriction)).toBe(world.teamId);
		expect(await teamOf('interactions', ids.movingInteraction)).toBe(world.teamId);
		const back = ok(
			await service.from('friction_points').select('team_id, agency_id').eq('id', since).single()
		) as {
			team_id: string;
			agency_id: string;
		};
		expect(back).toEqual({ team_id: world.teamId, agency_id: ids.sharedAgency });
		const transit = ok(
			await service
				.from('agencies')
				.select('id')
				.eq('name', 'Transit Authority')
				.eq('team_id', world.teamId)
		) as unknown[];
		expect(transit).toHaveLength(1);
		const pp = ok(
			await service.from('pressure_points').select('official_id').eq('id', ids.pressure).single()
		) as {
			official_id: string;
		};
		expect(pp.official_id).toBe(ids.sharedOfficial);
		const again = await world.leader.client.rpc('undo_team_split', { split_id: splitId });
		expectError(again, 'P0001', 'this split was already undone');
		expect(
			(await activity(stack, world.teamId)).some((a) => a.action === 'team.split_undone')
		).toBe(true);
	});

	it('refuses the undo after seven days', async () => {
		// The team merged back above; split it again and let eight days pass.
		ok(
			await world.leader.client.rpc('split_team', {
				team_id: world.teamId,
				plan: { ...planFor(world, people, ids), name: 'ER Watch again' }
			})
		);
		const s = ok(
			await service
				.from('team_splits')
				.select('id')
				.eq('source_team_id', world.teamId)
				.is('undone_at', null)
				.single()
		) as { id: string };
		ok(
			await service
				.from('team_splits')
				.update({ created_at: new Date(Date.now() - 8 * 86_400_000).toISOString() })
				.eq('id', s.id)
		);
		const r = await world.leader.client.rpc('undo_team_split', { split_id: s.id });
		expectError(r, 'P0001', /can be undone for seven days only/);
	});
});
