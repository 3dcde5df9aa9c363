/**
 * One friction point's measured gap and severity from its indicator's figures: the pages' shared
 * step between the data module and the computations.
 */
import type { Direction } from '../charts/target.ts';
import { computeGap, type Gap, type GapPoint } from './gap.ts';
import { computeSeverity, type Severity } from './severity.ts';

export interface Assessment {
	gap: Gap | null;
	severity: Severity;
}

export function assess(
	point: { team_rating: number; goal_target: number | null },
	indicator: { direction: Direction } | null,
	series: readonly GapPoint[] | undefined,
	/** The indicator's goal target when the point cites no goal of its own. */
	fallbackTarget: number | null = null
): Assessment {
	const gap =
		indicator && series?.length
			? computeGap(series, indicator.direction, point.goal_target ?? fallbackTarget)
			: null;
	return { gap, severity: computeSeverity(gap, point.team_rating) };
}
