/**
 * The team review and group health, each one call to a security-invoker function (RLS decides what
 * is read; a non-member gets a refusal). The named-member parts come back only for leaders and
 * organizers; everyone else gets null there. See the migration 20261203000401_create_team_review.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RawReview, ReviewDialogue, MemberParticipation } from '$lib/review/figures.ts';
import type { Period } from '$lib/review/period.ts';
import type { HealthMember, RecentDialogue } from '$lib/review/prompts.ts';
import { capitalise, type QueryResponse, type Result } from './errors.ts';

/** One closed dialogue's pulse-check averages (null below three answers). */
export interface PulsePoint {
	id: string;
	starts_at: string;
	responses: number;
	safe: number | null;
	heard: number | null;
	useful: number | null;
}

/** `public.team_health` as it arrives. */
export interface RawHealth {
	role: RawReview['role'];
	from: string;
	to: string;
	size: number;
	dialogues: ReviewDialogue[];
	pulse: PulsePoint[];
	participation: MemberParticipation[] | null;
	recent: RecentDialogue[] | null;
	members: Array<HealthMember & { role: RawReview['role'] }> | null;
}

/** The period's ends as the functions take them (a null start: from the first record). */
function args(teamId: string, period: Period) {
	return { team_id: teamId, period_from: period.from, period_to: period.to };
}

/** A refusal meant for the reader (not a member, a bad period) as its sentence; faults are thrown. */
function answer<T>(r: QueryResponse<T>): Result<T> {
	if (!r.error) return { data: r.data as T };
	const e = r.error as { code?: string; message?: string };
	if ((e.code === 'P0001' || e.code === '22023') && e.message)
		return { error: capitalise(e.message), code: e.code };
	throw r.error;
}

/** The review page's figures for the period. */
export async function getReview(
	supabase: SupabaseClient,
	teamId: string,
	period: Period
): Promise<Result<RawReview>> {
	return answer<RawReview>(await supabase.rpc('team_review', args(teamId, period)));
}

/** Group health for the period. */
export async function getHealth(
	supabase: SupabaseClient,
	teamId: string,
	period: Period
): Promise<Result<RawHealth>> {
	return answer<RawHealth>(await supabase.rpc('team_health', args(teamId, period)));
}
