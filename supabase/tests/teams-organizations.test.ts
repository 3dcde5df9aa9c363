import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
	addMembers,
	createOrganization,
	createTeam,
	expectError,
	invite,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
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

async function orgAsAdmin(id: string) {
	return ok(await w.service.from('organizations').select('*').eq('id', id).maybeSingle()) as Record<
		string,
		unknown
	> | null;
}

describe('organizations table', () => {
	it('anon is refused; team members, even leaders, and outsiders see no organization', async () => {
		expectError(await w.anon.from('organizations').select('id'), '42501');
		for (const who of ['outsider', 'member', 'organizer', 'leader'] as const) {
			const { data, error } = await rolesOf(w)[who].client.from('organizations').select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
	});

	it('its admin reads it with the join code; the service role reads it too', async () => {
		const { data } = await w.orgAdmin.client.from('organizations').select('id, join_code');
		expect(data).toEqual([
			{ id: w.orgId, join_code: expect.stringMatching(/^[A-Za-z0-9_-]{10}$/) }
		]);
		expect(await orgAsAdmin(w.orgId)).not.toBeNull();
	});

	it('team leaders learn their host organization’s name through team_overview only', async () => {
		const org = await orgAsAdmin(w.orgId);
		const { data } = await w.leader.client.rpc('team_overview', { team_id: w.teamId });
		expect(data).toMatchObject({ organization_id: w.orgId, organization_name: org!.name });
	});

	it('nobody inserts directly except the service role', async () => {
		expectError(await w.anon.from('organizations').insert({ name: 'X' }), '42501');
		expectError(await w.orgAdmin.client.from('organizations').insert({ name: 'X' }), '42501');
		const { data, error } = await w.service
			.from('organizations')
			.insert({ name: 'Service org' })
			.select('id')
			.single();
		expect(error).toBeNull();
		ok(
			await w.service
				.from('organizations')
				.delete()
				.eq('id', (data as { id: string }).id)
		);
	});

	it('only its admins update name and description, trimmed and checked', async () => {
		expectError(
			await w.anon.from('organizations').update({ name: 'X' }).eq('id', w.orgId),
			'42501'
		);
		for (const who of ['outsider', 'member', 'leader'] as const) {
			const { data, error } = await rolesOf(w)
				[who].client.from('organizations')
				.update({ name: 'Hijacked' })
				.eq('id', w.orgId)
				.select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
		const { data } = await w.orgAdmin.client
			.from('organizations')
			.update({ name: '  Eastside Tenants  ', description: ' Housing ' })
			.eq('id', w.orgId)
			.select('name, description')
			.single();
		expect(data).toEqual({ name: 'Eastside Tenants', description: 'Housing' });
		const upd = (patch: Record<string, unknown>) =>
			w.orgAdmin.client.from('organizations').update(patch).eq('id', w.orgId);
		expectError(await upd({ name: '   ' }), 'P0001', 'the organization name cannot be empty');
		expectError(
			await upd({ name: 'x'.repeat(121) }),
			'P0001',
			'the organization name can be at most 120 characters'
		);
		expectError(
			await upd({ description: 'x'.repeat(2001) }),
			'P0001',
			'the description can be at most 2000 characters'
		);
		expectError(await upd({ join_code: 'chosen' }), '42501');
		expect((await orgAsAdmin(w.orgId))!.name).toBe('Eastside Tenants');
	});

	it('only its admins delete it; its teams stay, detached', async () => {
		const admin = await stack.signedIn();
		const { orgId, joinCode } = await createOrganization(admin, 'Closing down');
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Hosted', { organization_join_code: joinCode });
		expectError(await w.anon.from('organizations').delete().eq('id', orgId), '42501');
		const denied = await lead.client.from('organizations').delete().eq('id', orgId).select('id');
		expect(denied.data).toEqual([]);
		const { data } = await admin.client.from('organizations').delete().eq('id', orgId).select('id');
		expect(data).toEqual([{ id: orgId }]);
		expect(await orgAsAdmin(orgId)).toBeNull();
		const { data: t } = await lead.client
			.from('teams')
			.select('organization_id')
			.eq('id', team)
			.single();
		expect(t).toEqual({ organization_id: null });
	});
});

describe('organization_admins table and functions', () => {
	it('admins see their fellow admins; nobody else does', async () => {
		expectError(await w.anon.from('organization_admins').select('user_id'), '42501');
		for (const who of ['outsider', 'member', 'leader'] as const) {
			expect(
				(await rolesOf(w)[who].client.from('organization_admins').select('user_id')).data
			).toEqual([]);
		}
		const { data } = await w.orgAdmin.client
			.from('organization_admins')
			.select('organization_id, user_id');
		expect(data).toEqual([{ organization_id: w.orgId, user_id: w.orgAdmin.userId }]);
	});

	it('nobody writes the table directly except the service role', async () => {
		const row = { organization_id: w.orgId, user_id: w.outsider.userId };
		expectError(await w.anon.from('organization_admins').insert(row), '42501');
		expectError(await w.orgAdmin.client.from('organization_admins').insert(row), '42501');
		expectError(
			await w.orgAdmin.client.from('organization_admins').delete().eq('organization_id', w.orgId),
			'42501'
		);
		expectError(
			await w.orgAdmin.client
				.from('organization_admins')
				.update({ user_id: w.outsider.userId })
				.eq('organization_id', w.orgId),
			'42501'
		);
		ok(await w.service.from('organization_admins').insert(row));
		ok(await w.service.from('organization_admins').delete().match(row));
	});

	it('create_organization makes the caller admin and checks the name', async () => {
		const founder = await stack.signedIn();
		const { orgId } = await createOrganization(founder, '  Recovery House  ');
		expect((await orgAsAdmin(orgId))!.name).toBe('Recovery House');
		expectError(
			await founder.client.rpc('create_organization', { name: ' ' }),
			'P0001',
			'the organization name cannot be empty'
		);
		expectError(
			await founder.client.rpc('create_organization', { name: 'x'.repeat(121) }),
			'P0001',
			'the organization name can be at most 120 characters'
		);
		expectError(await w.anon.rpc('create_organization', { name: 'Anon org' }), '42501');
	});

	it('admins add and remove admins by email; never the last one', async () => {
		const admin = await stack.signedIn();
		const { orgId } = await createOrganization(admin, 'Admins');
		const helper = await stack.signedIn();
		expectError(
			await helper.client.rpc('add_organization_admin', {
				organization_id: orgId,
				email: helper.email
			}),
			'P0001',
			'only an organization admin can add admins'
		);
		expectError(
			await admin.client.rpc('add_organization_admin', {
				organization_id: orgId,
				email: 'nobody@example.org'
			}),
			'P0001',
			'no account uses that email address: ask them to sign up first'
		);
		expectError(
			await admin.client.rpc('add_organization_admin', {
				organization_id: orgId,
				email: 'nonsense'
			}),
			'P0001',
			'enter a valid email address'
		);
		const { data: added } = await admin.client.rpc('add_organization_admin', {
			organization_id: orgId,
			email: helper.email.toUpperCase()
		});
		expect(added).toBe(helper.userId);
		expect((await helper.client.from('organizations').select('id')).data).toEqual([{ id: orgId }]);
		expectError(
			await admin.client.rpc('add_organization_admin', {
				organization_id: orgId,
				email: helper.email
			}),
			'P0001',
			'that person is already an admin of this organization'
		);
		expectError(
			await w.outsider.client.rpc('remove_organization_admin', {
				organization_id: orgId,
				user_id: helper.userId
			}),
			'P0001',
			'only an organization admin can remove admins'
		);
		ok(
			await helper.client.rpc('remove_organization_admin', {
				organization_id: orgId,
				user_id: admin.userId
			})
		);
		expectError(
			await helper.client.rpc('remove_organization_admin', {
				organization_id: orgId,
				user_id: helper.userId
			}),
			'P0001',
			'an organization needs at least one admin: add another admin first'
		);
		expectError(
			await helper.client.rpc('remove_organization_admin', {
				organization_id: orgId,
				user_id: admin.userId
			}),
			'P0001',
			'that person is not an admin of this organization'
		);
		expect((await admin.client.from('organizations').select('id')).data).toEqual([]);
	});
});

describe('attaching teams and join codes', () => {
	it('a leader attaches and detaches the team; both are logged', async () => {
		const admin = await stack.signedIn();
		const { orgId, joinCode } = await createOrganization(admin, 'Attach');
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Loose');
		const [member] = await addMembers(stack, team, 1);
		expectError(
			await member.client.rpc('attach_team_to_organization', {
				team_id: team,
				join_code: joinCode
			}),
			'P0001',
			"only a team leader can change the team's organization"
		);
		expectError(
			await lead.client.rpc('attach_team_to_organization', { team_id: team, join_code: 'wrong' }),
			'P0001',
			'that join code does not match any organization'
		);
		expect(
			(await lead.client.rpc('attach_team_to_organization', { team_id: team, join_code: joinCode }))
				.data
		).toBe(orgId);
		expect(
			(await lead.client.from('teams').select('organization_id').eq('id', team).single()).data
		).toEqual({ organization_id: orgId });
		expectError(
			await member.client.rpc('detach_team_from_organization', { team_id: team }),
			'P0001',
			"only a team leader can change the team's organization"
		);
		ok(await lead.client.rpc('detach_team_from_organization', { team_id: team }));
		expect(
			(await lead.client.from('teams').select('organization_id').eq('id', team).single()).data
		).toEqual({ organization_id: null });
		const changes = (await activity(stack, team)).filter(
			(a) => a.action === 'team.organization_changed'
		);
		expect(changes).toMatchObject([
			{ actor_id: lead.userId, details: { from: null, to: orgId } },
			{ actor_id: lead.userId, details: { from: orgId, to: null } }
		]);
	});

	it('only admins rotate the join code; the old one stops working', async () => {
		const admin = await stack.signedIn();
		const { orgId, joinCode } = await createOrganization(admin, 'Rotate');
		expectError(
			await w.leader.client.rpc('rotate_join_code', { organization_id: orgId }),
			'P0001',
			'only an organization admin can change the join code'
		);
		const { data: code } = await admin.client.rpc('rotate_join_code', { organization_id: orgId });
		expect(code).toMatch(/^[A-Za-z0-9_-]{10}$/);
		expect(code).not.toBe(joinCode);
		expectError(
			await w.outsider.client.rpc('create_team', {
				name: 'Late',
				organization_join_code: joinCode
			}),
			'P0001',
			'that join code does not match any organization'
		);
	});
});

describe('what an org admin sees of its teams', () => {
	it('summaries hold counts and health figures only', async () => {
		const { data, error } = await w.orgAdmin.client.rpc('organization_team_summaries', {
			organization_id: w.orgId
		});
		expect(error).toBeNull();
		expect(data).toEqual([
			{
				team_id: w.teamId,
				team_name: expect.any(String),
				member_count: 3,
				size_status: 'small',
				archived: false,
				created_at: expect.any(String),
				last_activity_at: expect.any(String),
				pending_referrals: 0,
				waitlisted_referrals: 0,
				has_room: true
			}
		]);
	});

	it('summaries are refused to anyone but the organization’s admins', async () => {
		for (const who of ['outsider', 'member', 'leader'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('organization_team_summaries', {
					organization_id: w.orgId
				}),
				'P0001',
				'only an organization admin can see its teams'
			);
		}
		expectError(
			await w.anon.rpc('organization_team_summaries', { organization_id: w.orgId }),
			'42501'
		);
	});

	it('an org admin reading team content directly gets nothing', async () => {
		await invite(w.leader, w.teamId, { email: 'quiet@example.org' });
		ok(
			await w.leader.client.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: 'Private',
				ground_rules: 'What is said here stays here'
			})
		);
		const { data: code } = await w.service
			.from('teams')
			.select('referral_code')
			.eq('id', w.teamId)
			.single();
		ok(
			await w.outsider.client.rpc('create_referral', {
				referral_code: (code as { referral_code: string }).referral_code,
				person_name: 'Pat',
				consent: true
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
			const { data, error } = await w.orgAdmin.client.from(table).select('*');
			expect(error, table).toBeNull();
			expect(data, table).toEqual([]);
		}
		const { data: profiles } = await w.orgAdmin.client.from('profiles').select('id');
		expect(profiles).toEqual([{ id: w.orgAdmin.userId }]);
		expect((await w.orgAdmin.client.rpc('team_overview', { team_id: w.teamId })).data).toBeNull();
		expectError(
			await w.orgAdmin.client.rpc('create_invitation', { team_id: w.teamId }),
			'P0001',
			'only a team leader can invite people'
		);
		// The referral shows up as a number, nothing more.
		const { data } = await w.orgAdmin.client.rpc('organization_team_summaries', {
			organization_id: w.orgId
		});
		expect((data as Array<{ pending_referrals: number }>)[0].pending_referrals).toBe(1);
	});
});
