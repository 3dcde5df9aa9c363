import { describe, expect, it } from 'vitest';
import { assess } from './assess.ts';

const series = [90, 89, 88].map((value, i) => ({
	period_start: `2024-01-0${i + 1}`,
	period_end: `2024-01-0${i + 1}`,
	value,
	target: null
}));

describe('assessing a friction point', () => {
	it('measures against the goal it cites, else the indicator’s goal', () => {
		const own = assess({ team_rating: 3, goal_target: 95 }, { direction: 'up' }, series, 80);
		expect(own.gap?.consecutiveOff).toBe(3);
		const fallback = assess({ team_rating: 3, goal_target: null }, { direction: 'up' }, series, 80);
		expect(fallback.gap?.consecutiveOff).toBe(0);
	});

	it('falls back to the team’s rating without an indicator or figures', () => {
		expect(assess({ team_rating: 5, goal_target: 95 }, null, series).severity).toMatchObject({
			score: 100,
			measured: null
		});
		expect(assess({ team_rating: 1, goal_target: 95 }, { direction: 'up' }, []).gap).toBeNull();
	});
});
