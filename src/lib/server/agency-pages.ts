/**
 * What the data pages add to `$lib/server/db/agency.ts`: reads that must succeed, numbers made
 * numbers, and the goal whose target the charts use.
 */
import { error } from '@sveltejs/kit';
import type { Goal, Result } from '$lib/server/db/agency.ts';

/** The data of a read, or a failed page: a read refused for a member is a bug, not a user error. */
export function must<T>(result: Result<T>): T {
	if (result.error !== undefined) error(500, result.error);
	return result.data;
}

/** numeric can come back from PostgREST as a string when it is large or precise. */
export function num(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) ? n : null;
}

/** The goal whose target the charts and summaries use: the same rule as agency_target_summary. */
export function targetGoal(goals: Goal[], indicatorId: string): Goal | null {
	const withTarget = goals.filter(
		(g) => g.indicator_id === indicatorId && num(g.target_value) !== null
	);
	withTarget.sort(
		(a, b) =>
			(b.target_date ?? '').localeCompare(a.target_date ?? '') ||
			b.created_at.localeCompare(a.created_at)
	);
	return withTarget[0] ?? null;
}
