import { describe, expect, it } from 'vitest';
import { buildTree, descendantIds, flatten, wouldLoop, type CauseRow } from './tree.ts';

const row = (id: string, parent_id: string | null, n: number): CauseRow => ({
	id,
	parent_id,
	statement: `Cause ${id}`,
	created_at: `2026-12-01T00:00:0${n}Z`
});

const ROWS = [
	row('a', null, 1),
	row('b', 'a', 2),
	row('c', 'b', 3),
	row('d', null, 4),
	row('e', 'a', 5)
];

describe('the cause tree', () => {
	it('nests causes under their parents in the order they were added', () => {
		const forest = buildTree(ROWS);
		expect(forest.map((n) => n.id)).toEqual(['a', 'd']);
		expect(forest[0].children.map((n) => n.id)).toEqual(['b', 'e']);
		expect(flatten(forest).map((n) => `${n.id}${n.depth}`)).toEqual(['a0', 'b1', 'c2', 'e1', 'd0']);
	});

	it('shows a cause whose parent is missing at the top rather than losing it', () => {
		const forest = buildTree([row('x', 'gone', 1)]);
		expect(forest.map((n) => n.id)).toEqual(['x']);
	});

	it('counts what deleting a cause takes with it', () => {
		expect([...descendantIds(ROWS, 'a')].sort()).toEqual(['b', 'c', 'e']);
		expect(descendantIds(ROWS, 'c').size).toBe(0);
	});

	it('knows which moves would close a loop', () => {
		expect(wouldLoop(ROWS, 'a', 'c')).toBe(true);
		expect(wouldLoop(ROWS, 'a', 'a')).toBe(true);
		expect(wouldLoop(ROWS, 'c', 'd')).toBe(false);
		expect(wouldLoop(ROWS, 'c', null)).toBe(false);
	});
});
