import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
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

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
let n = 0;
const freshEmail = () => `invitee${++n}-${Date.now()}@example.org`;

async function invitationAsAdmin(id: string) {
	return ok(await w.service.from('invitations').select('*').eq('id', id).single()) as Record<
		string,
		unknown
	>;
}

async function isMember(teamId: string, user: User) {
	const { data } = await w.service
		.from('team_members')
		.select('role')
		.eq('team_id', teamId)
		.eq('user_id', user.userId);
	return (data as Array<{ role: string }>)[0]?.role ?? null;
}

describe('invitations table', () => {
	let invitationId: string;

	beforeAll(async () => {
		invitationId = (await invite(w.leader, w.teamId, { email: freshEmail() })).id;
	});

	it('anon is refused; outsiders, org admins and plain members see none', async () => {
		expectError(await w.anon.from('invitations').select('id'), '42501');
		for (const who of ['outsider', 'orgAdmin', 'member'] as const) {
			const { data, error } = await rolesOf(w)[who].client.from('invitations').select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
	});

	it.each(['organizer', 'leader'] as const)('a %s sees the team’s invitations', async (who) => {
		const { data } = await rolesOf(w)
			[who].client.from('invitations')
			.select('id, status')
			.eq('id', invitationId);
		expect(data).toEqual([{ id: invitationId, status: 'pending' }]);
	});

	it('nobody inserts or deletes directly except the service role', async () => {
		const row = {
			team_id: w.teamId,
			email: 'x@example.org',
			token_hash: sha256('x'),
			expires_at: new Date(Date.now() + 1e6).toISOString()
		};
		expectError(await w.anon.from('invitations').insert(row), '42501');
		expectError(await w.leader.client.from('invitations').insert(row), '42501');
		expectError(await w.leader.client.from('invitations').delete().eq('id', invitationId), '42501');
		const { data, error } = await w.service.from('invitations').insert(row).select('id').single();
		expect(error).toBeNull();
		const del = await w.service
			.from('invitations')
			.delete()
			.eq('id', (data as { id: string }).id)
			.select('id');
		expect(del.data).toHaveLength(1);
	});

	it('organizers, members and outsiders cannot revoke by updating', async () => {
		expectError(
			await w.anon.from('invitations').update({ status: 'revoked' }).eq('id', invitationId),
			'42501'
		);
		for (const who of ['outsider', 'orgAdmin', 'member', 'organizer'] as const) {
			const { data, error } = await rolesOf(w)
				[who].client.from('invitations')
				.update({ status: 'revoked' })
				.eq('id', invitationId)
				.select('id');
			expect(error).toBeNull();
			expect(data).toEqual([]);
		}
		expect((await invitationAsAdmin(invitationId)).status).toBe('pending');
	});

	it('a leader may only revoke through an update, nothing else', async () => {
		expectError(
			await w.leader.client
				.from('invitations')
				.update({ status: 'accepted' })
				.eq('id', invitationId),
			'P0001',
			'only a pending invitation can be revoked'
		);
		expectError(
			await w.leader.client.from('invitations').update({ role: 'leader' }).eq('id', invitationId),
			'42501'
		);
		expectError(
			await w.leader.client.from('invitations').update({ max_uses: 5 }).eq('id', invitationId),
			'42501'
		);
		const { data } = await w.leader.client
			.from('invitations')
			.update({ status: 'revoked' })
			.eq('id', invitationId)
			.select('status')
			.single();
		expect(data).toEqual({ status: 'revoked' });
		expect((await activity(stack, w.teamId)).at(-1)).toMatchObject({
			action: 'invitation.revoked',
			actor_id: w.leader.userId
		});
		expectError(
			await w.leader.client
				.from('invitations')
				.update({ status: 'pending' })
				.eq('id', invitationId),
			'P0001',
			'only a pending invitation can be revoked'
		);
	});

	it('the service role can update any column', async () => {
		const { data } = await w.service
			.from('invitations')
			.update({ status: 'expired' })
			.eq('id', invitationId)
			.select('status')
			.single();
		expect(data).toEqual({ status: 'expired' });
	});
});

describe('create_invitation', () => {
	it('returns a one-time token whose hash alone is stored, with the email normalised', async () => {
		const email = freshEmail();
		const inv = await invite(w.leader, w.teamId, {
			email: `  ${email.toUpperCase()} `,
			role: 'organizer'
		});
		expect(inv.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(inv.warning).toBeNull();
		const row = await invitationAsAdmin(inv.id);
		expect(row).toMatchObject({
			email,
			role: 'organizer',
			token_hash: sha256(inv.token),
			max_uses: 1,
			use_count: 0,
			status: 'pending',
			invited_by: w.leader.userId
		});
		expect(JSON.stringify(row)).not.toContain(inv.token);
		expect(row.last_sent_at).not.toBeNull();
		const days = (Date.parse(row.expires_at as string) - Date.now()) / 86400e3;
		expect(days).toBeGreaterThan(6.9);
		expect(days).toBeLessThan(7.1);
		expect((await activity(stack, w.teamId)).at(-1)).toMatchObject({
			action: 'invitation.created',
			actor_id: w.leader.userId,
			details: { invitation_id: inv.id, email, role: 'organizer' }
		});
	});

	it.each(['outsider', 'orgAdmin', 'member', 'organizer'] as const)(
		'a %s cannot invite',
		async (who) => {
			expectError(
				await rolesOf(w)[who].client.rpc('create_invitation', {
					team_id: w.teamId,
					email: freshEmail()
				}),
				'P0001',
				'only a team leader can invite people'
			);
		}
	);

	it('anon cannot call it', async () => {
		expectError(await w.anon.rpc('create_invitation', { team_id: w.teamId }), '42501');
	});

	it('refuses bad input with a clear message each', async () => {
		const call = (args: Record<string, unknown>) =>
			w.leader.client.rpc('create_invitation', { team_id: w.teamId, ...args });
		expectError(await call({ email: 'not an email' }), 'P0001', 'enter a valid email address');
		expectError(await call({ email: 'a@b' }), 'P0001', 'enter a valid email address');
		expectError(
			await call({ role: 'leader' }),
			'P0001',
			'a shared link cannot make someone a leader: invite them by email instead'
		);
		expectError(await call({ max_uses: 0 }), 'P0001', 'a link can be used between 1 and 50 times');
		expectError(await call({ max_uses: 51 }), 'P0001', 'a link can be used between 1 and 50 times');
		expectError(
			await call({ expires_in: '10 minutes' }),
			'P0001',
			'an invitation can last between one hour and 30 days'
		);
		expectError(
			await call({ expires_in: '31 days' }),
			'P0001',
			'an invitation can last between one hour and 30 days'
		);
	});

	it('refuses a duplicate pending invitation, whatever the case of the address', async () => {
		const email = freshEmail();
		await invite(w.leader, w.teamId, { email });
		expectError(
			await w.leader.client.rpc('create_invitation', {
				team_id: w.teamId,
				email: email.toUpperCase()
			}),
			'P0001',
			`an invitation to ${email} is already pending: resend it instead`
		);
		const { data } = await w.service.from('invitations').select('id').eq('email', email);
		expect(data).toHaveLength(1);
	});

	it('an expired invitation does not block a new one to the same address', async () => {
		const email = freshEmail();
		const old = await invite(w.leader, w.teamId, { email });
		ok(
			await w.service
				.from('invitations')
				.update({ expires_at: new Date(Date.now() - 1000).toISOString() })
				.eq('id', old.id)
		);
		const fresh = await invite(w.leader, w.teamId, { email });
		expect(fresh.id).not.toBe(old.id);
		expect((await invitationAsAdmin(old.id)).status).toBe('expired');
	});

	it('refuses to invite someone who is already a member', async () => {
		expectError(
			await w.leader.client.rpc('create_invitation', {
				team_id: w.teamId,
				email: w.member.email.toUpperCase()
			}),
			'P0001',
			'that person is already a member of this team'
		);
	});

	it('refuses invitations to an archived team', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Archived');
		ok(await lead.client.rpc('archive_team', { team_id: team }));
		expectError(
			await lead.client.rpc('create_invitation', { team_id: team, email: freshEmail() }),
			'P0001',
			'this team is archived: unarchive it before inviting anyone'
		);
	});

	it('warns from the ninth person and refuses at the cap', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Size guidance');
		await addMembers(stack, team, 6); // 7 members
		const eighth = await invite(lead, team, { email: freshEmail() });
		expect(eighth.warning).toBeNull();
		const ninth = await invite(lead, team, { email: freshEmail() });
		expect(ninth.warning).toBe(
			'this will make the team 9 people: teams work best at six to eight; consider splitting'
		);
		const link = await invite(lead, team, { max_uses: 2 });
		expect(link.warning).toBe(
			'this will make the team 11 people: teams work best at six to eight; consider splitting'
		);
		ok(await lead.client.from('teams').update({ size_cap: 9 }).eq('id', team));
		expectError(
			await lead.client.rpc('create_invitation', { team_id: team, email: freshEmail() }),
			'GW004',
			'the team is at its cap of 9 members'
		);
		expectError(
			await lead.client.rpc('create_invitation', { team_id: team }),
			'GW004',
			'the team is at its cap of 9 members'
		);
	});
});

describe('invitation_preview', () => {
	it('tells anon what a link is for and nothing more', async () => {
		ok(
			await w.leader.client
				.from('profiles')
				.update({ display_name: 'Lee' })
				.eq('id', w.leader.userId)
		);
		const email = freshEmail();
		const inv = await invite(w.leader, w.teamId, { email, role: 'organizer' });
		const { data, error } = await w.anon.rpc('invitation_preview', { token: inv.token });
		expect(error).toBeNull();
		const team = ok(await w.service.from('teams').select('name').eq('id', w.teamId).single()) as {
			name: string;
		};
		expect(data).toEqual([
			{
				team_name: team.name,
				inviter_name: 'Lee',
				role: 'organizer',
				email: `i***@example.org`,
				status: 'pending',
				expires_at: expect.any(String),
				valid: true,
				reason: null
			}
		]);
	});

	it('says why a link cannot be used', async () => {
		const { data } = await w.anon.rpc('invitation_preview', { token: 'made-up' });
		expect(data).toEqual([
			expect.objectContaining({
				team_name: null,
				valid: false,
				reason: 'this invitation link is not valid: ask the team for a new one'
			})
		]);
		const inv = await invite(w.leader, w.teamId, { email: freshEmail() });
		ok(
			await w.service
				.from('invitations')
				.update({ expires_at: new Date(Date.now() - 1000).toISOString() })
				.eq('id', inv.id)
		);
		const expired = await w.outsider.client.rpc('invitation_preview', { token: inv.token });
		expect(expired.data).toEqual([
			expect.objectContaining({
				status: 'expired',
				valid: false,
				reason: 'this invitation has expired: ask the team for a new one'
			})
		]);
	});
});

describe('accept_invitation', () => {
	it('an invitee without an account signs up and lands in the team with the invited role', async () => {
		const email = freshEmail();
		const inv = await invite(w.leader, w.teamId, { email, role: 'organizer' });
		const newcomer = await stack.signedIn(email);
		const { data, error } = await newcomer.client.rpc('accept_invitation', { token: inv.token });
		expect(error).toBeNull();
		expect(data).toBe(w.teamId);
		expect(await isMember(w.teamId, newcomer)).toBe('organizer');
		expect(await invitationAsAdmin(inv.id)).toMatchObject({ status: 'accepted', use_count: 1 });
		const { data: teams } = await newcomer.client.from('teams').select('id');
		expect(teams).toEqual([{ id: w.teamId }]);
		expect((await activity(stack, w.teamId)).slice(-2)).toMatchObject([
			{ action: 'member.joined', subject_user_id: newcomer.userId, details: { role: 'organizer' } },
			{ action: 'invitation.accepted', actor_id: newcomer.userId, subject_user_id: newcomer.userId }
		]);
		// Clicking the link again.
		expectError(
			await newcomer.client.rpc('accept_invitation', { token: inv.token }),
			'GW003',
			'you are already in this team'
		);
	});

	it('nobody can accept an invitation meant for another email', async () => {
		const inv = await invite(w.leader, w.teamId, { email: 'ana.lima@example.org' });
		expectError(
			await w.outsider.client.rpc('accept_invitation', { token: inv.token }),
			'GW002',
			'this invitation was sent to a***@example.org; sign in with that address'
		);
		expect(await isMember(w.teamId, w.outsider)).toBeNull();
		expect((await invitationAsAdmin(inv.id)).status).toBe('pending');
	});

	it('refuses a made-up token, a revoked, declined, expired or used-up invitation', async () => {
		expectError(
			await w.outsider.client.rpc('accept_invitation', { token: 'made-up' }),
			'GW001',
			'this invitation link is not valid: ask the team for a new one'
		);
		const revoked = await invite(w.leader, w.teamId, {});
		ok(await w.leader.client.rpc('revoke_invitation', { invitation_id: revoked.id }));
		expectError(
			await w.outsider.client.rpc('accept_invitation', { token: revoked.token }),
			'GW001',
			'this invitation was withdrawn: ask the team for a new one'
		);
		const expired = await invite(w.leader, w.teamId, {});
		ok(
			await w.service
				.from('invitations')
				.update({ expires_at: new Date(Date.now() - 1000).toISOString() })
				.eq('id', expired.id)
		);
		expectError(
			await w.outsider.client.rpc('accept_invitation', { token: expired.token }),
			'GW001',
			'this invitation has expired: ask the team for a new one'
		);
		expect(await isMember(w.teamId, w.outsider)).toBeNull();
	});

	it('a link is reusable up to its limit, then refused', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Link team');
		const link = await invite(lead, team, { max_uses: 2 });
		const [a, b, c] = await Promise.all([stack.signedIn(), stack.signedIn(), stack.signedIn()]);
		expect((await a.client.rpc('accept_invitation', { token: link.token })).data).toBe(team);
		expect(await invitationAsAdmin(link.id)).toMatchObject({ status: 'pending', use_count: 1 });
		expect((await b.client.rpc('accept_invitation', { token: link.token })).data).toBe(team);
		expect(await invitationAsAdmin(link.id)).toMatchObject({ status: 'accepted', use_count: 2 });
		expectError(
			await c.client.rpc('accept_invitation', { token: link.token }),
			'GW001',
			'this invitation has already been used'
		);
		expect(await isMember(team, a)).toBe('member');
		expect(await isMember(team, c)).toBeNull();
	});

	it('refuses to join an archived team or one at its cap', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Tiny');
		const link = await invite(lead, team, { max_uses: 5 });
		ok(await lead.client.rpc('archive_team', { team_id: team }));
		const joiner = await stack.signedIn();
		expectError(
			await joiner.client.rpc('accept_invitation', { token: link.token }),
			'P0001',
			'this team is archived and is not taking new members'
		);
		ok(await lead.client.rpc('unarchive_team', { team_id: team }));
		await addMembers(stack, team, 1);
		ok(await lead.client.from('teams').update({ size_cap: 2 }).eq('id', team));
		expectError(
			await joiner.client.rpc('accept_invitation', { token: link.token }),
			'GW004',
			'the team is at its cap of 2 members'
		);
		expect(await isMember(team, joiner)).toBeNull();
		expect((await invitationAsAdmin(link.id)).use_count).toBe(0);
	});

	it('concurrent joins never pass the cap', async () => {
		const lead = await stack.signedIn();
		const team = await createTeam(lead, 'Last place');
		await addMembers(stack, team, 1);
		ok(await lead.client.from('teams').update({ size_cap: 3 }).eq('id', team));
		const link = await invite(lead, team, { max_uses: 5 });
		const joiners = await Promise.all([stack.signedIn(), stack.signedIn(), stack.signedIn()]);
		const results = await Promise.all(
			joiners.map((j) => j.client.rpc('accept_invitation', { token: link.token }))
		);
		expect(results.filter((r) => r.data === team)).toHaveLength(1);
		expect(results.filter((r) => r.error?.code === 'GW004')).toHaveLength(2);
		const { count } = await w.service
			.from('team_members')
			.select('*', { count: 'exact', head: true })
			.eq('team_id', team);
		expect(count).toBe(3);
		expect((await invitationAsAdmin(link.id)).use_count).toBe(1);
	});

	it('anon cannot accept', async () => {
		const link = await invite(w.leader, w.teamId, {});
		expectError(await w.anon.rpc('accept_invitation', { token: link.token }), '42501');
	});
});

describe('decline, resend and revoke', () => {
	it('the invitee declines; the invitation then cannot be accepted', async () => {
		const email = freshEmail();
		const inv = await invite(w.leader, w.teamId, { email });
		expectError(
			await w.outsider.client.rpc('decline_invitation', { token: inv.token }),
			'GW002',
			/^this invitation was sent to i\*\*\*@example\.org; sign in with that address$/
		);
		const invitee = await stack.signedIn(email);
		ok(await invitee.client.rpc('decline_invitation', { token: inv.token }));
		expect((await invitationAsAdmin(inv.id)).status).toBe('declined');
		expect((await activity(stack, w.teamId)).at(-1)).toMatchObject({
			action: 'invitation.declined',
			actor_id: invitee.userId
		});
		expectError(
			await invitee.client.rpc('accept_invitation', { token: inv.token }),
			'GW001',
			'this invitation was declined'
		);
		expectError(
			await invitee.client.rpc('decline_invitation', { token: inv.token }),
			'GW001',
			'this invitation is no longer open'
		);
	});

	it('a shared link cannot be declined', async () => {
		const link = await invite(w.leader, w.teamId, {});
		expectError(
			await w.outsider.client.rpc('decline_invitation', { token: link.token }),
			'P0001',
			'a shared link cannot be declined: simply do not use it'
		);
		expect((await invitationAsAdmin(link.id)).status).toBe('pending');
	});

	it('resend waits a minute, then issues a new token and the old one stops working', async () => {
		const email = freshEmail();
		const inv = await invite(w.leader, w.teamId, { email });
		expectError(
			await w.leader.client.rpc('resend_invitation', { invitation_id: inv.id }),
			'P0001',
			'this invitation was sent less than a minute ago: wait a moment before resending'
		);
		expectError(
			await w.organizer.client.rpc('resend_invitation', { invitation_id: inv.id }),
			'P0001',
			'only a team leader can resend invitations'
		);
		const past = new Date(Date.now() - 3 * 86400e3).toISOString();
		ok(
			await w.service
				.from('invitations')
				.update({ last_sent_at: past, expires_at: new Date(Date.now() - 1000).toISOString() })
				.eq('id', inv.id)
		);
		const { data: token, error } = await w.leader.client.rpc('resend_invitation', {
			invitation_id: inv.id
		});
		expect(error).toBeNull();
		expect(token).not.toBe(inv.token);
		const row = await invitationAsAdmin(inv.id);
		expect(row.token_hash).toBe(sha256(token as string));
		expect(row.status).toBe('pending');
		// The validity period restarts (the original was three days minus a second).
		expect(Date.parse(row.expires_at as string)).toBeGreaterThan(Date.now() + 2.9 * 86400e3);
		const stale = await w.anon.rpc('invitation_preview', { token: inv.token });
		expect(stale.data).toEqual([
			expect.objectContaining({
				valid: false,
				reason: 'this invitation link is not valid: ask the team for a new one'
			})
		]);
		const invitee = await stack.signedIn(email);
		expect((await invitee.client.rpc('accept_invitation', { token })).data).toBe(w.teamId);
	});

	it('revoke: leaders only, pending only', async () => {
		const inv = await invite(w.leader, w.teamId, { email: freshEmail() });
		expectError(
			await w.organizer.client.rpc('revoke_invitation', { invitation_id: inv.id }),
			'P0001',
			'only a team leader can revoke invitations'
		);
		ok(await w.leader.client.rpc('revoke_invitation', { invitation_id: inv.id }));
		expect((await invitationAsAdmin(inv.id)).status).toBe('revoked');
		expectError(
			await w.leader.client.rpc('revoke_invitation', { invitation_id: inv.id }),
			'P0001',
			'only a pending invitation can be revoked'
		);
		expectError(
			await w.leader.client.rpc('resend_invitation', { invitation_id: inv.id }),
			'P0001',
			'only a pending or expired invitation can be resent'
		);
	});
});
