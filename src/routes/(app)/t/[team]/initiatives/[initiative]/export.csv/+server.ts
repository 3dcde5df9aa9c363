import { toCsv } from '$lib/csv/export.ts';
import { kindLabel, statusLabel } from '$lib/initiatives/labels.ts';
import { planRows, sharedPlan, type PlanRow } from '$lib/initiatives/plan.ts';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { guardInitiative } from '$lib/server/initiative-pages.ts';
import { planSource } from '$lib/server/initiative-plan.ts';
import type { RequestHandler } from './$types';

/** The plan as CSV (cells a spreadsheet would run as formulas neutralised); sensitive parts only when asked. */
export const GET: RequestHandler = async (event) => {
	const i = await guardInitiative(event);
	const includeSensitive = event.url.searchParams.get('sensitive') === 'on';
	const plan = sharedPlan(
		await planSource(event.locals.supabase, event.params.team, i, getLocale()),
		includeSensitive
	);
	const rows = planRows(
		plan,
		{
			overview: m.initiatives_csv_overview(),
			strategy: (k) => kindLabel(k),
			target: (r) =>
				r === 'primary' ? m.initiatives_target_primary() : m.initiatives_target_secondary(),
			tactic: m.initiatives_column_tactics(),
			milestone: m.initiatives_milestones_heading(),
			task: m.initiatives_csv_task(),
			field: {
				status: m.initiatives_status(),
				problem: m.initiatives_field_problem(),
				vision: m.initiatives_field_vision(),
				mission: m.initiatives_field_mission(),
				objective: m.initiatives_field_objective(),
				indicator: m.initiatives_field_indicator(),
				baseline: m.initiatives_field_baseline(),
				target: m.initiatives_field_target(),
				start: m.initiatives_field_start(),
				deadline: m.initiatives_field_deadline(),
				progress: m.initiatives_progress_heading(),
				friction_point: m.initiatives_field_friction_point(),
				sensitive_notes: m.initiatives_field_sensitive(),
				reflection: m.initiatives_field_reflection()
			}
		},
		statusLabel(plan.status)
	);
	const csv = toCsv<PlanRow>(rows, [
		{ key: 'section', header: m.initiatives_csv_section() },
		{ key: 'item', header: m.initiatives_csv_item() },
		{ key: 'detail', header: m.initiatives_csv_detail() },
		{ key: 'date', header: m.initiatives_csv_date() }
	]);
	const name =
		i.title
			.replace(/[^A-Za-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 60) || 'plan';
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="initiative-${name}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
