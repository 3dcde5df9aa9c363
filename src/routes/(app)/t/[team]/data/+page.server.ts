import { fail, redirect } from '@sveltejs/kit';
import { agencyTargetSummary, createAgency } from '$lib/server/db/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { must } from '$lib/server/agency-pages.ts';
import { formRefusal } from '$lib/server/db/agency-messages.ts';
import { AgencyForm } from '$lib/schemas/agency.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set(['agency-deleted']);

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const notice = url.searchParams.get('notice');
	return {
		agencies: must(await agencyTargetSummary(locals.supabase, team.team_id)),
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

export const actions: Actions = {
	createAgency: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/data&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = AgencyForm.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const created = await createAgency(locals.supabase, params.team, parsed.data);
		if (created.error !== undefined)
			return fail(400, { values, errors: formRefusal(created.error) });
		redirect(303, `/t/${params.team}/data/agencies/${created.data.id}?notice=agency-created`);
	}
};
