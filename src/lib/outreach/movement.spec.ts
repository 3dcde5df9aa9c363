import { describe, expect, it } from 'vitest';
import { movementAfter } from './movement.ts';

const points = [
	{ period_end: '2026-01-31', value: 80 },
	{ period_end: '2026-02-28', value: 82 },
	{ period_end: '2026-03-31', value: 90 },
	{ period_end: '2026-04-30', value: 88 }
];

describe('movementAfter', () => {
	it('compares the last value before the promise with the latest after it', () => {
		const r = movementAfter(points, '2026-03-01', 'up');
		expect(r.before?.value).toBe(82);
		expect(r.after?.value).toBe(88);
		expect(r.movement).toBe('better');
		expect(movementAfter(points, '2026-03-01', 'down').movement).toBe('worse');
	});

	it('judges "target" indicators by distance to the target', () => {
		expect(movementAfter(points, '2026-03-01', 'target', 90).movement).toBe('better');
		expect(movementAfter(points, '2026-03-01', 'target', null).movement).toBe('unknown');
	});

	it('is unknown without figures on both sides', () => {
		expect(movementAfter(points, '2026-05-01', 'up').movement).toBe('unknown');
		expect(movementAfter(points, '2025-01-01', 'up').movement).toBe('unknown');
		expect(
			movementAfter(
				[
					{ period_end: '2026-01-31', value: 1 },
					{ period_end: '2026-02-28', value: 1 }
				],
				'2026-02-01',
				'up'
			).movement
		).toBe('unchanged');
	});
});
