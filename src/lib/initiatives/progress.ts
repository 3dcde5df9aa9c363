/**
 * An initiative's progress toward its objective, computed from the indicator's measurements (never
 * typed in): how far the latest figure has moved from the baseline toward the target, in the
 * direction the indicator counts as better.
 */
export type Direction = 'up' | 'down' | 'target';

export interface ProgressPoint {
	period_start: string;
	period_end: string;
	value: number;
}

export interface ProgressInput {
	direction: Direction;
	/** The baseline the team set; null: the first figure on or after the baseline date (or start). */
	baseline: number | null;
	baselineDate: string | null;
	startDate: string;
	target: number | null;
	/** The indicator's figures in period order. */
	points: readonly ProgressPoint[];
}

export type Progress =
	| { kind: 'no-data' }
	| { kind: 'no-target'; latest: ProgressPoint }
	| {
			kind: 'measured';
			baseline: number;
			/** Where the baseline came from: the team's figure or the first measurement. */
			baselineFrom: 'set' | 'data';
			latest: ProgressPoint;
			/** Share of the way from baseline to target; below 0 when it moved the wrong way. */
			fraction: number;
			/** 0–100, for the bar and the words. */
			percent: number;
			reached: boolean;
			worse: boolean;
	  };

/** The first figure of the period that ends on or after `from`, or the first figure of all. */
function firstFrom(points: readonly ProgressPoint[], from: string): ProgressPoint | undefined {
	return points.find((p) => p.period_end >= from) ?? points[0];
}

export function computeProgress(input: ProgressInput): Progress {
	const { points, direction, target } = input;
	const latest = points.at(-1);
	if (!latest) return { kind: 'no-data' };
	if (target === null) return { kind: 'no-target', latest };
	const from = input.baselineDate ?? input.startDate;
	const baselineFrom = input.baseline === null ? 'data' : 'set';
	const baseline = input.baseline ?? firstFrom(points, from)!.value;
	let fraction: number;
	if (direction === 'target') {
		const span = Math.abs(baseline - target);
		fraction =
			span === 0 ? (latest.value === target ? 1 : 0) : 1 - Math.abs(latest.value - target) / span;
	} else {
		const span = target - baseline;
		if (span === 0) {
			const met = direction === 'up' ? latest.value >= target : latest.value <= target;
			fraction = met ? 1 : 0;
		} else {
			fraction = (latest.value - baseline) / span;
		}
	}
	const reached =
		direction === 'up'
			? latest.value >= target
			: direction === 'down'
				? latest.value <= target
				: latest.value === target;
	return {
		kind: 'measured',
		baseline,
		baselineFrom,
		latest,
		fraction,
		percent: Math.round(Math.min(1, Math.max(0, fraction)) * 100),
		reached,
		worse: fraction < 0
	};
}
