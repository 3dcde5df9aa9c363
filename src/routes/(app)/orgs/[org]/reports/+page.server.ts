import { listSharedWithOrg } from '$lib/server/db/org-reports.ts';
import { loadReport } from './report-data.server.ts';
import type { PageServerLoad } from './$types';

/** The layout already answered 404 to anyone but the organization's admins. */
export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	await parent();
	const [data, shared] = await Promise.all([
		loadReport(locals.supabase, params.org, url),
		listSharedWithOrg(locals.supabase, params.org)
	]);
	return {
		...data,
		shared: shared.map((s) => ({
			id: s.id,
			title: s.title,
			team_id: s.team_id,
			period_from: s.period_from,
			period_to: s.period_to,
			shared_at: s.shared_at
		}))
	};
};
