import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { overview } from '$lib/server/db/teams.ts';
import { downloadName, exportTeamArchive } from '$lib/server/team-archive.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The team's archive (a zip of CSV files and manifest.json), for leaders. Confidential notes go in
 * only when the leader ticked the box (`?confidential=1`).
 */
export const GET: RequestHandler = async ({ params, locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) error(401, m.export_sign_in());
	if (!UUID.test(params.team)) error(404, m.error_not_found());
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	if (team.role !== 'leader') error(403, m.archive_export_leaders_only());

	const includeConfidential = url.searchParams.get('confidential') === '1';
	const { zip, name } = await exportTeamArchive(locals.supabase, params.team, {
		includeConfidential
	});
	return new Response(zip as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': 'application/zip',
			'Content-Disposition': `attachment; filename="${downloadName(name, 'zip')}"`,
			'Cache-Control': 'no-store'
		}
	});
};
