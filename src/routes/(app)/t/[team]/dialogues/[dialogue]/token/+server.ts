import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import type { RequestHandler } from './$types';

/**
 * A fresh access token for the dialogue page's realtime connection, asked for before the current
 * one expires. It is the signed-in user's own token (the session cookies are HttpOnly, so the
 * browser cannot read them); POST only, so SvelteKit's origin check applies and no other site can
 * fetch it.
 */
export const POST: RequestHandler = async ({ locals }) => {
	const { session } = await locals.safeGetSession();
	if (!session) error(401, m.dialogues_session_ended());
	return json(
		{ accessToken: session.access_token, expiresAt: session.expires_at ?? null },
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
