import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { get, overview } from '$lib/server/db/teams.ts';
import type { LayoutServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every team page starts here: the team as its member sees it, or a 404 for anyone else (an
 * outsider learns nothing, not even that the team exists).
 */
export const load: LayoutServerLoad = async ({ params, locals, depends }) => {
	depends('app:team');
	if (!UUID.test(params.team)) error(404, m.error_not_found());
	const [figures, details] = await Promise.all([
		overview(locals.supabase, params.team),
		get(locals.supabase, params.team)
	]);
	if (!figures || !details) error(404, m.error_not_found());
	return {
		team: {
			...figures,
			purpose: details.purpose,
			focus_area: details.focus_area,
			archived_at: details.archived_at,
			created_at: details.created_at
		}
	};
};
