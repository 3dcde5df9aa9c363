import {
	error,
	redirect,
	type Handle,
	type HandleServerError,
	type RequestEvent
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isAuthRetryableFetchError, type Session, type User } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { clearAuthCookies, hasAuthCookie } from '$lib/server/auth-cookies.ts';
import { signInUrl } from '$lib/server/redirect.ts';
import { createSupabaseServerClient } from '$lib/server/supabase.ts';

type SessionState = { session: Session | null; user: User | null; ended: boolean };

/**
 * The interface language for this request (cookie, then Accept-Language, then English; see
 * $lib/i18n.server.ts). Messages (`m.key()`) read it during the request; the page's `<html lang>`
 * carries it to the browser.
 */
const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, async ({ request, locale }) => {
		event.request = request;
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale)
		});
		try {
			response.headers.append('Vary', 'Cookie, Accept-Language');
		} catch {
			// Immutable headers (a fetched Response passed through).
		}
		return response;
	});

/**
 * One Supabase client per request, and `safeGetSession`, which asks the auth server who the cookie
 * belongs to. `getSession()` alone only decodes the cookie, which anyone can forge; `getUser()`
 * checks the token's signature, expiry and that its session still exists (a sign-out elsewhere
 * revokes it). A token that fails counts as signed out and the cookie is cleared, so a tampered
 * or revoked cookie never becomes a 500; an auth server that cannot be reached is a 503 instead.
 */
const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createSupabaseServerClient(event);

	let state: Promise<SessionState> | undefined;
	event.locals.safeGetSession = () => (state ??= verifySession(event));

	return resolve(event, {
		// supabase-js reads these when a load calls `select` with a count.
		filterSerializedResponseHeaders: (name) =>
			name === 'content-range' || name === 'x-supabase-api-version'
	});
};

async function verifySession(event: RequestEvent): Promise<SessionState> {
	const { locals, cookies } = event;
	if (!hasAuthCookie(cookies)) return { session: null, user: null, ended: false };
	let unreachable = false;
	try {
		const {
			data: { session },
			error: sessionError
		} = await locals.supabase.auth.getSession();
		unreachable = isAuthRetryableFetchError(sessionError);
		if (session) {
			const {
				data: { user },
				error
			} = await locals.supabase.auth.getUser();
			if (user && !error) return { session, user, ended: false };
			unreachable = isAuthRetryableFetchError(error);
		}
	} catch {
		// A cookie that does not even parse: treated like any other invalid session below.
	}
	// The auth server being down says nothing about the session: keep the cookie, say so plainly.
	if (unreachable) {
		error(503, m.error_auth_unreachable());
	}
	// Drop the cookies and start over with a client that holds no session, so nothing later in
	// this request sends the bad token. (signOut would also drop a pending PKCE verifier, which a
	// mailbox link opened right now still needs.)
	clearAuthCookies(cookies);
	locals.supabase = createSupabaseServerClient(event);
	return { session: null, user: null, ended: true };
}

/** The route group a route id belongs to: `(app)`, `(auth)`, `(public)`, or null. */
function routeGroup(routeId: string | null): string | null {
	return /^\/(\([a-z]+\))/.exec(routeId ?? '')?.[1] ?? null;
}

/**
 * Guards by route group: `(app)` needs a verified user, `(auth)` pages (sign in, sign up…) are for
 * visitors only. Pages and actions still re-check the user, since a guard is one line to forget.
 */
const guard: Handle = async ({ event, resolve }) => {
	const { user, ended } = await event.locals.safeGetSession();
	event.locals.user = user;
	const group = routeGroup(event.route.id);

	if (group === '(app)' && !user) {
		redirect(303, signInUrl(event.url, ended ? 'session-ended' : undefined));
	}
	if (group === '(auth)' && user) {
		redirect(303, '/home');
	}

	const response = await resolve(event);
	// Only the public pages of a signed-out visitor may be stored; every page carries a fresh CSP
	// nonce anyway, so caching would gain little.
	securityHeaders(response.headers, Boolean(user) || group !== '(public)');
	return response;
};

function securityHeaders(headers: Headers, privatePage: boolean): void {
	try {
		headers.set('X-Content-Type-Options', 'nosniff');
		headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
		// For browsers without CSP frame-ancestors (kit.csp sets `frame-ancestors 'none'`).
		headers.set('X-Frame-Options', 'DENY');
		headers.set('Cross-Origin-Opener-Policy', 'same-origin');
		headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
		if (privatePage) headers.set('Cache-Control', 'private, no-store');
	} catch {
		// Some responses (a fetched Response passed through) have immutable headers.
	}
}

export const handle = sequence(i18n, supabase, guard);

/** Unexpected errors: logged with an id for the operator, shown as one sentence with no details. */
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status === 404) return { message: m.error_not_found() };
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${id}]`, error);
	return {
		message: status >= 500 ? m.error_unexpected({ id }) : message
	};
};
