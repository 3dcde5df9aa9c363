import { fail, redirect } from '@sveltejs/kit';
import { isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { NewFrictionPointForm, STATUSES, type Status } from '$lib/schemas/friction.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import { createFrictionPoint, listFrictionPoints, teamGoals } from '$lib/server/db/friction.ts';
import { frictionRefusal } from '$lib/server/db/friction-messages.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { must } from '$lib/server/agency-pages.ts';
import { assessPoints, guardUser } from '$lib/server/friction-pages.ts';
import { goalOptions, memberOptions } from '$lib/server/friction-options.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const agencyId = url.searchParams.get('agency');
	const statusParam = url.searchParams.get('status');
	const ownerId = url.searchParams.get('owner');
	const filters = {
		agencyId: isUuid(agencyId) ? agencyId : null,
		status: STATUSES.includes(statusParam as Status) ? (statusParam as Status) : null,
		ownerId: isUuid(ownerId) ? ownerId : null
	};
	const [agencies, members, goals, points, all] = await Promise.all([
		listAgencies(locals.supabase, team.team_id).then(must),
		listMembers(locals.supabase, team.team_id),
		teamGoals(locals.supabase, team.team_id).then(must),
		listFrictionPoints(locals.supabase, team.team_id, filters).then(must),
		listFrictionPoints(locals.supabase, team.team_id).then(must)
	]);
	const assessed = await assessPoints(locals.supabase, team.team_id, points);
	const names = new Map(members.map((mb) => [mb.user_id, mb.display_name]));
	return {
		filters,
		total: all.length,
		agencies: agencies.map((a) => ({ value: a.id, label: a.name })),
		members: memberOptions(members),
		goals: await goalOptions(locals.supabase, team.team_id, goals),
		points: assessed
			.map((p) => ({
				id: p.id,
				title: p.title,
				agency_id: p.agency_id,
				agency_name: p.agency_name,
				status: p.status,
				owner_name: p.owner_id ? (names.get(p.owner_id) ?? null) : null,
				severity: p.assessment.severity.score,
				measured: p.assessment.severity.measured !== null,
				leverage: p.leverage,
				people: p.people_affected
			}))
			.sort((a, b) => b.severity - a.severity || a.title.localeCompare(b.title)),
		notice: url.searchParams.get('notice') === 'deleted' ? 'deleted' : null
	};
};

export const actions: Actions = {
	create: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = NewFrictionPointForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'create', values, errors: fieldErrors(parsed.error) });
		const { agency_id, ...input } = parsed.data;
		const made = await createFrictionPoint(
			event.locals.supabase,
			event.params.team,
			agency_id,
			input
		);
		if (made.error !== undefined)
			return fail(400, { action: 'create', values, errors: frictionRefusal(made.error) });
		redirect(303, `/t/${event.params.team}/friction/${made.data.id}?notice=created`);
	}
};
