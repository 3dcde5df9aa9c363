import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { teamsWithRoom, userMessage } from '$lib/server/db/organizations.ts';
import {
	decide,
	listForTeam,
	otherTeams,
	referralCode,
	rotateCode
} from '$lib/server/db/referrals.ts';
import { DecideReferral } from '$lib/schemas/referral.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	'link-rotated': () => m.referral_notice_link_rotated(),
	accepted: () => m.referral_notice_accepted(),
	waitlisted: () => m.referral_notice_waitlisted(),
	redirected: () => m.referral_notice_redirected(),
	declined: () => m.referral_notice_declined()
} as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	// Referrals name people who are not in the team yet: leaders only (RLS says the same).
	if (team.role !== 'leader') error(403, m.referral_leaders_only());
	const { user } = await locals.safeGetSession();
	const [code, referrals, mine] = await Promise.all([
		referralCode(locals.supabase, params.team),
		listForTeam(locals.supabase, params.team),
		otherTeams(locals.supabase, user!.id, params.team)
	]);
	// A leader who also administers the host organization may suggest any of its teams with room.
	let hosted: Array<{ id: string; name: string }> = [];
	if (team.organization_id) {
		try {
			hosted = (await teamsWithRoom(locals.supabase, team.organization_id)).map((t) => ({
				id: t.team_id,
				name: t.team_name
			}));
		} catch {
			hosted = [];
		}
	}
	const suggestions = new Map<string, string>();
	for (const t of [...mine, ...hosted]) if (t.id !== params.team) suggestions.set(t.id, t.name);
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	return {
		link: `${url.origin}/refer/${encodeURIComponent(code)}`,
		pending: referrals.filter((r) => r.status === 'pending'),
		waitlisted: referrals.filter((r) => r.status === 'waitlisted'),
		decided: referrals
			.filter((r) => r.status !== 'pending' && r.status !== 'waitlisted')
			.sort((a, b) => (b.decided_at ?? '').localeCompare(a.decided_at ?? '')),
		suggestions: [...suggestions].map(([id, name]) => ({ id, name })),
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null
	};
};

const here = (team: string) => `/t/${team}/referrals`;

export const actions: Actions = {
	rotate: async ({ locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${here(params.team)}&reason=session-ended`);
		try {
			await rotateCode(locals.supabase, params.team);
		} catch (e) {
			return fail(400, {
				action: 'rotate',
				values: {} as Record<string, string>,
				errors: oneError('form', userMessage(e))
			});
		}
		redirect(303, `${here(params.team)}?notice=link-rotated`);
	},

	decide: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${here(params.team)}&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = DecideReferral.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'decide', values, errors: fieldErrors(parsed.error) });
		}
		let found: boolean;
		try {
			found = await decide(locals.supabase, params.team, parsed.data);
		} catch (e) {
			const message = userMessage(e);
			const field = parsed.data.status === 'redirected' ? 'suggested_team_id' : 'form';
			return fail(400, { action: 'decide', values, errors: oneError(field, message) });
		}
		if (!found) {
			return fail(400, {
				action: 'decide',
				values,
				errors: oneError('form', m.referral_not_found())
			});
		}
		redirect(303, `${here(params.team)}?notice=${parsed.data.status}`);
	}
};
