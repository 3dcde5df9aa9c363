import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
	addMember,
	addMembers,
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

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
});

afterAll(async () => {
	await stack?.stop();
});

const LAST_LEADER = 'a team needs at least one leader: hand over leadership first';

async function teamAsAdmin(id: string) {
	return ok(await w.service.from('teams').select('*').eq('id', id).maybeSingle()) as Record<
		string,
		unknown
	> | null;
}

async function roleOf(teamId: string, user: User): Promise<string | null> {
	const row = ok(
		await w.service
			.from('team_members')
			.select('role')
			.eq('team_id', teamId)
			.eq('user_id', user.userId)
			.maybeSingle()
	) as { role: string } | null;
	return row?.role ?? null;
}

describe('teams: select', () => {
	it('anon is refused outright', async () => {
		expectError(await w.anon.from('teams').select('id'), '42501');
	});

	it.each(['outsider', 'orgAdmin'] as const)('%s sees no team', async (who) => {
		const { data, error } = await rolesOf(w)[who].client.from('teams').select('id');
		expect(error).toBeNull();
		expect(data).toEqual([]);
	});

	it.each(['member', 'organizer', 'leader'] as const)(
		'a %s sees exactly their team',
		async (who) => {
			const { data, error } = await rolesOf(w)
				[who].client.from('teams')
				.select('id, size_cap, organization_id');
			expect(error).toBeNull();
			expect(data).toEqual([{ id: w.teamId, size_cap: 12, organization_id: w.orgId }]);
		}
	);

	it('the service role sees every team', async () => {
		const other = await createTeam(w.outsider, 'Outsider team');
		const { data } = await w.service.from('teams').select('id').in('id', [w.teamId, other]);
		expect(data).toHaveLength(2);
		ok(await w.service.from('teams').delete().eq('id', other));
	});
});

describe('teams: insert and delete only through functions', () => {
	it('anon and signed-in users cannot insert teams directly', async () => {
		expectError(await w.anon.from('teams').insert({ name: 'Nope' }), '42501');
		expectError(await w.leader.client.from('teams').insert({ name: 'Nope' }), '42501');
	});

	it('anon and signed-in users (even leaders) cannot delete teams directly', async () => {
		expectError(await w.anon.from('teams').delete().eq('id', w.teamId), '42501');
		expectError(await w.leader.client.from('teams').delete().eq('id', w.teamId), '42501');
		expect(await teamAsAdmin(w.teamId)).not.toBeNull();
	});

	it('the service role can insert and delete teams', async () => {
		const { data, error } = await w.service
			.from('teams')
			.insert({ name: ' Admin made ' })
			.select('id, name')
			.single();
		expect(error).toBeNull();
		expect((data as { name: string }).name).toBe('Admin made');
		const del = await w.service
			.from('teams')
			.delete()
			.eq('id', (data as { id: string }).id)
			.select('id');
		expect(del.data).toHaveLength(1);
	});
});

describe('teams: update', () => {
	it('anon is refused', async () => {
		expectError(await w.anon.from('teams').update({ name: 'x' }).eq('id', w.teamId), '42501');
	});

	it.each(['outsider', 'orgAdmin', 'member', 'organizer'] as const)(
		'a %s updates nothing',
		async (who) => {
			const { data, error } = await rolesOf(w)
				[who].client.from('teams')
				.update({ name: `Renamed by ${who}` })
				.eq('id', w.teamId)
				.select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
			expect((await teamAsAdmin(w.teamId))!.name).not.toBe(`Renamed by ${who}`);
		}
	);

	it('a leader updates the settings, trimmed, and the change is logged', async () => {
		const { data, error } = await w.leader.client
			.from('teams')
			.update({
				name: '  Tenants United  ',
				purpose: ' Fix repairs ',
				focus_area: '   ',
				size_cap: 10
			})
			.eq('id', w.teamId)
			.select('name, purpose, focus_area, size_cap')
			.single();
		expect(error).toBeNull();
		expect(data).toEqual({
			name: 'Tenants United',
			purpose: 'Fix repairs',
			focus_area: null,
			size_cap: 10
		});
		const log = await activity(stack, w.teamId);
		expect(log.at(-1)).toMatchObject({
			action: 'team.settings_changed',
			actor_id: w.leader.userId,
			details: { fields: ['name', 'purpose', 'size_cap'] }
		});
		ok(await w.service.from('teams').update({ size_cap: 12 }).eq('id', w.teamId));
	});

	it('a leader cannot change the organization, referral code or id directly', async () => {
		for (const patch of [
			{ organization_id: null },
			{ referral_code: 'mine' },
			{ id: crypto.randomUUID() }
		]) {
			expectError(await w.leader.client.from('teams').update(patch).eq('id', w.teamId), '42501');
		}
		expect((await teamAsAdmin(w.teamId))!.organization_id).toBe(w.orgId);
	});

	it('gives a clear message for an empty, blank or too long name and a bad cap', async () => {
		const upd = (patch: Record<string, unknown>) =>
			w.leader.client.from('teams').update(patch).eq('id', w.teamId);
		expectError(await upd({ name: '' }), 'P0001', 'the team name cannot be empty');
		expectError(await upd({ name: ' \t\n ' }), 'P0001', 'the team name cannot be empty');
		expectError(
			await upd({ name: 'x'.repeat(81) }),
			'P0001',
			'the team name can be at most 80 characters'
		);
		expectError(
			await upd({ purpose: 'x'.repeat(2001) }),
			'P0001',
			'the purpose can be at most 2000 characters'
		);
		expectError(
			await upd({ focus_area: 'x'.repeat(201) }),
			'P0001',
			'the focus area can be at most 200 characters'
		);
		expectError(await upd({ size_cap: 1 }), 'P0001', 'the size cap must be between 2 and 50');
		expectError(await upd({ size_cap: 51 }), 'P0001', 'the size cap must be between 2 and 50');
		expectError(
			await upd({ size_cap: 2 }),
			'P0001',
			"the size cap cannot be below the team's current size of 3"
		);
		expect((await teamAsAdmin(w.teamId))!.size_cap).toBe(12);
	});

	it('the service role can update any column', async () => {
		const { data } = await w.service
			.from('teams')
			.update({ referral_code: 'svc-code-1' })
			.eq('id', w.teamId)
			.select('referral_code')
			.single();
		expect(data).toEqual({ referral_code: 'svc-code-1' });
	});
});

describe('create_team', () => {
	it('makes the caller its leader, logs it, and trims the name', async () => {
		const founder = await stack.signedIn();
		const id = await createTeam(founder, '  Harbor Street  ', {
			purpose: 'Buses on time',
			focus_area: 'Ward 3'
		});
		const { data } = await founder.client
			.from('teams')
			.select('name, purpose, focus_area, created_by')
			.eq('id', id)
			.single();
		expect(data).toEqual({
			name: 'Harbor Street',
			purpose: 'Buses on time',
			focus_area: 'Ward 3',
			created_by: founder.userId
		});
		expect(await roleOf(id, founder)).toBe('leader');
		expect((await activity(stack, id)).map((a) => a.action)).toEqual([
			'team.created',
			'member.joined'
		]);
	});

	it('refuses empty, whitespace-only and too long names with a clear message', async () => {
		const c = w.outsider.client;
		expectError(await c.rpc('create_team', { name: '' }), 'P0001', 'the team name cannot be empty');
		expectError(
			await c.rpc('create_team', { name: '   ' }),
			'P0001',
			'the team name cannot be empty'
		);
		expectError(
			await c.rpc('create_team', { name: 'x'.repeat(81) }),
			'P0001',
			'the team name can be at most 80 characters'
		);
		const { data } = await c
			.from('team_members')
			.select('team_id')
			.eq('user_id', w.outsider.userId);
		expect(data).toEqual([]);
	});

	it('refuses an unknown organization join code', async () => {
		expectError(
			await w.outsider.client.rpc('create_team', { name: 'Ok', organization_join_code: 'nope' }),
			'P0001',
			'that join code does not match any organization'
		);
	});

	it('is not callable by anon', async () => {
		expectError(await w.anon.rpc('create_team', { name: 'Anon team' }), '42501');
	});

	it('service role calls have no user and are refused', async () => {
		expectError(
			await w.service.rpc('create_team', { name: 'Svc' }),
			'P0001',
			'you need to sign in first'
		);
	});
});

describe('team_members', () => {
	it('anon is refused; outsiders and org admins see nobody', async () => {
		expectError(await w.anon.from('team_members').select('user_id'), '42501');
		for (const u of [w.outsider, w.orgAdmin]) {
			expect((await u.client.from('team_members').select('user_id')).data).toEqual([]);
		}
	});

	it.each(['member', 'organizer', 'leader'] as const)(
		'a %s sees the whole team with roles',
		async (who) => {
			const { data } = await rolesOf(w)
				[who].client.from('team_members')
				.select('user_id, role')
				.eq('team_id', w.teamId)
				.order('role');
			expect(data).toEqual([
				{ user_id: w.leader.userId, role: 'leader' },
				{ user_id: w.organizer.userId, role: 'organizer' },
				{ user_id: w.member.userId, role: 'member' }
			]);
		}
	);

	it('members see teammates’ display names embedded, outsiders do not', async () => {
		ok(
			await w.member.client
				.from('profiles')
				.update({ display_name: 'Mo' })
				.eq('id', w.member.userId)
		);
		const { data, error } = await w.leader.client
			.from('team_members')
			.select('user_id, profiles(display_name)')
			.eq('user_id', w.member.userId)
			.single();
		expect(error).toBeNull();
		expect(data).toEqual({ user_id: w.member.userId, profiles: { display_name: 'Mo' } });
		const direct = await w.organizer.client
			.from('profiles')
			.select('display_name')
			.eq('id', w.member.userId);
		expect(direct.data).toEqual([{ display_name: 'Mo' }]);
		for (const u of [w.outsider, w.orgAdmin]) {
			expect((await u.client.from('profiles').select('id').eq('id', w.member.userId)).data).toEqual(
				[]
			);
		}
	});

	it('nobody joins, changes a role or removes a member by writing the table directly', async () => {
		expectError(
			await w.outsider.client
				.from('team_members')
				.insert({ team_id: w.teamId, user_id: w.outsider.userId }),
			'42501'
		);
		expectError(
			await w.anon.from('team_members').insert({ team_id: w.teamId, user_id: w.outsider.userId }),
			'42501'
		);
		expectError(
			await w.member.client
				.from('team_members')
				.update({ role: 'leader' })
				.eq('user_id', w.member.userId),
			'42501'
		);
		expectError(
			await w.leader.client
				.from('team_members')
				.update({ role: 'leader' })
				.eq('user_id', w.member.userId),
			'42501'
		);
		expectError(
			await w.leader.client.from('team_members').delete().eq('user_id', w.member.userId),
			'42501'
		);
		expectError(
			await w.member.client.from('team_members').delete().eq('user_id', w.member.userId),
			'42501'
		);
		expect(await roleOf(w.teamId, w.member)).toBe('member');
	});

	it('a member cannot promote themself through the function either', async () => {
		expectError(
			await w.member.client.rpc('change_member_role', {
				team_id: w.teamId,
				user_id: w.member.userId,
				role: 'leader'
			}),
			'P0001',
			'only a team leader can change roles'
		);
		expectError(
			await w.organizer.client.rpc('change_member_role', {
				team_id: w.teamId,
				user_id: w.organizer.userId,
				role: 'leader'
			}),
			'P0001',
			'only a team leader can change roles'
		);
		expect(await roleOf(w.teamId, w.member)).toBe('member');
		expect(await roleOf(w.teamId, w.organizer)).toBe('organizer');
	});

	it('the service role can add, change and remove members directly', async () => {
		const extra = await stack.signedIn();
		await addMember(stack, w.teamId, extra, 'member');
		ok(
			await w.service
				.from('team_members')
				.update({ role: 'organizer' })
				.eq('team_id', w.teamId)
				.eq('user_id', extra.userId)
		);
		expect(await roleOf(w.teamId, extra)).toBe('organizer');
		ok(
			await w.service
				.from('team_members')
				.delete()
				.eq('team_id', w.teamId)
				.eq('user_id', extra.userId)
		);
		expect(await roleOf(w.teamId, extra)).toBeNull();
	});
});

describe('roles and the last leader', () => {
	let leader: User;
	let second: User;
	let third: User;
	let teamId: string;

	beforeAll(async () => {
		leader = await stack.signedIn();
		teamId = await createTeam(leader, 'Roles team');
		[second, third] = await addMembers(stack, teamId, 2);
	});

	it('a leader changes roles and it is logged', async () => {
		ok(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: second.userId,
				role: 'organizer'
			})
		);
		expect(await roleOf(teamId, second)).toBe('organizer');
		expect((await activity(stack, teamId)).at(-1)).toMatchObject({
			action: 'member.role_changed',
			actor_id: leader.userId,
			subject_user_id: second.userId,
			details: { from: 'member', to: 'organizer' }
		});
	});

	it('refuses a role change for someone outside the team', async () => {
		expectError(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: w.outsider.userId,
				role: 'member'
			}),
			'P0001',
			'that person is not a member of this team'
		);
	});

	it('the last leader cannot demote themself or leave', async () => {
		expectError(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: leader.userId,
				role: 'member'
			}),
			'P0001',
			LAST_LEADER
		);
		expectError(
			await leader.client.rpc('remove_member', { team_id: teamId, user_id: leader.userId }),
			'P0001',
			LAST_LEADER
		);
		expect(await roleOf(teamId, leader)).toBe('leader');
	});

	it('even the service role cannot remove or demote the last leader directly', async () => {
		const del = await w.service
			.from('team_members')
			.delete()
			.eq('team_id', teamId)
			.eq('user_id', leader.userId);
		expectError(del, 'P0001', LAST_LEADER);
		const upd = await w.service
			.from('team_members')
			.update({ role: 'member' })
			.eq('team_id', teamId)
			.eq('user_id', leader.userId);
		expectError(upd, 'P0001', LAST_LEADER);
		expect(await roleOf(teamId, leader)).toBe('leader');
	});

	it('leadership is handed over by promoting first, then stepping down', async () => {
		ok(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: second.userId,
				role: 'leader'
			})
		);
		ok(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: leader.userId,
				role: 'member'
			})
		);
		expect(await roleOf(teamId, leader)).toBe('member');
		expect(await roleOf(teamId, second)).toBe('leader');
		// Now a plain member: no more role changes.
		expectError(
			await leader.client.rpc('change_member_role', {
				team_id: teamId,
				user_id: leader.userId,
				role: 'leader'
			}),
			'P0001',
			'only a team leader can change roles'
		);
	});

	it('a member cannot remove someone else; a leader can; anyone can leave', async () => {
		expectError(
			await third.client.rpc('remove_member', { team_id: teamId, user_id: leader.userId }),
			'P0001',
			'only a team leader can remove members'
		);
		ok(await second.client.rpc('remove_member', { team_id: teamId, user_id: third.userId }));
		expect(await roleOf(teamId, third)).toBeNull();
		ok(await leader.client.rpc('remove_member', { team_id: teamId, user_id: leader.userId }));
		expect(await roleOf(teamId, leader)).toBeNull();
		const actions = (await activity(stack, teamId)).slice(-2);
		expect(actions).toMatchObject([
			{ action: 'member.removed', actor_id: second.userId, subject_user_id: third.userId },
			{ action: 'member.left', actor_id: leader.userId, subject_user_id: leader.userId }
		]);
		// Gone: the former member reads nothing of the team any more.
		expect((await leader.client.from('teams').select('id').eq('id', teamId)).data).toEqual([]);
	});

	it('removing someone who is not in the team says so', async () => {
		expectError(
			await second.client.rpc('remove_member', { team_id: teamId, user_id: w.outsider.userId }),
			'P0001',
			'that person is not a member of this team'
		);
	});

	it('two leaders stepping down at the same moment leave one leader', async () => {
		const a = await stack.signedIn();
		const team = await createTeam(a, 'Two leaders');
		const [b] = await addMembers(stack, team, 1);
		ok(
			await a.client.rpc('change_member_role', { team_id: team, user_id: b.userId, role: 'leader' })
		);
		const results = await Promise.all([
			a.client.rpc('change_member_role', { team_id: team, user_id: a.userId, role: 'member' }),
			b.client.rpc('change_member_role', { team_id: team, user_id: b.userId, role: 'member' })
		]);
		expect(results.filter((r) => r.error === null)).toHaveLength(1);
		expect(results.find((r) => r.error)?.error?.message).toBe(LAST_LEADER);
		const { data } = await w.service
			.from('team_members')
			.select('user_id')
			.eq('team_id', team)
			.eq('role', 'leader');
		expect(data).toHaveLength(1);
	});

	it('deleting the last leader’s account hands leadership to the longest-standing member', async () => {
		const boss = await stack.signedIn();
		const team = await createTeam(boss, 'Heir team');
		const [early] = await addMembers(stack, team, 1);
		const [organizer] = await addMembers(stack, team, 1);
		ok(
			await boss.client.rpc('change_member_role', {
				team_id: team,
				user_id: organizer.userId,
				role: 'organizer'
			})
		);
		const { error } = await w.service.auth.admin.deleteUser(boss.userId);
		expect(error).toBeNull();
		expect(await roleOf(team, organizer)).toBe('leader');
		expect(await roleOf(team, early)).toBe('member');
	});
});

describe('archive, unarchive and delete', () => {
	let leader: User;
	let member: User;
	let teamId: string;

	beforeAll(async () => {
		leader = await stack.signedIn();
		teamId = await createTeam(leader, 'Short lived');
		[member] = await addMembers(stack, teamId, 1);
	});

	it('only leaders archive; archived teams stay visible to members; unarchive brings it back', async () => {
		expectError(
			await member.client.rpc('archive_team', { team_id: teamId }),
			'P0001',
			'only a team leader can archive the team'
		);
		expectError(
			await w.outsider.client.rpc('archive_team', { team_id: teamId }),
			'P0001',
			'only a team leader can archive the team'
		);
		ok(await leader.client.rpc('archive_team', { team_id: teamId }));
		const { data } = await member.client
			.from('teams')
			.select('archived_at')
			.eq('id', teamId)
			.single();
		expect((data as { archived_at: string | null }).archived_at).not.toBeNull();
		expectError(
			await member.client.rpc('unarchive_team', { team_id: teamId }),
			'P0001',
			'only a team leader can unarchive the team'
		);
		ok(await leader.client.rpc('unarchive_team', { team_id: teamId }));
		expect((await teamAsAdmin(teamId))!.archived_at).toBeNull();
		const actions = (await activity(stack, teamId)).map((a) => a.action);
		expect(actions.slice(-2)).toEqual(['team.archived', 'team.unarchived']);
	});

	it('delete needs a leader and the exact name; nothing is lost otherwise', async () => {
		expectError(
			await member.client.rpc('delete_team', { team_id: teamId, confirm_name: 'Short lived' }),
			'P0001',
			'only a team leader can delete the team'
		);
		expectError(
			await leader.client.rpc('delete_team', { team_id: teamId, confirm_name: 'short lived' }),
			'P0001',
			"type the team's name exactly to confirm the deletion"
		);
		expect(await teamAsAdmin(teamId)).not.toBeNull();
		ok(await leader.client.rpc('delete_team', { team_id: teamId, confirm_name: 'Short lived' }));
		expect(await teamAsAdmin(teamId)).toBeNull();
		const left = await w.service.from('team_members').select('user_id').eq('team_id', teamId);
		expect(left.data).toEqual([]);
		expect(await activity(stack, teamId)).toEqual([]);
	});
});

describe('activity_log', () => {
	it('only leaders read it', async () => {
		expectError(await w.anon.from('activity_log').select('id'), '42501');
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			const { data, error } = await rolesOf(w)[who].client.from('activity_log').select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
		const { data } = await w.leader.client
			.from('activity_log')
			.select('action, team_id')
			.eq('team_id', w.teamId)
			.order('id');
		expect((data as Array<{ action: string }>).slice(0, 4).map((r) => r.action)).toEqual([
			'team.created',
			'member.joined',
			'member.joined',
			'member.joined'
		]);
	});

	it('nobody but the service role writes it', async () => {
		const row = { team_id: w.teamId, action: 'team.created' };
		expectError(await w.anon.from('activity_log').insert(row), '42501');
		expectError(await w.leader.client.from('activity_log').insert(row), '42501');
		expectError(
			await w.leader.client.from('activity_log').update({ action: 'x.y' }).eq('team_id', w.teamId),
			'42501'
		);
		expectError(
			await w.leader.client.from('activity_log').delete().eq('team_id', w.teamId),
			'42501'
		);
		const { data, error } = await w.service
			.from('activity_log')
			.insert({ ...row, action: 'admin.note' })
			.select('action, actor_id')
			.single();
		expect(error).toBeNull();
		expect(data).toEqual({ action: 'admin.note', actor_id: null });
		ok(await w.service.from('activity_log').delete().eq('action', 'admin.note'));
	});
});

describe('team_overview and referral codes', () => {
	it('gives members the team home figures and others null', async () => {
		const { data, error } = await w.member.client.rpc('team_overview', { team_id: w.teamId });
		expect(error).toBeNull();
		expect(data).toMatchObject({
			team_id: w.teamId,
			size: 3,
			size_status: 'small',
			size_cap: 12,
			role: 'member',
			archived: false,
			agreement_version: null,
			agreement_accepted: false,
			organization_id: w.orgId
		});
		expect(typeof (data as { organization_name: string }).organization_name).toBe('string');
		for (const u of [w.outsider, w.orgAdmin]) {
			expect((await u.client.rpc('team_overview', { team_id: w.teamId })).data).toBeNull();
		}
	});

	it('reports size status ideal at six and large past eight, with pending invitations', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Growing');
		await addMembers(stack, team, 5);
		let o = (await lead.client.rpc('team_overview', { team_id: team })).data as Record<
			string,
			unknown
		>;
		expect(o).toMatchObject({
			size: 6,
			size_status: 'ideal',
			pending_invitations: 0,
			role: 'leader'
		});
		await invite(lead, team, { email: 'someone@example.org' });
		await addMembers(stack, team, 3);
		o = (await lead.client.rpc('team_overview', { team_id: team })).data as Record<string, unknown>;
		expect(o).toMatchObject({ size: 9, size_status: 'large', pending_invitations: 1 });
	});

	it('only leaders rotate the referral code', async () => {
		expectError(
			await w.member.client.rpc('rotate_referral_code', { team_id: w.teamId }),
			'P0001',
			'only a team leader can change the referral link'
		);
		const { data: code } = await w.leader.client.rpc('rotate_referral_code', { team_id: w.teamId });
		expect(code).toMatch(/^[A-Za-z0-9_-]{10}$/);
		expect((await teamAsAdmin(w.teamId))!.referral_code).toBe(code);
	});
});

describe('another team’s leader', () => {
	it('reads nothing of this team in any table', async () => {
		const otherLeader = await stack.signedIn();
		await createTeam(otherLeader, 'Neighbours');
		await invite(w.leader, w.teamId, { email: 'guest@example.org' });
		ok(
			await w.leader.client.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: null,
				ground_rules: 'Be kind'
			})
		);
		for (const table of [
			'teams',
			'team_members',
			'invitations',
			'team_agreements',
			'agreement_acceptances',
			'referrals',
			'activity_log'
		]) {
			const column = table === 'teams' ? 'id' : 'team_id';
			const { data, error } = await otherLeader.client
				.from(table)
				.select(column)
				.eq(column, w.teamId);
			expect(error, table).toBeNull();
			expect(data, table).toEqual([]);
		}
		expect(
			(await otherLeader.client.from('profiles').select('id').eq('id', w.member.userId)).data
		).toEqual([]);
	});
});

describe('anon and the private schema', () => {
	const tables = [
		'organizations',
		'organization_admins',
		'teams',
		'team_members',
		'invitations',
		'team_agreements',
		'agreement_acceptances',
		'referrals',
		'activity_log'
	];

	it.each(tables)('anon can neither read nor write %s', async (table) => {
		expectError(await w.anon.from(table).select('*'), '42501');
		expectError(await w.anon.from(table).insert({}), '42501');
		const stamp =
			{ team_members: 'joined_at', agreement_acceptances: 'accepted_at' }[table] ?? 'created_at';
		const now = new Date().toISOString();
		expectError(
			await w.anon
				.from(table)
				.update({ [stamp]: now })
				.lt(stamp, now),
			'42501'
		);
		expectError(await w.anon.from(table).delete().lt(stamp, now), '42501');
	});

	it('the private helpers are not reachable through the API', async () => {
		const viaSchema = await w.leader.client
			.schema('private')
			.rpc('is_team_member', { team_id: w.teamId });
		expect(viaSchema.error).not.toBeNull();
		expect(viaSchema.data).toBeNull();
		const viaPublic = await w.leader.client.rpc('log_activity', {
			team_id: w.teamId,
			action: 'x.y'
		});
		expect(viaPublic.error?.code).toBe('PGRST202');
	});
});
