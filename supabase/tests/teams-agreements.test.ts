import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { activity, expectError, ok, rolesOf, teamWorld, type TeamWorld } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
});

afterAll(async () => {
	await stack?.stop();
});

const RULES = 'What is said here stays here. One voice at a time.';

describe('publish_agreement', () => {
	it('only leaders publish', async () => {
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('publish_agreement', {
					team_id: w.teamId,
					purpose: null,
					ground_rules: RULES
				}),
				'P0001',
				'only a team leader can publish the agreement'
			);
		}
		expectError(
			await w.anon.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: null,
				ground_rules: RULES
			}),
			'42501'
		);
	});

	it('refuses empty or too long ground rules and a too long purpose', async () => {
		const publish = (args: Record<string, unknown>) =>
			w.leader.client.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: null,
				ground_rules: RULES,
				...args
			});
		expectError(
			await publish({ ground_rules: ' \n ' }),
			'P0001',
			'the ground rules cannot be empty'
		);
		expectError(
			await publish({ ground_rules: 'x'.repeat(5001) }),
			'P0001',
			'the ground rules can be at most 5000 characters'
		);
		expectError(
			await publish({ purpose: 'x'.repeat(2001) }),
			'P0001',
			'the purpose can be at most 2000 characters'
		);
		expect(
			(await w.service.from('team_agreements').select('id').eq('team_id', w.teamId)).data
		).toEqual([]);
	});

	it('publishes version 1, accepted by its author, and logs it', async () => {
		const { data, error } = await w.leader.client.rpc('publish_agreement', {
			team_id: w.teamId,
			purpose: ' Better buses ',
			ground_rules: RULES
		});
		expect(error).toBeNull();
		expect(data).toBe(1);
		const { data: acc } = await w.leader.client
			.from('agreement_acceptances')
			.select('user_id, version');
		expect(acc).toEqual([{ user_id: w.leader.userId, version: 1 }]);
		const actions = (await activity(stack, w.teamId)).slice(-2);
		expect(actions).toMatchObject([
			{ action: 'agreement.published', actor_id: w.leader.userId, details: { version: 1 } },
			{ action: 'agreement.accepted', subject_user_id: w.leader.userId, details: { version: 1 } }
		]);
	});
});

describe('team_agreements and agreement_acceptances tables', () => {
	it.each(['member', 'organizer', 'leader'] as const)(
		'a %s reads the agreement and acceptances',
		async (who) => {
			const c = rolesOf(w)[who].client;
			const { data } = await c.from('team_agreements').select('version, purpose, ground_rules');
			expect(data).toEqual([{ version: 1, purpose: 'Better buses', ground_rules: RULES }]);
			expect((await c.from('agreement_acceptances').select('user_id')).data).toEqual([
				{ user_id: w.leader.userId }
			]);
		}
	);

	it('anon is refused; outsiders and org admins see nothing', async () => {
		for (const table of ['team_agreements', 'agreement_acceptances']) {
			expectError(await w.anon.from(table).select('team_id'), '42501');
			for (const who of ['outsider', 'orgAdmin'] as const) {
				const { data, error } = await rolesOf(w)[who].client.from(table).select('team_id');
				expect(error).toBeNull();
				expect(data).toEqual([]);
			}
		}
	});

	it('nobody writes either table directly, leaders included', async () => {
		const c = w.leader.client;
		expectError(
			await c.from('team_agreements').insert({ team_id: w.teamId, version: 9, ground_rules: 'x' }),
			'42501'
		);
		expectError(
			await c.from('team_agreements').update({ ground_rules: 'rewritten' }).eq('team_id', w.teamId),
			'42501'
		);
		expectError(await c.from('team_agreements').delete().eq('team_id', w.teamId), '42501');
		expectError(
			await w.member.client
				.from('agreement_acceptances')
				.insert({ team_id: w.teamId, user_id: w.member.userId, version: 1 }),
			'42501'
		);
		expectError(
			await c.from('agreement_acceptances').update({ version: 1 }).eq('team_id', w.teamId),
			'42501'
		);
		expectError(await c.from('agreement_acceptances').delete().eq('team_id', w.teamId), '42501');
		expectError(
			await w.anon
				.from('team_agreements')
				.insert({ team_id: w.teamId, version: 9, ground_rules: 'x' }),
			'42501'
		);
		const { data } = await w.service
			.from('team_agreements')
			.select('ground_rules')
			.eq('team_id', w.teamId);
		expect(data).toEqual([{ ground_rules: RULES }]);
	});

	it('the service role can write both', async () => {
		ok(
			await w.service
				.from('team_agreements')
				.insert({ team_id: w.teamId, version: 99, ground_rules: 'svc' })
		);
		ok(
			await w.service
				.from('agreement_acceptances')
				.insert({ team_id: w.teamId, user_id: w.member.userId, version: 99 })
		);
		ok(
			await w.service
				.from('agreement_acceptances')
				.delete()
				.match({ team_id: w.teamId, version: 99 })
		);
		const del = await w.service
			.from('team_agreements')
			.delete()
			.match({ team_id: w.teamId, version: 99 })
			.select('version');
		expect(del.data).toEqual([{ version: 99 }]);
	});
});

describe('accept_agreement', () => {
	it('a member accepts the current version, once', async () => {
		let o = (await w.member.client.rpc('team_overview', { team_id: w.teamId })).data as Record<
			string,
			unknown
		>;
		expect(o).toMatchObject({ agreement_version: 1, agreement_accepted: false });
		ok(await w.member.client.rpc('accept_agreement', { team_id: w.teamId, version: 1 }));
		ok(await w.member.client.rpc('accept_agreement', { team_id: w.teamId, version: 1 }));
		o = (await w.member.client.rpc('team_overview', { team_id: w.teamId })).data as Record<
			string,
			unknown
		>;
		expect(o).toMatchObject({ agreement_version: 1, agreement_accepted: true });
		const { data } = await w.service
			.from('agreement_acceptances')
			.select('version')
			.match({ team_id: w.teamId, user_id: w.member.userId });
		expect(data).toEqual([{ version: 1 }]);
	});

	it('outsiders and org admins cannot accept; a missing version is refused', async () => {
		for (const who of ['outsider', 'orgAdmin'] as const) {
			expectError(
				await rolesOf(w)[who].client.rpc('accept_agreement', { team_id: w.teamId, version: 1 }),
				'P0001',
				'only a member of the team can accept its agreement'
			);
		}
		expectError(
			await w.organizer.client.rpc('accept_agreement', { team_id: w.teamId, version: 7 }),
			'P0001',
			'this is not the current version of the agreement: read the latest one and accept it'
		);
		expectError(await w.anon.rpc('accept_agreement', { team_id: w.teamId, version: 1 }), '42501');
	});

	it('a new version must be accepted again; the old one no longer counts', async () => {
		expect(
			(
				await w.leader.client.rpc('publish_agreement', {
					team_id: w.teamId,
					purpose: null,
					ground_rules: `${RULES} Phones away.`
				})
			).data
		).toBe(2);
		const o = (await w.member.client.rpc('team_overview', { team_id: w.teamId })).data as Record<
			string,
			unknown
		>;
		expect(o).toMatchObject({ agreement_version: 2, agreement_accepted: false });
		expectError(
			await w.member.client.rpc('accept_agreement', { team_id: w.teamId, version: 1 }),
			'P0001',
			'this is not the current version of the agreement: read the latest one and accept it'
		);
		ok(await w.member.client.rpc('accept_agreement', { team_id: w.teamId, version: 2 }));
		expect(
			(
				(await w.member.client.rpc('team_overview', { team_id: w.teamId })).data as Record<
					string,
					unknown
				>
			).agreement_accepted
		).toBe(true);
		expect((await activity(stack, w.teamId)).at(-1)).toMatchObject({
			action: 'agreement.accepted',
			actor_id: w.member.userId,
			subject_user_id: w.member.userId,
			details: { version: 2 }
		});
	});
});
