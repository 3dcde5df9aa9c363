import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import {
	feedbackErrors,
	getRound,
	isOpen,
	roundResults,
	submitMember
} from '$lib/server/db/feedback.ts';
import { AnswerSchema } from '$lib/schemas/feedback.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, params, parent }) => {
	const { team } = await parent();
	if (!UUID.test(params.round)) error(404, m.error_not_found());
	const round = await getRound(locals.supabase, team.team_id, params.round);
	if (!round || round.audience !== 'member') error(404, m.error_not_found());
	const results = await roundResults(locals.supabase, round.id);
	return {
		round: { ...round, open: isOpen(round, new Date().toISOString().slice(0, 10)) },
		answered: results?.answered ?? false
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user)
			redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = AnswerSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		try {
			await submitMember(locals.supabase, params.round, parsed.data);
		} catch (e) {
			return fail(400, { values, errors: feedbackErrors(e) });
		}
		redirect(303, `/t/${params.team}/feedback?answered=1`);
	}
};
