/**
 * The friction map: friction points with their status history, evidence, root causes, pressure
 * points and forces, and the team's dismissed suggestions, over the request's Supabase client (RLS:
 * team members only, writes while the team is active). Every function returns `{ data }` or
 * `{ error }` with the database's sentence, first letter capitalised; faults are thrown. Every
 * query names the team as well as relying on RLS.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type {
	EvidenceKind,
	ForceDirection,
	PressureKindValue,
	Status
} from '../../friction/enums.ts';
import type { Goal, IndicatorDirection, SeriesPoint } from './agency.ts';
import {
	statusHistory as sharedStatusHistory,
	type StatusChange as SharedStatusChange
} from './status-history.ts';
import { resultsFor, type Result } from './errors.ts';

export type { Result } from './errors.ts';

export type FrictionStatus = Status;
export type PressureKind = PressureKindValue;
export type { EvidenceKind, ForceDirection };

export interface FrictionPoint {
	id: string;
	team_id: string;
	agency_id: string;
	indicator_id: string | null;
	goal_id: string | null;
	goal_statement: string | null;
	goal_target: number | null;
	title: string;
	observed: string | null;
	affected_who: string | null;
	affected_how: string | null;
	people_affected: number | null;
	team_rating: number;
	status: FrictionStatus;
	status_note: string | null;
	owner_id: string | null;
	private_notes: string | null;
	created_at: string;
	updated_at: string;
}

/** What a member types; the goal snapshot and the team are not theirs to set. */
export type FrictionPointInput = Partial<
	Pick<
		FrictionPoint,
		| 'indicator_id'
		| 'goal_id'
		| 'observed'
		| 'affected_who'
		| 'affected_how'
		| 'people_affected'
		| 'team_rating'
		| 'owner_id'
		| 'private_notes'
	>
> & { title: string };

/** A friction point with what the list, the map and the report show beside it. */
export interface FrictionPointSummary extends FrictionPoint {
	agency_name: string;
	indicator: { name: string; unit: string | null; direction: IndicatorDirection } | null;
	/** The scores of its pressure points (the map's leverage is the best of them). */
	pressure: Array<{ leverage: number; achievability: number; salience: number }>;
}

export type StatusChange = SharedStatusChange<FrictionStatus>;

export interface Evidence {
	id: string;
	friction_point_id: string;
	kind: EvidenceKind;
	indicator_id: string | null;
	title: string | null;
	url: string | null;
	document_date: string | null;
	body: string | null;
	sensitive: boolean;
	created_at: string;
}
export type EvidenceInput = Partial<
	Pick<Evidence, 'indicator_id' | 'title' | 'url' | 'document_date' | 'body' | 'sensitive'>
> & { kind: EvidenceKind };

export interface RootCause {
	id: string;
	friction_point_id: string;
	parent_id: string | null;
	statement: string;
	created_at: string;
}

export interface PressurePoint {
	id: string;
	friction_point_id: string;
	kind: PressureKind;
	target: string;
	/** The official from the team's directory it is about, if any. */
	official_id: string | null;
	description: string | null;
	leverage: number;
	achievability: number;
	salience: number;
	created_at: string;
}
export type PressurePointInput = Pick<
	PressurePoint,
	'kind' | 'target' | 'leverage' | 'achievability' | 'salience'
> & { description?: string | null; official_id?: string | null };

export interface ForceRow {
	id: string;
	friction_point_id: string;
	direction: ForceDirection;
	description: string;
	weight: number;
	created_at: string;
}
export type ForceInput = Pick<ForceRow, 'direction' | 'description' | 'weight'>;

export interface Dismissal {
	indicator_id: string;
	run_started: string | null;
	created_at: string;
}

/** Sentences for key violations the triggers do not explain first (or a race can still produce). */
const CONSTRAINTS: Record<string, string> = {
	friction_points_agency_id_team_id_fkey: 'That agency does not exist',
	friction_points_indicator_id_team_id_fkey: 'That indicator does not exist',
	friction_points_goal_id_team_id_fkey: 'That goal does not exist',
	friction_points_team_id_owner_id_fkey: 'The owner must be a member of the team',
	evidence_friction_point_id_team_id_fkey: 'That friction point does not exist',
	evidence_indicator_id_team_id_fkey: 'That indicator does not exist',
	evidence_kind_shape: 'The evidence is missing what its kind needs',
	root_causes_friction_point_id_team_id_fkey: 'That friction point does not exist',
	root_causes_parent_id_friction_point_id_fkey: 'That parent cause does not exist',
	pressure_points_friction_point_id_team_id_fkey: 'That friction point does not exist',
	forces_friction_point_id_team_id_fkey: 'That friction point does not exist',
	friction_dismissals_indicator_id_team_id_fkey: 'That indicator does not exist',
	friction_point_interactions_interaction_id_team_id_fkey: 'That interaction does not exist',
	pressure_points_official_id_team_id_fkey: 'That official is not in the team’s directory',
	friction_point_interactions_friction_point_id_interaction_id_key:
		'That interaction is already cited by this friction point'
};

/** The error as a result for the user, or throws it when it is a fault. */
const { failure, result } = resultsFor(CONSTRAINTS);

/** The tables written here, and what a missing row is called in the sentence. */
const TABLES = {
	friction_points: 'friction point',
	evidence: 'piece of evidence',
	root_causes: 'cause',
	pressure_points: 'pressure point',
	forces: 'force',
	friction_point_interactions: 'cited interaction'
} as const;
type Table = keyof typeof TABLES;

async function insertInto<T>(
	supabase: SupabaseClient,
	table: Table,
	row: Record<string, unknown>
): Promise<Result<T>> {
	return result(await supabase.from(table).insert(row).select('*').single<T>());
}

/** Changes one of the team's rows; none changed means it is gone or not the caller's. */
async function updateIn<T>(
	supabase: SupabaseClient,
	table: Table,
	teamId: string,
	id: string,
	patch: Record<string, unknown>
): Promise<Result<T>> {
	const r = await supabase
		.from(table)
		.update(patch)
		.eq('team_id', teamId)
		.eq('id', id)
		.select('*')
		.returns<T[]>();
	if (r.error) return failure(r.error);
	return r.data?.length ? { data: r.data[0] } : { error: `That ${TABLES[table]} does not exist` };
}

async function deleteFrom(
	supabase: SupabaseClient,
	table: Table,
	teamId: string,
	id: string
): Promise<Result<{ id: string }>> {
	const r = await supabase
		.from(table)
		.delete()
		.eq('team_id', teamId)
		.eq('id', id)
		.select('id')
		.returns<{ id: string }[]>();
	if (r.error) return failure(r.error);
	return r.data?.length ? { data: r.data[0] } : { error: `That ${TABLES[table]} does not exist` };
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ----- friction points

const SUMMARY =
	'*, agencies!friction_points_agency_id_team_id_fkey(name), indicators!friction_points_indicator_id_team_id_fkey(name, unit, direction), pressure_points(leverage, achievability, salience)';

type SummaryRow = FrictionPoint & {
	agencies: { name: string } | null;
	indicators: FrictionPointSummary['indicator'];
	pressure_points: FrictionPointSummary['pressure'] | null;
};

function summary(r: SummaryRow): FrictionPointSummary {
	const { agencies, indicators, pressure_points, ...rest } = r;
	return {
		...rest,
		goal_target: rest.goal_target == null ? null : Number(rest.goal_target),
		agency_name: agencies?.name ?? '',
		indicator: indicators,
		pressure: pressure_points ?? []
	};
}

export interface FrictionFilters {
	agencyId?: string | null;
	status?: FrictionStatus | null;
	ownerId?: string | null;
}

/** The team's friction points, newest first, optionally filtered. */
export async function listFrictionPoints(
	supabase: SupabaseClient,
	teamId: string,
	filters: FrictionFilters = {}
): Promise<Result<FrictionPointSummary[]>> {
	let q = supabase.from('friction_points').select(SUMMARY).eq('team_id', teamId);
	if (filters.agencyId) q = q.eq('agency_id', filters.agencyId);
	if (filters.status) q = q.eq('status', filters.status);
	if (filters.ownerId) q = q.eq('owner_id', filters.ownerId);
	const r = result(
		await q.order('created_at', { ascending: false }).order('id').returns<SummaryRow[]>()
	);
	return r.error !== undefined ? r : { data: r.data.map(summary) };
}

export async function getFrictionPoint(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<FrictionPointSummary | null>> {
	const r = result(
		await supabase
			.from('friction_points')
			.select(SUMMARY)
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle<SummaryRow>()
	);
	return r.error !== undefined ? r : { data: r.data ? summary(r.data) : null };
}

/** The columns a member writes (the goal snapshot is the database's). */
const POINT_FIELDS = [
	'title',
	'indicator_id',
	'goal_id',
	'observed',
	'affected_who',
	'affected_how',
	'people_affected',
	'team_rating',
	'owner_id',
	'private_notes'
] as const;

function pickPoint(input: Partial<FrictionPointInput>) {
	return defined(Object.fromEntries(POINT_FIELDS.map((k) => [k, input[k]])));
}

export async function createFrictionPoint(
	supabase: SupabaseClient,
	teamId: string,
	agencyId: string,
	input: FrictionPointInput
): Promise<Result<FrictionPoint>> {
	return insertInto(supabase, 'friction_points', {
		team_id: teamId,
		agency_id: agencyId,
		...pickPoint(input)
	});
}

export async function updateFrictionPoint(
	supabase: SupabaseClient,
	teamId: string,
	id: string,
	input: Partial<FrictionPointInput>
): Promise<Result<FrictionPoint>> {
	return updateIn(supabase, 'friction_points', teamId, id, pickPoint(input));
}

/** A new status with why; the trigger keeps the history. */
export async function changeStatus(
	supabase: SupabaseClient,
	teamId: string,
	id: string,
	status: FrictionStatus,
	note: string | null
): Promise<Result<FrictionPoint>> {
	return updateIn(supabase, 'friction_points', teamId, id, { status, status_note: note });
}

/** Deletes the friction point with its evidence, causes, pressure points, forces and history. */
export async function deleteFrictionPoint(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteFrom(supabase, 'friction_points', teamId, id);
}

/** How many of the team's friction points cite the goal (asked before the goal is deleted). */
export async function countForGoal(
	supabase: SupabaseClient,
	teamId: string,
	goalId: string
): Promise<Result<number>> {
	const { count, error } = await supabase
		.from('friction_points')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId)
		.eq('goal_id', goalId);
	return error ? failure(error) : { data: count ?? 0 };
}

/** The friction point's status changes, newest first. */
export function statusHistory(
	supabase: SupabaseClient,
	teamId: string,
	frictionPointId: string
): Promise<Result<StatusChange[]>> {
	return sharedStatusHistory<FrictionStatus>(
		supabase,
		'friction_point_status_changes',
		teamId,
		frictionPointId,
		result
	);
}

// ----- the parts of one friction point

/** Supabase's default cap on rows per response; longer reads are paged. */
const PAGE = 1000;

/** A part table's rows of one friction point (or, with null, of all the team's), oldest first. */
async function partsOf<T>(
	supabase: SupabaseClient,
	table: Exclude<Table, 'friction_points'>,
	teamId: string,
	frictionPointId: string | null
): Promise<Result<T[]>> {
	const rows: T[] = [];
	for (let from = 0; ; from += PAGE) {
		let q = supabase.from(table).select('*').eq('team_id', teamId);
		if (frictionPointId) q = q.eq('friction_point_id', frictionPointId);
		const r = await q
			.order('created_at')
			.order('id')
			.range(from, from + PAGE - 1)
			.returns<T[]>();
		if (r.error) return failure(r.error);
		rows.push(...(r.data ?? []));
		if ((r.data ?? []).length < PAGE) return { data: rows };
	}
}

export const listEvidence = (s: SupabaseClient, teamId: string, pointId: string) =>
	partsOf<Evidence>(s, 'evidence', teamId, pointId);
export const listCauses = (s: SupabaseClient, teamId: string, pointId: string) =>
	partsOf<RootCause>(s, 'root_causes', teamId, pointId);
export const listPressurePoints = (s: SupabaseClient, teamId: string, pointId: string) =>
	partsOf<PressurePoint>(s, 'pressure_points', teamId, pointId);
export const listForces = (s: SupabaseClient, teamId: string, pointId: string) =>
	partsOf<ForceRow>(s, 'forces', teamId, pointId);

/** Adds a row to one of the friction point's part tables. */
async function addPart<T>(
	supabase: SupabaseClient,
	table: Exclude<Table, 'friction_points'>,
	teamId: string,
	frictionPointId: string,
	row: Record<string, unknown>
): Promise<Result<T>> {
	return insertInto(supabase, table, {
		team_id: teamId,
		friction_point_id: frictionPointId,
		...defined(row)
	});
}

export const addEvidence = (s: SupabaseClient, teamId: string, pointId: string, e: EvidenceInput) =>
	addPart<Evidence>(s, 'evidence', teamId, pointId, { ...e });
export const addCause = (
	s: SupabaseClient,
	teamId: string,
	pointId: string,
	c: { statement: string; parent_id: string | null }
) => addPart<RootCause>(s, 'root_causes', teamId, pointId, c);
export const addPressurePoint = (
	s: SupabaseClient,
	teamId: string,
	pointId: string,
	p: PressurePointInput
) => addPart<PressurePoint>(s, 'pressure_points', teamId, pointId, { ...p });
export const addForce = (s: SupabaseClient, teamId: string, pointId: string, f: ForceInput) =>
	addPart<ForceRow>(s, 'forces', teamId, pointId, { ...f });

export const updateCause = (
	s: SupabaseClient,
	teamId: string,
	id: string,
	patch: { statement?: string; parent_id?: string | null }
) => updateIn<RootCause>(s, 'root_causes', teamId, id, defined(patch));
export const updatePressurePoint = (
	s: SupabaseClient,
	teamId: string,
	id: string,
	patch: Partial<PressurePointInput>
) => updateIn<PressurePoint>(s, 'pressure_points', teamId, id, defined(patch));

// ----- interactions with officials cited as evidence

/** An interaction a friction point cites, with what the log says of it (never its confidential note). */
export interface CitedInteraction {
	id: string;
	note: string | null;
	interaction: {
		id: string;
		title: string;
		/** An interaction_type value (see $lib/schemas/officials.ts). */
		type: string;
		status: 'held' | 'planned';
		occurred_at: string;
		atmosphere: string | null;
	};
}

/** The interactions the friction point cites, newest contact first. */
export async function listCitedInteractions(
	supabase: SupabaseClient,
	teamId: string,
	pointId: string
): Promise<Result<CitedInteraction[]>> {
	const r = result(
		await supabase
			.from('friction_point_interactions')
			.select(
				'id, note, interaction:interactions!friction_point_interactions_interaction_id_team_id_fkey(id, title, type, status, occurred_at, atmosphere)'
			)
			.eq('team_id', teamId)
			.eq('friction_point_id', pointId)
			.returns<CitedInteraction[]>()
	);
	if (r.error !== undefined) return r;
	return {
		data: [...r.data].sort((a, b) =>
			b.interaction.occurred_at.localeCompare(a.interaction.occurred_at)
		)
	};
}

/** The friction points that cite an interaction, for the interaction's page. */
export async function listCitingPoints(
	supabase: SupabaseClient,
	teamId: string,
	interactionId: string
): Promise<
	Result<Array<{ id: string; title: string; status: FrictionStatus; note: string | null }>>
> {
	type Row = { note: string | null; point: { id: string; title: string; status: FrictionStatus } };
	const r = result(
		await supabase
			.from('friction_point_interactions')
			.select(
				'note, point:friction_points!friction_point_interactions_friction_point_id_team_id_fkey(id, title, status)'
			)
			.eq('team_id', teamId)
			.eq('interaction_id', interactionId)
			.returns<Row[]>()
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data
			.map(({ note, point }) => ({ ...point, note }))
			.sort((a, b) => a.title.localeCompare(b.title))
	};
}

export const citeInteraction = (
	s: SupabaseClient,
	teamId: string,
	pointId: string,
	c: { interaction_id: string; note?: string | null }
) => addPart<{ id: string }>(s, 'friction_point_interactions', teamId, pointId, c);

/** Deletes a row of a part table (a cause takes the causes under it). */
export function removePart(
	supabase: SupabaseClient,
	table: 'evidence' | 'root_causes' | 'pressure_points' | 'forces' | 'friction_point_interactions',
	teamId: string,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteFrom(supabase, table, teamId, id);
}

// ----- suggestions from data

/** Every point of the indicators, grouped by indicator, in period order. */
export async function seriesByIndicator(
	supabase: SupabaseClient,
	indicatorIds: string[]
): Promise<Result<Map<string, SeriesPoint[]>>> {
	const out = new Map<string, SeriesPoint[]>();
	if (!indicatorIds.length) return { data: out };
	type SeriesJson = {
		indicator_id: string;
		points: [string, string, number, number | null, string | null][];
	};
	const r = result<SeriesJson[] | null>(
		await supabase.rpc('indicator_series_json', { indicator_ids: indicatorIds })
	);
	if (r.error !== undefined) return r;
	for (const { indicator_id, points } of r.data ?? []) {
		out.set(
			indicator_id,
			points.map(([period_start, period_end, value, target, note]) => ({
				indicator_id,
				period_start,
				period_end,
				value: Number(value),
				target: target == null ? null : Number(target),
				note
			}))
		);
	}
	return { data: out };
}

export async function listDismissals(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<Dismissal[]>> {
	return result(
		await supabase
			.from('friction_dismissals')
			.select('indicator_id, run_started, created_at')
			.eq('team_id', teamId)
			.returns<Dismissal[]>()
	);
}

/** Remembers that the team dismissed the indicator's suggestion during this off-target run. */
export async function dismissSuggestion(
	supabase: SupabaseClient,
	teamId: string,
	indicatorId: string,
	runStarted: string | null
): Promise<Result<null>> {
	const r = await supabase
		.from('friction_dismissals')
		.upsert(
			{ team_id: teamId, indicator_id: indicatorId, run_started: runStarted },
			{ onConflict: 'team_id,indicator_id' }
		);
	return r.error ? failure(r.error) : { data: null };
}

/** Forgets a dismissal: the suggestion is proposed again. */
export async function restoreSuggestion(
	supabase: SupabaseClient,
	teamId: string,
	indicatorId: string
): Promise<Result<null>> {
	const r = await supabase
		.from('friction_dismissals')
		.delete()
		.eq('team_id', teamId)
		.eq('indicator_id', indicatorId);
	return r.error ? failure(r.error) : { data: null };
}

/** Accepts a suggestion: a friction point with the indicator as evidence; returns its id. */
export async function acceptSuggestion(
	supabase: SupabaseClient,
	teamId: string,
	input: { indicatorId: string; title: string; observed?: string | null; goalId?: string | null }
): Promise<Result<string>> {
	return result<string>(
		await supabase.rpc('accept_friction_suggestion', {
			team_id: teamId,
			indicator_id: input.indicatorId,
			title: input.title,
			observed: input.observed ?? null,
			goal_id: input.goalId ?? null
		})
	);
}

// ----- team-wide reads (the suggestions page and the report)

/** Every stated goal of the team, for the goal choices and the targets of suggestions. */
export async function teamGoals(supabase: SupabaseClient, teamId: string): Promise<Result<Goal[]>> {
	return result(
		await supabase
			.from('goals')
			.select('*')
			.eq('team_id', teamId)
			.order('created_at')
			.returns<Goal[]>()
	);
}

export interface TeamParts {
	evidence: Evidence[];
	causes: RootCause[];
	pressure: PressurePoint[];
	forces: ForceRow[];
}

/** Every friction point's evidence, causes, pressure points and forces, in four reads. */
export async function teamParts(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<TeamParts>> {
	const [evidence, causes, pressure, forces] = await Promise.all([
		partsOf<Evidence>(supabase, 'evidence', teamId, null),
		partsOf<RootCause>(supabase, 'root_causes', teamId, null),
		partsOf<PressurePoint>(supabase, 'pressure_points', teamId, null),
		partsOf<ForceRow>(supabase, 'forces', teamId, null)
	]);
	for (const r of [evidence, causes, pressure, forces]) if (r.error !== undefined) return r;
	return {
		data: {
			evidence: evidence.data!,
			causes: causes.data!,
			pressure: pressure.data!,
			forces: forces.data!
		}
	};
}
