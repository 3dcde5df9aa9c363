import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { exportTeam, overview } from '$lib/server/db/teams.ts';
import { downloadName } from '$lib/server/team-archive.ts';
import type { RequestHandler } from './$types';

/**
 * A leader downloads everything the team recorded, as JSON (invitation tokens are never stored,
 * only their hashes, and those stay out too). Offered before deleting a team.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { user } = await locals.safeGetSession();
	if (!user) error(401, m.export_sign_in());
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	if (team.role !== 'leader') error(403, m.export_leaders_only());

	const data = await exportTeam(locals.supabase, params.team, team);
	return new Response(JSON.stringify(data, null, '\t'), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${downloadName(team.name, 'json')}"`,
			'Cache-Control': 'no-store'
		}
	});
};
