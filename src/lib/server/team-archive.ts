/**
 * Team archives on the server: reads every archive table through the caller's own client (so
 * RLS decides what leaves), page by page past PostgREST's max-rows cap, and zips them; stages an
 * uploaded archive's rows and imports them as a new team in one database transaction.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { version as appVersion } from '../../../package.json';
import { buildArchive, type TableData } from '../team-archive/archive.ts';
import type { Row } from '../team-archive/csv.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchivePerson } from '../team-archive/manifest.ts';
import { ARCHIVE_TABLES, type ArchiveTable } from '../team-archive/tables.ts';
import type { TeamRole } from '../team-role.ts';

/** `groundwork-<team-name>-<date>.<ext>`, safe in a Content-Disposition header. */
export function downloadName(teamName: string, ext: string, now = new Date()): string {
	const slug =
		teamName
			.normalize('NFKD')
			.replace(/[^\w\s-]/g, '')
			.trim()
			.replace(/\s+/g, '-')
			.toLowerCase()
			.slice(0, 40) || 'team';
	return `groundwork-${slug}-${now.toISOString().slice(0, 10)}.${ext}`;
}

/** PostgREST's (and the local runtime's) default max-rows: a page never holds more. */
const PAGE = 1000;

type Column = { table_name: string; column_name: string; data_type: string; is_nullable: boolean };

async function columnsOf(supabase: SupabaseClient, tables: readonly ArchiveTable[]) {
	const { data, error } = await supabase.rpc('team_archive_columns', {
		tables: tables.map((x) => x.name)
	});
	if (error) throw error;
	const byTable = new Map<string, TableData['columns']>();
	for (const c of (data ?? []) as Column[]) {
		const list = byTable.get(c.table_name) ?? [];
		list.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable });
		byTable.set(c.table_name, list);
	}
	return byTable;
}

async function readAll(
	supabase: SupabaseClient,
	table: ArchiveTable,
	columns: string[],
	teamId: string
): Promise<Row[]> {
	const rows: Row[] = [];
	for (let from = 0; ; from += PAGE) {
		let query = supabase.from(table.name).select(columns.join(',')).eq('team_id', teamId);
		for (const k of table.key) query = query.order(k);
		const { data, error } = await query.range(from, from + PAGE - 1);
		if (error) throw error;
		const page = (data ?? []) as unknown as Row[];
		rows.push(...page);
		if (page.length < PAGE) return rows;
	}
}

export interface ExportOptions {
	includeConfidential: boolean;
}

/** The whole team as a zip. Call only for a leader: the route checks, RLS decides the rows. */
export async function exportTeamArchive(
	supabase: SupabaseClient,
	teamId: string,
	opts: ExportOptions
): Promise<{ zip: Uint8Array; name: string }> {
	const tables = ARCHIVE_TABLES.filter((x) => opts.includeConfidential || !x.confidential);
	const [team, people, columns] = await Promise.all([
		supabase
			.from('teams')
			.select('name, purpose, focus_area, size_cap')
			.eq('id', teamId)
			.single()
			.then(({ data, error }) => {
				if (error) throw error;
				return data as {
					name: string;
					purpose: string | null;
					focus_area: string | null;
					size_cap: number;
				};
			}),
		supabase
			.from('team_members')
			.select('user_id, role, profiles(display_name)')
			.eq('team_id', teamId)
			.order('joined_at')
			.then(({ data, error }) => {
				if (error) throw error;
				return (data ?? []).map((p) => {
					const profile = p.profiles as unknown as { display_name: string | null } | null;
					return {
						user_id: p.user_id as string,
						role: p.role as TeamRole,
						display_name: profile?.display_name ?? null
					} satisfies ArchivePerson;
				});
			}),
		columnsOf(supabase, tables)
	]);
	const data: TableData[] = [];
	for (const table of tables) {
		const cols = (columns.get(table.name) ?? []).filter((c) => !table.omit?.includes(c.name));
		// A table the caller cannot see any column of is not readable for them: it stays out.
		if (cols.length === 0) continue;
		const rows = await readAll(
			supabase,
			table,
			cols.map((c) => c.name),
			teamId
		);
		data.push({ name: table.name, columns: cols, rows });
	}
	const { zip } = await buildArchive({
		appVersion,
		exportedAt: new Date(),
		team,
		confidentialIncluded: opts.includeConfidential,
		people,
		tables: data
	});
	return { zip, name: team.name };
}

/** Puts one chunk of an uploaded archive's rows in the staging table. */
export async function stageArchiveRows(
	supabase: SupabaseClient,
	uploadId: string,
	table: string,
	rows: Row[]
): Promise<void> {
	const { error } = await supabase
		.from('team_archive_chunks')
		.insert({ upload_id: uploadId, table_name: table, rows });
	if (error) throw error;
}

/** Creates the new team from the staged rows (all or nothing); returns its id. */
export async function importTeamArchive(
	supabase: SupabaseClient,
	uploadId: string,
	teamName: string,
	team: { purpose: string | null; focus_area: string | null; size_cap: number | null }
): Promise<string> {
	const { data, error } = await supabase.rpc('import_team_archive', {
		team_name: teamName,
		archive: { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, upload_id: uploadId, team }
	});
	if (error) throw error;
	return data as string;
}

/** Drops an abandoned upload's chunks. */
export async function discardUpload(supabase: SupabaseClient, uploadId: string): Promise<void> {
	const { error } = await supabase.from('team_archive_chunks').delete().eq('upload_id', uploadId);
	if (error) throw error;
}
