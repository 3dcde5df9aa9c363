import type { SupabaseClient } from '@supabase/supabase-js';
import type { Result } from './errors.ts';

/** One row of a status history: who moved what from which status to which, and why. */
export interface StatusChange<S extends string> {
	id: number;
	from_status: S | null;
	to_status: S;
	note: string | null;
	changed_by: string | null;
	changed_by_name: string | null;
	changed_at: string;
}

/** The history tables written by status triggers, and the column naming the row they follow. */
const HISTORIES = {
	friction_point_status_changes: 'friction_point_id',
	initiative_status_changes: 'initiative_id'
} as const;

type Row<S extends string> = Omit<StatusChange<S>, 'changed_by_name'> & {
	profiles: { display_name: string | null } | null;
};

/**
 * A row's status history, newest first, with the name of whoever made each change. `toResult` is
 * the calling module's error mapping.
 */
export async function statusHistory<S extends string>(
	supabase: SupabaseClient,
	table: keyof typeof HISTORIES,
	teamId: string,
	rowId: string,
	toResult: (r: { data: Row<S>[] | null; error: unknown }) => Result<Row<S>[]>
): Promise<Result<StatusChange<S>[]>> {
	const r = toResult(
		await supabase
			.from(table)
			.select('id, from_status, to_status, note, changed_by, changed_at, profiles(display_name)')
			.eq('team_id', teamId)
			.eq(HISTORIES[table], rowId)
			.order('changed_at', { ascending: false })
			.order('id', { ascending: false })
			.returns<Row<S>[]>()
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data.map(({ profiles, ...rest }) => ({
			...rest,
			changed_by_name: profiles?.display_name ?? null
		}))
	};
}
