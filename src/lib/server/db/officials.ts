/**
 * The officials directory: officials, their staff, stance history, CSV imports and merges, over the
 * request's Supabase client (RLS: members read; leaders and organizers write). Every function
 * returns `{ data }` or `{ error }` with the database's sentence, first letter capitalised; faults
 * are thrown.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Level } from '$lib/schemas/officials.ts';
import { failure as agencyFailure } from './agency.ts';
import { constraintMessage, type Result } from './errors.ts';

export type { Result } from './errors.ts';

export interface Official {
	id: string;
	team_id: string;
	name: string;
	title: string | null;
	office: string | null;
	agency_id: string | null;
	jurisdiction: string | null;
	level: Level | null;
	party: string | null;
	email: string | null;
	phone: string | null;
	website: string | null;
	term_start: string | null;
	term_end: string | null;
	point_person_id: string | null;
	stance: number | null;
	influence: number | null;
	interest: number | null;
	cadence_days: number | null;
	notes: string | null;
	created_at: string;
	updated_at: string;
}
export type OfficialFields = Omit<Official, 'id' | 'team_id' | 'created_at' | 'updated_at'>;

export interface Staff {
	id: string;
	official_id: string;
	name: string;
	role: string | null;
	email: string | null;
	phone: string | null;
}

export interface StanceChange {
	id: string;
	previous_stance: number | null;
	stance: number | null;
	changed_at: string;
	changer_name: string | null;
}

export interface MergeRecord {
	id: string;
	removed_official: Partial<Official>;
	merged_at: string;
}

/** The fields a merge lets you choose between, in the form's order. */
export const MERGE_FIELDS = [
	'name',
	'title',
	'office',
	'agency_id',
	'jurisdiction',
	'level',
	'party',
	'email',
	'phone',
	'website',
	'term_start',
	'term_end',
	'point_person_id',
	'stance',
	'influence',
	'interest',
	'cadence_days'
] as const satisfies readonly (keyof Official)[];
export type MergeField = (typeof MERGE_FIELDS)[number];

/** A row for import_officials: the official's fields, and the official to merge it into. */
export interface ImportOfficialRow extends Partial<OfficialFields> {
	row_no: number;
	name: string;
	merge_into?: string | null;
}

const CONSTRAINTS: Record<string, string> = {
	officials_team_id_key_key: 'The team already has an official with that name and office',
	officials_agency_id_team_id_fkey: 'That agency does not exist',
	officials_team_id_point_person_id_fkey: 'The point person must be a member of the team',
	official_staff_official_id_team_id_fkey: 'That official does not exist'
};

/** The error as a result for the user, or throws it when it is a fault. */
export function failure(error: unknown): { error: string; code?: string } {
	const known = constraintMessage(error, CONSTRAINTS);
	if (known) return { error: known };
	return agencyFailure(error);
}

type Response<T> = { data: T | null; error: unknown };

export function result<T>(r: Response<T>): Result<T> {
	if (r.error) return failure(r.error);
	return { data: r.data as T };
}

/** A write that must touch a row: none means it does not exist or is not the caller's to change. */
export function one<T>(r: Response<T[]>, what: string): Result<T> {
	if (r.error) return failure(r.error);
	if (!r.data?.length) return { error: `That ${what} does not exist` };
	return { data: r.data[0] };
}

// ----- officials

export async function listOfficials(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<Official[]>> {
	return result(
		await supabase
			.from('officials')
			.select('*')
			.eq('team_id', teamId)
			.order('name')
			.order('id')
			.limit(5000)
			.returns<Official[]>()
	);
}

/** The official, or null when it does not exist or is not the team's. */
export async function getOfficial(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<Official | null>> {
	return result(
		await supabase
			.from('officials')
			.select('*')
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle<Official>()
	);
}

export async function createOfficial(
	supabase: SupabaseClient,
	teamId: string,
	input: Partial<OfficialFields> & { name: string }
): Promise<Result<Official>> {
	return result(
		await supabase
			.from('officials')
			.insert({ ...input, team_id: teamId })
			.select('*')
			.single<Official>()
	);
}

export async function updateOfficial(
	supabase: SupabaseClient,
	id: string,
	patch: Partial<OfficialFields>
): Promise<Result<Official>> {
	return one(
		await supabase.from('officials').update(patch).eq('id', id).select('*').returns<Official[]>(),
		'official'
	);
}

export async function deleteOfficial(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return one(
		await supabase.from('officials').delete().eq('id', id).select('id').returns<{ id: string }[]>(),
		'official'
	);
}

// ----- staff and history

export async function listStaff(
	supabase: SupabaseClient,
	officialId: string
): Promise<Result<Staff[]>> {
	return result(
		await supabase
			.from('official_staff')
			.select('id, official_id, name, role, email, phone')
			.eq('official_id', officialId)
			.order('name')
			.returns<Staff[]>()
	);
}

export async function addStaff(
	supabase: SupabaseClient,
	teamId: string,
	officialId: string,
	input: Omit<Staff, 'id' | 'official_id'>
): Promise<Result<Staff>> {
	return result(
		await supabase
			.from('official_staff')
			.insert({ ...input, team_id: teamId, official_id: officialId })
			.select('id, official_id, name, role, email, phone')
			.single<Staff>()
	);
}

export async function removeStaff(
	supabase: SupabaseClient,
	officialId: string,
	id: string
): Promise<Result<{ id: string }>> {
	return one(
		await supabase
			.from('official_staff')
			.delete()
			.eq('official_id', officialId)
			.eq('id', id)
			.select('id')
			.returns<{ id: string }[]>(),
		'staff member'
	);
}

/** The stance history, newest first, with who changed it (their display name). */
export async function stanceHistory(
	supabase: SupabaseClient,
	officialId: string
): Promise<Result<StanceChange[]>> {
	const r = await supabase
		.from('official_stance_changes')
		.select('id, previous_stance, stance, changed_at, changed_by')
		.eq('official_id', officialId)
		.order('changed_at', { ascending: false })
		.returns<Array<Omit<StanceChange, 'changer_name'> & { changed_by: string | null }>>();
	if (r.error) return failure(r.error);
	const ids = [...new Set((r.data ?? []).map((c) => c.changed_by).filter((x): x is string => !!x))];
	const names = new Map<string, string>();
	if (ids.length) {
		const p = await supabase.from('profiles').select('id, display_name').in('id', ids);
		for (const row of (p.data ?? []) as Array<{ id: string; display_name: string | null }>)
			if (row.display_name) names.set(row.id, row.display_name);
	}
	return {
		data: (r.data ?? []).map(({ changed_by, ...c }) => ({
			...c,
			changer_name: changed_by ? (names.get(changed_by) ?? null) : null
		}))
	};
}

export async function listMerges(
	supabase: SupabaseClient,
	officialId: string
): Promise<Result<MergeRecord[]>> {
	return result(
		await supabase
			.from('official_merges')
			.select('id, removed_official, merged_at')
			.eq('kept_official_id', officialId)
			.order('merged_at', { ascending: false })
			.returns<MergeRecord[]>()
	);
}

// ----- import and merge

/** Adds (and merges) a whole list in one transaction; nothing is written when a row is refused. */
export async function importOfficials(
	supabase: SupabaseClient,
	teamId: string,
	rows: ImportOfficialRow[]
): Promise<Result<{ added: number; merged: number }>> {
	return result(await supabase.rpc('import_officials', { team_id: teamId, rows }));
}

/** Merges `removeId` into `keepId`; `fromRemoved` lists the fields whose removed value wins. */
export async function mergeOfficials(
	supabase: SupabaseClient,
	keepId: string,
	removeId: string,
	fromRemoved: readonly MergeField[]
): Promise<Result<null>> {
	const chosen = Object.fromEntries(fromRemoved.map((f) => [f, 'remove']));
	const r = await supabase.rpc('merge_officials', {
		keep_id: keepId,
		remove_id: removeId,
		chosen
	});
	if (r.error) return failure(r.error);
	return { data: null };
}
