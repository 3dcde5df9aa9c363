/**
 * The outreach dashboard's figures, from the rows the page reads (RLS already applied). Pure.
 */
import { INTERACTION_TYPES, type InteractionType } from '$lib/schemas/officials.ts';
import { cadenceState, contactLate, isOverdue, type FollowUpLike } from './follow-ups.ts';

const DAY_MS = 86_400_000;

/** The Monday of the week a day (YYYY-MM-DD, or an ISO instant, read in UTC) falls in. */
export function weekStart(day: string): string {
	const d = new Date(day.length === 10 ? `${day}T00:00:00Z` : day);
	const back = (d.getUTCDay() + 6) % 7;
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - back * DAY_MS)
		.toISOString()
		.slice(0, 10);
}

export interface InteractionLike {
	type: InteractionType;
	status: 'held' | 'planned';
	occurred_at: string;
	response: string | null;
}

export interface WeeklyContacts {
	/** Week starts (Mondays), oldest first. */
	weeks: string[];
	/** Held interactions per type, one count per week. */
	byType: Record<InteractionType, number[]>;
}

/** Held contacts per week and type over the `count` weeks ending with today's. */
export function weeklyContacts(
	interactions: readonly InteractionLike[],
	today: string,
	count = 12
): WeeklyContacts {
	const last = Date.parse(`${weekStart(today)}T00:00:00Z`);
	const weeks = Array.from({ length: count }, (_, i) =>
		new Date(last - (count - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10)
	);
	const index = new Map(weeks.map((w, i) => [w, i]));
	const byType = Object.fromEntries(
		INTERACTION_TYPES.map((t) => [t, weeks.map(() => 0)])
	) as Record<InteractionType, number[]>;
	for (const it of interactions) {
		if (it.status !== 'held') continue;
		const i = index.get(weekStart(it.occurred_at));
		if (i !== undefined) byType[it.type][i] += 1;
	}
	return { weeks, byType };
}

export interface Rate {
	part: number;
	total: number;
	/** part / total, or null when there is nothing to count. */
	rate: number | null;
}

const rate = (part: number, total: number): Rate => ({
	part,
	total,
	rate: total ? part / total : null
});

/** Of the held interactions, how many have the official's response recorded. */
export function responseRate(interactions: readonly InteractionLike[]): Rate {
	const held = interactions.filter((i) => i.status === 'held');
	return rate(held.filter((i) => i.response).length, held.length);
}

export interface CommitmentLike {
	status: 'pending' | 'kept' | 'partly_kept' | 'broken';
}

/** Of the commitments whose outcome is known (not pending), how many were kept in full. */
export function keptRate(commitments: readonly CommitmentLike[]): Rate & {
	partly: number;
	broken: number;
	pending: number;
} {
	const count = (s: CommitmentLike['status']) => commitments.filter((c) => c.status === s).length;
	const kept = count('kept');
	const partly = count('partly_kept');
	const broken = count('broken');
	return { ...rate(kept, kept + partly + broken), partly, broken, pending: count('pending') };
}

/** Open follow-ups past their due date, most overdue first. */
export function overdueFollowUps<F extends FollowUpLike>(
	followUps: readonly F[],
	today: string
): F[] {
	return followUps
		.filter((f) => isOverdue(f, today))
		.sort((a, b) => a.due_on.localeCompare(b.due_on));
}

export interface OfficialLike {
	id: string;
	name: string;
	influence: number | null;
	interest: number | null;
	point_person_id: string | null;
	cadence_days: number | null;
}

export type CoverageGap = 'no_point_person' | 'not_contacted';

/** High influence: 4 or 5 on the 1–5 scale. */
export const HIGH_INFLUENCE = 4;

/**
 * The power map's blind spots: high-influence officials with no point person, or not contacted
 * within their cadence (never contacted counts when a cadence is set). `lastContact` maps an
 * official's id to the day of the last held interaction with them.
 */
export function coverageGaps<O extends OfficialLike>(
	officials: readonly O[],
	lastContact: ReadonlyMap<string, string>,
	today: string
): Array<{ official: O; gaps: CoverageGap[] }> {
	const out: Array<{ official: O; gaps: CoverageGap[] }> = [];
	for (const o of officials) {
		if ((o.influence ?? 0) < HIGH_INFLUENCE) continue;
		const gaps: CoverageGap[] = [];
		if (!o.point_person_id) gaps.push('no_point_person');
		if (contactLate(cadenceState(o.cadence_days, lastContact.get(o.id) ?? null, today)))
			gaps.push('not_contacted');
		if (gaps.length) out.push({ official: o, gaps });
	}
	return out;
}

/** The officials in each cell of the power map: [influence 5→1][interest 1→5]; unscored left out. */
export function powerGrid<O extends OfficialLike>(officials: readonly O[]): O[][][] {
	const grid: O[][][] = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => []));
	for (const o of officials) {
		if (!o.influence || !o.interest) continue;
		grid[5 - o.influence][o.interest - 1].push(o);
	}
	return grid;
}

/** The last held interaction's day per official, from participant rows. */
export function lastContacts(
	rows: ReadonlyArray<{ official_id: string | null; occurred_at: string; status: string }>
): Map<string, string> {
	const out = new Map<string, string>();
	for (const r of rows) {
		if (!r.official_id || r.status !== 'held') continue;
		const day = r.occurred_at.slice(0, 10);
		const prev = out.get(r.official_id);
		if (!prev || day > prev) out.set(r.official_id, day);
	}
	return out;
}
