import { loadReport } from '../report-data.server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	await parent();
	return loadReport(locals.supabase, params.org, url);
};
