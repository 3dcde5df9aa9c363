import { describe, expect, it } from 'vitest';
import { isSmart, smartChecks, type SmartInput } from './smart.ts';

const full: SmartInput = {
	objective: 'Raise the share of patients seen within four hours to 95% by June',
	indicatorId: 'i1',
	direction: 'up',
	baseline: 70,
	target: 95,
	deadline: '2026-06-30',
	startDate: '2026-01-01',
	frictionPoints: 1,
	hasData: true
};

const failing = (input: SmartInput) =>
	smartChecks(input)
		.filter((c) => !c.ok)
		.map((c) => c.key);

describe('smartChecks', () => {
	it('passes a complete objective', () => {
		expect(failing(full)).toEqual([]);
		expect(isSmart(smartChecks(full))).toBe(true);
	});

	it('names what is missing', () => {
		expect(
			failing({
				...full,
				objective: 'Do better',
				target: null,
				deadline: null,
				frictionPoints: 0
			})
		).toEqual(['specific', 'measurable', 'relevant', 'time_bound']);
	});

	it('accepts a baseline from the data, but not without an indicator', () => {
		expect(failing({ ...full, baseline: null })).toEqual([]);
		expect(failing({ ...full, baseline: null, hasData: false })).toEqual(['baseline']);
		expect(failing({ ...full, baseline: null, indicatorId: null })).toEqual([
			'measurable',
			'baseline'
		]);
	});

	it('flags a target on the worse side of the baseline', () => {
		expect(failing({ ...full, target: 60 })).toEqual(['direction']);
		expect(failing({ ...full, direction: 'down', target: 60 })).toEqual([]);
	});
});
