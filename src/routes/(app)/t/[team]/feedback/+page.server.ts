import { fail, redirect } from '@sveltejs/kit';
import {
	closeRound,
	createRound,
	feedbackErrors,
	isOpen,
	listRounds,
	roundResults
} from '$lib/server/db/feedback.ts';
import { RoundSchema } from '$lib/schemas/feedback.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const today = () => new Date().toISOString().slice(0, 10);

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const rounds = await listRounds(locals.supabase, team.team_id);
	const results = await Promise.all(rounds.map((r) => roundResults(locals.supabase, r.id)));
	return {
		rounds: rounds.map((r, i) => ({
			...r,
			open: isOpen(r, today()),
			results: results[i] ?? { responses: 0, q1: null, q2: null, q3: null, answered: false }
		})),
		answeredNotice: url.searchParams.has('answered'),
		canRun: team.role === 'leader',
		hasOrganization: team.organization_id !== null
	};
};

async function signedIn(locals: App.Locals, url: URL) {
	const { user } = await locals.safeGetSession();
	if (!user)
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}&reason=session-ended`);
}

export const actions: Actions = {
	open: async ({ locals, params, request, url }) => {
		await signedIn(locals, url);
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
	},
	close: async ({ locals, request, url }) => {
		await signedIn(locals, url);
		const id = String((await request.formData()).get('round_id') ?? '');
		try {
			await closeRound(locals.supabase, id);
		} catch (e) {
			return fail(400, { closeErrors: oneError('form', feedbackErrors(e).form ?? '') });
		}
		return { closed: true };
	}
};
