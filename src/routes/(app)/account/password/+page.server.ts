import { fail, redirect } from '@sveltejs/kit';
import { describeAuthError } from '$lib/server/auth-errors.ts';
import { NewPasswordForm, PASSWORD_MIN } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions } from './$types';

// Reached from the account page, or signed in by a password-reset link from the mailbox.
export const actions: Actions = {
	default: async ({ request, locals }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?redirectTo=/account/password&reason=session-ended');
		const parsed = NewPasswordForm.safeParse(formValues(await request.formData()));
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });

		const { error } = await locals.supabase.auth.updateUser({ password: parsed.data.password });
		if (error) {
			const { field, message, status } = describeAuthError(error, {
				minPasswordLength: PASSWORD_MIN
			});
			return fail(status, { errors: oneError(field === 'email' ? 'form' : field, message) });
		}
		redirect(303, '/account?notice=password-changed');
	}
};
