import type { SupabaseClient } from '@supabase/supabase-js';
import type { AgreementInput } from '$lib/schemas/agreement.ts';

export interface Agreement {
	version: number;
	purpose: string | null;
	ground_rules: string;
	created_at: string;
}

export interface Acceptance {
	user_id: string;
	accepted_at: string;
}

/** The current (highest) version, or null before the first is published. Members only (RLS). */
export async function current(supabase: SupabaseClient, teamId: string): Promise<Agreement | null> {
	const { data, error } = await supabase
		.from('team_agreements')
		.select('version, purpose, ground_rules, created_at')
		.eq('team_id', teamId)
		.order('version', { ascending: false })
		.limit(1)
		.maybeSingle<Agreement>();
	if (error) throw error;
	return data;
}

/** Who accepted one version. */
export async function acceptances(
	supabase: SupabaseClient,
	teamId: string,
	version: number
): Promise<Acceptance[]> {
	const { data, error } = await supabase
		.from('agreement_acceptances')
		.select('user_id, accepted_at')
		.eq('team_id', teamId)
		.eq('version', version)
		.order('accepted_at');
	if (error) throw error;
	return data as Acceptance[];
}

/** Publishes the next version (its author has accepted it); returns the version number. */
export async function publish(
	supabase: SupabaseClient,
	teamId: string,
	input: AgreementInput
): Promise<number> {
	const { data, error } = await supabase.rpc('publish_agreement', {
		team_id: teamId,
		purpose: input.purpose,
		ground_rules: input.ground_rules
	});
	if (error) throw error;
	return data as number;
}

export async function accept(
	supabase: SupabaseClient,
	teamId: string,
	version: number
): Promise<void> {
	const { error } = await supabase.rpc('accept_agreement', { team_id: teamId, version });
	if (error) throw error;
}
