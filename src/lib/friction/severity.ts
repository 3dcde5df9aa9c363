/**
 * A friction point's severity, 0–100: a visible combination of what the figures measure and the
 * team's own rating. Every part is returned with its points so the page can show the sum.
 *
 *   measured = 40 × distance + 30 × duration + 30 × trend           (each part 0–1)
 *     distance = latest shortfall ÷ target, full at 20% off target
 *     duration = periods in a row off target, full at 12
 *     trend    = fitted worsening over the recent periods ÷ target, full at 10%; 0 when improving
 *   rating   = (team rating − 1) ÷ 4 × 100
 *   severity = 60% × measured + 40% × rating, or the rating alone when there are no figures
 */
import { type Gap, RECENT_PERIODS } from './gap.ts';

export const DISTANCE_FULL = 0.2;
export const DURATION_FULL = 12;
export const TREND_FULL = 0.1;
export const WEIGHTS = { distance: 40, duration: 30, trend: 30 } as const;
export const MEASURED_SHARE = 0.6;
export const RATING_SHARE = 0.4;

export interface SeverityPart {
	/** 0–1 before weighting. */
	share: number;
	/** Its points on the 0–100 measured scale. */
	points: number;
	/** The maximum points it can give. */
	max: number;
}

export interface Severity {
	/** 0–100, rounded. */
	score: number;
	/** null when there are no figures with a target to measure. */
	measured: {
		score: number;
		distance: SeverityPart;
		duration: SeverityPart;
		trend: SeverityPart;
	} | null;
	rating: { value: number; score: number };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

function part(share: number, max: number): SeverityPart {
	const s = clamp01(share);
	return { share: s, points: round1(s * max), max };
}

/** The team's rating (1–5) bounded to its range; anything else counts as the middle, 3. */
export function boundedRating(rating: number): number {
	return Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : 3;
}

export function computeSeverity(gap: Gap | null, teamRating: number): Severity {
	const value = boundedRating(teamRating);
	const rating = { value, score: ((value - 1) / 4) * 100 };
	if (!gap || gap.latest === null || gap.judged === 0 || gap.relativeGap === null) {
		return { score: Math.round(rating.score), measured: null, rating };
	}
	const distance = part(gap.relativeGap / DISTANCE_FULL, WEIGHTS.distance);
	const duration = part(gap.consecutiveOff / DURATION_FULL, WEIGHTS.duration);
	const window = Math.min(gap.judged, RECENT_PERIODS);
	const worsening = gap.slopeAway === null ? 0 : gap.slopeAway * Math.max(0, window - 1);
	const trend = part(worsening / TREND_FULL, WEIGHTS.trend);
	const measuredScore = round1(distance.points + duration.points + trend.points);
	return {
		score: Math.round(MEASURED_SHARE * measuredScore + RATING_SHARE * rating.score),
		measured: { score: measuredScore, distance, duration, trend },
		rating
	};
}
