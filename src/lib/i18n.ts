import { baseLocale, locales, toLocale, type Locale } from '$lib/paraglide/runtime.js';

/**
 * The interface languages (Paraglide locales), each named in its own language so a person who
 * cannot read the current one still finds theirs. Profiles may prefer other languages (for
 * emails, later); those fall back to the browser's language for the interface.
 */
export const INTERFACE_LANGUAGES: readonly { locale: Locale; label: string }[] = [
	{ locale: 'en', label: 'English' },
	{ locale: 'es', label: 'Español' }
];

export { baseLocale, locales, type Locale };

/** A supported interface locale for a language code (`es`, `es-MX`, `ES`), or undefined. */
export function interfaceLocale(code: string | null | undefined): Locale | undefined {
	if (!code) return undefined;
	return toLocale(code.trim().toLowerCase().split(/[-_]/)[0] ?? '');
}
