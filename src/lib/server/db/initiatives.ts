/**
 * Advocacy initiatives: the plan (problem, vision, mission, SMART objective), its friction points,
 * status history, strategy chart (lines, targets, tactics), milestones, links to interactions and
 * its forces, over the request's Supabase client (RLS: team members only, writes while the team is
 * active). Every function returns `{ data }` or `{ error }` with the database's sentence, first
 * letter capitalised; faults are thrown. Every query names the team as well as relying on RLS.
 * Nothing here reads interaction_confidential_notes: no initiative page, plan or export can show them.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { InitiativeStatus, StrategyKind, TargetRole } from '../../initiatives/enums.ts';
import type { Direction } from '../../initiatives/progress.ts';
import {
	statusHistory as sharedStatusHistory,
	type StatusChange as SharedStatusChange
} from './status-history.ts';
import { resultsFor, type QueryResponse, type Result } from './errors.ts';

export type { Result } from './errors.ts';

export { INITIATIVE_STATUSES, STRATEGY_KINDS } from '../../initiatives/enums.ts';
export type { InitiativeStatus, StrategyKind, TargetRole };

export interface Initiative {
	id: string;
	team_id: string;
	title: string;
	problem: string | null;
	vision: string | null;
	mission: string | null;
	objective: string | null;
	indicator_id: string | null;
	baseline_value: number | null;
	baseline_date: string | null;
	target_value: number | null;
	start_date: string;
	deadline: string | null;
	status: InitiativeStatus;
	status_note: string | null;
	reflection: string | null;
	sensitive_notes: string | null;
	deleted_at: string | null;
	created_at: string;
	updated_at: string;
}

/** An initiative with its indicator, as the pages show it. */
export interface InitiativeSummary extends Initiative {
	indicator: { name: string; unit: string | null; direction: Direction } | null;
	friction_point_ids: string[];
}

/** What a member writes when starting or editing an initiative. */
export type InitiativeInput = Pick<
	Initiative,
	| 'title'
	| 'problem'
	| 'vision'
	| 'mission'
	| 'objective'
	| 'indicator_id'
	| 'baseline_value'
	| 'baseline_date'
	| 'target_value'
	| 'start_date'
	| 'deadline'
	| 'sensitive_notes'
>;

export type StatusChange = SharedStatusChange<InitiativeStatus>;

export interface StrategyItem {
	id: string;
	initiative_id: string;
	kind: StrategyKind;
	body: string;
	sensitive: boolean;
	created_at: string;
}

export interface Target {
	id: string;
	initiative_id: string;
	role: TargetRole;
	official_id: string | null;
	agency_id: string | null;
	note: string | null;
	created_at: string;
	/** The official's name, title and stance (1 opposed … 5 champion), or the agency's name. */
	name: string;
	title: string | null;
	stance: number | null;
}

export interface Tactic {
	id: string;
	initiative_id: string;
	target_id: string;
	description: string;
	planned_on: string;
	created_at: string;
}

export interface Milestone {
	id: string;
	initiative_id: string;
	title: string;
	due_on: string;
	reached_on: string | null;
	created_at: string;
}

export interface LinkedInteraction {
	id: string;
	title: string;
	type: string;
	status: string;
	occurred_at: string;
	commitments: Array<{
		id: string;
		description: string;
		due_on: string | null;
		status: string;
		official_id: string;
	}>;
}

export interface InitiativeForce {
	id: string;
	direction: 'driving' | 'restraining';
	description: string;
	weight: number;
}

/** Sentences for key violations the triggers do not explain first (or a race can still produce). */
const CONSTRAINTS: Record<string, string> = {
	initiatives_deadline_order: 'The deadline cannot be before the start',
	initiatives_indicator_id_team_id_fkey: 'That indicator does not exist',
	initiative_friction_points_initiative_id_friction_point_id_key:
		'That friction point is already linked',
	initiative_friction_points_friction_point_id_team_id_fkey: 'That friction point does not exist',
	initiative_targets_official_key: 'That official is already a target',
	initiative_targets_agency_key: 'That agency is already a target',
	initiative_targets_official_id_team_id_fkey: "That official is not in the team's directory",
	initiative_targets_agency_id_team_id_fkey: "That agency is not one of the team's",
	tactics_target_id_initiative_id_fkey: "That target is not one of the initiative's",
	milestones_initiative_id_team_id_fkey: 'That initiative does not exist',
	tasks_milestone_id_initiative_id_fkey: "That milestone is not one of the initiative's",
	tasks_team_id_assignee_id_fkey: 'The assignee must be a member of the team',
	interaction_initiatives_interaction_id_initiative_id_key: 'That interaction is already linked',
	interaction_initiatives_interaction_id_team_id_fkey: 'That interaction does not exist'
};

/** The error as a result for the user, or throws it when it is a fault. */
export const { failure, result } = resultsFor(CONSTRAINTS);

/** A write that must touch a row: none means it does not exist or is not the caller's. */
export function one<T>(r: QueryResponse<T[]>, what: string): Result<T> {
	if (r.error) return failure(r.error);
	return r.data?.length ? { data: r.data[0] } : { error: `That ${what} does not exist` };
}

/** The tables of an initiative's parts, and what a missing row is called. */
export const PARTS = {
	initiative_strategy_items: 'line',
	initiative_targets: 'target',
	tactics: 'tactic',
	milestones: 'milestone',
	initiative_friction_points: 'friction point',
	interaction_initiatives: 'interaction',
	forces: 'force'
} as const;
export type PartTable = keyof typeof PARTS;

/** numeric can come back from PostgREST as a string when it is large or precise. */
function num(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

// ----- initiatives

const SUMMARY =
	'*, indicators!initiatives_indicator_id_team_id_fkey(name, unit, direction), initiative_friction_points(friction_point_id)';

type SummaryRow = Initiative & {
	indicators: InitiativeSummary['indicator'];
	initiative_friction_points: Array<{ friction_point_id: string }> | null;
};

function summary(r: SummaryRow): InitiativeSummary {
	const { indicators, initiative_friction_points, ...rest } = r;
	return {
		...rest,
		baseline_value: num(rest.baseline_value),
		target_value: num(rest.target_value),
		indicator: indicators,
		friction_point_ids: (initiative_friction_points ?? []).map((f) => f.friction_point_id)
	};
}

/** The team's initiatives, newest first: live ones, or with `deleted` those deleted. */
export async function listInitiatives(
	supabase: SupabaseClient,
	teamId: string,
	opts: { deleted?: boolean } = {}
): Promise<Result<InitiativeSummary[]>> {
	let q = supabase.from('initiatives').select(SUMMARY).eq('team_id', teamId);
	q = opts.deleted ? q.not('deleted_at', 'is', null) : q.is('deleted_at', null);
	const r = result(
		await q.order('created_at', { ascending: false }).order('id').returns<SummaryRow[]>()
	);
	return r.error !== undefined ? r : { data: r.data.map(summary) };
}

/** One live initiative of the team, or null. */
export async function getInitiative(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<InitiativeSummary | null>> {
	const r = result(
		await supabase
			.from('initiatives')
			.select(SUMMARY)
			.eq('team_id', teamId)
			.eq('id', id)
			.is('deleted_at', null)
			.maybeSingle<SummaryRow>()
	);
	return r.error !== undefined ? r : { data: r.data ? summary(r.data) : null };
}

/** Starts an initiative (a draft) with the friction points it addresses, in one transaction. */
export async function createInitiative(
	supabase: SupabaseClient,
	teamId: string,
	input: InitiativeInput,
	frictionPointIds: string[]
): Promise<Result<string>> {
	const { sensitive_notes, ...fields } = input;
	const created = result<string>(
		await supabase.rpc('create_initiative', {
			team_id: teamId,
			friction_point_ids: frictionPointIds,
			...fields
		})
	);
	if (created.error !== undefined || !sensitive_notes) return created;
	const saved = await updateInitiative(supabase, teamId, created.data, { sensitive_notes });
	return saved.error !== undefined ? saved : created;
}

export async function updateInitiative(
	supabase: SupabaseClient,
	teamId: string,
	id: string,
	patch: Partial<InitiativeInput & Pick<Initiative, 'status' | 'status_note' | 'reflection'>>
): Promise<Result<Initiative>> {
	return one(
		await supabase
			.from('initiatives')
			.update(patch)
			.eq('team_id', teamId)
			.eq('id', id)
			.select('*')
			.returns<Initiative[]>(),
		'initiative'
	);
}

/** Deletes softly (deleted: true; the list offers undo) or brings it back (deleted: false). */
export async function setInitiativeDeleted(
	supabase: SupabaseClient,
	teamId: string,
	id: string,
	deleted: boolean
): Promise<Result<Initiative>> {
	return one(
		await supabase
			.from('initiatives')
			.update({ deleted_at: deleted ? new Date().toISOString() : null })
			.eq('team_id', teamId)
			.eq('id', id)
			.select('*')
			.returns<Initiative[]>(),
		'initiative'
	);
}

/** The initiative's status changes, newest first. */
export function statusHistory(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string
): Promise<Result<StatusChange[]>> {
	return sharedStatusHistory<InitiativeStatus>(
		supabase,
		'initiative_status_changes',
		teamId,
		initiativeId,
		result
	);
}

// ----- parts

/** A part table's rows of one initiative, oldest first. */
async function partsOf<T>(
	supabase: SupabaseClient,
	table: PartTable,
	columns: string,
	teamId: string,
	initiativeId: string
): Promise<Result<T[]>> {
	return result(
		await supabase
			.from(table)
			.select(columns)
			.eq('team_id', teamId)
			.eq('initiative_id', initiativeId)
			.order('created_at')
			.order('id')
			.limit(1000)
			.returns<T[]>()
	);
}

/** Adds a row of a part table to the initiative. */
export async function addPart(
	supabase: SupabaseClient,
	table: PartTable,
	teamId: string,
	initiativeId: string,
	row: Record<string, unknown>
): Promise<Result<{ id: string }>> {
	return result(
		await supabase
			.from(table)
			.insert({ ...row, team_id: teamId, initiative_id: initiativeId })
			.select('id')
			.single<{ id: string }>()
	);
}

/** Changes a row of a part table of the initiative. */
export async function updatePart(
	supabase: SupabaseClient,
	table: PartTable,
	teamId: string,
	initiativeId: string,
	id: string,
	patch: Record<string, unknown>
): Promise<Result<{ id: string }>> {
	return one(
		await supabase
			.from(table)
			.update(patch)
			.eq('team_id', teamId)
			.eq('initiative_id', initiativeId)
			.eq('id', id)
			.select('id')
			.returns<{ id: string }[]>(),
		PARTS[table]
	);
}

/** Removes a row of a part table of the initiative. */
export async function removePart(
	supabase: SupabaseClient,
	table: PartTable,
	teamId: string,
	initiativeId: string,
	id: string
): Promise<Result<{ id: string }>> {
	return one(
		await supabase
			.from(table)
			.delete()
			.eq('team_id', teamId)
			.eq('initiative_id', initiativeId)
			.eq('id', id)
			.select('id')
			.returns<{ id: string }[]>(),
		PARTS[table]
	);
}

export const listStrategyItems = (s: SupabaseClient, teamId: string, id: string) =>
	partsOf<StrategyItem>(s, 'initiative_strategy_items', '*', teamId, id);

export const listTactics = (s: SupabaseClient, teamId: string, id: string) =>
	partsOf<Tactic>(s, 'tactics', '*', teamId, id);

export async function listMilestones(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string
): Promise<Result<Milestone[]>> {
	const r = await partsOf<Milestone>(supabase, 'milestones', '*', teamId, initiativeId);
	if (r.error !== undefined) return r;
	return { data: [...r.data].sort((a, b) => a.due_on.localeCompare(b.due_on)) };
}

export const listForces = (s: SupabaseClient, teamId: string, id: string) =>
	partsOf<InitiativeForce>(
		s,
		'forces',
		'id, direction, description, weight, created_at',
		teamId,
		id
	);

type TargetRow = Omit<Target, 'name' | 'title' | 'stance'> & {
	officials: { name: string; title: string | null; stance: number | null } | null;
	agencies: { name: string } | null;
};

/** The targets with the directory's name, title and stance of each official (or the agency's name). */
export async function listTargets(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string
): Promise<Result<Target[]>> {
	const r = await partsOf<TargetRow>(
		supabase,
		'initiative_targets',
		'id, initiative_id, role, official_id, agency_id, note, created_at, officials!initiative_targets_official_id_team_id_fkey(name, title, stance), agencies!initiative_targets_agency_id_team_id_fkey(name)',
		teamId,
		initiativeId
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data.map(({ officials, agencies, ...rest }) => ({
			...rest,
			name: officials?.name ?? agencies?.name ?? '',
			title: officials?.title ?? null,
			stance: officials?.stance ?? null
		}))
	};
}

/** The interactions linked to the initiative, newest first, with their commitments. */
export async function listLinkedInteractions(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string
): Promise<Result<Array<LinkedInteraction & { link_id: string }>>> {
	type Row = {
		id: string;
		interactions: Omit<LinkedInteraction, 'commitments'> & {
			commitments: LinkedInteraction['commitments'] | null;
		};
	};
	const r = await partsOf<Row>(
		supabase,
		'interaction_initiatives',
		'id, created_at, interactions!interaction_initiatives_interaction_id_team_id_fkey(id, title, type, status, occurred_at, commitments(id, description, due_on, status, official_id))',
		teamId,
		initiativeId
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data
			.filter((row) => row.interactions)
			.map((row) => ({
				...row.interactions,
				commitments: row.interactions.commitments ?? [],
				link_id: row.id
			}))
			.sort((a, b) => b.occurred_at.localeCompare(a.occurred_at))
	};
}

/** The team's interactions, newest first, for the "link an interaction" choice. */
export async function interactionChoices(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<Array<{ id: string; title: string; occurred_at: string }>>> {
	return result(
		await supabase
			.from('interactions')
			.select('id, title, occurred_at')
			.eq('team_id', teamId)
			.order('occurred_at', { ascending: false })
			.limit(500)
			.returns<Array<{ id: string; title: string; occurred_at: string }>>()
	);
}

/** The links from friction points, as rows (for unlinking). */
export const listFrictionLinks = (s: SupabaseClient, teamId: string, id: string) =>
	partsOf<{ id: string; friction_point_id: string }>(
		s,
		'initiative_friction_points',
		'id, friction_point_id, created_at',
		teamId,
		id
	);

/** The team's friction points, for the problem's choice (title and indicator). */
export async function frictionChoices(
	supabase: SupabaseClient,
	teamId: string
): Promise<
	Result<
		Array<{
			id: string;
			title: string;
			indicator_id: string | null;
			observed: string | null;
			affected_who: string | null;
		}>
	>
> {
	return result(
		await supabase
			.from('friction_points')
			.select('id, title, indicator_id, observed, affected_who')
			.eq('team_id', teamId)
			.order('created_at', { ascending: false })
			.limit(1000)
	);
}
