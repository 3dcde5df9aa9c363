import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { clientForm, feedbackErrors, submitClient } from '$lib/server/db/feedback.ts';
import { AnswerSchema } from '$lib/schemas/feedback.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const TOKEN = /^[0-9a-f]{64}$/;

/**
 * A client's feedback form, reached through the secret link alone (no sign-in). An unknown link is
 * a 404 that says so; the form never shows anyone's answers.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!TOKEN.test(params.token)) error(404, m.feedback_error_link());
	const form = await clientForm(locals.supabase, params.token);
	if (!form) error(404, m.feedback_error_link());
	return { form };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const values = formValues(await request.formData());
		const parsed = AnswerSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		try {
			await submitClient(locals.supabase, params.token, parsed.data);
		} catch (e) {
			return fail(400, { values, errors: feedbackErrors(e) });
		}
		redirect(303, `/feedback/${params.token}/thanks`);
	}
};
