import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import {
	rotateJoinCode,
	teamSummaries,
	teamsWithRoom,
	userMessage
} from '$lib/server/db/organizations.ts';
import { oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	created: () => m.org_notice_created(),
	'code-rotated': () => m.org_notice_code_rotated(),
	saved: () => m.org_notice_saved()
} as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	await parent();
	const [teams, withRoom] = await Promise.all([
		teamSummaries(locals.supabase, params.org),
		teamsWithRoom(locals.supabase, params.org)
	]);
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	return {
		teams,
		withRoom: withRoom.map((t) => ({
			team_id: t.team_id,
			team_name: t.team_name,
			free_places: t.free_places,
			code: t.referral_code,
			link: `${url.origin}/refer/${encodeURIComponent(t.referral_code)}`
		})),
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null
	};
};

export const actions: Actions = {
	rotate: async ({ locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=/orgs/${params.org}&reason=session-ended`);
		try {
			await rotateJoinCode(locals.supabase, params.org);
		} catch (e) {
			return fail(400, { errors: oneError('form', userMessage(e)) });
		}
		redirect(303, `/orgs/${params.org}?notice=code-rotated`);
	}
};
