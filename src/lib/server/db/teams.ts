import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { TeamCreateInput, TeamSettingsInput } from '$lib/schemas/team.ts';
import type { TeamRole } from '$lib/team-nav.ts';

export type SizeStatus = 'small' | 'ideal' | 'large';

/** `team_overview(team_id)`: the figures a member sees on the team home. */
export interface TeamOverview {
	team_id: string;
	name: string;
	archived: boolean;
	size: number;
	size_status: SizeStatus;
	size_cap: number;
	pending_invitations: number;
	agreement_version: number | null;
	agreement_accepted: boolean;
	role: TeamRole;
	organization_id: string | null;
	organization_name: string | null;
}

export interface TeamDetails {
	id: string;
	name: string;
	purpose: string | null;
	focus_area: string | null;
	size_cap: number;
	archived_at: string | null;
	created_at: string;
}

export interface MyTeam {
	id: string;
	name: string;
	role: TeamRole;
	size: number;
	size_status: SizeStatus;
	archived: boolean;
}

const DETAILS = 'id, name, purpose, focus_area, size_cap, archived_at, created_at';

/** Same thresholds as private.size_status in the database. */
export function sizeStatus(size: number): SizeStatus {
	return size < 6 ? 'small' : size <= 8 ? 'ideal' : 'large';
}

/** The teams the user belongs to, with their role and the team's size, by name. */
export async function listMine(supabase: SupabaseClient, userId: string): Promise<MyTeam[]> {
	const { data, error } = await supabase
		.from('team_members')
		.select('role, teams(id, name, archived_at)')
		.eq('user_id', userId)
		.returns<
			{ role: TeamRole; teams: { id: string; name: string; archived_at: string | null } | null }[]
		>();
	if (error) throw error;
	const rows = (data ?? []).filter((r) => r.teams);
	if (rows.length === 0) return [];
	const { data: members, error: countError } = await supabase
		.from('team_members')
		.select('team_id')
		.in(
			'team_id',
			rows.map((r) => r.teams!.id)
		);
	if (countError) throw countError;
	const sizes = new Map<string, number>();
	for (const row of members ?? []) sizes.set(row.team_id, (sizes.get(row.team_id) ?? 0) + 1);
	return rows
		.map((r) => {
			const size = sizes.get(r.teams!.id) ?? 1;
			return {
				id: r.teams!.id,
				name: r.teams!.name,
				role: r.role,
				size,
				size_status: sizeStatus(size),
				archived: r.teams!.archived_at !== null
			};
		})
		.sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));
}

/** The team home's figures, or null when the user is not in the team (or it does not exist). */
export async function overview(
	supabase: SupabaseClient,
	teamId: string
): Promise<TeamOverview | null> {
	const { data, error } = await supabase.rpc('team_overview', { team_id: teamId });
	if (error) throw error;
	return (data as TeamOverview | null) ?? null;
}

export async function get(supabase: SupabaseClient, teamId: string): Promise<TeamDetails | null> {
	const { data, error } = await supabase
		.from('teams')
		.select(DETAILS)
		.eq('id', teamId)
		.maybeSingle<TeamDetails>();
	if (error) throw error;
	return data;
}

/** Creates the team with the user as its leader; returns its id. */
export async function create(supabase: SupabaseClient, input: TeamCreateInput): Promise<string> {
	const { data, error } = await supabase.rpc('create_team', {
		name: input.name,
		purpose: input.purpose,
		focus_area: input.focus_area,
		organization_join_code: input.organization_join_code
	});
	if (error) throw error;
	return data as string;
}

/** A plain update: RLS lets only leaders change these columns. */
export async function update(
	supabase: SupabaseClient,
	teamId: string,
	values: TeamSettingsInput
): Promise<void> {
	const { data, error } = await supabase.from('teams').update(values).eq('id', teamId).select('id');
	if (error) throw error;
	if (!data?.length) throw leaderOnly();
}

export async function archive(supabase: SupabaseClient, teamId: string): Promise<void> {
	const { error } = await supabase.rpc('archive_team', { team_id: teamId });
	if (error) throw error;
}

export async function unarchive(supabase: SupabaseClient, teamId: string): Promise<void> {
	const { error } = await supabase.rpc('unarchive_team', { team_id: teamId });
	if (error) throw error;
}

export async function remove(
	supabase: SupabaseClient,
	teamId: string,
	confirmName: string
): Promise<void> {
	const { error } = await supabase.rpc('delete_team', {
		team_id: teamId,
		confirm_name: confirmName
	});
	if (error) throw error;
}

function leaderOnly(): PostgrestError {
	return {
		name: 'PostgrestError',
		code: 'P0001',
		message: 'only a team leader can change the settings',
		details: '',
		hint: ''
	} as PostgrestError;
}

export type TeamField =
	| 'name'
	| 'purpose'
	| 'focus_area'
	| 'size_cap'
	| 'organization_join_code'
	| 'confirm_name'
	| 'form';

const KNOWN: Array<[RegExp, TeamField, (x: RegExpExecArray) => string]> = [
	[/^the team name cannot be empty$/, 'name', () => m.team_error_name_empty()],
	[
		/^the team name can be at most (\d+) characters$/,
		'name',
		(x) => m.team_error_name_long({ max: x[1] })
	],
	[
		/^the purpose can be at most (\d+) characters$/,
		'purpose',
		(x) => m.team_error_purpose_long({ max: x[1] })
	],
	[
		/^the focus area can be at most (\d+) characters$/,
		'focus_area',
		(x) => m.team_error_focus_long({ max: x[1] })
	],
	[
		/^the size cap must be between (\d+) and (\d+)$/,
		'size_cap',
		(x) => m.team_error_size_cap({ min: x[1], max: x[2] })
	],
	[
		/^the size cap cannot be below the team's current size of (\d+)$/,
		'size_cap',
		(x) => m.team_error_cap_below_size({ size: x[1] })
	],
	[
		/^that join code does not match any organization$/,
		'organization_join_code',
		() => m.team_error_join_code_unknown()
	],
	[
		/^type the team's name exactly to confirm the deletion$/,
		'confirm_name',
		() => m.team_error_delete_mismatch()
	],
	[/^only a team leader can /, 'form', () => m.team_error_leader_only()]
];

/**
 * A database refusal (SQLSTATE P0001: a plain lowercase sentence) as the field it belongs to and a
 * message in the visitor's language; an unmapped sentence is shown as written, capitalised. Null
 * for anything else (a bug or an outage), which the caller rethrows.
 */
export function describeTeamError(e: unknown): { field: TeamField; message: string } | null {
	const err = e as Partial<PostgrestError> | null;
	if (!err?.message || !(err.code === 'P0001' || /^GW\d{3}$/.test(err.code ?? ''))) return null;
	for (const [pattern, field, message] of KNOWN) {
		const match = pattern.exec(err.message);
		if (match) return { field, message: message(match) };
	}
	return { field: 'form', message: err.message.charAt(0).toUpperCase() + err.message.slice(1) };
}

async function rows<T>(query: PromiseLike<{ data: T[] | null; error: PostgrestError | null }>) {
	const { data, error } = await query;
	if (error) throw error;
	return data ?? [];
}

/**
 * Everything the team recorded, for a leader's download: read as the leader under RLS, each table
 * filtered by the team. Invitation token hashes stay out.
 */
export async function exportTeam(supabase: SupabaseClient, teamId: string, figures: TeamOverview) {
	const [team, members, invitations, agreements, acceptances, referrals, activity] =
		await Promise.all([
			supabase
				.from('teams')
				.select(
					'id, name, purpose, focus_area, size_cap, archived_at, organization_id, referral_code, created_at, updated_at'
				)
				.eq('id', teamId)
				.single()
				.then(({ data, error }) => {
					if (error) throw error;
					return data;
				}),
			rows(
				supabase
					.from('team_members')
					.select('user_id, role, joined_at, profiles(display_name)')
					.eq('team_id', teamId)
					.order('joined_at')
			),
			rows(
				supabase
					.from('invitations')
					.select(
						'id, email, role, status, max_uses, use_count, expires_at, invited_by, last_sent_at, created_at, updated_at'
					)
					.eq('team_id', teamId)
					.order('created_at')
			),
			rows(
				supabase
					.from('team_agreements')
					.select('id, version, purpose, ground_rules, created_by, created_at')
					.eq('team_id', teamId)
					.order('version')
			),
			rows(
				supabase
					.from('agreement_acceptances')
					.select('user_id, version, accepted_at')
					.eq('team_id', teamId)
					.order('accepted_at')
			),
			rows(
				supabase
					.from('referrals')
					.select(
						'id, person_name, person_email, person_contact_note, consent, referred_by, referring_org_id, status, suggested_team_id, decision_note, decided_by, decided_at, created_at, updated_at'
					)
					.eq('team_id', teamId)
					.order('created_at')
			),
			rows(
				supabase
					.from('activity_log')
					.select('id, actor_id, action, subject_user_id, details, created_at')
					.eq('team_id', teamId)
					.order('id')
			)
		]);
	return {
		format: 'groundwork.team-export',
		version: 1,
		exported_at: new Date().toISOString(),
		team: { ...team, organization_name: figures.organization_name },
		members: (
			members as unknown as {
				user_id: string;
				role: TeamRole;
				joined_at: string;
				profiles: { display_name: string | null } | null;
			}[]
		).map((mb) => ({
			user_id: mb.user_id,
			display_name: mb.profiles?.display_name ?? null,
			role: mb.role,
			joined_at: mb.joined_at
		})),
		invitations,
		agreements,
		agreement_acceptances: acceptances,
		referrals,
		activity_log: activity
	};
}
