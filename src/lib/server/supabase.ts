import { createServerClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RequestEvent } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { env } from '$env/dynamic/public';
import ws from 'ws';

/** Read at request time (not build time) so one build runs against any Supabase project. */
export function supabaseConfig(): { url: string; anonKey: string } {
	const url = env.PUBLIC_SUPABASE_URL;
	const anonKey = env.PUBLIC_SUPABASE_ANON_KEY;
	if (!url || !anonKey) {
		throw new Error(
			'PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY must be set (npm run dev sets them for you).'
		);
	}
	return { url, anonKey };
}

/**
 * The per-request client acting as the visitor. Its session lives in cookies that are:
 * - `HttpOnly`: the browser never needs them, because every Supabase call happens on the server
 *   (form actions and loads). Script injected into a page therefore cannot read the tokens. A later
 *   browser-side feature (realtime) must get a short-lived token from a server load instead.
 * - `SameSite=Lax`: sent on top-level navigation (so links from the mailbox sign you in) but not on
 *   cross-site form posts; SvelteKit's origin check on form posts is the second lock.
 * - `Secure` outside `vite dev`: production runs behind HTTPS. Browsers also accept `Secure`
 *   cookies from http://localhost, so a single-machine `npm start` still works.
 */
export function createSupabaseServerClient(event: RequestEvent): SupabaseClient {
	const { url, anonKey } = supabaseConfig();
	let cacheHeadersSent = false;
	const verifiersSetHere = new Set<string>();
	return createServerClient(url, anonKey, {
		cookieOptions: { httpOnly: true, secure: !dev, sameSite: 'lax', path: '/' },
		cookies: {
			getAll: () => event.cookies.getAll(),
			setAll: (cookiesToSet, headers) => {
				for (const { name, value, options } of cookiesToSet) {
					if (name.endsWith('-code-verifier')) {
						if (value) verifiersSetHere.add(name);
						// auth-js (2.109) drops the PKCE verifier whenever it saves a session, also right
						// after updateUser({ email }) made one for the confirmation link, which then fails
						// with pkce_code_verifier_not_found. A verifier made in this request is kept.
						else if (verifiersSetHere.has(name)) continue;
					}
					event.cookies.set(name, value, { ...options, path: '/' });
				}
				// A response that sets a session cookie must never be cached by a shared cache.
				// setHeaders throws if a header is set twice, and setAll can run more than once.
				if (!cacheHeadersSent && headers && Object.keys(headers).length > 0) {
					cacheHeadersSent = true;
					event.setHeaders(headers);
				}
			}
		},
		// Node 20 has no global WebSocket; realtime-js needs one even when unused.
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}
