import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { TeamCreate } from '$lib/schemas/team.ts';
import { create, describeTeamError } from '$lib/server/db/teams.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	// An organization can hand out a link with its join code filled in.
	return { joinCode: url.searchParams.get('code')?.slice(0, 40) ?? '' };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?redirectTo=/teams/new&reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = TeamCreate.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });

		let teamId: string;
		try {
			teamId = await create(locals.supabase, parsed.data);
		} catch (e) {
			const known = describeTeamError(e);
			if (!known) throw e;
			return fail(400, { values, errors: oneError(known.field, known.message) });
		}
		redirect(303, `/t/${teamId}?notice=created`);
	}
};
