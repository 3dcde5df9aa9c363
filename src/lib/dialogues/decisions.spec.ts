import { describe, expect, it } from 'vitest';
import { allowedValues, tally } from './decisions.ts';

describe('tally', () => {
	it('fist to five passes with no block and an average of at least 3', () => {
		expect(tally('fist_to_five', [4, 3, 5])).toEqual({
			votes: 3,
			counts: { 0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 },
			average: 4,
			passed: true,
			blocks: 0
		});
	});

	it('fist to five fails on a 1 even with a high average', () => {
		const r = tally('fist_to_five', [5, 5, 5, 1]);
		expect(r.passed).toBe(false);
		expect(r.blocks).toBe(1);
	});

	it('fist to five fails with an average under 3', () => {
		expect(tally('fist_to_five', [2, 2, 3]).passed).toBe(false);
	});

	it('consent fails on one objection and passes without', () => {
		expect(tally('consent', [1, 1, 0]).passed).toBe(false);
		expect(tally('consent', [1, 1]).passed).toBe(true);
	});

	it('nobody voting is not a decision', () => {
		expect(tally('consensus', [])).toMatchObject({ votes: 0, average: null, passed: false });
	});

	it('ignores values the method does not take', () => {
		expect(tally('consent', [4, 1]).votes).toBe(1);
	});
});

describe('allowedValues', () => {
	it('is 0–5 for fist to five and yes/no otherwise', () => {
		expect(allowedValues('fist_to_five')).toEqual([0, 1, 2, 3, 4, 5]);
		expect(allowedValues('consent')).toEqual([1, 0]);
	});
});
