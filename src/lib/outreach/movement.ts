/**
 * "Did the indicator move after the promise?": the last value on or before the day a commitment
 * was made against the latest value after it, judged in the indicator's direction (the same
 * meaning of better as `$lib/charts/target.ts`). Pure.
 */
import type { Direction } from '$lib/charts/target.ts';

export type Movement = 'better' | 'worse' | 'unchanged' | 'unknown';

export interface Point {
	period_end: string;
	value: number;
}

export function movementAfter(
	points: readonly Point[],
	madeOn: string,
	direction: Direction,
	target: number | null = null
): { movement: Movement; before: Point | null; after: Point | null } {
	let before: Point | null = null;
	let after: Point | null = null;
	for (const p of points) {
		if (p.period_end <= madeOn) {
			if (!before || p.period_end > before.period_end) before = p;
		} else if (!after || p.period_end > after.period_end) after = p;
	}
	if (!before || !after) return { movement: 'unknown', before, after };
	let delta: number;
	if (direction === 'target') {
		if (target === null) return { movement: 'unknown', before, after };
		delta = Math.abs(before.value - target) - Math.abs(after.value - target);
	} else {
		delta = direction === 'up' ? after.value - before.value : before.value - after.value;
	}
	const movement: Movement = delta > 0 ? 'better' : delta < 0 ? 'worse' : 'unchanged';
	return { movement, before, after };
}
