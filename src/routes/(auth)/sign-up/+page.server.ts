import { fail, redirect } from '@sveltejs/kit';
import { describeAuthError } from '$lib/server/auth-errors.ts';
import { PASSWORD_MIN, SignUp } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const values = formValues(await request.formData());
		const kept = { email: values.email, display_name: values.display_name };
		const parsed = SignUp.safeParse(values);
		if (!parsed.success) return fail(400, { values: kept, errors: fieldErrors(parsed.error) });

		const { email, password, display_name } = parsed.data;
		const { data, error } = await locals.supabase.auth.signUp({
			email,
			password,
			options: {
				// The profile trigger copies this into public.profiles.
				data: display_name ? { display_name } : {},
				emailRedirectTo: `${url.origin}/auth/callback?next=/home`
			}
		});
		if (error) {
			const { field, message, status } = describeAuthError(error, {
				minPasswordLength: PASSWORD_MIN
			});
			return fail(status, { values: kept, errors: oneError(field, message) });
		}
		// With email confirmations on (hosted projects usually), there is no session until the link is opened.
		if (!data.session) return { confirm: email };
		redirect(303, '/home?welcome=1');
	}
};
