import { describe, expect, it } from 'vitest';
import { moveCard, placeOf, stepTarget, toBoard, type Card } from './board.ts';

const card = (id: string, status: Card['status'], position: number): Card => ({
	id,
	status,
	position,
	created_at: '2026-01-01T00:00:00Z'
});

const cards = [card('a', 'todo', 0), card('b', 'todo', 1), card('c', 'doing', 0)];
const ids = (b: ReturnType<typeof toBoard>) =>
	Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.map((c) => `${c.id}${c.position}`)]));

describe('toBoard', () => {
	it('puts cards in their columns in saved order', () => {
		const b = toBoard([card('z', 'todo', 2), ...cards]);
		expect(ids(b)).toEqual({ todo: ['a0', 'b1', 'z2'], doing: ['c0'], blocked: [], done: [] });
	});
});

describe('stepTarget', () => {
	const b = toBoard(cards);
	it('moves right and left to the same place or the end of the column', () => {
		expect(stepTarget(b, 'b', 'right')).toEqual({ status: 'doing', position: 1 });
		expect(stepTarget(b, 'c', 'left')).toEqual({ status: 'todo', position: 0 });
		expect(stepTarget(b, 'a', 'left')).toBeNull();
	});
	it('moves up and down within the column, not past its ends', () => {
		expect(stepTarget(b, 'b', 'up')).toEqual({ status: 'todo', position: 0 });
		expect(stepTarget(b, 'a', 'up')).toBeNull();
		expect(stepTarget(b, 'b', 'down')).toBeNull();
	});
	it('is null for a card not on the board', () => {
		expect(stepTarget(b, 'nope', 'right')).toBeNull();
	});
});

describe('moveCard', () => {
	it('moves a card across columns and renumbers both', () => {
		const b = moveCard(toBoard(cards), 'a', { status: 'doing', position: 0 });
		expect(ids(b)).toEqual({ todo: ['b0'], doing: ['a0', 'c1'], blocked: [], done: [] });
		expect(placeOf(b, 'a')).toEqual({ status: 'doing', position: 0 });
		expect(b.doing[0].status).toBe('doing');
	});
	it('reorders within a column and clamps past the end', () => {
		const b = moveCard(toBoard(cards), 'a', { status: 'todo', position: 9 });
		expect(ids(b).todo).toEqual(['b0', 'a1']);
	});
});
