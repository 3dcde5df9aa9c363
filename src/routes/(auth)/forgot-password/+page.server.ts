import { fail } from '@sveltejs/kit';
import { describeAuthError, LINK_ERRORS, type LinkError } from '$lib/server/auth-errors.ts';
import { ForgotPassword } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const error = url.searchParams.get('error') as LinkError | null;
	return { linkError: error && error in LINK_ERRORS ? LINK_ERRORS[error]() : null };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const values = formValues(await request.formData());
		const parsed = ForgotPassword.safeParse(values);
		if (!parsed.success) {
			return fail(400, { values: { email: values.email }, errors: fieldErrors(parsed.error) });
		}
		// The link signs the user in (PKCE, this browser only) and lands on the new-password form.
		const { error } = await locals.supabase.auth.resetPasswordForEmail(parsed.data.email, {
			redirectTo: `${url.origin}/auth/callback?next=/account/password`
		});
		if (error) {
			const { field, message, status } = describeAuthError(error);
			return fail(status, {
				values: { email: parsed.data.email },
				errors: oneError(field === 'password' ? 'email' : field, message)
			});
		}
		return { sent: parsed.data.email };
	}
};
