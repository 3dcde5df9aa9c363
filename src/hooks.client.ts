import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { baseLocale, interfaceLocale } from '$lib/i18n.ts';

// The server chose the language (cookie, then Accept-Language) and wrote it into <html lang>.
// The browser follows it rather than re-deciding, so hydration matches the server's HTML and the
// browser never sets the language cookie on its own.
overwriteGetLocale(() => interfaceLocale(document.documentElement.lang) ?? baseLocale);
