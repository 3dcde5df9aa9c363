import { describe, expect, it } from 'vitest';
import {
	coverageGaps,
	keptRate,
	lastContacts,
	overdueFollowUps,
	powerGrid,
	responseRate,
	weekStart,
	weeklyContacts,
	type InteractionLike
} from './dashboard.ts';

const today = '2026-12-03'; // a Thursday

describe('weekStart', () => {
	it('is the Monday of the week', () => {
		expect(weekStart('2026-12-03')).toBe('2026-11-30');
		expect(weekStart('2026-11-30')).toBe('2026-11-30');
		expect(weekStart('2026-12-06T23:00:00Z')).toBe('2026-11-30');
		expect(weekStart('2027-01-01')).toBe('2026-12-28');
	});
});

describe('weeklyContacts and rates', () => {
	const interactions: InteractionLike[] = [
		{ type: 'meeting', status: 'held', occurred_at: '2026-12-01T10:00:00Z', response: 'Yes' },
		{ type: 'meeting', status: 'held', occurred_at: '2026-12-02T10:00:00Z', response: null },
		{ type: 'email', status: 'held', occurred_at: '2026-11-24T10:00:00Z', response: 'Later' },
		{ type: 'call', status: 'planned', occurred_at: '2026-12-10T10:00:00Z', response: null },
		{ type: 'call', status: 'held', occurred_at: '2025-01-01T10:00:00Z', response: null }
	];

	it('counts held contacts per week and type, leaving older weeks out', () => {
		const w = weeklyContacts(interactions, today, 3);
		expect(w.weeks).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
		expect(w.byType.meeting).toEqual([0, 0, 2]);
		expect(w.byType.email).toEqual([0, 1, 0]);
		expect(w.byType.call).toEqual([0, 0, 0]);
	});

	it('rates responses among held contacts and kept commitments among decided ones', () => {
		expect(responseRate(interactions)).toEqual({ part: 2, total: 4, rate: 0.5 });
		expect(responseRate([])).toEqual({ part: 0, total: 0, rate: null });
		expect(
			keptRate([
				{ status: 'kept' },
				{ status: 'broken' },
				{ status: 'partly_kept' },
				{ status: 'pending' },
				{ status: 'kept' }
			])
		).toEqual({ part: 2, total: 4, rate: 0.5, partly: 1, broken: 1, pending: 1 });
	});
});

describe('follow-ups and coverage', () => {
	it('lists overdue follow-ups, most overdue first', () => {
		const list = overdueFollowUps(
			[
				{ id: 1, due_on: '2026-12-02', done_at: null },
				{ id: 2, due_on: '2026-11-01', done_at: null },
				{ id: 3, due_on: '2026-11-01', done_at: '2026-11-02' },
				{ id: 4, due_on: '2026-12-03', done_at: null }
			],
			today
		);
		expect(list.map((f) => f.id)).toEqual([2, 1]);
	});

	it('finds high-influence officials without a point person or contact in time', () => {
		const base = { interest: 3, cadence_days: 30 };
		const officials = [
			{ ...base, id: 'a', name: 'A', influence: 5, point_person_id: null },
			{ ...base, id: 'b', name: 'B', influence: 4, point_person_id: 'u1' },
			{ ...base, id: 'c', name: 'C', influence: 4, point_person_id: 'u1' },
			{ ...base, id: 'd', name: 'D', influence: 2, point_person_id: null }
		];
		const last = lastContacts([
			{ official_id: 'a', occurred_at: '2026-12-01T10:00:00Z', status: 'held' },
			{ official_id: 'b', occurred_at: '2026-12-01T10:00:00Z', status: 'held' },
			{ official_id: 'c', occurred_at: '2026-10-01T10:00:00Z', status: 'held' },
			{ official_id: 'c', occurred_at: '2026-12-20T10:00:00Z', status: 'planned' }
		]);
		expect(last.get('c')).toBe('2026-10-01');
		expect(coverageGaps(officials, last, today).map((g) => [g.official.id, g.gaps])).toEqual([
			['a', ['no_point_person']],
			['c', ['not_contacted']]
		]);
	});

	it('places scored officials on the power map', () => {
		const grid = powerGrid([
			{ id: 'a', name: 'A', influence: 5, interest: 1, point_person_id: null, cadence_days: null },
			{ id: 'b', name: 'B', influence: 1, interest: 5, point_person_id: null, cadence_days: null },
			{
				id: 'c',
				name: 'C',
				influence: null,
				interest: 5,
				point_person_id: null,
				cadence_days: null
			}
		]);
		expect(grid[0][0].map((o) => o.id)).toEqual(['a']);
		expect(grid[4][4].map((o) => o.id)).toEqual(['b']);
		expect(grid.flat(2)).toHaveLength(2);
	});
});
