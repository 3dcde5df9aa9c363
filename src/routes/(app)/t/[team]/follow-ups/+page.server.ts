import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { todayUtc } from '$lib/outreach/follow-ups.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import {
	createCalendarFeed,
	hasCalendarFeed,
	listFollowUps,
	listInteractions,
	revokeCalendarFeed
} from '$lib/server/db/outreach.ts';
import {
	actionTeam,
	followUpItems,
	must,
	people,
	saveFollowUpDone
} from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { team } = await parent();
	const { user } = await locals.safeGetSession();
	if (!user) error(404, m.error_not_found());
	const sb = locals.supabase;
	const [mine, interactions, members, feed] = await Promise.all([
		listFollowUps(sb, team.team_id, { assigneeId: user.id }).then(must),
		listInteractions(sb, team.team_id).then(must),
		people(sb, team.team_id),
		hasCalendarFeed(sb, team.team_id).then(must)
	]);
	const names = new Map(members.map((p) => [p.user_id, p.name]));
	const titles = new Map(interactions.map((i) => [i.id, i.title]));
	const items = followUpItems(mine, names, titles, { id: user.id, role: team.role });
	return {
		open: items.filter((f) => !f.done_at),
		done: items.filter((f) => f.done_at),
		today: todayUtc(),
		hasFeed: feed
	};
};

export const actions: Actions = {
	followUpDone: async (event) => {
		await actionTeam(event, `/t/${event.params.team}/follow-ups`);
		return saveFollowUpDone(event);
	},

	createFeed: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/follow-ups`);
		const made = await createCalendarFeed(event.locals.supabase, team.team_id);
		if (made.error !== undefined)
			return fail(400, { action: 'createFeed', errors: outreachRefusal(made.error) });
		// Shown once: only its hash is kept.
		return { action: 'createFeed', feedUrl: new URL(`/calendar/${made.data}.ics`, event.url).href };
	},

	revokeFeed: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/follow-ups`);
		const gone = await revokeCalendarFeed(event.locals.supabase, team.team_id);
		if (gone.error !== undefined)
			return fail(400, { action: 'revokeFeed', errors: outreachRefusal(gone.error) });
		return { action: 'revokeFeed', revoked: true };
	}
};
