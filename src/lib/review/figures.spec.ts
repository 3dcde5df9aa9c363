import { describe, expect, it } from 'vitest';
import {
	attendanceRate,
	frictionByStatus,
	keptShare,
	milestoneProgress,
	monthLabel,
	onTargetShare,
	openFrictionByRating,
	outreachMonths,
	targetMonths,
	targetTrend,
	turnShares,
	reviewView,
	type MemberParticipation,
	type RawReview
} from './figures.ts';

const MONTHS = ['2026-01', '2026-02', '2026-03'];

describe('indicators against goals', () => {
	const rows: RawReview['indicators'] = [
		['2026-01', 'up', 5, 10],
		['2026-01', 'down', 5, 10],
		['2026-01', 'up', 5, null],
		['2026-02', 'up', 12, 10],
		['2026-02', 'target', 10.4, 10],
		['2026-03', 'target', 11, 10],
		['2025-12', 'up', 99, 1]
	];

	it('counts on, off and unjudged per month with the shared target rules', () => {
		expect(targetMonths(rows, MONTHS)).toEqual([
			{ month: '2026-01', on: 1, off: 1, none: 1 },
			{ month: '2026-02', on: 2, off: 0, none: 0 },
			{ month: '2026-03', on: 0, off: 1, none: 0 }
		]);
	});

	it('gives the share on target and its trend', () => {
		const months = targetMonths(rows, MONTHS);
		expect(months.map(onTargetShare)).toEqual([0.5, 1, 0]);
		expect(targetTrend(months)).toBe('down');
		expect(targetTrend(months.slice(0, 2))).toBe('up');
		expect(targetTrend([{ month: '2026-01', on: 0, off: 0, none: 2 }])).toBeNull();
	});
});

describe('friction points over time', () => {
	const rows: RawReview['friction'] = [
		['2026-01', 'noticed', 3, 2],
		['2026-01', 'confirmed', 5, 1],
		['2026-02', 'resolved', 5, 1],
		['2026-02', 'noticed', 4, 2]
	];

	it('counts each status at each month end', () => {
		const s = frictionByStatus(rows, MONTHS);
		expect(s.counts.noticed).toEqual([2, 2, 0]);
		expect(s.counts.confirmed).toEqual([1, 0, 0]);
		expect(s.counts.resolved).toEqual([0, 1, 0]);
	});

	it('counts only open points by rating', () => {
		const r = openFrictionByRating(rows, MONTHS);
		expect(r.counts[3]).toEqual([2, 0, 0]);
		expect(r.counts[4]).toEqual([0, 2, 0]);
		expect(r.counts[5]).toEqual([1, 0, 0]);
	});
});

describe('outreach and commitments', () => {
	it('fills the months without contacts', () => {
		const o = outreachMonths([['2026-02', 3, 1]], MONTHS);
		expect(o.counts.held).toEqual([0, 3, 0]);
		expect(o.counts.planned).toEqual([0, 1, 0]);
	});

	it('counts partly kept as kept among decided commitments', () => {
		expect(keptShare({ kept: 2, partly_kept: 1, broken: 1, pending: 5, overdue: 1 })).toBe(0.75);
		expect(keptShare({ kept: 0, partly_kept: 0, broken: 0, pending: 5, overdue: 0 })).toBeNull();
	});
});

describe('initiatives, attendance and participation', () => {
	it('gives milestone progress', () => {
		const base = { id: 'i', title: 'T', status: 'active' as const, deadline: null, tasks: 0 };
		expect(
			milestoneProgress({ ...base, milestones: 4, milestones_reached: 1, tasks_done: 0 })
		).toBe(0.25);
		expect(
			milestoneProgress({ ...base, milestones: 0, milestones_reached: 0, tasks_done: 0 })
		).toBeNull();
	});

	it('gives attendance against who could come', () => {
		expect(attendanceRate({ invited: 8, attended: 6 })).toBe(0.75);
		expect(attendanceRate({ invited: 0, attended: 0 })).toBeNull();
		expect(attendanceRate({ invited: 2, attended: 3 })).toBe(1);
	});

	it('shares the turns out', () => {
		const p = (user_id: string, turns: number): MemberParticipation => ({
			user_id,
			name: user_id,
			role: 'member',
			invited: 1,
			attended: 1,
			turns,
			seconds: 0
		});
		expect(turnShares([p('a', 3), p('b', 1)]).map((x) => x.share)).toEqual([0.75, 0.25]);
		expect(turnShares([p('a', 0)]).map((x) => x.share)).toEqual([0]);
	});
});

describe('reviewView', () => {
	it('puts every month of the period on the charts and keeps names for leaders only', () => {
		const raw: RawReview = {
			role: 'member',
			from: '2025-12-15',
			to: '2026-02-10',
			indicator_count: 1,
			indicators: [['2026-01', 'up', 3, 2]],
			friction: [],
			outreach: [['2025-12', 1, 0]],
			commitments: { kept: 1, partly_kept: 0, broken: 1, pending: 0, overdue: 0 },
			initiatives: [],
			overdue: { tasks: 0, follow_ups: 0, items: [] },
			dialogues: [],
			participation: null
		};
		const v = reviewView(raw);
		expect(v.months).toEqual(['2025-12', '2026-01', '2026-02']);
		expect(v.targets.map((t) => t.on)).toEqual([0, 1, 0]);
		expect(v.outreach.counts.held).toEqual([1, 0, 0]);
		expect(v.kept).toBe(0.5);
		expect(v.participation).toBeNull();
		expect(monthLabel('2026-03', 'en')).toBe('Mar 2026');
	});
});
