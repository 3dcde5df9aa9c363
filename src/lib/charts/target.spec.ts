import { describe, expect, it } from 'vitest';
import { targetBands, targetStatus } from './target.ts';

describe('on or off target', () => {
	it('up: at or above the target is on target', () => {
		expect(targetStatus(95, 95, 'up')).toBe('on');
		expect(targetStatus(96, 95, 'up')).toBe('on');
		expect(targetStatus(94.9, 95, 'up')).toBe('off');
	});

	it('down: at or below the target is on target', () => {
		expect(targetStatus(30, 30, 'down')).toBe('on');
		expect(targetStatus(12, 30, 'down')).toBe('on');
		expect(targetStatus(31, 30, 'down')).toBe('off');
	});

	it('target: within 5% of the target either way', () => {
		expect(targetStatus(105, 100, 'target')).toBe('on');
		expect(targetStatus(95, 100, 'target')).toBe('on');
		expect(targetStatus(105.1, 100, 'target')).toBe('off');
		expect(targetStatus(-9.6, -10, 'target')).toBe('on');
		expect(targetStatus(0, 0, 'target')).toBe('on');
		expect(targetStatus(0.1, 0, 'target')).toBe('off');
	});

	it('no target (or no value) is neither', () => {
		expect(targetStatus(5, null, 'up')).toBe('none');
		expect(targetStatus(null, 5, 'down')).toBe('none');
		expect(targetStatus(Number.NaN, 5, 'down')).toBe('none');
	});
});

describe('better and worse shading', () => {
	it('up: better above the target, worse below', () => {
		expect(targetBands(95, 'up', 60, 100)).toEqual([
			{ from: 60, to: 95, kind: 'worse' },
			{ from: 95, to: 100, kind: 'better' }
		]);
	});

	it('down: better below the target, worse above', () => {
		expect(targetBands(30, 'down', 0, 50)).toEqual([
			{ from: 0, to: 30, kind: 'better' },
			{ from: 30, to: 50, kind: 'worse' }
		]);
	});

	it('target: a better band of ±5% between two worse ones', () => {
		expect(targetBands(100, 'target', 80, 120)).toEqual([
			{ from: 80, to: 95, kind: 'worse' },
			{ from: 95, to: 105, kind: 'better' },
			{ from: 105, to: 120, kind: 'worse' }
		]);
	});

	it('clips to the axis and leaves out bands outside it', () => {
		expect(targetBands(95, 'up', 96, 100)).toEqual([{ from: 96, to: 100, kind: 'better' }]);
		expect(targetBands(100, 'target', 96, 104)).toEqual([{ from: 96, to: 104, kind: 'better' }]);
		expect(targetBands(null, 'up', 0, 1)).toEqual([]);
		expect(targetBands(5, 'up', 1, 1)).toEqual([]);
	});
});
