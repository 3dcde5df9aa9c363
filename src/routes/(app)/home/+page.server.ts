import { redirect } from '@sveltejs/kit';
import { getOwn } from '$lib/server/db/profiles.ts';
import { listMine } from '$lib/server/db/teams.ts';
import type { PageServerLoad } from './$types';

const NOTICES = new Set(['team-deleted']);

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, '/sign-in');
	const [profile, teams] = await Promise.all([
		getOwn(locals.supabase, user.id),
		listMine(locals.supabase, user.id)
	]);
	const notice = url.searchParams.get('notice');
	return {
		displayName: profile?.display_name || null,
		welcome: url.searchParams.has('welcome'),
		notice: notice && NOTICES.has(notice) ? notice : null,
		teams
	};
};
