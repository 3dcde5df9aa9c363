import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { describe, list, namesFor } from '$lib/server/db/activity.ts';
import type { PageServerLoad } from './$types';

const PER_PAGE = 25;

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { team } = await parent();
	// The log is for leaders (RLS agrees: others would see an empty list).
	if (team.role !== 'leader') error(403, m.activity_leaders_only());
	const page = Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1));
	const { entries, total } = await list(locals.supabase, team.team_id, { page, perPage: PER_PAGE });
	const names = await namesFor(locals.supabase, entries);
	return {
		entries: entries.map((e) => ({ id: e.id, at: e.created_at, text: describe(e, names) })),
		page,
		pages: Math.max(1, Math.ceil(total / PER_PAGE)),
		total
	};
};
