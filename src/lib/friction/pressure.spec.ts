import { describe, expect, it } from 'vitest';
import {
	bestLeverage,
	boundedScore,
	combinedScore,
	forceTotals,
	rankPressurePoints
} from './pressure.ts';

describe('pressure points', () => {
	it('weighs leverage 50%, achievability 30% and salience 20%', () => {
		expect(combinedScore({ leverage: 5, achievability: 5, salience: 5 })).toBe(5);
		expect(combinedScore({ leverage: 5, achievability: 1, salience: 1 })).toBe(3);
		expect(combinedScore({ leverage: 2, achievability: 4, salience: 3 })).toBe(2.8);
	});

	it('ranks best first, ties to the higher leverage', () => {
		const ranked = rankPressurePoints([
			{ target: 'Board chair', leverage: 3, achievability: 3, salience: 3 },
			{ target: 'Budget committee', leverage: 4, achievability: 2, salience: 2.5 },
			{ target: 'Local paper', leverage: 1, achievability: 5, salience: 5 }
		]);
		expect(ranked.map((p) => [p.rank, p.target, p.combined])).toEqual([
			[1, 'Budget committee', 3.1],
			[2, 'Board chair', 3],
			[3, 'Local paper', 3]
		]);
	});

	it('accepts only whole scores from 1 to 5', () => {
		expect(boundedScore(1)).toBe(1);
		expect(boundedScore('5')).toBe(5);
		expect(boundedScore(0)).toBeNull();
		expect(boundedScore(6)).toBeNull();
		expect(boundedScore(2.5)).toBeNull();
		expect(boundedScore('x')).toBeNull();
	});

	it('takes the best leverage for the map', () => {
		expect(bestLeverage([{ leverage: 2 }, { leverage: 4 }])).toBe(4);
		expect(bestLeverage([])).toBeNull();
	});

	it('totals the force field', () => {
		expect(
			forceTotals([
				{ direction: 'driving', weight: 4 },
				{ direction: 'driving', weight: 2 },
				{ direction: 'restraining', weight: 5 }
			])
		).toEqual({ driving: 6, restraining: 5, balance: 1 });
	});
});
