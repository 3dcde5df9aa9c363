import { todayUtc } from '$lib/outreach/follow-ups.ts';
import { turnShares } from '$lib/review/figures.ts';
import { parsePeriod } from '$lib/review/period.ts';
import { healthPrompts } from '$lib/review/prompts.ts';
import { getHealth } from '$lib/server/db/review.ts';
import type { PageServerLoad } from './$types';

/**
 * Group health: attendance, pulse checks (averages only), participation balance and the team's
 * size against 6–8, with gentle prompts. Prompts that name someone are computed only from what
 * `team_health` returns to leaders and organizers; everyone else gets the size prompt alone.
 */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const parsed = parsePeriod(url.searchParams, todayUtc());
	if (!parsed.ok) return { period: null, invalid: parsed, problem: null, health: null };
	const r = await getHealth(locals.supabase, team.team_id, parsed.period);
	if (r.error !== undefined) {
		return { period: parsed.period, invalid: null, problem: r.error, health: null };
	}
	const h = r.data;
	return {
		period: parsed.period,
		invalid: null,
		problem: null,
		health: {
			from: h.from,
			to: h.to,
			leads: h.members !== null,
			dialogues: h.dialogues,
			pulse: h.pulse,
			participation: h.participation ? turnShares(h.participation) : null,
			prompts: healthPrompts(team.size, h.members, h.recent)
		}
	};
};
