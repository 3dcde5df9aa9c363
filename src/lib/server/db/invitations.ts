import type { SupabaseClient } from '@supabase/supabase-js';
import type { TeamRole } from '$lib/schemas/invitation.ts';

export interface Invitation {
	id: string;
	email: string | null;
	role: TeamRole;
	status: 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';
	expires_at: string;
	max_uses: number;
	use_count: number;
	last_sent_at: string | null;
	created_at: string;
}

export interface CreatedInvitation {
	id: string;
	token: string;
	/** Set when the team would pass eight people. */
	warning: string | null;
}

export interface InvitationPreview {
	team_name: string | null;
	inviter_name: string | null;
	role: TeamRole | null;
	email: string | null;
	status: Invitation['status'] | null;
	expires_at: string | null;
	valid: boolean;
	reason: string | null;
}

/** What a signed-in visitor of an invitation link may see before joining. */
export interface InvitationForVisitor {
	/** Set only when they are already a member. */
	team_id: string | null;
	/** Why they cannot join with this link (another address, already a member). */
	problem: string | null;
	agreement_version: number | null;
	agreement_purpose: string | null;
	agreement_ground_rules: string | null;
	agreement_published_at: string | null;
}

const COLUMNS =
	'id, email, role, status, expires_at, max_uses, use_count, last_sent_at, created_at';

/** Open invitations (pending, or expired and so resendable), newest first. Leaders and organizers. */
export async function listOpen(supabase: SupabaseClient, teamId: string): Promise<Invitation[]> {
	const { data, error } = await supabase
		.from('invitations')
		.select(COLUMNS)
		.eq('team_id', teamId)
		.in('status', ['pending', 'expired'])
		.order('created_at', { ascending: false });
	if (error) throw error;
	return data as Invitation[];
}

export async function get(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Invitation | null> {
	const { data, error } = await supabase
		.from('invitations')
		.select(COLUMNS)
		.eq('team_id', teamId)
		.eq('id', id)
		.maybeSingle<Invitation>();
	if (error) throw error;
	return data;
}

export async function create(
	supabase: SupabaseClient,
	teamId: string,
	input: { email?: string | null; role: TeamRole; max_uses?: number; expires_days?: number }
): Promise<CreatedInvitation> {
	const { data, error } = await supabase.rpc('create_invitation', {
		team_id: teamId,
		email: input.email ?? null,
		role: input.role,
		max_uses: input.max_uses ?? 1,
		expires_in: `${input.expires_days ?? 7} days`
	});
	if (error) throw error;
	return (data as CreatedInvitation[])[0];
}

/** A new token for a pending or expired invitation (the old link stops working). */
export async function resend(supabase: SupabaseClient, id: string): Promise<string> {
	const { data, error } = await supabase.rpc('resend_invitation', { invitation_id: id });
	if (error) throw error;
	return data as string;
}

export async function revoke(supabase: SupabaseClient, id: string): Promise<void> {
	const { error } = await supabase.rpc('revoke_invitation', { invitation_id: id });
	if (error) throw error;
}

/** Anyone holding the link, signed in or not. */
export async function preview(supabase: SupabaseClient, token: string): Promise<InvitationPreview> {
	const { data, error } = await supabase.rpc('invitation_preview', { token });
	if (error) throw error;
	return (data as InvitationPreview[])[0];
}

export async function forVisitor(
	supabase: SupabaseClient,
	token: string
): Promise<InvitationForVisitor | null> {
	const { data, error } = await supabase.rpc('invitation_agreement', { token });
	if (error) throw error;
	return (data as InvitationForVisitor[])[0] ?? null;
}

/** Joins the team; returns its id. */
export async function accept(supabase: SupabaseClient, token: string): Promise<string> {
	const { data, error } = await supabase.rpc('accept_invitation', { token });
	if (error) throw error;
	return data as string;
}

export async function decline(supabase: SupabaseClient, token: string): Promise<void> {
	const { error } = await supabase.rpc('decline_invitation', { token });
	if (error) throw error;
}
