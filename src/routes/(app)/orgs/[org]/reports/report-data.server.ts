/**
 * What the organization's report pages load: the figures of the period (all teams, or one), by
 * period and by team, and the feedback results. One place, so the page, the printable version
 * and the per-team page read the same numbers.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { byPeriod, byTeam, combine } from '$lib/org-reports/figures.ts';
import { bucketStarts, parsePeriod, periodQuery } from '$lib/org-reports/period.ts';
import { feedbackResults, report } from '$lib/server/db/org-reports.ts';

export function today(): string {
	return new Date().toISOString().slice(0, 10);
}

export async function loadReport(
	sb: SupabaseClient,
	organizationId: string,
	url: URL,
	teamId: string | null = null
) {
	const parsed = parsePeriod(url.searchParams, today());
	const { period } = parsed;
	const [rows, feedback] = await Promise.all([
		report(sb, organizationId, period, teamId),
		feedbackResults(sb, organizationId, period, teamId)
	]);
	return {
		period,
		query: periodQuery(period),
		problems: parsed.problems,
		values: Object.keys(parsed.problems).length ? parsed.values : period,
		totals: combine(rows),
		periods: byPeriod(rows, bucketStarts(period)),
		teams: byTeam(rows),
		feedback
	};
}
