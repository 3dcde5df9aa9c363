/**
 * Splitting a team: what the wizard needs to plan (the team's rows and their references), the
 * split itself and its undo (both one Postgres function each, called with rpc), and the records
 * of past splits. Reads run as the user under RLS; the functions check the caller's role.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { SplitGraph, SplitPlan } from '$lib/split/plan.ts';
import * as dbErrors from './errors.ts';

export interface SplitRecord {
	id: string;
	source_team_id: string;
	new_team_id: string | null;
	new_team_name: string;
	counts: Record<string, number>;
	created_at: string;
	undone_at: string | null;
}

const RECORD = 'id, source_team_id, new_team_id, new_team_name, counts, created_at, undone_at';

/** The database's sentences in the visitor's language, with the field each belongs to. */
const SENTENCES: Array<[RegExp, string, (x: RegExpExecArray) => string]> = [
	[/^only a team leader can split the team$/, 'form', () => m.split_db_leader_only()],
	[/^this team is archived/, 'form', () => m.split_db_archived()],
	[/^give the new team a name of 1 to 80 characters$/, 'name', () => m.split_error_name()],
	[/^give the new team a name different from this team's$/, 'name', () => m.split_db_same_name()],
	[/^the new team needs at least one leader$/, 'members', () => m.split_new_needs_leader()],
	[/needs at least one leader who stays$/, 'members', () => m.split_source_needs_leader()],
	[/^move at least one member to the new team$/, 'members', () => m.split_nobody_moves()],
	[/^choose a team for every member/, 'members', () => m.split_unassigned()],
	[/^someone in the plan is not a member/, 'members', () => m.split_db_stale()],
	[/ is not this team's: reload the page$/, 'form', () => m.split_db_stale()],
	[
		/^the (.+?) “(.+?)” (moves to .+|stays in .+|is shared), but the (.+?) “(.+?)” it depends on (moves to .+|stays in .+): move them together/,
		'form',
		(x) => m.split_db_conflict({ what: `${x[1]} “${x[2]}”`, other: `${x[4]} “${x[5]}”` })
	],
	[/^only a leader of either team can undo this split$/, 'form', () => m.split_db_undo_leader()],
	[/^this split was already undone$/, 'form', () => m.split_db_undone()],
	[
		/^a split can be undone for seven days only; this one was made on (\S+)$/,
		'form',
		(x) => m.split_db_undo_late({ date: x[1] })
	],
	[/^the new team no longer exists/, 'form', () => m.split_db_undo_gone()],
	[/^unarchive both teams/, 'form', () => m.split_db_undo_archived()],
	[
		/already has something with the same name as the new team's/,
		'form',
		() => m.split_db_undo_name_clash()
	]
];

/** The field and sentence for a refusal, or null when the error is a fault (thrown by callers). */
export function describeSplitError(error: unknown): { field: string; message: string } | null {
	if (!dbErrors.isUserError(error)) return null;
	for (const [pattern, field, message] of SENTENCES) {
		const match = pattern.exec(error.message);
		if (match) return { field, message: message(match) };
	}
	return { field: 'form', message: dbErrors.capitalise(error.message) };
}

async function rows<T>(query: PromiseLike<{ data: unknown; error: unknown }>): Promise<T[]> {
	const { data, error } = await query;
	if (error) throw error;
	return (data ?? []) as T[];
}

const ids = (values: Array<string | null | undefined>) => [
	...new Set(values.filter((v): v is string => !!v))
];

/** The team's rows, reduced to what decides where each goes (see $lib/split/plan.ts). */
export async function graph(supabase: SupabaseClient, teamId: string): Promise<SplitGraph> {
	const team = <T>(table: string, columns: string) =>
		rows<T>(supabase.from(table).select(columns).eq('team_id', teamId).limit(10_000));
	const [
		agencies,
		indicators,
		goals,
		officials,
		frictionPoints,
		evidence,
		pressure,
		interactions,
		participants,
		commitments,
		followUps,
		fpInteractions,
		initiatives,
		initiativeFrictions,
		targets,
		interactionInitiatives,
		forces,
		tasks
	] = await Promise.all([
		team<{ id: string; name: string }>('agencies', 'id, name'),
		team<{ id: string; agency_id: string }>('indicators', 'id, agency_id'),
		team<{ id: string; indicator_id: string }>('goals', 'id, indicator_id'),
		team<{ id: string; name: string; agency_id: string | null }>(
			'officials',
			'id, name, agency_id'
		),
		team<{
			id: string;
			title: string;
			agency_id: string;
			indicator_id: string | null;
			goal_id: string | null;
		}>('friction_points', 'id, title, agency_id, indicator_id, goal_id'),
		team<{ friction_point_id: string; indicator_id: string | null }>(
			'evidence',
			'friction_point_id, indicator_id'
		),
		team<{ friction_point_id: string; official_id: string | null }>(
			'pressure_points',
			'friction_point_id, official_id'
		),
		team<{ id: string; title: string; agency_id: string | null }>(
			'interactions',
			'id, title, agency_id'
		),
		team<{ interaction_id: string; official_id: string | null }>(
			'interaction_participants',
			'interaction_id, official_id'
		),
		team<{
			id: string;
			description: string;
			official_id: string;
			interaction_id: string | null;
			indicator_id: string | null;
			goal_id: string | null;
		}>('commitments', 'id, description, official_id, interaction_id, indicator_id, goal_id'),
		team<{ id: string; title: string; official_id: string | null; interaction_id: string | null }>(
			'follow_ups',
			'id, title, official_id, interaction_id'
		),
		team<{ friction_point_id: string; interaction_id: string }>(
			'friction_point_interactions',
			'friction_point_id, interaction_id'
		),
		team<{ id: string; title: string; indicator_id: string | null }>(
			'initiatives',
			'id, title, indicator_id'
		),
		team<{ initiative_id: string; friction_point_id: string }>(
			'initiative_friction_points',
			'initiative_id, friction_point_id'
		),
		team<{ initiative_id: string; official_id: string | null; agency_id: string | null }>(
			'initiative_targets',
			'initiative_id, official_id, agency_id'
		),
		team<{ initiative_id: string; interaction_id: string }>(
			'interaction_initiatives',
			'initiative_id, interaction_id'
		),
		team<{ initiative_id: string | null; friction_point_id: string | null }>(
			'forces',
			'initiative_id, friction_point_id'
		),
		team<{
			id: string;
			title: string;
			initiative_id: string | null;
			interaction_id: string | null;
			follow_up_id: string | null;
			status: string;
		}>('tasks', 'id, title, initiative_id, interaction_id, follow_up_id, status')
	]);
	const agencyOfIndicator = new Map(indicators.map((i) => [i.id, i.agency_id]));
	const agencyOfGoal = new Map(goals.map((g) => [g.id, agencyOfIndicator.get(g.indicator_id)]));
	const by = <T, K extends keyof T>(
		list: T[],
		key: K,
		value: (t: T) => string | null | undefined
	) => {
		const out = new Map<unknown, string[]>();
		for (const item of list) {
			const v = value(item);
			if (!v) continue;
			out.set(item[key], [...(out.get(item[key]) ?? []), v]);
		}
		return (k: string) => ids(out.get(k) ?? []);
	};
	const evidenceAgencies = by(evidence, 'friction_point_id', (e) =>
		e.indicator_id ? agencyOfIndicator.get(e.indicator_id) : null
	);
	const pressureOfficials = by(pressure, 'friction_point_id', (p) => p.official_id);
	const fpInteractionIds = by(fpInteractions, 'friction_point_id', (x) => x.interaction_id);
	const participantsOf = by(participants, 'interaction_id', (p) => p.official_id);
	const initiativeFps = by(initiativeFrictions, 'initiative_id', (x) => x.friction_point_id);
	const targetOfficials = by(targets, 'initiative_id', (t) => t.official_id);
	const targetAgencies = by(targets, 'initiative_id', (t) => t.agency_id);
	const initiativeInteractions = by(
		interactionInitiatives,
		'initiative_id',
		(x) => x.interaction_id
	);
	const forceFps = by(forces, 'initiative_id', (f) => f.friction_point_id);
	return {
		agencies,
		officials,
		frictionPoints: frictionPoints.map((f) => ({
			id: f.id,
			title: f.title,
			agency_ids: ids([
				f.agency_id,
				f.indicator_id ? agencyOfIndicator.get(f.indicator_id) : null,
				f.goal_id ? agencyOfGoal.get(f.goal_id) : null,
				...evidenceAgencies(f.id)
			]),
			official_ids: pressureOfficials(f.id),
			interaction_ids: fpInteractionIds(f.id)
		})),
		interactions: interactions.map((i) => ({ ...i, official_ids: participantsOf(i.id) })),
		commitments: commitments.map((c) => ({
			id: c.id,
			description: c.description,
			official_id: c.official_id,
			interaction_id: c.interaction_id,
			agency_ids: ids([
				c.indicator_id ? agencyOfIndicator.get(c.indicator_id) : null,
				c.goal_id ? agencyOfGoal.get(c.goal_id) : null
			])
		})),
		followUps,
		initiatives: initiatives.map((i) => ({
			id: i.id,
			title: i.title,
			agency_ids: ids([
				i.indicator_id ? agencyOfIndicator.get(i.indicator_id) : null,
				...targetAgencies(i.id)
			]),
			official_ids: targetOfficials(i.id),
			friction_point_ids: ids([...initiativeFps(i.id), ...forceFps(i.id)]),
			interaction_ids: initiativeInteractions(i.id)
		})),
		// Done tasks outside an initiative stay with the team's history; open ones are chosen.
		tasks: tasks
			.filter((t) => t.initiative_id || t.status !== 'done')
			.map((t) => ({
				id: t.id,
				title: t.title,
				initiative_id: t.initiative_id,
				interaction_id: t.interaction_id,
				follow_up_id: t.follow_up_id
			}))
	};
}

/** Splits the team; returns the new team's id, or the sentence and field of a refusal. */
export async function split(
	supabase: SupabaseClient,
	teamId: string,
	plan: SplitPlan
): Promise<
	| { data: string; error?: undefined }
	| { data?: undefined; error: { field: string; message: string } }
> {
	const { data, error } = await supabase.rpc('split_team', { team_id: teamId, plan });
	if (error) {
		const known = describeSplitError(error);
		if (!known) throw error;
		return { error: known };
	}
	return { data: data as string };
}

/** Merges the new team back; returns the source team's id, or the refusal. */
export async function undo(
	supabase: SupabaseClient,
	splitId: string
): Promise<
	| { data: string; error?: undefined }
	| { data?: undefined; error: { field: string; message: string } }
> {
	const { data, error } = await supabase.rpc('undo_team_split', { split_id: splitId });
	if (error) {
		const known = describeSplitError(error);
		if (!known) throw error;
		return { error: known };
	}
	return { data: data as string };
}

/** The splits this team was part of (as the source or as the new team), newest first. */
export async function list(supabase: SupabaseClient, teamId: string): Promise<SplitRecord[]> {
	return rows<SplitRecord>(
		supabase
			.from('team_splits')
			.select(RECORD)
			.or(`source_team_id.eq.${teamId},new_team_id.eq.${teamId}`)
			.order('created_at', { ascending: false })
			.limit(20)
	);
}

/** One split, if the user leads either side. */
export async function get(supabase: SupabaseClient, splitId: string): Promise<SplitRecord | null> {
	const { data, error } = await supabase
		.from('team_splits')
		.select(RECORD)
		.eq('id', splitId)
		.maybeSingle();
	if (error) throw error;
	return data as SplitRecord | null;
}
