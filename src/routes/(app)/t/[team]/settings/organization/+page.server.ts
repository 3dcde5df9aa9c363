import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { attachTeam, detachTeam, userMessage } from '$lib/server/db/organizations.ts';
import { JoinCode } from '$lib/schemas/organization.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	attached: () => m.org_team_notice_attached(),
	detached: () => m.org_team_notice_detached()
} as const;

export const load: PageServerLoad = async ({ parent, url }) => {
	const { team } = await parent();
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	return {
		isLeader: team.role === 'leader',
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null
	};
};

const here = (team: string) => `/t/${team}/settings/organization`;

export const actions: Actions = {
	attach: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${here(params.team)}&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = JoinCode.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'attach', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await attachTeam(locals.supabase, params.team, parsed.data.join_code);
		} catch (e) {
			return fail(400, { action: 'attach', values, errors: oneError('join_code', userMessage(e)) });
		}
		redirect(303, `${here(params.team)}?notice=attached`);
	},

	detach: async ({ locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${here(params.team)}&reason=session-ended`);
		try {
			await detachTeam(locals.supabase, params.team);
		} catch (e) {
			return fail(400, {
				action: 'detach',
				values: {} as Record<string, string>,
				errors: oneError('form', userMessage(e))
			});
		}
		redirect(303, `${here(params.team)}?notice=detached`);
	}
};
