/**
 * The team review and group health functions: the right aggregates for a member, named figures for
 * leaders and organizers only, and a refusal for anon, an outsider and the organization admin; a
 * member never gets another team's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { createTeam, expectError, ok, teamWorld, type TeamWorld } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let otherTeam: string;

const TODAY = new Date().toISOString().slice(0, 10);
const YEAR_AGO = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
const PERIOD = { period_from: YEAR_AGO, period_to: TODAY };

/** A little of everything, written as the database owner (past every policy). */
async function seed(teamId: string, absentee: string): Promise<void> {
	await stack.db.exec(`
		do $$
		declare
			t uuid := '${teamId}';
			ag uuid; ind uuid; fp uuid; off uuid; c uuid; ini uuid; d uuid; i int;
		begin
			update public.team_members set joined_at = now() - interval '1 year' where team_id = t;
			insert into public.agencies (team_id, name) values (t, 'Clinic') returning id into ag;
			insert into public.indicators (team_id, agency_id, name, direction)
			values (t, ag, 'Seen within 4h', 'up') returning id into ind;
			insert into public.goals (team_id, indicator_id, statement, target_value)
			values (t, ind, 'Most seen within four hours', 10);
			insert into public.measurements (team_id, indicator_id, period_start, period_end, grain, value)
			values (t, ind, current_date - 40, current_date - 40, 'day', 12),
				(t, ind, current_date - 1, current_date - 1, 'day', 5);
			insert into public.friction_points (team_id, agency_id, title, team_rating, private_notes)
			values (t, ag, 'Long waits', 4, 'confidential') returning id into fp;
			update public.friction_points set status = 'resolved' where id = fp;
			insert into public.friction_points (team_id, agency_id, title, team_rating) values (t, ag, 'Lost forms', 2);
			insert into public.officials (team_id, name) values (t, 'Director') returning id into off;
			insert into public.commitments (team_id, official_id, description) values (t, off, 'Extend hours') returning id into c;
			update public.commitments set status = 'kept', status_changed_at = now() where id = c;
			insert into public.commitments (team_id, official_id, description) values (t, off, 'Publish data') returning id into c;
			update public.commitments set status = 'broken', status_changed_at = now() where id = c;
			insert into public.interactions (team_id, type, status, occurred_at, title)
			values (t, 'meeting', 'held', now() - interval '3 days', 'Met the director');
			insert into public.initiatives (team_id, title, start_date) values (t, 'Evening hours', current_date - 60) returning id into ini;
			insert into public.milestones (team_id, initiative_id, title, due_on, reached_on)
			values (t, ini, 'Petition', current_date - 5, current_date - 6), (t, ini, 'Hearing', current_date + 30, null);
			insert into public.tasks (team_id, initiative_id, title, due_on) values (t, ini, 'Print flyers', current_date - 2);
			for i in 1..3 loop
				insert into public.dialogues (team_id, title, starts_at)
				values (t, 'Dialogue ' || i, now() - make_interval(days => 30 - i * 7)) returning id into d;
				update public.dialogues set status = 'closed', closed_at = now() where id = d;
				insert into public.attendance (team_id, dialogue_id, user_id)
				select t, d, m.user_id from public.team_members m where m.team_id = t and m.user_id <> '${absentee}';
				insert into public.turns (team_id, dialogue_id, user_id, kind, started_at, ended_at)
				select t, d, m.user_id, 'round', now(), now() + interval '60 seconds'
				from public.team_members m where m.team_id = t and m.user_id <> '${absentee}';
				insert into public.pulse_checks (team_id, dialogue_id, user_id, safe, heard, useful)
				select t, d, m.user_id, 4, 5, 3 from public.team_members m where m.team_id = t;
			end loop;
		end $$;
	`);
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	// The member misses every dialogue.
	await seed(w.teamId, w.member.userId);
	otherTeam = await createTeam(w.outsider, 'Elsewhere');
});

afterAll(async () => {
	await stack?.stop();
});

type Review = Record<string, unknown> & {
	indicators: unknown[][];
	friction: unknown[][];
	commitments: Record<string, number>;
	initiatives: Array<Record<string, unknown>>;
	overdue: { tasks: number; follow_ups: number; items: Array<Record<string, unknown>> };
	dialogues: Array<Record<string, number | string>>;
	participation: Array<Record<string, unknown>> | null;
};

describe('team_review', () => {
	it('gives a member the team figures without names', async () => {
		const r = ok(
			await w.member.client.rpc('team_review', { team_id: w.teamId, ...PERIOD })
		) as Review;
		expect(r.role).toBe('member');
		expect(r.indicator_count).toBe(1);
		// One value per month, with the goal's target: 12 (on) then 5 (off) for an "up" indicator.
		expect(r.indicators.map((x) => [x[2], x[3]])).toEqual([
			[12, 10],
			[5, 10]
		]);
		const lastMonth = r.friction.filter((x) => x[0] === TODAY.slice(0, 7));
		expect(lastMonth.map((x) => [x[1], x[2], x[3]]).sort()).toEqual([
			['noticed', 2, 1],
			['resolved', 4, 1]
		]);
		expect(r.commitments).toMatchObject({ kept: 1, broken: 1, pending: 0 });
		expect(r.initiatives).toEqual([
			expect.objectContaining({ title: 'Evening hours', milestones: 2, milestones_reached: 1 })
		]);
		expect(r.overdue.tasks).toBe(1);
		expect(r.overdue.items[0]).toMatchObject({ kind: 'task', title: 'Print flyers' });
		expect(r.dialogues.map((d) => [d.invited, d.attended, d.turns])).toEqual([
			[3, 2, 2],
			[3, 2, 2],
			[3, 2, 2]
		]);
		expect(r.participation).toBeNull();
		expect(JSON.stringify(r)).not.toContain('confidential');
	});

	it('gives leaders and organizers turns per member', async () => {
		for (const who of [w.leader, w.organizer]) {
			const r = ok(await who.client.rpc('team_review', { team_id: w.teamId, ...PERIOD })) as Review;
			const mine = r.participation!.find((p) => p.user_id === w.member.userId);
			expect(mine).toMatchObject({ turns: 0, attended: 0, invited: 3 });
			const leader = r.participation!.find((p) => p.user_id === w.leader.userId);
			expect(leader).toMatchObject({ turns: 3, attended: 3, seconds: 180 });
		}
	});

	it('refuses anon, an outsider, the organization admin and a period that ends before it starts', async () => {
		expectError(await w.anon.rpc('team_review', { team_id: w.teamId }), '42501');
		for (const who of [w.outsider, w.orgAdmin]) {
			expectError(
				await who.client.rpc('team_review', { team_id: w.teamId }),
				'P0001',
				'only a member of the team can see its review'
			);
			expectError(
				await who.client.rpc('team_health', { team_id: w.teamId }),
				'P0001',
				'only a member of the team can see its review'
			);
		}
		expectError(
			await w.member.client.rpc('team_review', {
				team_id: w.teamId,
				period_from: '2026-05-01',
				period_to: '2026-04-01'
			}),
			'22023',
			'the period starts after it ends'
		);
	});

	it('never gives a member another team’s figures', async () => {
		expectError(await w.member.client.rpc('team_review', { team_id: otherTeam }), 'P0001');
		const own = ok(await w.outsider.client.rpc('team_review', { team_id: otherTeam })) as Review;
		expect(own.indicator_count).toBe(0);
		expect(own.dialogues).toEqual([]);
	});
});

describe('team_health', () => {
	it('gives pulse averages, and the member list and last dialogues to leaders only', async () => {
		const member = ok(
			await w.member.client.rpc('team_health', { team_id: w.teamId, ...PERIOD })
		) as Record<string, unknown> & { pulse: Array<Record<string, unknown>> };
		expect(member.pulse).toHaveLength(3);
		expect(member.pulse[0]).toMatchObject({ responses: 3, safe: 4, heard: 5, useful: 3 });
		expect(member).toMatchObject({ size: 3, recent: null, members: null, participation: null });
		const leader = ok(
			await w.leader.client.rpc('team_health', { team_id: w.teamId, ...PERIOD })
		) as { recent: Array<{ attended: string[] }>; members: unknown[] };
		expect(leader.members).toHaveLength(3);
		expect(leader.recent).toHaveLength(3);
		expect(leader.recent.every((d) => !d.attended.includes(w.member.userId))).toBe(true);
		expect(JSON.stringify(leader)).not.toMatch(/"safe":\s*[0-9]+,\s*"user_id"/);
	});
});
