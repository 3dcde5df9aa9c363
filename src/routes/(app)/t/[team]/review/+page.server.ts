import { todayUtc } from '$lib/outreach/follow-ups.ts';
import { reviewView } from '$lib/review/figures.ts';
import { parsePeriod } from '$lib/review/period.ts';
import { getReview } from '$lib/server/db/review.ts';
import type { PageServerLoad } from './$types';

/**
 * The team review: every member reads it (one call to `team_review`, under RLS); the per-member
 * participation comes back for leaders and organizers only. A bad custom period is shown beside
 * its field, with nothing loaded. The printable version uses this same load.
 */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const today = todayUtc();
	const parsed = parsePeriod(url.searchParams, today);
	if (!parsed.ok) {
		return { today, period: null, invalid: parsed, problem: null, view: null };
	}
	const r = await getReview(locals.supabase, team.team_id, parsed.period);
	if (r.error !== undefined) {
		return { today, period: parsed.period, invalid: null, problem: r.error, view: null };
	}
	return {
		today,
		period: parsed.period,
		invalid: null,
		problem: null,
		view: reviewView(r.data)
	};
};
