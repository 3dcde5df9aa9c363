import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Where the invitation page hands over a session that arrived in its URL fragment (an invitation
 * mail's link, sent by the server with the implicit flow: see $lib/server/invitation-mail.ts).
 * `setSession` asks the auth server to verify the access token before anything is stored, so a
 * forged token signs nobody in. JSON only: a cross-site page cannot send it without a CORS
 * preflight this endpoint never answers, so nobody can be signed in to someone else's account.
 */
export const POST: RequestHandler = async ({ request, locals, url }) => {
	const origin = request.headers.get('origin');
	if (origin !== null && origin !== url.origin) error(403, 'Cross-site request refused.');
	if (!request.headers.get('content-type')?.startsWith('application/json')) {
		error(415, 'Send JSON.');
	}
	const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
	const accessToken = body?.access_token;
	const refreshToken = body?.refresh_token;
	if (
		typeof accessToken !== 'string' ||
		typeof refreshToken !== 'string' ||
		accessToken.length > 8192 ||
		refreshToken.length > 1024
	) {
		error(400, 'A session needs an access token and a refresh token.');
	}
	const { error: err } = await locals.supabase.auth.setSession({
		access_token: accessToken,
		refresh_token: refreshToken
	});
	if (err) {
		console.warn(`invite session refused (${err.code ?? err.status})`);
		error(401, 'That sign-in link is not valid any more.');
	}
	return new Response(null, { status: 204 });
};
