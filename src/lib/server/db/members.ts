import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { TeamRole } from '$lib/schemas/invitation.ts';
import * as dbErrors from './errors.ts';

export interface Member {
	user_id: string;
	role: TeamRole;
	joined_at: string;
	display_name: string | null;
}

/**
 * The database functions' refusals this area can meet, in the visitor's language. The database
 * speaks plain lowercase English; an unmapped sentence is shown as it is, capitalised.
 */
const KNOWN: dbErrors.KnownMessages = [
	[
		/^a team needs at least one leader: hand over leadership first$/,
		() => m.members_db_last_leader()
	],
	[/^only a team leader can /, () => m.members_db_leader_only()],
	[/^that person is not a member of this team$/, () => m.members_db_not_member()],
	[/^that person is already a member of this team$/, () => m.invite_db_already_member()],
	[
		/^an invitation to (.+) is already pending: resend it instead$/,
		(x) => m.invite_db_pending({ email: x[1] })
	],
	[/^the team is at its cap of (\d+) members$/, (x) => m.invite_db_cap({ cap: x[1] })],
	[
		/^this will make the team (\d+) people: teams work best at six to eight; consider splitting$/,
		(x) => m.invite_db_size_warning({ size: x[1] })
	],
	[
		/^this invitation was sent to (\S+); sign in with that address$/,
		(x) => m.invite_db_wrong_email({ email: x[1] })
	],
	[/^you are already in this team$/, () => m.invite_db_already_in()],
	[
		/^this invitation link is not valid: ask the team for a new one$/,
		() => m.invite_link_not_valid()
	],
	[/^this invitation was withdrawn: ask the team for a new one$/, () => m.invite_db_revoked()],
	[/^this invitation was declined$/, () => m.invite_db_declined()],
	[/^this invitation has already been used$/, () => m.invite_db_used()],
	[/^this invitation has expired: ask the team for a new one$/, () => m.invite_db_expired()],
	[/^this team is archived and is not taking new members$/, () => m.invite_db_archived()],
	[
		/^this team is archived: unarchive it before inviting anyone$/,
		() => m.invite_db_archived_invite()
	],
	[
		/^this invitation was sent less than a minute ago: wait a moment before resending$/,
		() => m.invite_db_resend_wait()
	],
	[/^only a pending or expired invitation can be resent$/, () => m.invite_db_resend_state()],
	[/^only a pending invitation can be revoked$/, () => m.invite_db_revoke_state()],
	[/^this invitation is no longer open$/, () => m.invite_db_not_open()],
	[/^a shared link cannot be declined: simply do not use it$/, () => m.invite_db_link_decline()],
	[/^enter a valid email address$/, () => m.invite_db_email()],
	[
		/^this is not the current version of the agreement: read the latest one and accept it$/,
		() => m.agreement_db_old_version()
	],
	[/^only a member of the team can accept its agreement$/, () => m.agreement_db_member_only()],
	[/^the ground rules cannot be empty$/, () => m.agreement_error_rules_empty()],
	[/^the ground rules can be at most 5000 characters$/, () => m.agreement_error_rules_long()],
	[/^the purpose can be at most 2000 characters$/, () => m.agreement_error_purpose_long()]
];

/** A database sentence in the visitor's language (or as it is, capitalised, when unknown). */
export function translateDbMessage(text: string): string {
	return dbErrors.translateDbMessage(text, KNOWN);
}

/**
 * Database functions raise plain sentences (SQLSTATE P0001, or GW001–GW004 for the invitation
 * cases): a user's mistake, to show beside the form. Anything else (null here) is a real failure
 * and stays an exception (a 500 with a reference).
 */
export function userMessage(error: unknown): string | null {
	return dbErrors.userMessage(error, KNOWN);
}

/** The team's members, leaders first, then by joining date. RLS shows teammates only. */
export async function list(supabase: SupabaseClient, teamId: string): Promise<Member[]> {
	const { data, error } = await supabase
		.from('team_members')
		.select('user_id, role, joined_at, profiles(display_name)')
		.eq('team_id', teamId)
		.order('joined_at');
	if (error) throw error;
	const order: Record<TeamRole, number> = { leader: 0, organizer: 1, member: 2 };
	return (
		data as unknown as Array<{
			user_id: string;
			role: TeamRole;
			joined_at: string;
			profiles: { display_name: string | null } | null;
		}>
	)
		.map((r) => ({
			user_id: r.user_id,
			role: r.role,
			joined_at: r.joined_at,
			display_name: r.profiles?.display_name ?? null
		}))
		.sort((a, b) => order[a.role] - order[b.role]);
}

export async function changeRole(
	supabase: SupabaseClient,
	teamId: string,
	userId: string,
	role: TeamRole
): Promise<void> {
	const { error } = await supabase.rpc('change_member_role', {
		team_id: teamId,
		user_id: userId,
		role
	});
	if (error) throw error;
}

/** A leader removes someone, or anyone removes themself (leaving). */
export async function remove(
	supabase: SupabaseClient,
	teamId: string,
	userId: string
): Promise<void> {
	const { error } = await supabase.rpc('remove_member', { team_id: teamId, user_id: userId });
	if (error) throw error;
}
