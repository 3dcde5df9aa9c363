import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { expectError, invite, ok, teamWorld, type TeamWorld } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
});

afterAll(async () => {
	await stack?.stop();
});

type Row = {
	team_id: string | null;
	problem: string | null;
	agreement_version: number | null;
	agreement_purpose: string | null;
	agreement_ground_rules: string | null;
	agreement_published_at: string | null;
};

const RULES = 'What is said here stays here.';

describe('invitation_agreement', () => {
	it('anon may not call it', async () => {
		const { token } = await invite(w.leader, w.teamId, { max_uses: 5 });
		expectError(await w.anon.rpc('invitation_agreement', { token }), '42501');
	});

	it('gives no row for an unknown token', async () => {
		const outsider = await stack.signedIn();
		const rows = ok(await outsider.client.rpc('invitation_agreement', { token: 'nope' })) as Row[];
		expect(rows).toEqual([]);
	});

	it('shows the current agreement to whoever can join, and none when there is none', async () => {
		const { token } = await invite(w.leader, w.teamId, { max_uses: 5 });
		const newcomer = await stack.signedIn();
		let rows = ok(await newcomer.client.rpc('invitation_agreement', { token })) as Row[];
		expect(rows).toHaveLength(1);
		expect(rows[0].problem).toBeNull();
		expect(rows[0].agreement_version).toBeNull();

		ok(
			await w.leader.client.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: 'First',
				ground_rules: 'Old rules'
			})
		);
		ok(
			await w.leader.client.rpc('publish_agreement', {
				team_id: w.teamId,
				purpose: 'Why we meet',
				ground_rules: RULES
			})
		);
		rows = ok(await newcomer.client.rpc('invitation_agreement', { token })) as Row[];
		expect(rows[0]).toMatchObject({
			team_id: null,
			problem: null,
			agreement_version: 2,
			agreement_purpose: 'Why we meet',
			agreement_ground_rules: RULES
		});
		// Reading it does not make them a member: the team stays closed to them.
		const { data } = await newcomer.client.from('team_agreements').select('id');
		expect(data).toEqual([]);
	});

	it('tells someone signed in with another address which one to use, without the agreement', async () => {
		const { token } = await invite(w.leader, w.teamId, { email: 'mira@example.org' });
		const other = await stack.signedIn();
		const rows = ok(await other.client.rpc('invitation_agreement', { token })) as Row[];
		expect(rows).toEqual([
			{
				team_id: null,
				problem: 'this invitation was sent to m***@example.org; sign in with that address',
				agreement_version: null,
				agreement_purpose: null,
				agreement_ground_rules: null,
				agreement_published_at: null
			}
		]);
	});

	it('gives a member the team id to go to', async () => {
		const { token } = await invite(w.leader, w.teamId, { max_uses: 5 });
		const rows = ok(await w.member.client.rpc('invitation_agreement', { token })) as Row[];
		expect(rows).toEqual([
			expect.objectContaining({ team_id: w.teamId, problem: 'you are already in this team' })
		]);
	});

	it('hides the agreement behind a revoked or used-up link', async () => {
		const revoked = await invite(w.leader, w.teamId, { max_uses: 5 });
		ok(await w.leader.client.rpc('revoke_invitation', { invitation_id: revoked.id }));
		const once = await invite(w.leader, w.teamId, { max_uses: 1 });
		const first = await stack.signedIn();
		ok(await first.client.rpc('accept_invitation', { token: once.token }));
		const second = await stack.signedIn();
		for (const token of [revoked.token, once.token]) {
			expect(ok(await second.client.rpc('invitation_agreement', { token }))).toEqual([]);
		}
	});
});
