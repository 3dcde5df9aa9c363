/**
 * Suggestions from data: indicators off target for several periods in a row, or trending away from
 * their goal, proposed as candidate friction points. A dismissed suggestion stays dismissed until a
 * new run of off-target periods starts (the run it was dismissed in is remembered); an indicator
 * that already has a friction point is not proposed.
 */
import type { Gap } from './gap.ts';

/** Periods in a row off target that make a suggestion. */
export const DEFAULT_MIN_OFF = 3;
/** Fitted worsening over the recent periods, as a share of the target, that makes a suggestion. */
export const TREND_AWAY_MIN = 0.02;
/** Values the trend needs before it counts. */
export const TREND_MIN_POINTS = 6;

export type SuggestionReason = 'off_target' | 'trend_away';

export interface Candidate {
	indicatorId: string;
	gap: Gap;
}

export interface Suggestion extends Candidate {
	reasons: SuggestionReason[];
	/** The fitted worsening over the recent periods as a share of the target (for the sentence). */
	worsening: number | null;
}

/** Why an indicator's gap is worth a suggestion (empty when it is not). */
export function reasonsFor(gap: Gap, minOff = DEFAULT_MIN_OFF): SuggestionReason[] {
	const reasons: SuggestionReason[] = [];
	if (gap.consecutiveOff >= minOff) reasons.push('off_target');
	const w = worseningOf(gap);
	if (w !== null && w >= TREND_AWAY_MIN && gap.latest?.status === 'off') reasons.push('trend_away');
	return reasons;
}

function worseningOf(gap: Gap): number | null {
	if (gap.slopeAway === null || gap.judged < TREND_MIN_POINTS) return null;
	return gap.slopeAway * (gap.judged - 1);
}

/**
 * The suggestions, worst first (longest run off target, then steepest worsening). `dismissed` maps
 * an indicator to the run it was dismissed in (null: dismissed while only trending away).
 */
export function suggest(
	candidates: readonly Candidate[],
	opts: {
		dismissed: ReadonlyMap<string, string | null>;
		withFrictionPoint: ReadonlySet<string>;
		minOff?: number;
	}
): Suggestion[] {
	const out: Suggestion[] = [];
	for (const c of candidates) {
		if (opts.withFrictionPoint.has(c.indicatorId)) continue;
		const reasons = reasonsFor(c.gap, opts.minOff);
		if (!reasons.length) continue;
		if (isStillDismissed(opts.dismissed, c.indicatorId, c.gap)) continue;
		out.push({ ...c, reasons, worsening: worseningOf(c.gap) });
	}
	return out.sort(
		(a, b) => b.gap.consecutiveOff - a.gap.consecutiveOff || (b.worsening ?? 0) - (a.worsening ?? 0)
	);
}

/** Dismissed, and the off-target run is still the one it was dismissed in. */
export function isStillDismissed(
	dismissed: ReadonlyMap<string, string | null>,
	indicatorId: string,
	gap: Gap
): boolean {
	if (!dismissed.has(indicatorId)) return false;
	return dismissed.get(indicatorId) === gap.runStarted;
}
