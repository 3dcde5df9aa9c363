import type { SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import type { TestStack } from './stack.ts';

/** A signed-in test user, as returned by `stack.signedIn()`. */
export type User = { client: SupabaseClient; userId: string; email: string };

export type TeamRole = 'leader' | 'organizer' | 'member';

/** Everyone the RLS matrix is run as, around one team hosted by one organization. */
export interface TeamWorld {
	teamId: string;
	orgId: string;
	leader: User;
	organizer: User;
	member: User;
	outsider: User;
	orgAdmin: User;
	anon: SupabaseClient;
	service: SupabaseClient;
}

type Result<T> = {
	data: T | null;
	error: { code?: string; message: string; hint?: string | null } | null;
};

/** Returns the data or throws the PostgREST error, so setup failures point at the cause. */
export function ok<T>(result: Result<T>): T {
	if (result.error) throw new Error(`${result.error.code}: ${result.error.message}`);
	return result.data as T;
}

/** Asserts the call failed with this SQLSTATE and (optionally) exactly this message. */
export function expectError(
	result: Result<unknown>,
	code: string,
	message?: string | RegExp
): void {
	expect(result.error, 'expected an error').not.toBeNull();
	expect(result.error!.code).toBe(code);
	if (typeof message === 'string') expect(result.error!.message).toBe(message);
	else if (message) expect(result.error!.message).toMatch(message);
}

let teamCounter = 0;

/** Creates a team through `create_team` as `leader` and returns its id. */
export async function createTeam(
	leader: User,
	name = `Team ${++teamCounter}`,
	opts: { purpose?: string; focus_area?: string; organization_join_code?: string } = {}
): Promise<string> {
	return ok(await leader.client.rpc('create_team', { name, ...opts })) as string;
}

/** Puts `user` in the team with `role` directly through the service role (fast setup). */
export async function addMember(
	stack: TestStack,
	teamId: string,
	user: User,
	role: TeamRole = 'member'
): Promise<void> {
	ok(
		await stack.admin().from('team_members').insert({ team_id: teamId, user_id: user.userId, role })
	);
}

/** Creates `n` users and adds them to the team as members. */
export async function addMembers(stack: TestStack, teamId: string, n: number): Promise<User[]> {
	const users = await Promise.all(Array.from({ length: n }, () => stack.signedIn()));
	if (users.length) {
		ok(
			await stack
				.admin()
				.from('team_members')
				.insert(users.map((u) => ({ team_id: teamId, user_id: u.userId, role: 'member' })))
		);
	}
	return users;
}

/** Creates an organization as `admin` and returns its id and join code. */
export async function createOrganization(
	admin: User,
	name = `Org ${++teamCounter}`
): Promise<{ orgId: string; joinCode: string }> {
	const orgId = ok(await admin.client.rpc('create_organization', { name })) as string;
	const row = ok(
		await admin.client.from('organizations').select('join_code').eq('id', orgId).single()
	);
	return { orgId, joinCode: (row as unknown as { join_code: string }).join_code };
}

/** Creates an invitation as `leader`; returns id, the one-time token and any size warning. */
export async function invite(
	leader: User,
	teamId: string,
	opts: { email?: string | null; role?: TeamRole; max_uses?: number; expires_in?: string } = {}
): Promise<{ id: string; token: string; warning: string | null }> {
	const rows = ok(
		await leader.client.rpc('create_invitation', { team_id: teamId, ...opts })
	) as Array<{
		id: string;
		token: string;
		warning: string | null;
	}>;
	return rows[0];
}

/**
 * One team with a leader, an organizer and a member, hosted by an organization whose admin is not
 * in the team, plus an outsider: the cast of every RLS test.
 */
export async function teamWorld(stack: TestStack): Promise<TeamWorld> {
	const [leader, organizer, member, outsider, orgAdmin] = await Promise.all([
		stack.signedIn(),
		stack.signedIn(),
		stack.signedIn(),
		stack.signedIn(),
		stack.signedIn()
	]);
	const { joinCode, orgId } = await createOrganization(orgAdmin);
	const teamId = await createTeam(leader, `World team ${++teamCounter}`, {
		organization_join_code: joinCode
	});
	await addMember(stack, teamId, organizer, 'organizer');
	await addMember(stack, teamId, member, 'member');
	return {
		teamId,
		orgId,
		leader,
		organizer,
		member,
		outsider,
		orgAdmin,
		anon: stack.client(),
		service: stack.admin()
	};
}

/** The signed-in roles of a world by name, for table-driven tests. */
export function rolesOf(
	w: TeamWorld
): Record<'outsider' | 'member' | 'organizer' | 'leader' | 'orgAdmin', User> {
	return {
		outsider: w.outsider,
		member: w.member,
		organizer: w.organizer,
		leader: w.leader,
		orgAdmin: w.orgAdmin
	};
}

/** The team's activity log as the service role, oldest first. */
export async function activity(
	stack: TestStack,
	teamId: string
): Promise<
	Array<{
		action: string;
		actor_id: string | null;
		subject_user_id: string | null;
		details: Record<string, unknown>;
	}>
> {
	return ok(
		await stack
			.admin()
			.from('activity_log')
			.select('action, actor_id, subject_user_id, details')
			.eq('team_id', teamId)
			.order('id')
	) as Array<{
		action: string;
		actor_id: string | null;
		subject_user_id: string | null;
		details: Record<string, unknown>;
	}>;
}
