import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	addMembers,
	createOrganization,
	createTeam,
	expectError,
	invite,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld,
	type User
} from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
/** A second organization with its own admin and team: it must see nothing of the first. */
let other: { admin: User; orgId: string; teamId: string };
let extra: User[];
let clientToken: string;
let memberRound: string;
let sharedId: string;

const TODAY = new Date().toISOString().slice(0, 10);
const YEAR_AGO = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
const PERIOD = { period_from: YEAR_AGO, period_to: TODAY };

/** Team content in many tables, written as the database owner (fast, and past every policy). */
async function seedContent(teamId: string): Promise<void> {
	await stack.db.exec(`
		do $$
		declare
			t uuid := '${teamId}';
			ag uuid; fp uuid; off uuid; c uuid; ini uuid; d uuid;
		begin
			insert into public.agencies (team_id, name) values (t, 'Secret agency') returning id into ag;
			insert into public.friction_points (team_id, agency_id, title, private_notes)
			values (t, ag, 'Secret friction title', 'confidential note') returning id into fp;
			update public.friction_points set status = 'resolved' where id = fp;
			insert into public.friction_points (team_id, agency_id, title) values (t, ag, 'Second friction');
			insert into public.officials (team_id, name) values (t, 'Councillor Secret') returning id into off;
			insert into public.commitments (team_id, official_id, description)
			values (t, off, 'Secret promise') returning id into c;
			update public.commitments set status = 'kept', status_changed_at = now() where id = c;
			insert into public.initiatives (team_id, title, sensitive_notes)
			values (t, 'Secret initiative', 'sensitive') returning id into ini;
			update public.initiatives set status = 'won' where id = ini;
			insert into public.dialogues (team_id, title, starts_at)
			values (t, 'Secret dialogue', now() - interval '1 hour') returning id into d;
			update public.dialogues set status = 'closed', closed_at = now() where id = d;
			insert into public.attendance (team_id, dialogue_id, user_id)
			select t, d, m.user_id from public.team_members m where m.team_id = t;
			insert into public.pulse_checks (team_id, dialogue_id, user_id, safe, heard, useful)
			select t, d, m.user_id, 4, 5, 3 from public.team_members m where m.team_id = t;
		end $$;
	`);
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	// Six people in the team: leader, organizer, member and three more.
	extra = await addMembers(stack, w.teamId, 3);
	await seedContent(w.teamId);
	await invite(w.leader, w.teamId, { email: 'quiet@example.org' });
	ok(
		await w.leader.client.rpc('publish_agreement', {
			team_id: w.teamId,
			purpose: 'Private purpose',
			ground_rules: 'What is said here stays here'
		})
	);
	const [round] = ok(
		await w.leader.client.rpc('create_feedback_round', {
			team_id: w.teamId,
			audience: 'member',
			title: 'Spring check-in'
		})
	) as Array<{ id: string; token: string | null }>;
	memberRound = round.id;
	const [client] = ok(
		await w.orgAdmin.client.rpc('create_feedback_round', {
			team_id: w.teamId,
			audience: 'client',
			title: 'How did we do?'
		})
	) as Array<{ id: string; token: string }>;
	clientToken = client.token;
	sharedId = ok(
		await w.leader.client.rpc('share_report', {
			team_id: w.teamId,
			title: 'Our year',
			sections: ['figures', 'friction_points'],
			...PERIOD
		})
	) as string;
	const admin = await stack.signedIn();
	const { orgId, joinCode } = await createOrganization(admin, 'Other org');
	const otherLeader = await stack.signedIn();
	const teamId = await createTeam(otherLeader, 'Other team', { organization_join_code: joinCode });
	other = { admin, orgId, teamId };
});

afterAll(async () => {
	await stack?.stop();
});

type Figures = Record<string, number | string | boolean | null>;

async function report(who: User, orgId = w.orgId, extraArgs: Record<string, unknown> = {}) {
	return who.client.rpc('organization_report', {
		organization_id: orgId,
		...PERIOD,
		granularity: 'year',
		...extraArgs
	});
}

describe('organization_report', () => {
	it('gives the org admin numbers per team and period, nothing that names anyone', async () => {
		const rows = ok(await report(w.orgAdmin)) as Figures[];
		const mine = rows.filter((r) => r.team_id === w.teamId);
		// A year from a year ago spans two calendar years.
		expect(mine.length).toBe(2);
		const sum = (key: string) => mine.reduce((s, r) => s + Number(r[key] ?? 0), 0);
		expect(sum('dialogues_held')).toBe(1);
		expect(sum('friction_found')).toBe(2);
		expect(sum('friction_resolved')).toBe(1);
		expect(sum('commitments_kept')).toBe(1);
		expect(sum('initiatives_won')).toBe(1);
		expect(sum('pulse_responses')).toBe(6);
		const current = mine.find((r) => r.dialogues_held === 1)!;
		expect(current).toMatchObject({
			member_count: 6,
			size_status: 'ideal',
			average_attendance: 6,
			pulse_safe: 4,
			pulse_heard: 5,
			pulse_useful: 3
		});
		expect(Object.keys(current).sort()).toEqual(
			[
				'team_id',
				'team_name',
				'archived',
				'member_count',
				'size_status',
				'period_start',
				'activity',
				'dialogues_held',
				'average_attendance',
				'friction_found',
				'friction_resolved',
				'commitments_kept',
				'commitments_broken',
				'initiatives_won',
				'pulse_responses',
				'pulse_safe',
				'pulse_heard',
				'pulse_useful'
			].sort()
		);
		expect(JSON.stringify(rows)).not.toMatch(/Secret|confidential|sensitive/);
		expect(rows.some((r) => r.team_id === other.teamId)).toBe(false);
	});

	it('groups by month and quarter, and refuses a bad period with a plain message', async () => {
		const months = ok(await report(w.orgAdmin, w.orgId, { granularity: 'month' })) as Figures[];
		expect(months.filter((r) => r.team_id === w.teamId).length).toBe(13);
		const quarters = ok(
			await report(w.orgAdmin, w.orgId, { granularity: 'quarter', only_team_id: w.teamId })
		) as Figures[];
		expect(quarters.length).toBeGreaterThanOrEqual(4);
		expect(quarters.length).toBeLessThanOrEqual(5);
		expectError(
			await report(w.orgAdmin, w.orgId, { period_from: TODAY, period_to: YEAR_AGO }),
			'P0001',
			'the period must end on or after the day it starts'
		);
		expectError(
			await report(w.orgAdmin, w.orgId, { granularity: 'week' }),
			'P0001',
			'group the report by month, quarter or year'
		);
	});

	it('hides pulse averages below three answers, giving the count alone', async () => {
		const small = await createTeam(w.leader, 'Small team', {});
		ok(
			await w.leader.client.rpc('attach_team_to_organization', {
				team_id: small,
				join_code: (
					ok(
						await w.orgAdmin.client
							.from('organizations')
							.select('join_code')
							.eq('id', w.orgId)
							.single()
					) as { join_code: string }
				).join_code
			})
		);
		await stack.db.exec(`
			do $$
			declare d uuid;
			begin
				insert into public.dialogues (team_id, title, starts_at)
				values ('${small}', 'Two of us', now() - interval '1 hour') returning id into d;
				update public.dialogues set status = 'closed', closed_at = now() where id = d;
				insert into public.pulse_checks (team_id, dialogue_id, user_id, safe, heard, useful)
				select '${small}', d, m.user_id, 1, 1, 1 from public.team_members m where m.team_id = '${small}';
			end $$;
		`);
		const rows = ok(await report(w.orgAdmin, w.orgId, { only_team_id: small })) as Figures[];
		const held = rows.find((r) => r.dialogues_held === 1)!;
		expect(held).toMatchObject({ pulse_responses: 1, pulse_safe: null, pulse_heard: null });
	});

	it('is refused to members, leaders, outsiders, another organization’s admin and anon', async () => {
		for (const who of ['outsider', 'member', 'organizer', 'leader'] as const) {
			expectError(
				await report(rolesOf(w)[who]),
				'P0001',
				'only an organization admin can see its reports'
			);
		}
		expectError(
			await report(other.admin),
			'P0001',
			'only an organization admin can see its reports'
		);
		// Another org's admin naming the first org's team through their own org gets nothing of it.
		const theirs = ok(
			await report(other.admin, other.orgId, { only_team_id: w.teamId })
		) as Figures[];
		expect(theirs).toEqual([]);
		expectError(
			await w.anon.rpc('organization_report', { organization_id: w.orgId, ...PERIOD }),
			'42501'
		);
	});
});

describe('feedback rounds', () => {
	it('only leaders and the organization’s admins open rounds, with clear refusals', async () => {
		for (const who of [w.member, w.organizer, w.outsider, other.admin]) {
			expectError(
				await who.client.rpc('create_feedback_round', {
					team_id: w.teamId,
					audience: 'member',
					title: 'Nope'
				}),
				'P0001',
				'only a team leader or an admin of its organization can ask for feedback'
			);
		}
		expectError(
			await w.leader.client.rpc('create_feedback_round', {
				team_id: w.teamId,
				audience: 'member',
				title: '   '
			}),
			'P0001',
			'the title cannot be empty'
		);
		expectError(
			await w.anon.rpc('create_feedback_round', {
				team_id: w.teamId,
				audience: 'member',
				title: 'x'
			}),
			'42501'
		);
	});

	it('members answer once; the average shows from three answers on', async () => {
		const answer = (u: User, q1 = 4) =>
			u.client.rpc('submit_member_feedback', { round_id: memberRound, q1, q2: 3, q3: 5 });
		ok(await answer(w.member, 5));
		expectError(await answer(w.member), 'P0001', 'you have already answered this feedback form');
		expectError(
			await w.outsider.client.rpc('submit_member_feedback', {
				round_id: memberRound,
				q1: 1,
				q2: 1,
				q3: 1
			}),
			'P0001',
			'this feedback form is not for you'
		);
		expectError(
			await w.leader.client.rpc('submit_member_feedback', {
				round_id: memberRound,
				q1: 6,
				q2: 1,
				q3: 1
			}),
			'P0001',
			'answer the first question with a number from 1 to 5'
		);
		ok(await answer(w.organizer, 3));
		let [res] = ok(
			await w.member.client.rpc('feedback_round_results', { round_id: memberRound })
		) as Array<Figures>;
		expect(res).toEqual({ responses: 2, q1: null, q2: null, q3: null, answered: true });
		ok(await answer(extra[0], 4));
		[res] = ok(
			await w.leader.client.rpc('feedback_round_results', { round_id: memberRound })
		) as Array<Figures>;
		expect(res).toEqual({ responses: 3, q1: 4, q2: 3, q3: 5, answered: false });
		expect(
			ok(await w.outsider.client.rpc('feedback_round_results', { round_id: memberRound }))
		).toEqual([]);
		expect(
			ok(await w.orgAdmin.client.rpc('feedback_round_results', { round_id: memberRound }))
		).toEqual([]);
	});

	it('the org admin sees averages per round, never titles or answers', async () => {
		const rows = ok(
			await w.orgAdmin.client.rpc('organization_feedback_results', {
				organization_id: w.orgId,
				...PERIOD
			})
		) as Figures[];
		const member = rows.find((r) => r.round_id === memberRound)!;
		expect(member).toMatchObject({ audience: 'member', responses: 3, q1: 4, q2: 3, q3: 5 });
		expect(JSON.stringify(rows)).not.toMatch(/Spring check-in|How did we do/);
		expectError(
			await other.admin.client.rpc('organization_feedback_results', {
				organization_id: w.orgId,
				...PERIOD
			}),
			'P0001',
			'only an organization admin can see its reports'
		);
		expectError(
			await w.leader.client.rpc('organization_feedback_results', {
				organization_id: w.orgId,
				...PERIOD
			}),
			'P0001',
			'only an organization admin can see its reports'
		);
	});

	it('clients answer through the secret link without an account, and read nothing back', async () => {
		const form = ok(await w.anon.rpc('client_feedback_form', { token: clientToken })) as Figures[];
		expect(form).toEqual([{ team_name: expect.any(String), title: 'How did we do?', open: true }]);
		expect(ok(await w.anon.rpc('client_feedback_form', { token: 'f'.repeat(64) }))).toEqual([]);
		for (let i = 0; i < 3; i++) {
			const res = await w.anon.rpc('submit_client_feedback', {
				token: clientToken,
				q1: 5,
				q2: 4,
				q3: 3
			});
			expect(res.error).toBeNull();
			expect(res.data).toBeNull();
		}
		expectError(
			await w.anon.rpc('submit_client_feedback', { token: 'nope', q1: 5, q2: 4, q3: 3 }),
			'P0001',
			'this feedback link is not valid: ask the team for a new one'
		);
		expectError(
			await w.anon.rpc('submit_client_feedback', { token: clientToken, q1: 5, q2: null, q3: 3 }),
			'P0001',
			'answer the second question with a number from 1 to 5'
		);
		// The token is stored hashed only, and answers are not readable through the API at all.
		const stored = await stack.db.query<{ client_token_hash: string }>(
			`select client_token_hash from public.feedback_rounds where audience = 'client'`
		);
		expect(stored.rows[0].client_token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(stored.rows[0].client_token_hash).not.toBe(clientToken);
		expectError(await w.anon.from('feedback_responses').select('*'), '42501');
		expectError(await w.leader.client.from('feedback_responses').select('*'), '42501');
		expectError(await w.leader.client.from('feedback_rounds').select('client_token_hash'), '42501');
		const rows = ok(
			await w.orgAdmin.client.rpc('organization_feedback_results', {
				organization_id: w.orgId,
				...PERIOD
			})
		) as Figures[];
		expect(rows.find((r) => r.audience === 'client')).toMatchObject({ responses: 3, q1: 5 });
	});

	it('a closed round takes no more answers', async () => {
		const [r] = ok(
			await w.leader.client.rpc('create_feedback_round', {
				team_id: w.teamId,
				audience: 'client',
				title: 'Short one'
			})
		) as Array<{ id: string; token: string }>;
		expectError(
			await w.member.client.rpc('close_feedback_round', { round_id: r.id }),
			'P0001',
			'only a team leader or an admin of its organization can close a feedback round'
		);
		ok(await w.orgAdmin.client.rpc('close_feedback_round', { round_id: r.id }));
		expectError(
			await w.anon.rpc('submit_client_feedback', { token: r.token, q1: 1, q2: 1, q3: 1 }),
			'P0001',
			'this feedback form is closed'
		);
		expect(ok(await w.anon.rpc('client_feedback_form', { token: r.token }))).toMatchObject([
			{ open: false }
		]);
	});
});

describe('shared reports', () => {
	it('the preview is exactly what is shared, and only leaders share', async () => {
		const preview = ok(
			await w.leader.client.rpc('preview_shared_report', {
				team_id: w.teamId,
				sections: ['figures', 'friction_points'],
				...PERIOD
			})
		) as Record<string, unknown>;
		const id = ok(
			await w.leader.client.rpc('share_report', {
				team_id: w.teamId,
				title: 'Shared right after the preview',
				sections: ['friction_points', 'figures'],
				...PERIOD
			})
		) as string;
		const read = async (reportId: string) =>
			ok(
				await w.orgAdmin.client
					.from('shared_reports')
					.select('title, content')
					.eq('id', reportId)
					.single()
			) as { title: string; content: { figures: Figures; friction_points: unknown } };
		const row = await read(id);
		expect(row.title).toBe('Shared right after the preview');
		expect(row.content).toEqual(preview);
		// The first report stays as it was when shared: frozen, not recomputed.
		const first = await read(sharedId);
		expect(Number(first.content.figures.activity)).toBeLessThan(
			Number((preview.figures as Figures).activity)
		);
		ok(await w.leader.client.rpc('revoke_shared_report', { report_id: id }));
		expect(row.content.friction_points).toEqual(
			expect.arrayContaining([{ title: 'Secret friction title', status: 'resolved' }])
		);
		expect(JSON.stringify(row.content)).not.toMatch(/confidential/);
		for (const who of [w.member, w.organizer, w.orgAdmin, w.outsider]) {
			expectError(
				await who.client.rpc('share_report', {
					team_id: w.teamId,
					title: 'x',
					sections: ['figures'],
					...PERIOD
				}),
				'P0001',
				'only a team leader can share a report with the organization'
			);
		}
		expectError(
			await w.leader.client.rpc('preview_shared_report', {
				team_id: w.teamId,
				sections: ['notes'],
				...PERIOD
			}),
			'P0001',
			'a report cannot include notes'
		);
	});

	it('members, outsiders, another organization and anon do not read it; revoking hides it', async () => {
		for (const who of [w.member, w.organizer, w.outsider, other.admin]) {
			expect(ok(await who.client.from('shared_reports').select('id'))).toEqual([]);
		}
		expectError(await w.anon.from('shared_reports').select('id'), '42501');
		expectError(
			await w.member.client.rpc('revoke_shared_report', { report_id: sharedId }),
			'P0001',
			'only a team leader can take back a shared report'
		);
		const again = ok(
			await w.leader.client.rpc('share_report', {
				team_id: w.teamId,
				title: 'To take back',
				sections: ['initiatives'],
				...PERIOD
			})
		) as string;
		ok(await w.leader.client.rpc('revoke_shared_report', { report_id: again }));
		const seen = ok(await w.orgAdmin.client.from('shared_reports').select('id')) as Array<{
			id: string;
		}>;
		expect(seen.map((r) => r.id)).toEqual([sharedId]);
		const leaders = ok(
			await w.leader.client.from('shared_reports').select('id, revoked_at')
		) as Array<{
			id: string;
			revoked_at: string | null;
		}>;
		expect(leaders.find((r) => r.id === again)?.revoked_at).not.toBeNull();
	});
});

describe('an org admin against every table and view', () => {
	it('gets no row of the team from any of them, discovered from the catalog', async () => {
		const relations = await stack.db.query<{ name: string; has_team_id: boolean }>(`
			select c.relname as name,
				exists (
					select 1 from pg_attribute a
					where a.attrelid = c.oid and a.attname = 'team_id' and not a.attisdropped
				) as has_team_id
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
			order by c.relname
		`);
		// Sanity: the catalog gave us the tables this file seeded.
		const names = relations.rows.map((r) => r.name);
		expect(names).toEqual(
			expect.arrayContaining(['friction_points', 'dialogues', 'feedback_responses', 'teams'])
		);
		const withRows: string[] = [];
		for (const { name, has_team_id } of relations.rows) {
			const key = has_team_id ? 'team_id' : name === 'teams' ? 'id' : null;
			if (key) {
				const owner = await stack.db.query<{ n: number }>(
					`select count(*)::int as n from public.${name} where ${key} = $1`,
					[w.teamId]
				);
				if (owner.rows[0].n > 0) withRows.push(name);
			}
			const { data, error } = await w.orgAdmin.client.from(name).select('*');
			if (error) {
				// Not granted at all: nothing readable either.
				expect(error.code, `${name}: ${error.message}`).toBe('42501');
				continue;
			}
			const rows = (data ?? []) as Array<Record<string, unknown>>;
			if (name === 'shared_reports') {
				expect(
					rows.map((r) => r.id),
					name
				).toEqual([sharedId]);
			} else if (key) {
				expect(
					rows.filter((r) => r[key] === w.teamId),
					`${name} shows the team's rows to an org admin`
				).toEqual([]);
			} else if (name === 'organizations') {
				expect(rows.map((r) => r.id)).toEqual([w.orgId]);
			} else if (name === 'organization_admins') {
				expect(new Set(rows.map((r) => r.organization_id))).toEqual(new Set([w.orgId]));
			} else if (name === 'profiles') {
				expect(rows.map((r) => r.id)).toEqual([w.orgAdmin.userId]);
			} else {
				expect(rows, `${name} shows rows to an org admin`).toEqual([]);
			}
		}
		// The check ran against real content: the team's rows exist in the tables that matter.
		expect(withRows).toEqual(
			expect.arrayContaining([
				'teams',
				'team_members',
				'activity_log',
				'agencies',
				'friction_points',
				'friction_point_status_changes',
				'officials',
				'commitments',
				'initiatives',
				'dialogues',
				'attendance',
				'pulse_checks',
				'invitations',
				'team_agreements',
				'feedback_rounds',
				'feedback_responses',
				'shared_reports'
			])
		);
	});
});
