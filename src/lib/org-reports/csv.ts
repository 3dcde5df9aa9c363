/**
 * The organization report as CSV: one line per team and period, the same aggregate-only figures
 * the page shows (averages withheld below three answers stay empty), through the shared
 * formula-safe writer. Headers are stable machine names so spreadsheets built on them keep working.
 */
import { toCsv, type ExportColumn } from '$lib/csv/export.ts';
import { COUNT_KEYS, PULSE_KEYS, type FeedbackResult, type ReportRow } from './figures.ts';

const REPORT_COLUMNS: ExportColumn<ReportRow>[] = [
	{ key: 'team_name', header: 'team' },
	{ key: 'period_start', header: 'period_start' },
	{ key: 'member_count', header: 'members', type: 'number' },
	{ key: 'size_status', header: 'size' },
	{ key: (r) => (r.archived ? 'yes' : 'no'), header: 'archived' },
	...COUNT_KEYS.map((k) => ({ key: k, header: k, type: 'number' as const })),
	{ key: 'average_attendance', header: 'average_attendance', type: 'number' },
	...PULSE_KEYS.map((k) => ({ key: k, header: k, type: 'number' as const }))
];

export function reportCsv(rows: readonly ReportRow[]): string {
	return toCsv(rows, REPORT_COLUMNS);
}

const FEEDBACK_COLUMNS: ExportColumn<FeedbackResult>[] = [
	{ key: 'team_name', header: 'team' },
	{ key: 'audience', header: 'audience' },
	{ key: 'opened_on', header: 'opened_on' },
	{ key: (r) => (r.open ? 'yes' : 'no'), header: 'open' },
	{ key: 'responses', header: 'responses', type: 'number' },
	{ key: 'q1', header: 'q1_average', type: 'number' },
	{ key: 'q2', header: 'q2_average', type: 'number' },
	{ key: 'q3', header: 'q3_average', type: 'number' }
];

export function feedbackCsv(rows: readonly FeedbackResult[]): string {
	return toCsv(rows, FEEDBACK_COLUMNS);
}
