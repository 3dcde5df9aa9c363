/**
 * What a team archive holds, in import order (a table comes after every table it refers to).
 * Every public table with a `team_id` column is listed here or in EXCLUDED_TABLES with a reason;
 * a database test fails when a new one is neither, so a table added later cannot slip out of (or
 * into) archives unnoticed.
 */

/** Why a table is in the archive but not written back by an import. */
export type NotImported = 'people' | 'invitations' | 'referrals' | 'imports';

export interface ArchiveTable {
	name: string;
	/** File inside the zip. */
	file: string;
	/** Columns to order by, so paginated reads are stable (the primary key). */
	key: readonly string[];
	/** Columns never written to the file. */
	omit?: readonly string[];
	/** Leaders' confidential section: in the file only when the leader chooses it. */
	confidential?: boolean;
	/** Set when the rows go in the archive for the record but an import leaves them out. */
	notImported?: NotImported;
}

const t = (
	name: string,
	key: readonly string[] = ['id'],
	extra: Omit<ArchiveTable, 'name' | 'file' | 'key'> = {}
): ArchiveTable => ({ name, file: `${name}.csv`, key, ...extra });

export const ARCHIVE_TABLES: readonly ArchiveTable[] = [
	t('team_members', ['user_id'], { notImported: 'people' }),
	t('team_agreements'),
	t('agreement_acceptances', ['user_id', 'version'], { notImported: 'people' }),
	t('invitations', ['id'], { omit: ['token_hash'], notImported: 'invitations' }),
	t('referrals', ['id'], { notImported: 'referrals' }),
	t('import_mappings'),
	t('imports', ['id'], { notImported: 'imports' }),
	t('agencies'),
	t('programs'),
	t('indicators'),
	t('goals'),
	t('measurements'),
	t('friction_dismissals'),
	t('officials'),
	t('official_staff'),
	t('official_stance_changes'),
	t('official_merges'),
	t('interactions'),
	t('interaction_confidential_notes', ['interaction_id'], { confidential: true }),
	t('interaction_participants'),
	t('commitments'),
	t('follow_ups'),
	t('friction_points'),
	t('friction_point_status_changes'),
	t('evidence'),
	t('root_causes'),
	t('pressure_points'),
	t('friction_point_interactions'),
	t('initiatives'),
	t('initiative_status_changes'),
	t('initiative_friction_points'),
	t('initiative_strategy_items'),
	t('initiative_targets'),
	t('tactics'),
	t('milestones'),
	t('forces'),
	t('interaction_initiatives'),
	t('tasks'),
	t('task_comments'),
	t('dialogue_templates'),
	t('dialogues'),
	t('agenda_items'),
	t('dialogue_notes'),
	t('decisions'),
	t('decision_votes', ['decision_id', 'user_id'], { notImported: 'people' }),
	t('dialogue_rsvps', ['dialogue_id', 'user_id'], { notImported: 'people' }),
	t('attendance', ['dialogue_id', 'user_id'], { notImported: 'people' }),
	t('pulse_checks', ['dialogue_id', 'user_id'], { notImported: 'people' }),
	t('turns', ['id'], { notImported: 'people' }),
	t('speaking_queue', ['id'], { notImported: 'people' }),
	t('input_cards'),
	t('action_items'),
	t('dialogue_amendments'),
	t('activity_log')
];

/** Team tables that never leave the instance, and why. */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
	calendar_feeds:
		'per-person calendar subscriptions: a token hash that only works on this instance, nothing else',
	import_rows: 'staging rows of a CSV import in progress; the measurements it made are exported',
	import_changes: "an import's undo journal, keyed by this instance's measurement ids",
	dialogue_mail:
		"the outbox of dialogue reminders and summaries sent to this instance's members: delivery bookkeeping",
	feedback_rounds:
		"feedback rounds serve the host organization's aggregate reports here; a client round's link is a token hash",
	feedback_responses:
		'single answers to feedback rounds: nobody reads them through the API, only aggregates of three or more',
	shared_reports:
		"snapshots shared with this instance's host organization; the figures they froze are in their own tables"
};

export const ARCHIVE_TABLE_NAMES: ReadonlySet<string> = new Set(ARCHIVE_TABLES.map((x) => x.name));

export function archiveTable(name: string): ArchiveTable | undefined {
	return ARCHIVE_TABLES.find((x) => x.name === name);
}

/** The tables an import writes (the database function keeps the same list). */
export function importedTables(): ArchiveTable[] {
	return ARCHIVE_TABLES.filter((x) => !x.notImported);
}

/**
 * Rows an import can take as they are. A meeting participant who was a member (not an official)
 * is a person of the other instance: that row stays in the file only.
 */
export function importableRows(table: string, rows: Record<string, unknown>[]) {
	if (table === 'interaction_participants') return rows.filter((r) => r.official_id != null);
	return rows;
}
