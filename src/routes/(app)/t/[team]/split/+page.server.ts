import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { formValues } from '$lib/schemas/form.ts';
import { parseSplitForm } from '$lib/schemas/split.ts';
import * as members from '$lib/server/db/members.ts';
import * as splits from '$lib/server/db/split.ts';
import { overview } from '$lib/server/db/teams.ts';
import { conflictsOf, memberProblem } from '$lib/split/plan.ts';
import type { Actions, PageServerLoad } from './$types';

/** The wizard: every leader sees it; the others read why and when a team splits. */
export const load: PageServerLoad = async ({ locals, params, parent }) => {
	const { team } = await parent();
	const [records, people] = await Promise.all([
		team.role === 'leader' ? splits.list(locals.supabase, params.team) : Promise.resolve([]),
		members.list(locals.supabase, params.team)
	]);
	const graph =
		team.role === 'leader' && !team.archived_at
			? await splits.graph(locals.supabase, params.team)
			: null;
	return { records, members: people, graph };
};

async function requireLeader({ locals, params }: RequestEvent<{ team: string }>) {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/split&reason=session-ended`);
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	if (team.role !== 'leader') error(403, m.split_db_leader_only());
	return team;
}

export const actions: Actions = {
	split: async (event) => {
		const team = await requireLeader(event);
		const { locals, params } = event;
		const values = formValues(await event.request.formData());
		const people = await members.list(locals.supabase, params.team);
		const ids = people.map((p) => p.user_id);
		const parsed = parseSplitForm(values, ids);
		if (!parsed.plan) return fail(400, { values, errors: parsed.errors });
		const plan = parsed.plan;
		const problem = memberProblem(plan.members, ids);
		if (problem) {
			const message = {
				unassigned: m.split_unassigned,
				nobody_moves: m.split_nobody_moves,
				new_needs_leader: m.split_new_needs_leader,
				source_needs_leader: m.split_source_needs_leader
			}[problem]();
			return fail(400, { values, errors: { members: message } });
		}
		// The same check the database makes, here so the reason reads in the visitor's language.
		const conflict = conflictsOf(await splits.graph(locals.supabase, params.team), plan)[0];
		if (conflict) {
			return fail(400, {
				values,
				errors: {
					form: m.split_db_conflict({
						what: `${conflict.kind} “${conflict.label}”`,
						other: `${conflict.dependsOnKind} “${conflict.dependsOnLabel}”`
					})
				}
			});
		}
		if (values.confirm !== 'yes') {
			return fail(400, { values, errors: { confirm: m.split_error_confirm() } });
		}
		const result = await splits.split(locals.supabase, team.team_id, plan);
		if (result.error) {
			return fail(400, { values, errors: { [result.error.field]: result.error.message } });
		}
		const records = await splits.list(locals.supabase, params.team);
		const record = records.find((r) => r.new_team_id === result.data);
		redirect(
			303,
			record ? `/t/${params.team}/split/${record.id}?notice=split` : `/t/${result.data}`
		);
	}
};
