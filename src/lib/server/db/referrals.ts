import type { SupabaseClient } from '@supabase/supabase-js';
import type { DecideReferralInput, ReferralInput } from '$lib/schemas/referral.ts';

export type ReferralStatus = 'pending' | 'accepted' | 'waitlisted' | 'redirected' | 'declined';

/** What a leader sees of a referral to their team (RLS: leaders only). */
export interface Referral {
	id: string;
	person_name: string;
	person_email: string | null;
	person_contact_note: string | null;
	status: ReferralStatus;
	decision_note: string | null;
	created_at: string;
	decided_at: string | null;
}

/** What a referrer sees: the status only, never the team's content or the leader's note. */
export interface MyReferral {
	id: string;
	team_name: string;
	person_name: string;
	status: ReferralStatus;
	created_at: string;
	decided_at: string | null;
}

export interface ReferralLinkPreview {
	team_name: string | null;
	valid: boolean;
	reason: string | null;
}

/** The team a referral link points to, or why it does not work; callable signed out. */
export async function preview(
	supabase: SupabaseClient,
	code: string
): Promise<ReferralLinkPreview> {
	const { data, error } = await supabase.rpc('referral_link_preview', { referral_code: code });
	if (error) throw error;
	return (data as ReferralLinkPreview[])[0];
}

export async function create(
	supabase: SupabaseClient,
	code: string,
	input: ReferralInput
): Promise<string> {
	const { data, error } = await supabase.rpc('create_referral', {
		referral_code: code,
		person_name: input.person_name,
		person_email: input.person_email,
		person_contact_note: input.person_contact_note,
		consent: input.consent
	});
	if (error) throw error;
	return data as string;
}

export async function listForTeam(supabase: SupabaseClient, teamId: string): Promise<Referral[]> {
	const { data, error } = await supabase
		.from('referrals')
		.select(
			'id, person_name, person_email, person_contact_note, status, decision_note, created_at, decided_at'
		)
		.eq('team_id', teamId)
		.order('created_at', { ascending: true })
		.returns<Referral[]>();
	if (error) throw error;
	return data;
}

/** Decides on a referral to this team; false when no such referral is in this team's inbox. */
export async function decide(
	supabase: SupabaseClient,
	teamId: string,
	input: DecideReferralInput
): Promise<boolean> {
	const { data: found, error: findError } = await supabase
		.from('referrals')
		.select('id')
		.eq('id', input.referral_id)
		.eq('team_id', teamId)
		.maybeSingle();
	if (findError) throw findError;
	if (!found) return false;
	const { error } = await supabase.rpc('decide_referral', {
		referral_id: input.referral_id,
		status: input.status,
		suggested_team_id: input.status === 'redirected' ? input.suggested_team_id : null,
		note: input.note
	});
	if (error) throw error;
	return true;
}

export async function mine(supabase: SupabaseClient): Promise<MyReferral[]> {
	const { data, error } = await supabase.rpc('my_referrals');
	if (error) throw error;
	return data as MyReferral[];
}

/** The team's current referral code (members can read their team; the page is for leaders). */
export async function referralCode(supabase: SupabaseClient, teamId: string): Promise<string> {
	const { data, error } = await supabase
		.from('teams')
		.select('referral_code')
		.eq('id', teamId)
		.single<{ referral_code: string }>();
	if (error) throw error;
	return data.referral_code;
}

/** A new code: the old link stops working at once. */
export async function rotateCode(supabase: SupabaseClient, teamId: string): Promise<string> {
	const { data, error } = await supabase.rpc('rotate_referral_code', { team_id: teamId });
	if (error) throw error;
	return data as string;
}

/** The user's other teams, where a leader can suggest a referred person go instead. */
export async function otherTeams(
	supabase: SupabaseClient,
	userId: string,
	teamId: string
): Promise<Array<{ id: string; name: string }>> {
	const { data, error } = await supabase
		.from('team_members')
		.select('team_id, teams(name, archived_at)')
		.eq('user_id', userId)
		.neq('team_id', teamId)
		.returns<Array<{ team_id: string; teams: { name: string; archived_at: string | null } }>>();
	if (error) throw error;
	return data
		.filter((r) => r.teams && !r.teams.archived_at)
		.map((r) => ({ id: r.team_id, name: r.teams.name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
