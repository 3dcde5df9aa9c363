/**
 * When outreach is late: follow-ups past their due date, and officials the team has not been in
 * touch with within their contact cadence. Pure; `today` is a YYYY-MM-DD day (UTC).
 */

const DAY_MS = 86_400_000;

/** Today as YYYY-MM-DD in UTC (the database's `current_date` on hosted Supabase). */
export function todayUtc(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface FollowUpLike {
	due_on: string;
	done_at: string | null;
}

/** Open and due before today. */
export function isOverdue(f: FollowUpLike, today: string): boolean {
	return f.done_at === null && f.due_on < today;
}

/** How many days overdue (0 when not overdue). */
export function daysOverdue(f: FollowUpLike, today: string): number {
	return isOverdue(f, today) ? daysBetween(f.due_on, today) : 0;
}

export type CadenceStatus = 'none' | 'ok' | 'due' | 'never';

export interface CadenceState {
	status: CadenceStatus;
	/** Days since the last held interaction with the official, or null when there was none. */
	daysSince: number | null;
}

/**
 * Where an official stands against their cadence: `none` without a cadence, `never` when the team
 * has never been in touch, `due` when the last contact is more than `cadenceDays` ago ("not
 * contacted in time"), else `ok`. `lastContact` is the day of the last held interaction.
 */
export function cadenceState(
	cadenceDays: number | null,
	lastContact: string | null,
	today: string
): CadenceState {
	const daysSince = lastContact ? daysBetween(lastContact, today) : null;
	if (!cadenceDays) return { status: 'none', daysSince };
	if (daysSince === null) return { status: 'never', daysSince };
	return { status: daysSince > cadenceDays ? 'due' : 'ok', daysSince };
}

/** Whether a cadence state should be flagged as "not contacted in time". */
export function contactLate(state: CadenceState): boolean {
	return state.status === 'due' || state.status === 'never';
}

/** A follow-up as the lists show it: names resolved, and whether the viewer may close it. */
export interface FollowUpItem extends FollowUpLike {
	id: string;
	title: string;
	assignee: string | null;
	interaction_id: string | null;
	interaction_title?: string | null;
	/** The viewer may mark it done (theirs, or they lead or organize). */
	editable: boolean;
}
