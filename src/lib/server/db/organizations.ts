import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { OrganizationInput } from '$lib/schemas/organization.ts';
import * as dbErrors from './errors.ts';

export interface Organization {
	id: string;
	name: string;
	description: string | null;
	join_code: string;
	created_at: string;
}

export interface OrganizationAdmin {
	user_id: string;
	display_name: string | null;
	email: string;
	created_at: string;
}

/** Per attached team, figures only: no member identities and no team content exist in this shape. */
export interface TeamSummary {
	team_id: string;
	team_name: string;
	member_count: number;
	size_status: string;
	archived: boolean;
	created_at: string;
	last_activity_at: string | null;
	pending_referrals: number;
	waitlisted_referrals: number;
	has_room: boolean;
}

export interface TeamWithRoom {
	team_id: string;
	team_name: string;
	free_places: number;
	referral_code: string;
}

const COLUMNS = 'id, name, description, join_code, created_at';

/**
 * A database function's refusal (SQLSTATE P0001, or the GW0xx codes) is a plain sentence meant for
 * the user; anything else is a fault and is rethrown. Known sentences are shown in the visitor's
 * language; others as the database wrote them, capitalised.
 */
export function userMessage(error: unknown): string {
	const text = dbErrors.userMessage(error, KNOWN);
	if (text === null) throw error;
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

const KNOWN: dbErrors.KnownMessages = [
	[/^that join code does not match any organization$/, () => m.org_error_join_code()],
	[
		/^no account uses that email address: ask them to sign up first$/,
		() => m.org_error_no_account()
	],
	[/^that person is already an admin of this organization$/, () => m.org_error_already_admin()],
	[
		/^an organization needs at least one admin: add another admin first$/,
		() => m.org_error_last_admin()
	],
	[/^only a team leader can change the team's organization$/, () => m.org_error_leader_only()],
	[/^enter a valid email address$/, () => m.org_error_email()],
	[
		/^this referral link is not valid: ask the team for a new one$/,
		() => m.referral_error_link_invalid()
	],
	[/^this team is archived and is not taking referrals$/, () => m.referral_error_archived()],
	[/^the person must agree to be referred$/, () => m.referral_error_consent()],
	[/^choose the team to suggest$/, () => m.referral_error_choose_team()],
	[/^suggest a team other than this one$/, () => m.referral_error_other_team()],
	[/^only a team leader can decide on referrals$/, () => m.referral_error_leader_only()],
	[/^only a team leader can change the referral link$/, () => m.referral_error_leader_only()]
];

/** The organizations the user administers (RLS shows admins only their own). */
export async function listMine(supabase: SupabaseClient): Promise<Organization[]> {
	const { data, error } = await supabase
		.from('organizations')
		.select(COLUMNS)
		.order('name')
		.returns<Organization[]>();
	if (error) throw error;
	return data;
}

/** One organization, or null when it does not exist or the user is not its admin. */
export async function get(supabase: SupabaseClient, id: string): Promise<Organization | null> {
	const { data, error } = await supabase
		.from('organizations')
		.select(COLUMNS)
		.eq('id', id)
		.maybeSingle<Organization>();
	if (error) throw error;
	return data;
}

/** Creates the organization with the caller as its first admin; returns its id. */
export async function create(supabase: SupabaseClient, input: OrganizationInput): Promise<string> {
	const { data, error } = await supabase.rpc('create_organization', {
		name: input.name,
		description: input.description
	});
	if (error) throw error;
	return data as string;
}

export async function update(
	supabase: SupabaseClient,
	id: string,
	input: OrganizationInput
): Promise<void> {
	const { error } = await supabase
		.from('organizations')
		.update({ name: input.name, description: input.description })
		.eq('id', id);
	if (error) throw error;
}

/** Deletes the organization; its teams stay and are detached (organization_id set null). */
export async function remove(supabase: SupabaseClient, id: string): Promise<void> {
	const { error } = await supabase.from('organizations').delete().eq('id', id);
	if (error) throw error;
}

export async function listAdmins(
	supabase: SupabaseClient,
	organizationId: string
): Promise<OrganizationAdmin[]> {
	const { data, error } = await supabase.rpc('organization_admin_list', {
		organization_id: organizationId
	});
	if (error) throw error;
	return data as OrganizationAdmin[];
}

export async function addAdmin(
	supabase: SupabaseClient,
	organizationId: string,
	email: string
): Promise<void> {
	const { error } = await supabase.rpc('add_organization_admin', {
		organization_id: organizationId,
		email
	});
	if (error) throw error;
}

export async function removeAdmin(
	supabase: SupabaseClient,
	organizationId: string,
	userId: string
): Promise<void> {
	const { error } = await supabase.rpc('remove_organization_admin', {
		organization_id: organizationId,
		user_id: userId
	});
	if (error) throw error;
}

/** Replaces the join code; teams already attached stay attached. Returns the new code. */
export async function rotateJoinCode(
	supabase: SupabaseClient,
	organizationId: string
): Promise<string> {
	const { data, error } = await supabase.rpc('rotate_join_code', {
		organization_id: organizationId
	});
	if (error) throw error;
	return data as string;
}

export async function teamSummaries(
	supabase: SupabaseClient,
	organizationId: string
): Promise<TeamSummary[]> {
	const { data, error } = await supabase.rpc('organization_team_summaries', {
		organization_id: organizationId
	});
	if (error) throw error;
	return data as TeamSummary[];
}

export async function teamsWithRoom(
	supabase: SupabaseClient,
	organizationId: string
): Promise<TeamWithRoom[]> {
	const { data, error } = await supabase.rpc('teams_with_room', {
		organization_id: organizationId
	});
	if (error) throw error;
	return data as TeamWithRoom[];
}

/** Attaches the team (leaders only) to the organization whose join code is given. */
export async function attachTeam(
	supabase: SupabaseClient,
	teamId: string,
	joinCode: string
): Promise<string> {
	const { data, error } = await supabase.rpc('attach_team_to_organization', {
		team_id: teamId,
		join_code: joinCode
	});
	if (error) throw error;
	return data as string;
}

export async function detachTeam(supabase: SupabaseClient, teamId: string): Promise<void> {
	const { error } = await supabase.rpc('detach_team_from_organization', { team_id: teamId });
	if (error) throw error;
}
