import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { interactionForm } from '$lib/schemas/officials.ts';
import { isUuid } from '$lib/schemas/agency.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import { logInteraction } from '$lib/server/db/outreach.ts';
import { actionTeam, must, people } from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const { user } = await locals.safeGetSession();
	const [officials, members, agencies] = await Promise.all([
		listOfficials(locals.supabase, team.team_id).then(must),
		people(locals.supabase, team.team_id),
		listAgencies(locals.supabase, team.team_id).then(must)
	]);
	const official = url.searchParams.get('official');
	return {
		officials: officials.map((o) => ({
			id: o.id,
			name: o.office ? `${o.name} (${o.office})` : o.name
		})),
		members: members.map(({ user_id, name }) => ({ user_id, name })),
		agencies: agencies.map((a) => ({ id: a.id, name: a.name })),
		preset: {
			official_ids: isUuid(official) && officials.some((o) => o.id === official) ? [official] : [],
			member_ids: user ? [user.id] : []
		},
		isLeader: team.role === 'leader'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/outreach/new`);
		const data = await event.request.formData();
		const values = formValues(data);
		const ids = (key: string) => data.getAll(key).map(String).filter(isUuid);
		const people = { official_ids: ids('official_ids'), member_ids: ids('member_ids') };
		const parsed = interactionForm().safeParse(values);
		if (!parsed.success)
			return fail(400, { values: { ...values, ...people }, errors: fieldErrors(parsed.error) });
		const { confidential, ...fields } = parsed.data;
		if (confidential && team.role !== 'leader')
			return fail(400, {
				values: { ...values, ...people },
				errors: outreachRefusal('only a leader can write a confidential note')
			});
		const made = await logInteraction(event.locals.supabase, team.team_id, fields, {
			memberIds: people.member_ids,
			officialIds: people.official_ids,
			confidential
		});
		if (made.error !== undefined)
			return fail(400, { values: { ...values, ...people }, errors: outreachRefusal(made.error) });
		redirect(303, `/t/${event.params.team}/outreach/${made.data}?notice=interaction-logged`);
	}
};
