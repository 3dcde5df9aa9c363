import { error } from '@sveltejs/kit';
import type { RowError } from '$lib/csv/validate.ts';
import { errorReportCsv, reportFileName } from '$lib/import/report.ts';
import { rowErrorMessage } from '$lib/import/messages.ts';
import { m } from '$lib/paraglide/messages.js';
import { overview } from '$lib/server/db/teams.ts';
import { must } from '$lib/server/agency-pages.ts';
import { importErrors } from '$lib/server/db/agency.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An import's rejected rows as CSV (formula-neutralised), in the visitor's language. */
export const GET: RequestHandler = async ({ params, locals }) => {
	if (!UUID.test(params.team) || !UUID.test(params.import)) error(404, m.error_not_found());
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	const found = must(await importErrors(locals.supabase, team.team_id, params.import));
	if (!found) error(404, m.import_history_not_found());
	// The wizard stored them from its validator's RowErrors.
	const rows = found.errors as RowError[];
	const csv = errorReportCsv(
		rows.map((e) => ({ ...e, message: rowErrorMessage(e) })),
		{
			row: m.import_report_row(),
			column: m.import_report_column(),
			reason: m.import_report_reason(),
			message: m.import_report_message(),
			value: m.import_report_value()
		}
	);
	const name = reportFileName(found.file_name).replace(/[^\w.-]/g, '_');
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
