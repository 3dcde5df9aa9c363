import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { describeAuthError } from '$lib/server/auth-errors.ts';
import { getOwn, update } from '$lib/server/db/profiles.ts';
import { EmailChange } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { Profile } from '$lib/schemas/profile.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	'email-changed': () => m.account_notice_email_changed(),
	'email-half-confirmed': () => m.account_notice_email_half(),
	'password-changed': () => m.account_notice_password_changed(),
	'profile-saved': () => m.account_notice_profile_saved()
} as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, '/sign-in?redirectTo=/account');
	const profile = await getOwn(locals.supabase, user.id);
	if (!profile) error(500, m.error_profile_missing());
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	return {
		profile: {
			display_name: profile.display_name ?? '',
			preferred_language: profile.preferred_language
		},
		email: user.email ?? '',
		pendingEmail: user.new_email ?? null,
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null
	};
};

export const actions: Actions = {
	profile: async ({ request, locals }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?redirectTo=/account&reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = Profile.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'profile', values, errors: fieldErrors(parsed.error) });
		}
		// The interface language is the header switcher's (cookie + profile); this one is the
		// account's, for emails and for devices that have not chosen yet.
		await update(locals.supabase, user.id, parsed.data);
		redirect(303, '/account?notice=profile-saved');
	},

	email: async ({ request, locals, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?redirectTo=/account&reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = EmailChange.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'email', values, errors: fieldErrors(parsed.error) });
		}
		if (parsed.data.email === user.email) {
			return fail(400, {
				action: 'email',
				values,
				errors: oneError('email', m.account_same_email())
			});
		}
		const { data: updated, error: err } = await locals.supabase.auth.updateUser(
			{ email: parsed.data.email },
			{ emailRedirectTo: `${url.origin}/auth/callback?next=/account&notice=email-changed` }
		);
		if (err) {
			const { field, message, status } = describeAuthError(err);
			return fail(status, {
				action: 'email',
				values,
				errors: oneError(field === 'password' ? 'email' : field, message)
			});
		}
		// Without email confirmations (the local default) the auth server switches at once.
		if (updated.user?.email === parsed.data.email) redirect(303, '/account?notice=email-changed');
		return { action: 'email', sent: parsed.data.email };
	}
};
