/**
 * The organization report's figures: rows per team and period as organization_report returns
 * them, combined across teams or across periods. Counts add up; averages are weighted. Averages
 * the database withheld (fewer than three answers) stay withheld: a combined average uses only
 * rows that were shown, so no one's answer can be worked out from the totals.
 */

/** Fewer answers than this and an average is not shown (the database's rule, repeated for the UI). */
export const MIN_ANSWERS = 3;

export const COUNT_KEYS = [
	'activity',
	'dialogues_held',
	'friction_found',
	'friction_resolved',
	'commitments_kept',
	'commitments_broken',
	'initiatives_won',
	'pulse_responses'
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const PULSE_KEYS = ['pulse_safe', 'pulse_heard', 'pulse_useful'] as const;
export type PulseKey = (typeof PULSE_KEYS)[number];

export type Figures = Record<CountKey, number> &
	Record<PulseKey, number | null> & { average_attendance: number | null };

export interface ReportRow extends Figures {
	team_id: string;
	team_name: string;
	archived: boolean;
	member_count: number;
	size_status: 'small' | 'ideal' | 'large';
	/** First day of the month, quarter or year. */
	period_start: string;
}

/** PostgREST sends numeric columns as numbers or strings; this makes them numbers (or null). */
export function toNumber(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) ? n : null;
}

function round1(n: number): number {
	return Math.round(n * 10) / 10;
}

/** Sums the counts; attendance weighted by dialogues held, pulse by the answers that were shown. */
export function combine(rows: readonly Figures[]): Figures {
	const out = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number>;
	for (const row of rows) for (const k of COUNT_KEYS) out[k] += toNumber(row[k]) ?? 0;
	let attended = 0;
	let held = 0;
	for (const row of rows) {
		const avg = toNumber(row.average_attendance);
		if (avg !== null && row.dialogues_held > 0) {
			attended += avg * row.dialogues_held;
			held += row.dialogues_held;
		}
	}
	const pulse = {} as Record<PulseKey, number | null>;
	for (const key of PULSE_KEYS) {
		let sum = 0;
		let n = 0;
		for (const row of rows) {
			const v = toNumber(row[key]);
			if (v !== null && row.pulse_responses >= MIN_ANSWERS) {
				sum += v * row.pulse_responses;
				n += row.pulse_responses;
			}
		}
		pulse[key] = n >= MIN_ANSWERS ? round1(sum / n) : null;
	}
	return { ...out, ...pulse, average_attendance: held > 0 ? round1(attended / held) : null };
}

export interface PeriodFigures {
	period_start: string;
	figures: Figures;
}

/** Across teams, one entry per period (in the order given by `starts`, empty periods included). */
export function byPeriod(rows: readonly ReportRow[], starts: readonly string[]): PeriodFigures[] {
	return starts.map((start) => ({
		period_start: start,
		figures: combine(rows.filter((r) => r.period_start === start))
	}));
}

export interface TeamFigures {
	team_id: string;
	team_name: string;
	archived: boolean;
	member_count: number;
	size_status: ReportRow['size_status'];
	figures: Figures;
}

/** Across the period, one entry per team, in the order the teams first appear. */
export function byTeam(rows: readonly ReportRow[]): TeamFigures[] {
	const teams = new Map<string, ReportRow[]>();
	for (const row of rows) {
		const list = teams.get(row.team_id) ?? [];
		list.push(row);
		teams.set(row.team_id, list);
	}
	return [...teams.values()].map((list) => ({
		team_id: list[0].team_id,
		team_name: list[0].team_name,
		archived: list[0].archived,
		member_count: list[0].member_count,
		size_status: list[0].size_status,
		figures: combine(list)
	}));
}

/** Rows straight from the API, with numeric strings turned into numbers. */
export function normaliseRows(raw: readonly Record<string, unknown>[]): ReportRow[] {
	return raw.map((r) => {
		const row = { ...r } as Record<string, unknown>;
		for (const k of COUNT_KEYS) row[k] = toNumber(r[k]) ?? 0;
		for (const k of [...PULSE_KEYS, 'average_attendance']) row[k] = toNumber(r[k]);
		row.member_count = toNumber(r.member_count) ?? 0;
		return row as unknown as ReportRow;
	});
}

export interface FeedbackResult {
	team_id: string;
	team_name: string;
	round_id: string;
	audience: 'member' | 'client';
	opened_on: string;
	open: boolean;
	responses: number;
	q1: number | null;
	q2: number | null;
	q3: number | null;
}

export function normaliseFeedback(raw: readonly Record<string, unknown>[]): FeedbackResult[] {
	return raw.map((r) => ({
		...(r as unknown as FeedbackResult),
		responses: toNumber(r.responses) ?? 0,
		q1: toNumber(r.q1),
		q2: toNumber(r.q2),
		q3: toNumber(r.q3)
	}));
}

/** A shared report's frozen content: only the parts the leader chose are present. */
export interface SharedContent {
	figures?: Record<string, number | null>;
	friction_points?: Array<{ title: string; status: string }>;
	initiatives?: Array<{ title: string; status: string }>;
	feedback?: Array<{
		title: string;
		audience: 'member' | 'client';
		responses: number;
		q1: number | null;
		q2: number | null;
		q3: number | null;
	}>;
}
