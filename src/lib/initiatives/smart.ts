/**
 * The SMART checks of an initiative's objective: what is still missing for it to be specific,
 * measurable, achievable (a starting point known), relevant (tied to a friction point) and
 * time-bound. Each check is a fact about the plan, so the page can say what to add next.
 */
import type { Direction } from './progress.ts';

export type SmartKey =
	'specific' | 'measurable' | 'baseline' | 'relevant' | 'time_bound' | 'direction';

export interface SmartInput {
	objective: string | null;
	indicatorId: string | null;
	direction: Direction | null;
	baseline: number | null;
	target: number | null;
	deadline: string | null;
	startDate: string;
	frictionPoints: number;
	/** Whether the indicator has any figures (a baseline can then come from the data). */
	hasData: boolean;
}

export interface SmartCheck {
	key: SmartKey;
	ok: boolean;
}

/** Fewer words than this is a slogan, not an objective that says what changes for whom. */
export const SPECIFIC_MIN = 20;

export function smartChecks(input: SmartInput): SmartCheck[] {
	const checks: SmartCheck[] = [
		{ key: 'specific', ok: (input.objective?.trim().length ?? 0) >= SPECIFIC_MIN },
		{ key: 'measurable', ok: input.indicatorId !== null && input.target !== null },
		{
			key: 'baseline',
			ok: input.baseline !== null || (input.indicatorId !== null && input.hasData)
		},
		{ key: 'relevant', ok: input.frictionPoints > 0 },
		{
			key: 'time_bound',
			ok: input.deadline !== null && input.deadline >= input.startDate
		}
	];
	// A target on the worse side of the baseline is a plan to lose ground.
	if (input.baseline !== null && input.target !== null && input.direction !== null) {
		const wrong =
			(input.direction === 'up' && input.target < input.baseline) ||
			(input.direction === 'down' && input.target > input.baseline);
		checks.push({ key: 'direction', ok: !wrong });
	}
	return checks;
}

/** True when every check passes. */
export function isSmart(checks: readonly SmartCheck[]): boolean {
	return checks.every((c) => c.ok);
}
