import { describe, expect, it } from 'vitest';
import { layoutTimeline } from './timeline.ts';

describe('layoutTimeline', () => {
	it('places items along the way from start to deadline, in date order', () => {
		const t = layoutTimeline(
			[
				{ id: 'm', kind: 'milestone', label: 'Petition', date: '2026-01-11', done: false },
				{ id: 't', kind: 'task', label: 'Draft', date: '2026-01-06', done: true }
			],
			'2026-01-01',
			'2026-01-21',
			'2026-01-16'
		);
		expect(t.from).toBe('2026-01-01');
		expect(t.to).toBe('2026-01-21');
		expect(t.items.map((i) => [i.id, i.at])).toEqual([
			['t', 25],
			['m', 50]
		]);
		expect(t.today).toBe(75);
	});

	it('stretches to a task after the deadline and hides today outside the range', () => {
		const t = layoutTimeline(
			[{ id: 'late', kind: 'task', label: 'Late', date: '2026-02-01', done: false }],
			'2026-01-01',
			'2026-01-15',
			'2025-12-01'
		);
		expect(t.to).toBe('2026-02-01');
		expect(t.items[0].at).toBe(100);
		expect(t.today).toBeNull();
	});
});
