/**
 * Quick decisions: how votes are tallied and when a decision passes. The database's
 * close_decision applies the same rules when it records the result; the screens use this to show
 * the running tally while voting is open.
 *
 * - consent: 1 = no objection, 0 = objection; passes when someone voted and nobody objects.
 * - consensus: 1 = agree, 0 = disagree; passes when someone voted and everyone agrees.
 * - fist to five: 0–5 fingers; passes with no 0 or 1 (a block) and an average of at least 3.
 */

export type DecisionMethod = 'consent' | 'consensus' | 'fist_to_five';

export const DECISION_METHODS: readonly DecisionMethod[] = ['consent', 'consensus', 'fist_to_five'];

export interface Tally {
	votes: number;
	/** Votes per value, for every allowed value (zeros included). */
	counts: Record<number, number>;
	average: number | null;
	passed: boolean;
	/** Values that block: 0 (and 1 on fist to five). */
	blocks: number;
}

/** The values a member can give. */
export function allowedValues(method: DecisionMethod): number[] {
	return method === 'fist_to_five' ? [0, 1, 2, 3, 4, 5] : [1, 0];
}

export function tally(method: DecisionMethod, values: readonly number[]): Tally {
	const allowed = allowedValues(method);
	const counts: Record<number, number> = Object.fromEntries(allowed.map((v) => [v, 0]));
	let sum = 0;
	let n = 0;
	for (const v of values) {
		if (!allowed.includes(v)) continue;
		counts[v] += 1;
		sum += v;
		n += 1;
	}
	const blocks = method === 'fist_to_five' ? counts[0] + counts[1] : counts[0];
	const average = n ? Math.round((sum / n) * 100) / 100 : null;
	const passed = n > 0 && blocks === 0 && (method !== 'fist_to_five' || (average ?? 0) >= 3);
	return { votes: n, counts, average, passed, blocks };
}
