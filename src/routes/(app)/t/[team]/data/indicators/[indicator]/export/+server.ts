import { error } from '@sveltejs/kit';
import { type ExportColumn, toCsv } from '$lib/csv/export.ts';
import { fileSlug } from '$lib/charts/download.ts';
import { m } from '$lib/paraglide/messages.js';
import { getIndicator, listMeasurements, type Measurement } from '$lib/server/db/agency.ts';
import { must, num } from '$lib/server/agency-pages.ts';
import { isUuid } from '$lib/schemas/agency.ts';
import type { RequestHandler } from './$types';

/**
 * An indicator's measurements as CSV, for any member of the team. Notes are the team's free text:
 * a note beginning with = + - @ (or tab, CR, NUL) is neutralised by toCsv so a spreadsheet shows
 * it instead of running it.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { user } = await locals.safeGetSession();
	if (!user) error(401, m.export_sign_in());
	if (!isUuid(params.indicator)) error(404, m.error_not_found());
	const indicator = must(await getIndicator(locals.supabase, params.team, params.indicator));
	if (!indicator) error(404, m.error_not_found());
	const measurements = must(await listMeasurements(locals.supabase, indicator.id));

	const columns: ExportColumn<Measurement>[] = [
		{ key: () => indicator.agency_name, header: 'agency' },
		{ key: () => indicator.name, header: 'indicator' },
		{ key: 'period_start', header: 'period_start' },
		{ key: 'period_end', header: 'period_end' },
		{ key: 'grain', header: 'grain' },
		{ key: (r) => num(r.value), header: 'value', type: 'number' },
		{ key: (r) => num(r.target), header: 'target', type: 'number' },
		{ key: () => indicator.unit, header: 'unit' },
		{ key: 'note', header: 'note' }
	];
	return new Response(toCsv(measurements, columns), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${fileSlug(indicator.name, 'indicator')}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
