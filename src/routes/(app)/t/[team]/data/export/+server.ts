import { error } from '@sveltejs/kit';
import { type ExportColumn, toCsv } from '$lib/csv/export.ts';
import { m } from '$lib/paraglide/messages.js';
import {
	type Agency,
	type IndicatorWithLatest,
	listAgencies,
	listIndicators,
	listPrograms
} from '$lib/server/db/agency.ts';
import { overview } from '$lib/server/db/teams.ts';
import { must, num } from '$lib/server/agency-pages.ts';
import type { RequestHandler } from './$types';

/**
 * The team's agencies or indicators as CSV (`?what=agencies|indicators`), for any member. Text
 * cells a spreadsheet would run as formulas are neutralised by toCsv.
 */
export const GET: RequestHandler = async ({ params, locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) error(401, m.export_sign_in());
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	const what = url.searchParams.get('what') === 'indicators' ? 'indicators' : 'agencies';

	let body: string;
	if (what === 'agencies') {
		const agencies = must(await listAgencies(locals.supabase, params.team));
		const columns: ExportColumn<Agency>[] = [
			{ key: 'name', header: 'agency' },
			{ key: 'jurisdiction', header: 'jurisdiction' },
			{ key: 'type', header: 'type' },
			{ key: 'website', header: 'website' },
			{ key: 'notes', header: 'notes' }
		];
		body = toCsv(agencies, columns);
	} else {
		const indicators = must(await listIndicators(locals.supabase, params.team));
		const agencyIds = [...new Set(indicators.map((i) => i.agency_id))];
		const programs = new Map<string, string>();
		for (const list of await Promise.all(
			agencyIds.map(async (id) => must(await listPrograms(locals.supabase, id)))
		))
			for (const p of list) programs.set(p.id, p.name);
		indicators.sort(
			(a, b) => a.agency_name.localeCompare(b.agency_name) || a.name.localeCompare(b.name)
		);
		const columns: ExportColumn<IndicatorWithLatest>[] = [
			{ key: 'agency_name', header: 'agency' },
			{ key: (i) => (i.program_id ? (programs.get(i.program_id) ?? '') : ''), header: 'program' },
			{ key: 'name', header: 'indicator' },
			{ key: 'unit', header: 'unit' },
			{ key: 'direction', header: 'direction' },
			{ key: 'frequency', header: 'frequency' },
			{ key: 'description', header: 'description' },
			{ key: (i) => i.latest?.period_end ?? '', header: 'latest_period_end' },
			{ key: (i) => num(i.latest?.value), header: 'latest_value', type: 'number' }
		];
		body = toCsv(indicators, columns);
	}
	const date = new Date().toISOString().slice(0, 10);
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${what}-${date}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
