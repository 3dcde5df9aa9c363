import { listMine } from '$lib/server/db/teams.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	// Invalidated after creating, leaving or deleting a team, so the switcher stays current.
	depends('app:teams');
	// Only what the header shows; tokens never reach the page.
	if (!locals.user) return { viewer: null, myTeams: [] };
	const myTeams = await listMine(locals.supabase, locals.user.id);
	return {
		viewer: { email: locals.user.email ?? '' },
		myTeams: myTeams.map(({ id, name, archived }) => ({ id, name, archived }))
	};
};
