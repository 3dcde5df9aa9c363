/**
 * The measured gap between an indicator and its goal, computed live from its measurements: how far
 * the latest value is off target, how many periods in a row it has been off, and which way it is
 * heading (a least-squares slope over the recent periods, normalised by the target). On or off
 * target follows `$lib/charts/target.ts`, the same rule as the charts and the database's summary.
 */
import {
	type Direction,
	TARGET_TOLERANCE,
	type TargetStatus,
	targetStatus
} from '../charts/target.ts';

/** Periods the trend and the recent table look back over. */
export const RECENT_PERIODS = 12;

export interface GapPoint {
	period_start: string;
	period_end: string;
	value: number;
	/** The period's own target, when the source gives one. */
	target: number | null;
}

export interface JudgedPoint extends GapPoint {
	/** The target it is judged against: its own, else the goal's. */
	judgedTarget: number | null;
	status: TargetStatus;
	/** How far on the worse side of the target, in the indicator's unit (0 when on target). */
	shortfall: number | null;
}

export interface Gap {
	/** The latest periods, oldest first (at most RECENT_PERIODS). */
	recent: JudgedPoint[];
	latest: JudgedPoint | null;
	/** The latest shortfall as a share of the target (0.1 = 10% off target); null without a target. */
	relativeGap: number | null;
	/** Periods in a row, up to the latest, that were off target. */
	consecutiveOff: number;
	/** The first period of that run (null when the latest is not off target). */
	runStarted: string | null;
	/** Recent periods judged against a target, and how many of them were off. */
	judged: number;
	off: number;
	/**
	 * The least-squares slope over the recent periods of how much worse each period is, as a share of
	 * the target per period: positive = moving away from the goal, negative = toward it. Null with
	 * fewer than three recent values or no target.
	 */
	slopeAway: number | null;
}

/** How far `value` is on the worse side of `target` for this direction (0 when on target). */
export function shortfall(value: number, target: number, direction: Direction): number {
	switch (direction) {
		case 'up':
			return Math.max(0, target - value);
		case 'down':
			return Math.max(0, value - target);
		case 'target':
			return Math.max(0, Math.abs(value - target) - TARGET_TOLERANCE * Math.abs(target));
	}
}

/** "Badness" of a value: larger is worse, whatever the direction (for the trend). */
function badness(value: number, target: number, direction: Direction): number {
	if (direction === 'up') return -value;
	if (direction === 'down') return value;
	return Math.abs(value - target);
}

/** The least-squares slope of ys against 0, 1, 2, … (null for fewer than two values). */
export function slope(ys: readonly number[]): number | null {
	const n = ys.length;
	if (n < 2) return null;
	const meanX = (n - 1) / 2;
	const meanY = ys.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		num += (i - meanX) * (ys[i] - meanY);
		den += (i - meanX) ** 2;
	}
	return num / den;
}

/** The scale a target gives a gap: its absolute value, or 1 for a target of 0. */
const scaleOf = (target: number) => (target === 0 ? 1 : Math.abs(target));

/**
 * The gap of a series (in period order) against its targets: each point's own target, else
 * `goalTarget`.
 */
export function computeGap(
	points: readonly GapPoint[],
	direction: Direction,
	goalTarget: number | null,
	window = RECENT_PERIODS
): Gap {
	const judged: JudgedPoint[] = points.map((p) => {
		const t = p.target ?? goalTarget;
		const status = targetStatus(p.value, t, direction);
		return {
			...p,
			judgedTarget: t ?? null,
			status,
			shortfall: status === 'none' || t == null ? null : shortfall(p.value, t, direction)
		};
	});
	const recent = judged.slice(-window);
	const latest = judged.at(-1) ?? null;

	let consecutiveOff = 0;
	let runStarted: string | null = null;
	for (let i = judged.length - 1; i >= 0 && judged[i].status === 'off'; i--) {
		consecutiveOff++;
		runStarted = judged[i].period_start;
	}

	const withTarget = recent.filter((p) => p.judgedTarget != null);
	let slopeAway: number | null = null;
	const ref = latest?.judgedTarget ?? goalTarget;
	if (withTarget.length >= 3 && ref != null) {
		const s = slope(withTarget.map((p) => badness(p.value, p.judgedTarget!, direction)));
		slopeAway = s === null ? null : s / scaleOf(ref);
	}

	return {
		recent,
		latest,
		relativeGap:
			latest?.shortfall != null && latest.judgedTarget != null
				? latest.shortfall / scaleOf(latest.judgedTarget)
				: null,
		consecutiveOff,
		runStarted,
		judged: withTarget.length,
		off: recent.filter((p) => p.status === 'off').length,
		slopeAway
	};
}
