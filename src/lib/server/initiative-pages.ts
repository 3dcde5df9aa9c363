/**
 * What the initiative pages share on the server: the guard every load and action starts with, the
 * objective's progress computed from the indicator's live figures, and the common shape of an
 * action (guard, parse, write, back to the page with a notice).
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { z } from 'zod';
import { computeProgress, type Progress } from '$lib/initiatives/progress.ts';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import type { SeriesPoint } from '$lib/server/db/agency.ts';
import { seriesByIndicator } from '$lib/server/db/friction.ts';
import { initiativeRefusal } from '$lib/server/db/initiative-messages.ts';
import { getInitiative, type InitiativeSummary, type Result } from '$lib/server/db/initiatives.ts';
import { must } from './agency-pages.ts';

type InitiativeEvent = RequestEvent<{ team: string; initiative: string }>;
type Params = { team: string; initiative: string };

/** Every page and action of an initiative re-checks the session and that it is this team's. */
export async function guardInitiative({
	locals,
	params
}: {
	locals: App.Locals;
	params: Params;
}): Promise<InitiativeSummary> {
	const { user } = await locals.safeGetSession();
	if (!user)
		redirect(303, `/sign-in?redirectTo=/t/${params.team}/initiatives&reason=session-ended`);
	if (!isUuid(params.initiative)) error(404, m.error_not_found());
	const initiative = must(await getInitiative(locals.supabase, params.team, params.initiative));
	if (!initiative) error(404, m.error_not_found());
	return initiative;
}

/** The signed-in user, or back to sign-in (for the list, new and "my tasks" pages). */
export async function guardUser({ locals, params }: RequestEvent<{ team: string }>) {
	const { user } = await locals.safeGetSession();
	if (!user)
		redirect(303, `/sign-in?redirectTo=/t/${params.team}/initiatives&reason=session-ended`);
	return user;
}

export interface ProgressOf {
	progress: Progress | { kind: 'no-indicator' };
	points: SeriesPoint[];
}

/** Each initiative's progress from its indicator's figures, in one read for all of them. */
export async function progressOf(
	supabase: SupabaseClient,
	initiatives: readonly InitiativeSummary[]
): Promise<Map<string, ProgressOf>> {
	const ids = [...new Set(initiatives.flatMap((i) => (i.indicator_id ? [i.indicator_id] : [])))];
	const series = must(await seriesByIndicator(supabase, ids));
	return new Map(
		initiatives.map((i): [string, ProgressOf] => {
			if (!i.indicator_id || !i.indicator)
				return [i.id, { progress: { kind: 'no-indicator' }, points: [] }];
			const points = series.get(i.indicator_id) ?? [];
			return [
				i.id,
				{
					points,
					progress: computeProgress({
						direction: i.indicator.direction,
						baseline: i.baseline_value,
						baselineDate: i.baseline_date,
						startDate: i.start_date,
						target: i.target_value,
						points
					})
				}
			];
		})
	);
}

/**
 * The common shape of an action on an initiative: guard, parse, write, then back to `path` (under
 * the initiative) with a notice. A refusal or bad input comes back beside the field, with what was
 * typed.
 */
export async function act<S extends z.ZodType>(
	event: InitiativeEvent,
	action: string,
	schema: S,
	write: (data: z.infer<S>, initiative: InitiativeSummary) => Promise<Result<unknown>>,
	notice: string,
	path = ''
) {
	const initiative = await guardInitiative(event);
	const values = formValues(await event.request.formData());
	const parsed = schema.safeParse(values);
	if (!parsed.success) return fail(400, { action, values, errors: fieldErrors(parsed.error) });
	const r = await write(parsed.data, initiative);
	if (r.error !== undefined)
		return fail(400, { action, values, errors: initiativeRefusal(r.error) });
	redirect(
		303,
		`/t/${event.params.team}/initiatives/${event.params.initiative}${path}?notice=${notice}`
	);
}
