/** Choices the friction forms offer: the team's members and its agencies' stated goals. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import { listIndicators, type Goal } from '$lib/server/db/agency.ts';
import type { Member } from '$lib/server/db/members.ts';
import { must } from './agency-pages.ts';

export interface Option {
	value: string;
	label: string;
}

/** Members by name (a member without one is "A member"). */
export function memberOptions(members: readonly Member[]): Option[] {
	return members
		.map((mb) => ({ value: mb.user_id, label: mb.display_name ?? m.friction_unnamed_member() }))
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** Goals labelled "Agency · Indicator: statement", optionally only one agency's. */
export async function goalOptions(
	supabase: SupabaseClient,
	teamId: string,
	goals: readonly Goal[],
	agencyId?: string
): Promise<Option[]> {
	if (!goals.length) return [];
	const indicators = must(await listIndicators(supabase, teamId, agencyId ? { agencyId } : {}));
	const byId = new Map(indicators.map((i) => [i.id, i]));
	return goals.flatMap((g) => {
		const i = byId.get(g.indicator_id);
		if (!i) return [];
		const statement = g.statement.length > 80 ? `${g.statement.slice(0, 79)}…` : g.statement;
		return [{ value: g.id, label: `${i.agency_name} · ${i.name}: ${statement}` }];
	});
}
