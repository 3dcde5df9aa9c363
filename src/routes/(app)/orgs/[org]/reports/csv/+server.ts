import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { reportCsv, feedbackCsv } from '$lib/org-reports/csv.ts';
import { parsePeriod } from '$lib/org-reports/period.ts';
import { isUserError } from '$lib/server/db/errors.ts';
import { feedbackResults, report } from '$lib/server/db/org-reports.ts';
import { today } from '../report-data.server.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The report of the period in the URL as CSV (figures per team and period, or with
 * `what=feedback` the feedback rounds). The database refuses anyone but the organization's admins;
 * they get the same 404 as the pages give.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	if (!UUID.test(params.org)) error(404, m.error_not_found());
	const { period, problems } = parsePeriod(url.searchParams, today());
	if (Object.keys(problems).length) error(400, m.report_csv_bad_period());
	const what = url.searchParams.get('what') === 'feedback' ? 'feedback' : 'figures';
	let body: string;
	try {
		body =
			what === 'feedback'
				? feedbackCsv(await feedbackResults(locals.supabase, params.org, period))
				: reportCsv(await report(locals.supabase, params.org, period));
	} catch (e) {
		if (isUserError(e)) error(404, m.error_not_found());
		throw e;
	}
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="report-${what}-${period.from}-${period.to}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
