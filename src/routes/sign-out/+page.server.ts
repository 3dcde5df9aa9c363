import { redirect } from '@sveltejs/kit';
import { clearAuthCookies } from '$lib/server/auth-cookies.ts';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST (a prefetched or crawled GET must not sign anyone out).
export const load: PageServerLoad = async () => {
	redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		// This browser only: other devices stay signed in, like most sites.
		await locals.supabase.auth.signOut({ scope: 'local' }).catch(() => undefined);
		// Even if the auth server could not be reached, the cookie goes.
		clearAuthCookies(cookies);
		redirect(303, '/sign-in?notice=signed-out');
	}
};
