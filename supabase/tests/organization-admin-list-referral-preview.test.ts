import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { expectError, ok, rolesOf, teamWorld, type TeamWorld } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;
let code: string;

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	code = (
		ok(await w.service.from('teams').select('referral_code').eq('id', w.teamId).single()) as {
			referral_code: string;
		}
	).referral_code;
});

afterAll(async () => {
	await stack?.stop();
});

describe('organization_admin_list', () => {
	it('shows an admin every fellow admin with name and email, oldest first', async () => {
		ok(
			await w.service.from('profiles').update({ display_name: 'Olga' }).eq('id', w.orgAdmin.userId)
		);
		const second = await stack.signedIn();
		ok(
			await w.orgAdmin.client.rpc('add_organization_admin', {
				organization_id: w.orgId,
				email: second.email
			})
		);
		const rows = ok(
			await second.client.rpc('organization_admin_list', { organization_id: w.orgId })
		) as Array<{ user_id: string; display_name: string | null; email: string }>;
		expect(rows.map((r) => [r.user_id, r.display_name, r.email])).toEqual([
			[w.orgAdmin.userId, 'Olga', w.orgAdmin.email],
			[second.userId, null, second.email]
		]);
	});

	it('refuses anon, outsiders and team members, leaders included', async () => {
		expectError(await w.anon.rpc('organization_admin_list', { organization_id: w.orgId }), '42501');
		for (const who of ['outsider', 'member', 'organizer', 'leader'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('organization_admin_list', { organization_id: w.orgId }),
				'P0001',
				'only an organization admin can see its admins'
			);
		}
	});
});

describe('referral_link_preview', () => {
	it('names the open team for anyone with the link, signed in or not', async () => {
		for (const client of [w.anon, w.outsider.client]) {
			const rows = ok(await client.rpc('referral_link_preview', { referral_code: ` ${code} ` }));
			expect(rows).toEqual([{ team_name: expect.any(String), valid: true, reason: null }]);
		}
	});

	it('says an unknown code is not valid and reveals nothing', async () => {
		const rows = ok(await w.anon.rpc('referral_link_preview', { referral_code: 'nope' }));
		expect(rows).toEqual([
			{
				team_name: null,
				valid: false,
				reason: 'this referral link is not valid: ask the team for a new one'
			}
		]);
	});

	it('hides an archived team’s name and says it takes no referrals', async () => {
		ok(await w.leader.client.rpc('archive_team', { team_id: w.teamId }));
		const rows = ok(await w.anon.rpc('referral_link_preview', { referral_code: code }));
		expect(rows).toEqual([
			{
				team_name: null,
				valid: false,
				reason: 'this team is archived and is not taking referrals'
			}
		]);
		ok(await w.leader.client.rpc('unarchive_team', { team_id: w.teamId }));
	});

	it('stops naming the team once the leader rotates the code', async () => {
		ok(await w.leader.client.rpc('rotate_referral_code', { team_id: w.teamId }));
		const rows = ok(await w.anon.rpc('referral_link_preview', { referral_code: code })) as Array<{
			valid: boolean;
			team_name: string | null;
		}>;
		expect(rows[0]).toMatchObject({ valid: false, team_name: null });
	});
});

describe('decide_referral: suggesting another team with a note only', () => {
	async function newReferral(): Promise<string> {
		const current = (
			ok(await w.service.from('teams').select('referral_code').eq('id', w.teamId).single()) as {
				referral_code: string;
			}
		).referral_code;
		return ok(
			await w.outsider.client.rpc('create_referral', {
				referral_code: current,
				person_name: 'Robin',
				consent: true
			})
		) as string;
	}

	it('accepts redirected with a note and no team; the referrer sees only the status', async () => {
		const id = await newReferral();
		ok(
			await w.leader.client.rpc('decide_referral', {
				referral_id: id,
				status: 'redirected',
				note: 'The Eastside tenants’ team meets nearer to them'
			})
		);
		const row = ok(
			await w.service
				.from('referrals')
				.select('status, suggested_team_id, decision_note')
				.eq('id', id)
				.single()
		);
		expect(row).toEqual({
			status: 'redirected',
			suggested_team_id: null,
			decision_note: 'The Eastside tenants’ team meets nearer to them'
		});
		const mine = ok(await w.outsider.client.rpc('my_referrals')) as Array<Record<string, unknown>>;
		expect(mine.find((r) => r.id === id)).toMatchObject({ status: 'redirected' });
		expect(JSON.stringify(mine)).not.toContain('Eastside');
	});

	it('still refuses redirected with neither a team nor a note, an unknown team, or this team', async () => {
		const id = await newReferral();
		const decide = (args: Record<string, unknown>) =>
			w.leader.client.rpc('decide_referral', { referral_id: id, status: 'redirected', ...args });
		expectError(await decide({ note: '   ' }), 'P0001', 'choose the team to suggest');
		expectError(
			await decide({ suggested_team_id: '00000000-0000-0000-0000-000000000000', note: 'x' }),
			'P0001',
			'choose the team to suggest'
		);
		expectError(
			await decide({ suggested_team_id: w.teamId }),
			'P0001',
			'suggest a team other than this one'
		);
	});

	it('stays leaders only', async () => {
		const id = await newReferral();
		for (const who of ['outsider', 'member', 'organizer', 'orgAdmin'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('decide_referral', {
					referral_id: id,
					status: 'redirected',
					note: 'elsewhere'
				}),
				'P0001',
				'only a team leader can decide on referrals'
			);
		}
	});
});
