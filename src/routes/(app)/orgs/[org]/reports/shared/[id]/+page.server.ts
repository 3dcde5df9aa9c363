import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { getShared } from '$lib/server/db/org-reports.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A report a team leader shared; revoked or not shared with this organization is a 404. */
export const load: PageServerLoad = async ({ locals, params, parent }) => {
	await parent();
	if (!UUID.test(params.id)) error(404, m.error_not_found());
	const report = await getShared(locals.supabase, params.id);
	if (!report || report.organization_id !== params.org || report.revoked_at) {
		error(404, m.error_not_found());
	}
	return { report };
};
