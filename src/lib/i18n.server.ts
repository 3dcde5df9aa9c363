import type { Cookies } from '@sveltejs/kit';
import { cookieName } from '$lib/paraglide/runtime.js';
import { interfaceLocale, type Locale } from '$lib/i18n.ts';

/**
 * How the interface language is chosen (see /work/notes/i18n.md):
 * 1. the `PARAGLIDE_LOCALE` cookie: set only by the server, when a person picks a language in the
 *    switcher, saves one on their account page, or signs in on a device that has no choice yet
 *    (their profile's `preferred_language`);
 * 2. the browser's Accept-Language header;
 * 3. English.
 * Paraglide's middleware applies that order on the server (strategy `cookie, preferredLanguage,
 * baseLocale`); the browser reads the rendered `<html lang>` (hooks.client.ts), so no JavaScript is
 * needed and the browser never writes the cookie on its own.
 */
export const LOCALE_COOKIE = cookieName;

const ONE_YEAR = 60 * 60 * 24 * 365;

export function setLocaleCookie(cookies: Cookies, locale: Locale): void {
	cookies.set(LOCALE_COOKIE, locale, {
		path: '/',
		maxAge: ONE_YEAR,
		sameSite: 'lax',
		httpOnly: true
	});
}

/** The language this device has chosen, if any. */
export function chosenLocale(cookies: Cookies): Locale | undefined {
	return interfaceLocale(cookies.get(LOCALE_COOKIE));
}

/**
 * After signing in: a device without its own choice takes the profile's language. A choice made on
 * this device (for instance just before signing in) is kept.
 */
export function adoptProfileLocale(cookies: Cookies, preferredLanguage: string | null | undefined) {
	if (chosenLocale(cookies)) return;
	const locale = interfaceLocale(preferredLanguage);
	if (locale) setLocaleCookie(cookies, locale);
}
