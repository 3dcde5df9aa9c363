/**
 * Participation balance for the facilitator: turns and speaking time per member from the turns
 * recorded in the database, and who has spoken much more or not at all, so the host can invite
 * quieter voices. Also the round's order and the queue, as the screens show them.
 */

export interface Turn {
	user_id: string;
	started_at: string;
	ended_at: string | null;
}

export interface Participation {
	userId: string;
	turns: number;
	ms: number;
	/** Share of all speaking time, 0–1. */
	share: number;
	/** 'quiet' (no turn yet), 'dominant' (over twice an even share, with at least 3 people), or 'even'. */
	balance: 'quiet' | 'even' | 'dominant';
}

/** Per member in `members` (everyone present, so the silent show up), most speaking time first. */
export function participation(
	members: readonly string[],
	turns: readonly Turn[],
	nowMs: number
): Participation[] {
	const by = new Map(members.map((id) => [id, { turns: 0, ms: 0 }]));
	for (const t of turns) {
		const row = by.get(t.user_id) ?? { turns: 0, ms: 0 };
		const start = Date.parse(t.started_at);
		const end = t.ended_at ? Date.parse(t.ended_at) : nowMs;
		row.turns += 1;
		row.ms += Math.max(0, end - start);
		by.set(t.user_id, row);
	}
	const total = [...by.values()].reduce((sum, r) => sum + r.ms, 0);
	const even = by.size ? 1 / by.size : 0;
	return [...by.entries()]
		.map(([userId, r]) => {
			const share = total ? r.ms / total : 0;
			const balance: Participation['balance'] =
				r.turns === 0 ? 'quiet' : by.size >= 3 && share > 2 * even ? 'dominant' : 'even';
			return { userId, turns: r.turns, ms: r.ms, share, balance };
		})
		.sort((a, b) => b.ms - a.ms || b.turns - a.turns || a.userId.localeCompare(b.userId));
}

/**
 * The round's order for a new round: the present members, those who have spoken least in this
 * dialogue first (ties in the order they are listed), so a round never always starts with the same
 * person.
 */
export function roundOrder(present: readonly string[], turns: readonly Turn[]): string[] {
	const counts = new Map<string, number>();
	for (const t of turns) counts.set(t.user_id, (counts.get(t.user_id) ?? 0) + 1);
	return [...new Set(present)]
		.map((id, i) => ({ id, i, n: counts.get(id) ?? 0 }))
		.sort((a, b) => a.n - b.n || a.i - b.i)
		.map((x) => x.id);
}

export interface QueueEntry {
	id: string;
	user_id: string;
	raised_at: string;
}

/** Raised hands, oldest first (the order the facilitator calls them, as the database does). */
export function queueOrder<T extends QueueEntry>(queue: readonly T[]): T[] {
	return [...queue].sort(
		(a, b) => Date.parse(a.raised_at) - Date.parse(b.raised_at) || a.id.localeCompare(b.id)
	);
}

/** Who speaks after the current one in the round, among the present (null at the end). */
export function nextInRound(
	order: readonly string[],
	index: number | null,
	present: ReadonlySet<string>
): string | null {
	if (index === null) return null;
	for (let i = index + 1; i < order.length; i++) if (present.has(order[i])) return order[i];
	return null;
}
