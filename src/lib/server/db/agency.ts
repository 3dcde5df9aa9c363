/**
 * Agency data: agencies, programs, indicators, stated goals, measurements, imports and saved column
 * mappings, over the request's Supabase client (RLS: team members only, writes while the team is
 * active). Every function returns `{ data }` or `{ error }` with the database's sentence, first letter
 * capitalised; faults (the database down, a bug) are thrown.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { CheckResult, CommitOutcome } from '../../import/api-schema.ts';
import { constraintMessage, isUserError, translateDbMessage, type Result } from './errors.ts';

export type { Result } from './errors.ts';

export type IndicatorDirection = 'up' | 'down' | 'target';
export type IndicatorFrequency =
	'day' | 'week' | 'month' | 'quarter' | 'year' | 'fiscal_year' | 'irregular';
export type Grain = Exclude<IndicatorFrequency, 'irregular'>;
export type ImportStatus = 'staging' | 'committed' | 'undone' | 'cancelled';

export interface Agency {
	id: string;
	team_id: string;
	name: string;
	jurisdiction: string | null;
	type: string | null;
	website: string | null;
	notes: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}
export type AgencyInput = Partial<Pick<Agency, 'jurisdiction' | 'type' | 'website' | 'notes'>> & {
	name: string;
};

export interface Program {
	id: string;
	team_id: string;
	agency_id: string;
	name: string;
	description: string | null;
	created_at: string;
	updated_at: string;
}
export type ProgramInput = { name: string; description?: string | null };

export interface Indicator {
	id: string;
	team_id: string;
	agency_id: string;
	program_id: string | null;
	name: string;
	unit: string | null;
	direction: IndicatorDirection;
	frequency: IndicatorFrequency;
	description: string | null;
	created_at: string;
	updated_at: string;
}
export type IndicatorInput = Partial<
	Pick<Indicator, 'program_id' | 'unit' | 'direction' | 'frequency' | 'description'>
> & { name: string };

/** An indicator with its agency's name and its latest measurement (null when it has none). */
export interface IndicatorWithLatest extends Indicator {
	agency_name: string;
	latest: Pick<Measurement, 'period_start' | 'period_end' | 'value' | 'target'> | null;
}

export interface Goal {
	id: string;
	team_id: string;
	indicator_id: string;
	statement: string;
	target_value: number | null;
	target_date: string | null;
	period_label: string | null;
	source_title: string | null;
	source_url: string | null;
	source_date: string | null;
	created_at: string;
	updated_at: string;
}
export type GoalInput = Partial<
	Pick<
		Goal,
		'target_value' | 'target_date' | 'period_label' | 'source_title' | 'source_url' | 'source_date'
	>
> & { statement: string };

export interface Measurement {
	id: number;
	team_id: string;
	indicator_id: string;
	period_start: string;
	period_end: string;
	grain: Grain;
	value: number;
	target: number | null;
	note: string | null;
	import_id: string | null;
	created_at: string;
	updated_at: string;
}
export type MeasurementInput = Pick<
	Measurement,
	'period_start' | 'period_end' | 'grain' | 'value'
> &
	Partial<Pick<Measurement, 'target' | 'note'>>;

/** One point of indicator_series(). */
export interface SeriesPoint {
	indicator_id: string;
	period_start: string;
	period_end: string;
	value: number;
	target: number | null;
	note: string | null;
}

export interface ImportError {
	row: number;
	column: string | null;
	reason: string;
	value: string | null;
	message: string;
}

export interface ImportRecord {
	id: string;
	team_id: string;
	file_name: string;
	imported_by: string | null;
	/** The importer's display name when the viewer may see it (teammates), else null. */
	importer_name: string | null;
	status: ImportStatus;
	mapping: unknown;
	total_rows: number | null;
	inserted: number | null;
	updated: number | null;
	unchanged: number | null;
	rejected: number | null;
	created_agencies: number | null;
	created_indicators: number | null;
	committed_at: string | null;
	undone_at: string | null;
	undone_by: string | null;
	created_at: string;
}

/** A staged row: [agency, program, indicator, period_start, period_end, grain, value, target, unit, note, row_no]. */
export type StagedRow = [
	string,
	string | null,
	string,
	string,
	string,
	Grain,
	number,
	number | null,
	string | null,
	string | null,
	number | null
];

/** The import rpcs' answers, typed once for this module and the wizard that reads them. */
export type ImportCheck = CheckResult;
export type CommitResult = CommitOutcome;

export interface UndoResult {
	deleted: number;
	restored: number;
}

export interface AgencyTargetSummary {
	agency_id: string;
	agency_name: string;
	indicators: number;
	on_target: number;
	off_target: number;
	no_target: number;
	latest_period: string | null;
}

export interface ImportMapping {
	id: string;
	team_id: string;
	signature: string;
	name: string | null;
	mapping: unknown;
	created_at: string;
	updated_at: string;
}

/** commit_import's code when agencies or indicators do not exist yet (commit again creating them). */
export const MISSING_CODE = 'GW101';

/** Supabase's default cap on rows per response; longer reads are paged. */
const PAGE = 1000;

/** Sentences for constraint violations a race can still produce (the triggers explain the rest). */
const CONSTRAINTS: Record<string, string> = {
	agencies_team_id_name_key: 'The team already has an agency with that name',
	programs_agency_id_name_key: 'The agency already has a program with that name',
	indicators_agency_id_name_key: 'The agency already has an indicator with that name',
	measurements_indicator_period_key: 'The indicator already has a value for that period',
	programs_agency_id_team_id_fkey: 'That agency does not exist',
	indicators_agency_id_team_id_fkey: 'That agency does not exist',
	indicators_program_id_agency_id_fkey: 'That program does not belong to the agency',
	goals_indicator_id_team_id_fkey: 'That indicator does not exist',
	measurements_indicator_id_team_id_fkey: 'That indicator does not exist'
};

/** The error as a result for the user, or throws it when it is a fault. */
export function failure(error: unknown): { error: string; code?: string } {
	if (isUserError(error)) return { error: translateDbMessage(error.message), code: error.code };
	const known = constraintMessage(error, CONSTRAINTS);
	if (known) return { error: known };
	const e = error as { code?: string } | null;
	// RLS refused a write: not a member (any more), or the row is gone.
	if (e?.code === '42501') return { error: 'You cannot change this team’s data', code: '42501' };
	throw error;
}

type Response<T> = { data: T | null; error: unknown };

function result<T>(r: Response<T>): Result<T> {
	if (r.error) return failure(r.error);
	return { data: r.data as T };
}

/** A write that must touch a row: none means it does not exist or is not the caller's to change. */
function one<T>(r: Response<T[]>, what: string): Result<T> {
	if (r.error) return failure(r.error);
	if (!r.data?.length) return { error: `That ${what} does not exist` };
	return { data: r.data[0] };
}

/** A result's data reshaped; a refusal passes through. */
function mapped<T, U>(r: Result<T>, f: (data: T) => U): Result<U> {
	return r.error !== undefined ? r : { data: f(r.data) };
}

/** The table each entity lives in, for the writes they all share. */
const TABLES = {
	agency: 'agencies',
	program: 'programs',
	indicator: 'indicators',
	goal: 'goals',
	measurement: 'measurements'
} as const;
type Entity = keyof typeof TABLES;

async function insertRow<T>(
	supabase: SupabaseClient,
	what: Entity,
	row: Record<string, unknown>
): Promise<Result<T>> {
	return result(await supabase.from(TABLES[what]).insert(row).select('*').single<T>());
}

/** Updates one row by id (RLS keeps it to the caller's team); none means it is gone or not theirs. */
async function updateRow<T>(
	supabase: SupabaseClient,
	what: Entity,
	id: string | number,
	patch: Record<string, unknown>
): Promise<Result<T>> {
	return one(
		await supabase.from(TABLES[what]).update(patch).eq('id', id).select('*').returns<T[]>(),
		what
	);
}

async function deleteRow<I extends string | number>(
	supabase: SupabaseClient,
	what: Entity,
	id: I
): Promise<Result<{ id: I }>> {
	return one(
		await supabase.from(TABLES[what]).delete().eq('id', id).select('id').returns<{ id: I }[]>(),
		what
	);
}

/** Reads every page of a query (Supabase caps responses at 1000 rows). */
async function all<T>(
	page: (from: number, to: number) => PromiseLike<Response<T[]>>
): Promise<Result<T[]>> {
	const rows: T[] = [];
	for (let from = 0; ; from += PAGE) {
		const r = await page(from, from + PAGE - 1);
		if (r.error) return failure(r.error);
		const data = r.data ?? [];
		rows.push(...data);
		if (data.length < PAGE) return { data: rows };
	}
}

// ----- agencies

export async function listAgencies(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<Agency[]>> {
	return all<Agency>((from, to) =>
		supabase
			.from('agencies')
			.select('*')
			.eq('team_id', teamId)
			.order('name')
			.order('id')
			.range(from, to)
	);
}

/** The agency, or null when it does not exist or is not the team's. */
export async function getAgency(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<Agency | null>> {
	return result(
		await supabase
			.from('agencies')
			.select('*')
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle<Agency>()
	);
}

export async function createAgency(
	supabase: SupabaseClient,
	teamId: string,
	input: AgencyInput
): Promise<Result<Agency>> {
	return insertRow(supabase, 'agency', { team_id: teamId, ...pickAgency(input) });
}

export async function updateAgency(
	supabase: SupabaseClient,
	id: string,
	input: Partial<AgencyInput>
): Promise<Result<Agency>> {
	return updateRow(supabase, 'agency', id, pickAgency(input));
}

/** Deletes the agency with its programs, indicators, goals and measurements. */
export async function deleteAgency(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteRow(supabase, 'agency', id);
}

function pickAgency(input: Partial<AgencyInput>) {
	const { name, jurisdiction, type, website, notes } = input;
	return defined({ name, jurisdiction, type, website, notes });
}

/** Per agency: indicators on and off target (latest measurement vs target), in name order. */
export async function agencyTargetSummary(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<AgencyTargetSummary[]>> {
	return result<AgencyTargetSummary[]>(
		await supabase.rpc('agency_target_summary', { team_id: teamId })
	);
}

// ----- programs

export async function listPrograms(
	supabase: SupabaseClient,
	agencyId: string
): Promise<Result<Program[]>> {
	return result(
		await supabase
			.from('programs')
			.select('*')
			.eq('agency_id', agencyId)
			.order('name')
			.returns<Program[]>()
	);
}

export async function createProgram(
	supabase: SupabaseClient,
	teamId: string,
	agencyId: string,
	input: ProgramInput
): Promise<Result<Program>> {
	return insertRow(supabase, 'program', {
		team_id: teamId,
		agency_id: agencyId,
		name: input.name,
		description: input.description
	});
}

export async function updateProgram(
	supabase: SupabaseClient,
	id: string,
	input: Partial<ProgramInput>
): Promise<Result<Program>> {
	return updateRow(
		supabase,
		'program',
		id,
		defined({ name: input.name, description: input.description })
	);
}

/** Deletes the program; its indicators stay, without a program. */
export async function deleteProgram(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteRow(supabase, 'program', id);
}

// ----- indicators

const INDICATOR_WITH_LATEST =
	'*, agencies!indicators_agency_id_team_id_fkey(name), measurements(period_start, period_end, value, target)';

type IndicatorRow = Indicator & {
	agencies: { name: string } | null;
	measurements: Array<Pick<Measurement, 'period_start' | 'period_end' | 'value' | 'target'>>;
};

function withLatest(r: IndicatorRow): IndicatorWithLatest {
	const { agencies, measurements, ...indicator } = r;
	return { ...indicator, agency_name: agencies?.name ?? '', latest: measurements[0] ?? null };
}

/** The team's indicators, each with its agency's name and only its latest measurement. */
function indicatorsWithLatest(supabase: SupabaseClient, teamId: string) {
	return supabase
		.from('indicators')
		.select(INDICATOR_WITH_LATEST)
		.eq('team_id', teamId)
		.order('period_start', { referencedTable: 'measurements', ascending: false })
		.order('period_end', { referencedTable: 'measurements', ascending: false })
		.limit(1, { referencedTable: 'measurements' });
}

/** The team's indicators (or one agency's), by name, each with its latest measurement. */
export async function listIndicators(
	supabase: SupabaseClient,
	teamId: string,
	opts: { agencyId?: string } = {}
): Promise<Result<IndicatorWithLatest[]>> {
	const r = await all<IndicatorRow>((from, to) => {
		let q = indicatorsWithLatest(supabase, teamId);
		if (opts.agencyId) q = q.eq('agency_id', opts.agencyId);
		return q.order('name').order('id').range(from, to).returns<IndicatorRow[]>();
	});
	return mapped(r, (rows) => rows.map(withLatest));
}

/** The indicator with its agency's name and latest measurement, or null. */
export async function getIndicator(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<IndicatorWithLatest | null>> {
	const r = result(
		await indicatorsWithLatest(supabase, teamId).eq('id', id).maybeSingle<IndicatorRow>()
	);
	return mapped(r, (row) => (row ? withLatest(row) : null));
}

/** The team's indicators with one of these names (any case, trimmed): the import summary's links. */
export async function indicatorsNamed(
	supabase: SupabaseClient,
	teamId: string,
	names: string[]
): Promise<Result<Array<Pick<Indicator, 'id' | 'name'>>>> {
	if (!names.length) return { data: [] };
	const wanted = new Set(names.map((n) => n.trim().toLowerCase()));
	const r = await all<Pick<Indicator, 'id' | 'name'>>((from, to) =>
		supabase
			.from('indicators')
			.select('id, name')
			.eq('team_id', teamId)
			.order('name')
			.order('id')
			.range(from, to)
			.returns<Array<Pick<Indicator, 'id' | 'name'>>>()
	);
	return mapped(r, (rows) => rows.filter((i) => wanted.has(i.name.trim().toLowerCase())));
}

export async function createIndicator(
	supabase: SupabaseClient,
	teamId: string,
	agencyId: string,
	input: IndicatorInput
): Promise<Result<Indicator>> {
	return insertRow(supabase, 'indicator', {
		team_id: teamId,
		agency_id: agencyId,
		...pickIndicator(input)
	});
}

export async function updateIndicator(
	supabase: SupabaseClient,
	id: string,
	input: Partial<IndicatorInput>
): Promise<Result<Indicator>> {
	return updateRow(supabase, 'indicator', id, pickIndicator(input));
}

/** Deletes the indicator with its goals and measurements. */
export async function deleteIndicator(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteRow(supabase, 'indicator', id);
}

function pickIndicator(input: Partial<IndicatorInput>) {
	const { name, program_id, unit, direction, frequency, description } = input;
	return defined({ name, program_id, unit, direction, frequency, description });
}

// ----- goals

export async function listGoals(
	supabase: SupabaseClient,
	indicatorId: string
): Promise<Result<Goal[]>> {
	return result(
		await supabase
			.from('goals')
			.select('*')
			.eq('indicator_id', indicatorId)
			.order('target_date', { ascending: false, nullsFirst: false })
			.order('created_at', { ascending: false })
			.returns<Goal[]>()
	);
}

export async function createGoal(
	supabase: SupabaseClient,
	teamId: string,
	indicatorId: string,
	input: GoalInput
): Promise<Result<Goal>> {
	return insertRow(supabase, 'goal', {
		team_id: teamId,
		indicator_id: indicatorId,
		...pickGoal(input)
	});
}

export async function updateGoal(
	supabase: SupabaseClient,
	id: string,
	input: Partial<GoalInput>
): Promise<Result<Goal>> {
	return updateRow(supabase, 'goal', id, pickGoal(input));
}

export async function deleteGoal(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return deleteRow(supabase, 'goal', id);
}

function pickGoal(input: Partial<GoalInput>) {
	const {
		statement,
		target_value,
		target_date,
		period_label,
		source_title,
		source_url,
		source_date
	} = input;
	return defined({
		statement,
		target_value,
		target_date,
		period_label,
		source_title,
		source_url,
		source_date
	});
}

// ----- measurements

/** An indicator's measurements in period order, every page of them, optionally between two dates. */
export async function listMeasurements(
	supabase: SupabaseClient,
	indicatorId: string,
	opts: { from?: string; to?: string } = {}
): Promise<Result<Measurement[]>> {
	return all<Measurement>((from, to) => {
		let q = supabase.from('measurements').select('*').eq('indicator_id', indicatorId);
		if (opts.from) q = q.gte('period_end', opts.from);
		if (opts.to) q = q.lte('period_start', opts.to);
		return q.order('period_start').order('period_end').range(from, to).returns<Measurement[]>();
	});
}

/** One indicator's points as indicator_series_json sends them. */
interface SeriesJson {
	indicator_id: string;
	points: [string, string, number, number | null, string | null][];
}

/**
 * Several indicators' points for charts, ordered by indicator then period: one request however many
 * points (indicator_series_json answers with a single JSON value, so the row cap does not apply).
 */
export async function indicatorSeries(
	supabase: SupabaseClient,
	indicatorIds: string[],
	opts: { from?: string; to?: string } = {}
): Promise<Result<SeriesPoint[]>> {
	if (!indicatorIds.length) return { data: [] };
	const r = await supabase.rpc('indicator_series_json', {
		indicator_ids: indicatorIds,
		...(opts.from ? { from_date: opts.from } : {}),
		...(opts.to ? { to_date: opts.to } : {})
	});
	return mapped(result<SeriesJson[] | null>(r), (series) =>
		(series ?? []).flatMap(({ indicator_id, points }) =>
			points.map(([period_start, period_end, value, target, note]) => ({
				indicator_id,
				period_start,
				period_end,
				value,
				target,
				note
			}))
		)
	);
}

export async function createMeasurement(
	supabase: SupabaseClient,
	teamId: string,
	indicatorId: string,
	input: MeasurementInput
): Promise<Result<Measurement>> {
	const { period_start, period_end, grain, value, target, note } = input;
	return insertRow(
		supabase,
		'measurement',
		defined({
			team_id: teamId,
			indicator_id: indicatorId,
			period_start,
			period_end,
			grain,
			value,
			target,
			note
		})
	);
}

/** Sets (or, with null or blank, clears) the team's note on a measurement. */
export async function updateMeasurementNote(
	supabase: SupabaseClient,
	id: number,
	note: string | null
): Promise<Result<Measurement>> {
	const clean = note?.trim() ? note.trim() : null;
	if (clean && clean.length > 2000) return { error: 'The note can be at most 2000 characters' };
	return updateRow(supabase, 'measurement', id, { note: clean });
}

export async function deleteMeasurement(
	supabase: SupabaseClient,
	id: number
): Promise<Result<{ id: number }>> {
	return deleteRow(supabase, 'measurement', id);
}

// ----- imports

const IMPORT_COLUMNS =
	'id, team_id, file_name, imported_by, status, mapping, total_rows, inserted, updated, unchanged, rejected, created_agencies, created_indicators, committed_at, undone_at, undone_by, created_at, profiles(display_name)';

type ImportRow = Omit<ImportRecord, 'importer_name'> & {
	profiles: { display_name: string | null } | null;
};

function importRecord(r: ImportRow): ImportRecord {
	const { profiles, ...rest } = r;
	return { ...rest, importer_name: profiles?.display_name ?? null };
}

function teamImports(supabase: SupabaseClient, teamId: string) {
	return supabase.from('imports').select(IMPORT_COLUMNS).eq('team_id', teamId);
}

/** The team's imports, newest first (staging ones included), with the importer's name. */
export async function listImports(
	supabase: SupabaseClient,
	teamId: string,
	opts: { limit?: number } = {}
): Promise<Result<ImportRecord[]>> {
	const r = result(
		await teamImports(supabase, teamId)
			.order('created_at', { ascending: false })
			.order('id')
			.limit(opts.limit ?? 100)
			.returns<ImportRow[]>()
	);
	return mapped(r, (rows) => rows.map(importRecord));
}

/** One import, or null. */
export async function getImport(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<ImportRecord | null>> {
	const r = result(await teamImports(supabase, teamId).eq('id', id).maybeSingle<ImportRow>());
	return mapped(r, (row) => (row ? importRecord(row) : null));
}

/** The rows an import rejected (for the error report), or null when the import does not exist. */
export async function importErrors(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<{ file_name: string; errors: ImportError[] } | null>> {
	const r = result(
		await supabase
			.from('imports')
			.select('file_name, errors')
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle<{ file_name: string; errors: ImportError[] | null }>()
	);
	return mapped(r, (row) => (row ? { file_name: row.file_name, errors: row.errors ?? [] } : null));
}

export async function startImport(
	supabase: SupabaseClient,
	teamId: string,
	input: {
		file_name: string;
		mapping?: unknown;
		total_rows?: number;
		rejected?: number;
		errors?: ImportError[];
	}
): Promise<Result<string>> {
	return result(
		await supabase.rpc('start_import', {
			team_id: teamId,
			file_name: input.file_name,
			mapping: input.mapping ?? null,
			total_rows: input.total_rows ?? null,
			rejected: input.rejected ?? 0,
			errors: input.errors ?? []
		})
	);
}

/** Records the file's row count and rejected rows once the wizard has read the whole file. */
export async function finishImport(
	supabase: SupabaseClient,
	importId: string,
	report: { total_rows: number; rejected: number; errors: ImportError[] }
): Promise<Result<null>> {
	const out = await supabase.rpc('finish_import', {
		import_id: importId,
		total_rows: report.total_rows,
		rejected: report.rejected,
		errors: report.errors
	});
	return out.error ? failure(out.error) : { data: null };
}

/** Appends a chunk (at most 20,000 rows); returns the number of rows staged so far. */
export async function stageImportRows(
	supabase: SupabaseClient,
	importId: string,
	rows: StagedRow[]
): Promise<Result<number>> {
	return result(await supabase.rpc('stage_import_rows', { import_id: importId, rows }));
}

export async function checkImport(
	supabase: SupabaseClient,
	importId: string
): Promise<Result<ImportCheck>> {
	return result(await supabase.rpc('check_import', { import_id: importId }));
}

/** Commits in one transaction. `code === MISSING_CODE` when agencies or indicators must be created first. */
export async function commitImport(
	supabase: SupabaseClient,
	importId: string,
	createMissing = false
): Promise<Result<CommitResult>> {
	return result(
		await supabase.rpc('commit_import', { import_id: importId, create_missing: createMissing })
	);
}

export async function cancelImport(
	supabase: SupabaseClient,
	importId: string
): Promise<Result<null>> {
	const r = await supabase.rpc('cancel_import', { import_id: importId });
	return r.error ? failure(r.error) : { data: null };
}

export async function undoImport(
	supabase: SupabaseClient,
	importId: string
): Promise<Result<UndoResult>> {
	return result(await supabase.rpc('undo_import', { import_id: importId }));
}

// ----- saved mappings

/** The team's mapping saved for this header signature, or null. */
export async function getMapping(
	supabase: SupabaseClient,
	teamId: string,
	signature: string
): Promise<Result<ImportMapping | null>> {
	return result(
		await supabase
			.from('import_mappings')
			.select('*')
			.eq('team_id', teamId)
			.eq('signature', signature)
			.maybeSingle<ImportMapping>()
	);
}

/** Saves (or replaces) the team's mapping for this header signature. */
export async function saveMapping(
	supabase: SupabaseClient,
	teamId: string,
	signature: string,
	mapping: unknown,
	name: string | null = null
): Promise<Result<ImportMapping>> {
	return result(
		await supabase
			.from('import_mappings')
			.upsert({ team_id: teamId, signature, mapping, name }, { onConflict: 'team_id,signature' })
			.select('*')
			.single<ImportMapping>()
	);
}

/** Drops undefined keys, so a partial update leaves other columns alone. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
