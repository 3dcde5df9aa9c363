import type { SupabaseClient } from '@supabase/supabase-js';
import { ok, type User } from './teams.ts';

/** A staged row as stage_import_rows takes it. */
export type StagedRow = [
	agency: string | null,
	program: string | null,
	indicator: string | null,
	period_start: string | null,
	period_end: string | null,
	grain: string | null,
	value: number | string | null,
	target: number | string | null,
	unit: string | null,
	note: string | null,
	row_no: number | null
];

export interface CommitResult {
	import_id: string;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	created_agencies: number;
	created_indicators: number;
}

export interface Measurement {
	id: number;
	indicator_id: string;
	period_start: string;
	period_end: string;
	grain: string;
	value: number;
	target: number | null;
	note: string | null;
	import_id: string | null;
}

let counter = 0;

/** A weekly row: the week ending on `weekEnding` (YYYY-MM-DD). */
export function weekRow(
	agency: string,
	indicator: string,
	weekEnding: string,
	value: number | null,
	opts: {
		target?: number | null;
		unit?: string | null;
		note?: string | null;
		program?: string | null;
		row?: number;
	} = {}
): StagedRow {
	const end = new Date(`${weekEnding}T00:00:00Z`);
	const start = new Date(end.getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
	return [
		agency,
		opts.program ?? null,
		indicator,
		start,
		weekEnding,
		'week',
		value,
		opts.target ?? null,
		opts.unit ?? null,
		opts.note ?? null,
		opts.row ?? null
	];
}

/** `n` consecutive weeks ending on Sundays from 2024-01-07, values from `valueOf(i)`. */
export function weeks(
	agency: string,
	indicator: string,
	n: number,
	valueOf: (i: number) => number = (i) => i,
	first = '2024-01-07'
): StagedRow[] {
	const base = new Date(`${first}T00:00:00Z`).getTime();
	return Array.from({ length: n }, (_, i) =>
		weekRow(
			agency,
			indicator,
			new Date(base + i * 7 * 86_400_000).toISOString().slice(0, 10),
			valueOf(i),
			{ row: i + 2 }
		)
	);
}

export async function createAgency(
	user: User,
	teamId: string,
	name = `Agency ${++counter}`,
	extra: Record<string, unknown> = {}
): Promise<string> {
	const row = ok(
		await user.client
			.from('agencies')
			.insert({ team_id: teamId, name, ...extra })
			.select('id')
			.single()
	) as { id: string };
	return row.id;
}

export async function createIndicator(
	user: User,
	teamId: string,
	agencyId: string,
	name = `Indicator ${++counter}`,
	extra: Record<string, unknown> = {}
): Promise<string> {
	const row = ok(
		await user.client
			.from('indicators')
			.insert({ team_id: teamId, agency_id: agencyId, name, ...extra })
			.select('id')
			.single()
	) as { id: string };
	return row.id;
}

/** Starts an import and stages `rows` in chunks of `chunk`; returns the import id. */
export async function stageImport(
	client: SupabaseClient,
	teamId: string,
	rows: StagedRow[],
	opts: { chunk?: number; fileName?: string; rejected?: number; errors?: unknown[] } = {}
): Promise<string> {
	const importId = ok(
		await client.rpc('start_import', {
			team_id: teamId,
			file_name: opts.fileName ?? 'data.csv',
			mapping: { format: 'long' },
			total_rows: rows.length + (opts.rejected ?? 0),
			rejected: opts.rejected ?? 0,
			errors: opts.errors ?? []
		})
	) as string;
	const chunk = opts.chunk ?? 5000;
	for (let i = 0; i < rows.length; i += chunk) {
		ok(
			await client.rpc('stage_import_rows', { import_id: importId, rows: rows.slice(i, i + chunk) })
		);
	}
	return importId;
}

/** start + stage + commit, as the wizard does it. */
export async function importRows(
	client: SupabaseClient,
	teamId: string,
	rows: StagedRow[],
	opts: { chunk?: number; fileName?: string; createMissing?: boolean } = {}
): Promise<CommitResult> {
	const importId = await stageImport(client, teamId, rows, opts);
	return ok(
		await client.rpc('commit_import', {
			import_id: importId,
			create_missing: opts.createMissing ?? true
		})
	) as CommitResult;
}

/** An indicator's measurements as the service role, in period order. */
export async function measurementsOf(
	service: SupabaseClient,
	indicatorId: string
): Promise<Measurement[]> {
	return ok(
		await service
			.from('measurements')
			.select('id, indicator_id, period_start, period_end, grain, value, target, note, import_id')
			.eq('indicator_id', indicatorId)
			.order('period_start')
	) as Measurement[];
}

/** The indicator id by agency and indicator name (service role). */
export async function indicatorId(
	service: SupabaseClient,
	teamId: string,
	agency: string,
	indicator: string
): Promise<string | null> {
	const rows = ok(
		await service
			.from('indicators')
			.select('id, name, agencies!inner(name)')
			.eq('team_id', teamId)
			.eq('name', indicator)
			.eq('agencies.name', agency)
	) as Array<{ id: string }>;
	return rows[0]?.id ?? null;
}

/** The team's measurement count (service role). */
export async function countMeasurements(service: SupabaseClient, teamId: string): Promise<number> {
	const { count, error } = await service
		.from('measurements')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId);
	if (error) throw error;
	return count ?? 0;
}
