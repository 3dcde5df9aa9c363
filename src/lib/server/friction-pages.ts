/**
 * What the friction pages share on the server: friction points with their live assessment (gap
 * and severity from their indicators' figures), and the guard every action starts with.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { assess, type Assessment } from '$lib/friction/assess.ts';
import { bestLeverage } from '$lib/friction/pressure.ts';
import type { Goal } from '$lib/server/db/agency.ts';
import {
	getFrictionPoint,
	seriesByIndicator,
	teamGoals,
	type FrictionPointSummary
} from '$lib/server/db/friction.ts';
import { must, num, targetGoal } from './agency-pages.ts';

export interface AssessedPoint extends FrictionPointSummary {
	assessment: Assessment;
	leverage: number | null;
}

/** The target the indicator's charts use (its goal with the latest target date), or null. */
export function indicatorTarget(goals: Goal[], indicatorId: string): number | null {
	return num(targetGoal(goals, indicatorId)?.target_value);
}

/** The points with their gap, severity and best leverage, computed from the live figures. */
export async function assessPoints(
	supabase: SupabaseClient,
	teamId: string,
	points: FrictionPointSummary[]
): Promise<AssessedPoint[]> {
	const ids = [...new Set(points.flatMap((p) => (p.indicator_id ? [p.indicator_id] : [])))];
	const [series, goals] = await Promise.all([
		seriesByIndicator(supabase, ids).then(must),
		ids.length ? teamGoals(supabase, teamId).then(must) : Promise.resolve([] as Goal[])
	]);
	return points.map((p) => ({
		...p,
		assessment: assess(
			p,
			p.indicator,
			p.indicator_id ? series.get(p.indicator_id) : undefined,
			p.indicator_id ? indicatorTarget(goals, p.indicator_id) : null
		),
		leverage: bestLeverage(p.pressure)
	}));
}

type PointEvent = RequestEvent<{ team: string; point: string }>;

/** Every action on a friction point re-checks the session and that the point is this team's. */
export async function guardPoint({ locals, params }: PointEvent): Promise<FrictionPointSummary> {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/friction&reason=session-ended`);
	if (!isUuid(params.point)) error(404, m.error_not_found());
	const point = must(await getFrictionPoint(locals.supabase, params.team, params.point));
	if (!point) error(404, m.error_not_found());
	return point;
}

/** The signed-in user, or back to sign-in (for the actions of the list and suggestions pages). */
export async function guardUser({ locals, params }: RequestEvent<{ team: string }>) {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/friction&reason=session-ended`);
	return user;
}
