import type { Cookies } from '@sveltejs/kit';

/**
 * @supabase/ssr stores the session as `sb-<ref>-auth-token`, split into `.0`, `.1`, … chunks when
 * large. Matching the pattern (not one name) also catches cookies left by an older project ref.
 */
const AUTH_COOKIE = /^sb-.+-auth-token(\.\d+)?$/;

export function hasAuthCookie(cookies: Cookies): boolean {
	return cookies.getAll().some(({ name }) => AUTH_COOKIE.test(name));
}

/** Drops every session cookie, so a bad or revoked session cannot be replayed on the next request. */
export function clearAuthCookies(cookies: Cookies): void {
	for (const { name } of cookies.getAll()) {
		if (AUTH_COOKIE.test(name)) cookies.delete(name, { path: '/' });
	}
}
