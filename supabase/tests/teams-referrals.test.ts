import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
	addMembers,
	createOrganization,
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let code: string;
let referralId: string;

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	code = (
		ok(await w.service.from('teams').select('referral_code').eq('id', w.teamId).single()) as {
			referral_code: string;
		}
	).referral_code;
	referralId = ok(
		await w.outsider.client.rpc('create_referral', {
			referral_code: code,
			person_name: '  Sam Rivera ',
			person_email: 'Sam@Example.org',
			person_contact_note: 'Evenings',
			consent: true
		})
	) as string;
});

afterAll(async () => {
	await stack?.stop();
});

async function referralAsAdmin(id: string) {
	return ok(await w.service.from('referrals').select('*').eq('id', id).single()) as Record<
		string,
		unknown
	>;
}

describe('referrals table', () => {
	it('only the team’s leaders read referrals; not even the referrer', async () => {
		expectError(await w.anon.from('referrals').select('id'), '42501');
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			const { data, error } = await rolesOf(w)[who].client.from('referrals').select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
		const { data } = await w.leader.client
			.from('referrals')
			.select('id, person_name, person_email, person_contact_note, status, referred_by');
		expect(data).toEqual([
			{
				id: referralId,
				person_name: 'Sam Rivera',
				person_email: 'sam@example.org',
				person_contact_note: 'Evenings',
				status: 'pending',
				referred_by: w.outsider.userId
			}
		]);
	});

	it('nobody writes the table directly except the service role', async () => {
		const row = { team_id: w.teamId, person_name: 'X', consent: true };
		expectError(await w.anon.from('referrals').insert(row), '42501');
		expectError(await w.outsider.client.from('referrals').insert(row), '42501');
		expectError(await w.leader.client.from('referrals').insert(row), '42501');
		expectError(
			await w.leader.client.from('referrals').update({ status: 'accepted' }).eq('id', referralId),
			'42501'
		);
		expectError(await w.leader.client.from('referrals').delete().eq('id', referralId), '42501');
		expect((await referralAsAdmin(referralId)).status).toBe('pending');
		const { data, error } = await w.service.from('referrals').insert(row).select('id').single();
		expect(error).toBeNull();
		const id = (data as { id: string }).id;
		ok(await w.service.from('referrals').update({ status: 'declined' }).eq('id', id));
		ok(await w.service.from('referrals').delete().eq('id', id));
		expectError(await w.service.from('referrals').insert({ ...row, consent: false }), '23514');
	});
});

describe('create_referral', () => {
	it('is logged for the leaders without the person’s details', async () => {
		const entry = (await activity(stack, w.teamId)).find((a) => a.action === 'referral.received');
		expect(entry).toMatchObject({
			actor_id: w.outsider.userId,
			details: { referral_id: referralId }
		});
		expect(JSON.stringify(entry)).not.toContain('Sam');
	});

	it('refuses without consent, with a bad code, or with bad details', async () => {
		const refer = (args: Record<string, unknown>) =>
			w.outsider.client.rpc('create_referral', {
				referral_code: code,
				person_name: 'Kim',
				consent: true,
				...args
			});
		expectError(await refer({ consent: false }), 'P0001', 'the person must agree to be referred');
		expectError(
			await refer({ consent: undefined }),
			'P0001',
			'the person must agree to be referred'
		);
		expectError(
			await refer({ referral_code: 'nope' }),
			'P0001',
			'this referral link is not valid: ask the team for a new one'
		);
		expectError(await refer({ person_name: '  ' }), 'P0001', "the person's name cannot be empty");
		expectError(
			await refer({ person_name: 'x'.repeat(121) }),
			'P0001',
			"the person's name can be at most 120 characters"
		);
		expectError(await refer({ person_email: 'kim' }), 'P0001', 'enter a valid email address');
		expectError(
			await refer({ person_contact_note: 'x'.repeat(501) }),
			'P0001',
			'the contact note can be at most 500 characters'
		);
		expectError(
			await w.anon.rpc('create_referral', {
				referral_code: code,
				person_name: 'Kim',
				consent: true
			}),
			'42501'
		);
	});

	it('refuses referrals to an archived team', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Resting');
		const { referral_code } = ok(
			await lead.client.from('teams').select('referral_code').eq('id', team).single()
		) as { referral_code: string };
		ok(await lead.client.rpc('archive_team', { team_id: team }));
		expectError(
			await w.outsider.client.rpc('create_referral', {
				referral_code,
				person_name: 'Kim',
				consent: true
			}),
			'P0001',
			'this team is archived and is not taking referrals'
		);
	});

	it('records the organization when its admin refers', async () => {
		const id = ok(
			await w.orgAdmin.client.rpc('create_referral', {
				referral_code: code,
				person_name: 'Lou',
				consent: true
			})
		) as string;
		expect(await referralAsAdmin(id)).toMatchObject({
			referring_org_id: w.orgId,
			referred_by: w.orgAdmin.userId
		});
		expect((await referralAsAdmin(referralId)).referring_org_id).toBeNull();
	});
});

describe('decide_referral and my_referrals', () => {
	it('the referrer sees the status only, nobody else sees their referrals', async () => {
		const { data, error } = await w.outsider.client.rpc('my_referrals');
		expect(error).toBeNull();
		expect(data).toEqual([
			{
				id: referralId,
				team_name: expect.any(String),
				person_name: 'Sam Rivera',
				status: 'pending',
				created_at: expect.any(String),
				decided_at: null
			}
		]);
		expect((await w.member.client.rpc('my_referrals')).data).toEqual([]);
		expectError(await w.anon.rpc('my_referrals'), '42501');
	});

	it('only the team’s leaders decide', async () => {
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('decide_referral', {
					referral_id: referralId,
					status: 'accepted'
				}),
				'P0001',
				'only a team leader can decide on referrals'
			);
		}
		expect((await referralAsAdmin(referralId)).status).toBe('pending');
	});

	it('refuses an unclear decision', async () => {
		const decide = (args: Record<string, unknown>) =>
			w.leader.client.rpc('decide_referral', { referral_id: referralId, ...args });
		expectError(
			await decide({ status: 'pending' }),
			'P0001',
			'choose to accept, waitlist, suggest another team or decline'
		);
		expectError(await decide({ status: 'redirected' }), 'P0001', 'choose the team to suggest');
		expectError(
			await decide({ status: 'redirected', suggested_team_id: w.teamId }),
			'P0001',
			'suggest a team other than this one'
		);
		expectError(
			await decide({ status: 'declined', note: 'x'.repeat(501) }),
			'P0001',
			'the note can be at most 500 characters'
		);
	});

	it('a leader waitlists, then redirects; the referrer sees the status, never the note', async () => {
		ok(
			await w.leader.client.rpc('decide_referral', {
				referral_id: referralId,
				status: 'waitlisted',
				note: 'Full until spring'
			})
		);
		const { data: summary } = await w.orgAdmin.client.rpc('organization_team_summaries', {
			organization_id: w.orgId
		});
		expect((summary as Array<{ waitlisted_referrals: number }>)[0].waitlisted_referrals).toBe(1);
		const other = await createTeam(await stack.signedIn(), 'Other team');
		ok(
			await w.leader.client.rpc('decide_referral', {
				referral_id: referralId,
				status: 'redirected',
				suggested_team_id: other,
				note: 'Closer to home'
			})
		);
		expect(await referralAsAdmin(referralId)).toMatchObject({
			status: 'redirected',
			suggested_team_id: other,
			decision_note: 'Closer to home',
			decided_by: w.leader.userId
		});
		const { data } = await w.outsider.client.rpc('my_referrals');
		const mine = (data as Array<Record<string, unknown>>)[0];
		expect(mine).toMatchObject({ status: 'redirected', decided_at: expect.any(String) });
		expect(JSON.stringify(data)).not.toContain('Closer to home');
		expect(
			(await activity(stack, w.teamId))
				.filter((a) => a.action === 'referral.decided')
				.map((a) => a.details.status)
		).toEqual(['waitlisted', 'redirected']);
	});
});

describe('teams_with_room', () => {
	it('lists an organization’s open teams below eight with their free places and referral code', async () => {
		const admin = await stack.signedIn();
		const { orgId, joinCode } = await createOrganization(admin, 'Placement');
		const lead = await stack.signedIn();
		const roomy = await createTeam(lead, 'Roomy', { organization_join_code: joinCode });
		const full = await createTeam(lead, 'Full', { organization_join_code: joinCode });
		await addMembers(stack, full, 7);
		const archived = await createTeam(lead, 'Asleep', { organization_join_code: joinCode });
		ok(await lead.client.rpc('archive_team', { team_id: archived }));
		const { data: roomyRow } = await lead.client
			.from('teams')
			.select('referral_code')
			.eq('id', roomy)
			.single();
		const { data, error } = await admin.client.rpc('teams_with_room', { organization_id: orgId });
		expect(error).toBeNull();
		expect(data).toEqual([
			{
				team_id: roomy,
				team_name: 'Roomy',
				free_places: 7,
				referral_code: (roomyRow as { referral_code: string }).referral_code
			}
		]);
		expectError(
			await lead.client.rpc('teams_with_room', { organization_id: orgId }),
			'P0001',
			'only an organization admin can see its teams'
		);
	});
});
