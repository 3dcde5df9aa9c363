/**
 * The review page's figures, from what `public.team_review` returns: pure transforms the charts,
 * their tables and the printable version share. On or off target is decided by
 * `$lib/charts/target.ts`, the one place those rules live.
 */
import { type Direction, targetStatus } from '$lib/charts/target.ts';
import { monthsOf } from './period.ts';

export const FRICTION_STATUSES = [
	'noticed',
	'investigating',
	'confirmed',
	'raised',
	'improving',
	'resolved',
	'dropped'
] as const;
export type FrictionStatus = (typeof FRICTION_STATUSES)[number];
/** Statuses after which a friction point no longer needs work. */
export const CLOSED_FRICTION: readonly FrictionStatus[] = ['resolved', 'dropped'];
/** The team's severity rating, 1 (minor) to 5 (grave). */
export const RATINGS = [1, 2, 3, 4, 5] as const;

export const COMMITMENT_STATUSES = ['kept', 'partly_kept', 'broken', 'pending'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export type InitiativeStatus = 'draft' | 'active' | 'paused' | 'won' | 'lost' | 'closed';

export interface ReviewDialogue {
	id: string;
	title: string;
	starts_at: string;
	/** Members who had joined by then. */
	invited: number;
	attended: number;
	turns: number;
	speakers: number;
	seconds: number;
}

export interface MemberParticipation {
	user_id: string;
	name: string | null;
	role: 'leader' | 'organizer' | 'member';
	invited: number;
	attended: number;
	turns: number;
	seconds: number;
}

export interface OverdueItem {
	kind: 'task' | 'follow_up';
	id: string;
	title: string;
	due_on: string;
	initiative_id: string | null;
	interaction_id: string | null;
	assignee: string | null;
}

export interface InitiativeFigures {
	id: string;
	title: string;
	status: InitiativeStatus;
	deadline: string | null;
	milestones: number;
	milestones_reached: number;
	tasks: number;
	tasks_done: number;
}

/** `public.team_review` as it arrives. */
export interface RawReview {
	role: 'leader' | 'organizer' | 'member';
	from: string;
	to: string;
	indicator_count: number;
	/** [month, direction, latest value in the month, target or null] per indicator and month. */
	indicators: Array<[string, Direction, number, number | null]>;
	/** [month, status, rating, points] at the month's end. */
	friction: Array<[string, FrictionStatus, number, number]>;
	/** [month, held, planned]. */
	outreach: Array<[string, number, number]>;
	commitments: Record<CommitmentStatus | 'overdue', number>;
	initiatives: InitiativeFigures[];
	overdue: { tasks: number; follow_ups: number; items: OverdueItem[] };
	dialogues: ReviewDialogue[];
	participation: MemberParticipation[] | null;
}

export interface TargetMonth {
	month: string;
	on: number;
	off: number;
	/** Indicators measured that month without a target to judge them by. */
	none: number;
}

/** Per month: how many indicators' latest value was on target, off target, or had no target. */
export function targetMonths(rows: RawReview['indicators'], months: string[]): TargetMonth[] {
	const byMonth = new Map(months.map((month) => [month, { month, on: 0, off: 0, none: 0 }]));
	for (const [month, direction, value, target] of rows) {
		const row = byMonth.get(month);
		if (row) row[targetStatus(Number(value), target === null ? null : Number(target), direction)]++;
	}
	return [...byMonth.values()];
}

/** The share of judged indicators on target, or null when none could be judged. */
export function onTargetShare(m: Pick<TargetMonth, 'on' | 'off'>): number | null {
	return m.on + m.off === 0 ? null : m.on / (m.on + m.off);
}

/** Whether the share on target rose, fell or held from the first judged month to the last. */
export function targetTrend(months: TargetMonth[]): 'up' | 'down' | 'flat' | null {
	const shares = months.map(onTargetShare).filter((s): s is number => s !== null);
	if (shares.length < 2) return null;
	const change = shares[shares.length - 1] - shares[0];
	return Math.abs(change) < 0.005 ? 'flat' : change > 0 ? 'up' : 'down';
}

/** A count per month for each key: `counts[key][i]` belongs to `months[i]`. */
export interface MonthlyCounts<K extends string | number> {
	months: string[];
	counts: Record<K, number[]>;
}

function emptyCounts<K extends string | number>(
	keys: readonly K[],
	months: string[]
): MonthlyCounts<K> {
	const counts = {} as Record<K, number[]>;
	for (const k of keys) counts[k] = months.map(() => 0);
	return { months, counts };
}

/** Friction points at each status at each month's end. */
export function frictionByStatus(
	rows: RawReview['friction'],
	months: string[]
): MonthlyCounts<FrictionStatus> {
	const out = emptyCounts(FRICTION_STATUSES, months);
	const index = new Map(months.map((m, i) => [m, i]));
	for (const [month, status, , points] of rows) {
		const i = index.get(month);
		if (i !== undefined && out.counts[status]) out.counts[status][i] += Number(points);
	}
	return out;
}

/** Open friction points (neither resolved nor dropped) by the team's rating at each month's end. */
export function openFrictionByRating(
	rows: RawReview['friction'],
	months: string[]
): MonthlyCounts<(typeof RATINGS)[number]> {
	const out = emptyCounts(RATINGS, months);
	const index = new Map(months.map((m, i) => [m, i]));
	for (const [month, status, rating, points] of rows) {
		const i = index.get(month);
		const r = rating as (typeof RATINGS)[number];
		if (i !== undefined && !CLOSED_FRICTION.includes(status) && out.counts[r])
			out.counts[r][i] += Number(points);
	}
	return out;
}

/** Contacts held and planned per month, every month of the period present. */
export function outreachMonths(
	rows: RawReview['outreach'],
	months: string[]
): MonthlyCounts<'held' | 'planned'> {
	const out = emptyCounts(['held', 'planned'] as const, months);
	const index = new Map(months.map((m, i) => [m, i]));
	for (const [month, held, planned] of rows) {
		const i = index.get(month);
		if (i === undefined) continue;
		out.counts.held[i] += Number(held);
		out.counts.planned[i] += Number(planned);
	}
	return out;
}

/** Kept (fully or partly) among the commitments whose outcome is known, or null when none is. */
export function keptShare(c: RawReview['commitments']): number | null {
	const decided = c.kept + c.partly_kept + c.broken;
	return decided === 0 ? null : (c.kept + c.partly_kept) / decided;
}

/** Milestones reached out of planned as a fraction (null without milestones). */
export function milestoneProgress(i: InitiativeFigures): number | null {
	return i.milestones === 0 ? null : i.milestones_reached / i.milestones;
}

/** Attendance as a share of the members who could come (null when nobody could). */
export function attendanceRate(d: Pick<ReviewDialogue, 'invited' | 'attended'>): number | null {
	return d.invited === 0 ? null : Math.min(1, d.attended / d.invited);
}

/** Each member's share of all turns taken in the period (0 when nobody spoke). */
export function turnShares(
	people: MemberParticipation[]
): Array<MemberParticipation & { share: number }> {
	const total = people.reduce((n, p) => n + p.turns, 0);
	return people.map((p) => ({ ...p, share: total === 0 ? 0 : p.turns / total }));
}

/** The months the review charts run over. */
export function reviewMonths(raw: Pick<RawReview, 'from' | 'to'>): string[] {
	return monthsOf(raw.from.slice(0, 7), raw.to.slice(0, 7));
}

/** 'YYYY-MM' as the reader's short month and year ("Mar 2026"). */
export function monthLabel(month: string, locale: string): string {
	const [y, m] = month.split('-').map(Number);
	return new Intl.DateTimeFormat(locale, {
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Everything the review page and its printable version show, from one `team_review` answer. */
export function reviewView(raw: RawReview) {
	const months = reviewMonths(raw);
	const targets = targetMonths(raw.indicators, months);
	return {
		role: raw.role,
		from: raw.from,
		to: raw.to,
		months,
		indicatorCount: raw.indicator_count,
		targets,
		trend: targetTrend(targets),
		frictionStatus: frictionByStatus(raw.friction, months),
		frictionRating: openFrictionByRating(raw.friction, months),
		outreach: outreachMonths(raw.outreach, months),
		commitments: raw.commitments,
		kept: keptShare(raw.commitments),
		initiatives: raw.initiatives,
		overdue: raw.overdue,
		dialogues: raw.dialogues,
		participation: raw.participation ? turnShares(raw.participation) : null
	};
}

export type ReviewView = ReturnType<typeof reviewView>;
