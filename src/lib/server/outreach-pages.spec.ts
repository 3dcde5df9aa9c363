import { describe, expect, it } from 'vitest';
import { goalChoices, withGoalIndicator } from './outreach-pages.ts';

const goals = [
	{ id: 'g1', statement: '95% seen within 4 hours', indicator_id: 'i1' },
	{ id: 'g2', statement: 'No more than 5% waiting 12 hours', indicator_id: 'i2' }
];

describe('goalChoices', () => {
	it('names each goal with its indicator where the indicator is known', () => {
		expect(goalChoices(goals, new Map([['i1', 'Seen within 4 hours']]))).toEqual([
			{ value: 'g1', label: '95% seen within 4 hours (Seen within 4 hours)' },
			{ value: 'g2', label: 'No more than 5% waiting 12 hours' }
		]);
	});
});

describe('withGoalIndicator', () => {
	it('leaves a commitment without a goal as it is', () => {
		const c = { goal_id: null, indicator_id: 'i2' };
		expect(withGoalIndicator(c, goals)).toEqual({ data: c });
	});

	it("watches the goal's indicator when none is chosen", () => {
		expect(withGoalIndicator({ goal_id: 'g1', indicator_id: null }, goals)).toEqual({
			data: { goal_id: 'g1', indicator_id: 'i1' }
		});
	});

	it("accepts the goal's own indicator", () => {
		expect(withGoalIndicator({ goal_id: 'g2', indicator_id: 'i2' }, goals)).toEqual({
			data: { goal_id: 'g2', indicator_id: 'i2' }
		});
	});

	it('refuses, beside the goal, a goal about another indicator', () => {
		expect(withGoalIndicator({ goal_id: 'g1', indicator_id: 'i2' }, goals)).toEqual({
			errors: {
				goal_id: 'This goal is about another indicator: choose its indicator above, or none.'
			}
		});
	});

	it('refuses a goal that is not the team’s', () => {
		expect(withGoalIndicator({ goal_id: 'elsewhere', indicator_id: null }, goals)).toEqual({
			errors: { goal_id: "Choose one of the team's stated goals." }
		});
	});
});
