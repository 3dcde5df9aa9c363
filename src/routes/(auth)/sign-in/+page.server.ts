import { fail, redirect } from '@sveltejs/kit';
import { adoptProfileLocale } from '$lib/i18n.server.ts';
import { m } from '$lib/paraglide/messages.js';
import { describeAuthError, LINK_ERRORS, type LinkError } from '$lib/server/auth-errors.ts';
import { getOwn } from '$lib/server/db/profiles.ts';
import { safeRedirect } from '$lib/server/redirect.ts';
import { MagicLink, SignIn } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	'signed-out': () => m.signin_notice_signed_out(),
	'password-changed': () => m.signin_notice_password_changed()
} as const;

export const load: PageServerLoad = async ({ url }) => {
	const reason = url.searchParams.get('reason');
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	const error = url.searchParams.get('error') as LinkError | null;
	return {
		redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
		sessionEnded: reason === 'session-ended',
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null,
		linkError: error && error in LINK_ERRORS ? LINK_ERRORS[error]() : null
	};
};

export const actions: Actions = {
	password: async ({ request, locals, url, cookies }) => {
		const values = formValues(await request.formData());
		const parsed = SignIn.safeParse(values);
		if (!parsed.success) {
			return fail(400, {
				action: 'password',
				values: { email: values.email },
				errors: fieldErrors(parsed.error)
			});
		}
		const { data, error } = await locals.supabase.auth.signInWithPassword(parsed.data);
		if (error) {
			const { field, message, status } = describeAuthError(error);
			return fail(status, {
				action: 'password',
				values: { email: parsed.data.email },
				errors: oneError(field, message)
			});
		}
		// A device with no language chosen yet takes the one saved on the account.
		const profile = await getOwn(locals.supabase, data.user.id).catch(() => null);
		adoptProfileLocale(cookies, profile?.preferred_language);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo') ?? values.redirectTo));
	},

	magicLink: async ({ request, locals, url }) => {
		const values = formValues(await request.formData());
		const parsed = MagicLink.safeParse(values);
		if (!parsed.success) {
			return fail(400, {
				action: 'magicLink',
				values: { email: values.email },
				errors: fieldErrors(parsed.error)
			});
		}
		const next = safeRedirect(url.searchParams.get('redirectTo') ?? values.redirectTo);
		const { error } = await locals.supabase.auth.signInWithOtp({
			email: parsed.data.email,
			options: {
				// Signing up is a separate, deliberate step; a typo here must not create an account.
				shouldCreateUser: false,
				emailRedirectTo: `${url.origin}/auth/callback?next=${encodeURIComponent(next)}`
			}
		});
		// "No such user" is answered like success, so the form cannot reveal who has an account.
		if (
			error &&
			!['otp_disabled', 'user_not_found', 'signup_disabled'].includes(error.code ?? '')
		) {
			const { field, message, status } = describeAuthError(error);
			return fail(status, {
				action: 'magicLink',
				values: { email: parsed.data.email },
				errors: oneError(field === 'password' ? 'email' : field, message)
			});
		}
		return { action: 'magicLink', sent: parsed.data.email };
	}
};
