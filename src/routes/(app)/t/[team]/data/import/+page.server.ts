import { must } from '$lib/server/agency-pages.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import type { PageServerLoad } from './$types';

/** The wizard runs in the browser; the server only names the team's agencies for the agency field. */
export const load: PageServerLoad = async ({ locals, parent }) => {
	const { team } = await parent();
	return { agencies: must(await listAgencies(locals.supabase, team.team_id)).map((a) => a.name) };
};
