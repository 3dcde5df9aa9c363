import { describe, expect, it } from 'vitest';
import {
	canStillUndo,
	conflictsOf,
	countsOf,
	memberProblem,
	splitWorthIt,
	type SplitGraph,
	type SplitPlan
} from './plan.ts';

const graph: SplitGraph = {
	agencies: [
		{ id: 'a1', name: 'County Hospital' },
		{ id: 'a2', name: 'Transit Authority' }
	],
	officials: [
		{ id: 'o1', name: 'Dr. Moreno', agency_id: 'a1' },
		{ id: 'o2', name: 'Councillor Lee', agency_id: null }
	],
	frictionPoints: [
		{ id: 'f1', title: 'Long waits', agency_ids: ['a1'], official_ids: ['o2'], interaction_ids: [] }
	],
	interactions: [{ id: 'i1', title: 'Met Dr. Moreno', agency_id: null, official_ids: ['o1'] }],
	commitments: [],
	followUps: [{ id: 'u1', title: 'Send the figures', official_id: null, interaction_id: 'i1' }],
	initiatives: [
		{
			id: 'n1',
			title: 'Shorter waits',
			agency_ids: [],
			official_ids: [],
			friction_point_ids: ['f1'],
			interaction_ids: []
		}
	],
	tasks: [
		{
			id: 't1',
			title: 'Draft letter',
			initiative_id: 'n1',
			interaction_id: null,
			follow_up_id: 'u1'
		}
	]
};

const plan = (over: Partial<SplitPlan> = {}): SplitPlan => ({
	name: 'ER Watch',
	members: [
		{ user_id: 'u-a', side: 'source', role: 'leader' },
		{ user_id: 'u-b', side: 'new', role: 'leader' }
	],
	agencies: {},
	officials: {},
	friction_points: {},
	initiatives: {},
	tasks: {},
	...over
});

describe('conflictsOf', () => {
	it('finds nothing when everything stays', () => {
		expect(conflictsOf(graph, plan())).toEqual([]);
	});

	it('names a friction point left behind by its agency, and suggests sharing', () => {
		const c = conflictsOf(graph, plan({ agencies: { a1: 'moves' }, officials: { o1: 'moves' } }));
		expect(c).toContainEqual(
			expect.objectContaining({
				kind: 'friction point',
				label: 'Long waits',
				side: 'source',
				dependsOnLabel: 'County Hospital',
				dependsOnSide: 'new',
				canShare: true
			})
		);
	});

	it('accepts a shared agency on either side (only the initiative left behind is named), but a shared official needs its agency shared', () => {
		expect(
			conflictsOf(
				graph,
				plan({
					agencies: { a1: 'shared' },
					friction_points: { f1: 'moves' },
					officials: { o2: 'shared' }
				})
			).map((x) => x.kind)
		).toEqual(['initiative']);
		const c = conflictsOf(graph, plan({ agencies: { a1: 'moves' }, officials: { o1: 'shared' } }));
		expect(c.map((x) => `${x.kind} ${x.label}`)).toContain('official Dr. Moreno');
	});

	it('sends interactions and their follow-ups with the officials met', () => {
		const p = plan({
			agencies: { a1: 'moves' },
			officials: { o1: 'moves' },
			friction_points: { f1: 'moves' },
			initiatives: { n1: 'moves' }
		});
		const c = conflictsOf(graph, p);
		// The pressure point's official stays: the only conflict left.
		expect(c).toHaveLength(1);
		expect(c[0]).toMatchObject({ dependsOnKind: 'official', dependsOnLabel: 'Councillor Lee' });
		expect(countsOf(graph, p).interactions).toEqual({ source: 0, new: 1 });
	});

	it('refuses a task whose initiative moves while its follow-up stays', () => {
		const c = conflictsOf(
			graph,
			plan({
				initiatives: { n1: 'moves' },
				friction_points: { f1: 'moves' },
				agencies: { a1: 'shared' },
				officials: { o2: 'shared' }
			})
		);
		expect(c).toEqual([
			expect.objectContaining({
				kind: 'task',
				label: 'Draft letter',
				dependsOnKind: 'follow-up',
				canShare: false
			})
		]);
	});
});

describe('members, size and undo window', () => {
	it('needs everyone placed and a leader on each side', () => {
		expect(memberProblem(plan().members, ['u-a', 'u-b'])).toBeNull();
		expect(memberProblem(plan().members, ['u-a', 'u-b', 'u-c'])).toBe('unassigned');
		expect(memberProblem([{ user_id: 'u-a', side: 'source', role: 'leader' }], ['u-a'])).toBe(
			'nobody_moves'
		);
		expect(
			memberProblem(
				[
					{ user_id: 'u-a', side: 'source', role: 'leader' },
					{ user_id: 'u-b', side: 'new', role: 'member' }
				],
				['u-a', 'u-b']
			)
		).toBe('new_needs_leader');
		expect(
			memberProblem(
				[
					{ user_id: 'u-a', side: 'source', role: 'member' },
					{ user_id: 'u-b', side: 'new', role: 'leader' }
				],
				['u-a', 'u-b']
			)
		).toBe('source_needs_leader');
	});

	it('says a split is worth it from nine members, and closes the undo after seven days', () => {
		expect(splitWorthIt(8)).toBe(false);
		expect(splitWorthIt(9)).toBe(true);
		const made = '2026-12-01T12:00:00Z';
		expect(canStillUndo(made, new Date('2026-12-08T11:59:00Z'))).toBe(true);
		expect(canStillUndo(made, new Date('2026-12-08T12:01:00Z'))).toBe(false);
	});
});
