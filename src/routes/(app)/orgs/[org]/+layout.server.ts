import { error, redirect } from '@sveltejs/kit';
import { get } from '$lib/server/db/organizations.ts';
import type { LayoutServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only the organization's admins see it (RLS); anyone else gets the same 404 as a missing one. */
export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
	if (!UUID.test(params.org)) error(404);
	const org = await get(locals.supabase, params.org);
	if (!org) error(404);
	return { org };
};
