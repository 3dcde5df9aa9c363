import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { createRound, feedbackErrors } from '$lib/server/db/feedback.ts';
import { RoundSchema } from '$lib/schemas/feedback.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { loadReport } from '../../report-data.server.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One team's figures for its organization: a team not hosted by this organization is a 404. */
export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	await parent();
	if (!UUID.test(params.team)) error(404, m.error_not_found());
	const data = await loadReport(locals.supabase, params.org, url, params.team);
	const team = data.teams[0];
	if (!team) error(404, m.error_not_found());
	return { ...data, team };
};

export const actions: Actions = {
	/** The organization asks the team's members, or the people it serves, for feedback. */
	feedback: async ({ locals, params, request, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
		const values = formValues(await request.formData());
		const parsed = RoundSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		try {
			const round = await createRound(locals.supabase, params.team, parsed.data);
			return {
				opened: {
					title: parsed.data.title,
					link: round.token ? `${url.origin}/feedback/${round.token}` : null
				}
			};
		} catch (e) {
			return fail(400, { values, errors: feedbackErrors(e) });
		}
	}
};
