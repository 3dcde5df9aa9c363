import { error, fail, redirect } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { formatValue } from '$lib/charts/series.ts';
import { computeGap } from '$lib/friction/gap.ts';
import { DEFAULT_MIN_OFF, suggest } from '$lib/friction/suggest.ts';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { AcceptForm, IndicatorIdForm } from '$lib/schemas/friction.ts';
import { listIndicators } from '$lib/server/db/agency.ts';
import {
	acceptSuggestion,
	dismissSuggestion,
	listDismissals,
	listFrictionPoints,
	restoreSuggestion,
	seriesByIndicator,
	teamGoals
} from '$lib/server/db/friction.ts';
import { frictionRefusal } from '$lib/server/db/friction-messages.ts';
import { must, num, targetGoal } from '$lib/server/agency-pages.ts';
import { guardUser } from '$lib/server/friction-pages.ts';
import type { Actions, PageServerLoad } from './$types';

/** Every indicator of the team with its live gap against its goal's target. */
async function gaps(supabase: SupabaseClient, teamId: string) {
	const [indicators, goals] = await Promise.all([
		listIndicators(supabase, teamId).then(must),
		teamGoals(supabase, teamId).then(must)
	]);
	const series = must(
		await seriesByIndicator(
			supabase,
			indicators.map((i) => i.id)
		)
	);
	return indicators.map((indicator) => {
		const goal = targetGoal(goals, indicator.id);
		const target = num(goal?.target_value);
		return {
			indicator,
			goal,
			target,
			gap: computeGap(series.get(indicator.id) ?? [], indicator.direction, target)
		};
	});
}

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const [assessed, points, dismissals] = await Promise.all([
		gaps(locals.supabase, team.team_id),
		listFrictionPoints(locals.supabase, team.team_id).then(must),
		listDismissals(locals.supabase, team.team_id).then(must)
	]);
	const byId = new Map(assessed.map((a) => [a.indicator.id, a]));
	const dismissed = new Map(dismissals.map((d) => [d.indicator_id, d.run_started]));
	const found = suggest(
		assessed.map((a) => ({ indicatorId: a.indicator.id, gap: a.gap })),
		{
			dismissed,
			withFrictionPoint: new Set(points.flatMap((p) => (p.indicator_id ? [p.indicator_id] : [])))
		}
	);
	const locale = getLocale();
	return {
		minOff: DEFAULT_MIN_OFF,
		indicatorCount: assessed.length,
		withTarget: assessed.filter((a) => a.gap.judged > 0).length,
		suggestions: found.map((s) => {
			const { indicator, goal, target } = byId.get(s.indicatorId)!;
			const latest = s.gap.latest!;
			const value = (v: number | null) => formatValue(v, indicator.unit, locale);
			return {
				indicator_id: indicator.id,
				indicator_name: indicator.name,
				agency_name: indicator.agency_name,
				unit: indicator.unit,
				goal_id: goal?.id ?? null,
				goal_statement: goal?.statement ?? null,
				reasons: s.reasons,
				consecutive_off: s.gap.consecutiveOff,
				run_started: s.gap.runStarted,
				worsening: s.worsening,
				recent: s.gap.recent,
				title: m.friction_suggest_title({ indicator: indicator.name }),
				observed: m.friction_suggest_observed({
					count: s.gap.consecutiveOff,
					latest: value(latest.value),
					target: value(latest.judgedTarget ?? target)
				})
			};
		}),
		dismissed: dismissals
			.filter((d) => byId.has(d.indicator_id))
			.map((d) => {
				const a = byId.get(d.indicator_id)!;
				return {
					indicator_id: d.indicator_id,
					indicator_name: a.indicator.name,
					agency_name: a.indicator.agency_name,
					run_started: d.run_started,
					dismissed_at: d.created_at
				};
			}),
		notice: ['dismissed', 'restored'].includes(url.searchParams.get('notice') ?? '')
			? url.searchParams.get('notice')
			: null
	};
};

const back = (team: string, notice: string) => `/t/${team}/friction/suggestions?notice=${notice}`;

export const actions: Actions = {
	accept: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = AcceptForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'accept', values, errors: fieldErrors(parsed.error) });
		const made = await acceptSuggestion(event.locals.supabase, event.params.team, {
			indicatorId: parsed.data.indicator_id,
			title: parsed.data.title,
			observed: parsed.data.observed,
			goalId: parsed.data.goal_id
		});
		if (made.error !== undefined)
			return fail(400, { action: 'accept', values, errors: frictionRefusal(made.error) });
		redirect(303, `/t/${event.params.team}/friction/${made.data}?notice=accepted`);
	},

	dismiss: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = IndicatorIdForm.safeParse(values);
		if (!parsed.success) error(404, m.error_not_found());
		// The run is measured here, not taken from the form: it decides when the suggestion returns.
		const found = (await gaps(event.locals.supabase, event.params.team)).find(
			(a) => a.indicator.id === parsed.data.indicator_id
		);
		if (!found) error(404, m.error_not_found());
		const done = await dismissSuggestion(
			event.locals.supabase,
			event.params.team,
			found.indicator.id,
			found.gap.runStarted
		);
		if (done.error !== undefined)
			return fail(400, { action: 'dismiss', values, errors: frictionRefusal(done.error) });
		redirect(303, back(event.params.team, 'dismissed'));
	},

	restore: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = IndicatorIdForm.safeParse(values);
		if (!parsed.success) error(404, m.error_not_found());
		const done = await restoreSuggestion(
			event.locals.supabase,
			event.params.team,
			parsed.data.indicator_id
		);
		if (done.error !== undefined)
			return fail(400, { action: 'restore', values, errors: frictionRefusal(done.error) });
		redirect(303, back(event.params.team, 'restored'));
	}
};
