/**
 * The task board: columns by status, cards in their saved order, and where a card goes when it is
 * moved by keyboard (left and right to the neighbouring column, up and down within its column). The
 * page sends the result to public.move_task and shows it at once.
 */
export const TASK_STATUSES = ['todo', 'doing', 'blocked', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Card {
	id: string;
	status: TaskStatus;
	position: number;
	created_at: string;
}

export type Board<T extends Card> = Record<TaskStatus, T[]>;

/** The cards by column, each column in board order (position, then age, then id). */
export function toBoard<T extends Card>(cards: readonly T[]): Board<T> {
	const board = { todo: [], doing: [], blocked: [], done: [] } as Board<T>;
	for (const c of cards) board[c.status].push(c);
	for (const s of TASK_STATUSES) {
		board[s].sort(
			(a, b) =>
				a.position - b.position ||
				a.created_at.localeCompare(b.created_at) ||
				a.id.localeCompare(b.id)
		);
	}
	return board;
}

export interface Place {
	status: TaskStatus;
	position: number;
}

/** Where the card is now, or null when it is not on the board. */
export function placeOf<T extends Card>(board: Board<T>, id: string): Place | null {
	for (const s of TASK_STATUSES) {
		const i = board[s].findIndex((c) => c.id === id);
		if (i >= 0) return { status: s, position: i };
	}
	return null;
}

export type Step = 'left' | 'right' | 'up' | 'down';

/**
 * Where one keyboard step takes a card: left and right to the same place in the neighbouring
 * column (or its end), up and down within its column. Null when it is already at that edge.
 */
export function stepTarget<T extends Card>(board: Board<T>, id: string, step: Step): Place | null {
	const here = placeOf(board, id);
	if (!here) return null;
	const col = TASK_STATUSES.indexOf(here.status);
	if (step === 'up') return here.position > 0 ? { ...here, position: here.position - 1 } : null;
	if (step === 'down')
		return here.position < board[here.status].length - 1
			? { ...here, position: here.position + 1 }
			: null;
	const next = TASK_STATUSES[col + (step === 'left' ? -1 : 1)];
	if (!next) return null;
	return { status: next, position: Math.min(here.position, board[next].length) };
}

/** The board after moving the card to a place (what public.move_task stores), positions renumbered. */
export function moveCard<T extends Card>(board: Board<T>, id: string, to: Place): Board<T> {
	const here = placeOf(board, id);
	if (!here) return board;
	const card = board[here.status][here.position];
	const out = { ...board } as Board<T>;
	out[here.status] = board[here.status].filter((c) => c.id !== id);
	const target = [...out[to.status]];
	target.splice(Math.max(0, Math.min(to.position, target.length)), 0, {
		...card,
		status: to.status
	});
	out[to.status] = target;
	for (const s of new Set([here.status, to.status])) {
		out[s] = out[s].map((c, i) => (c.position === i && c.status === s ? c : { ...c, position: i }));
	}
	return out;
}
