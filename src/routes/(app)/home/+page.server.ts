import { redirect } from '@sveltejs/kit';
import { getOwn } from '$lib/server/db/profiles.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, '/sign-in');
	const profile = await getOwn(locals.supabase, user.id);
	return {
		displayName: profile?.display_name || null,
		welcome: url.searchParams.has('welcome')
	};
};
