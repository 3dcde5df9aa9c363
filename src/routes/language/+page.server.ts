import { redirect } from '@sveltejs/kit';
import { interfaceLocale } from '$lib/i18n.ts';
import { setLocaleCookie } from '$lib/i18n.server.ts';
import { setPreferredLanguage } from '$lib/server/db/profiles.ts';
import { safeRedirect } from '$lib/server/redirect.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	return { redirectTo: safeRedirect(url.searchParams.get('redirectTo'), '') };
};

export const actions: Actions = {
	/**
	 * The language switcher posts here (a plain form: works without JavaScript). The choice is kept
	 * in a cookie for this device and, when signed in, in the profile for every device and email.
	 */
	default: async ({ request, cookies, locals }) => {
		const form = await request.formData();
		const locale = interfaceLocale(String(form.get('locale') ?? ''));
		const back = safeRedirect(String(form.get('redirectTo') ?? ''), '/');
		if (!locale) redirect(303, back);
		setLocaleCookie(cookies, locale);
		const { user } = await locals.safeGetSession();
		if (user) {
			// Best effort: the cookie already switched this device; a failed write is not worth an error.
			try {
				await setPreferredLanguage(locals.supabase, user.id, locale);
			} catch (e) {
				console.warn('language: profile not updated', e);
			}
		}
		redirect(303, back);
	}
};
