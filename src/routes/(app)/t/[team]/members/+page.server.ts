import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import * as members from '$lib/server/db/members.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { MemberId, MemberRole } from '$lib/schemas/invitation.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	'role-changed': () => m.members_notice_role_changed(),
	removed: () => m.members_notice_removed()
} as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	const { user } = await locals.safeGetSession();
	const list = await members.list(locals.supabase, params.team);
	const notice = url.searchParams.get('notice');
	// Confirmation steps are plain links (`?remove=<id>`, `?leave`), so they work without JavaScript.
	const removing = url.searchParams.get('remove');
	return {
		members: list,
		me: user?.id ?? '',
		leaders: list.filter((x) => x.role === 'leader').length,
		confirmRemove:
			team.role === 'leader'
				? (list.find((x) => x.user_id === removing && x.user_id !== user?.id) ?? null)
				: null,
		confirmLeave: url.searchParams.has('leave'),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES]() : null
	};
};

export const actions: Actions = {
	role: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = MemberRole.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'role', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await members.changeRole(locals.supabase, params.team, parsed.data.user_id, parsed.data.role);
		} catch (e) {
			const message = members.userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'role', values, errors: oneError('form', message) });
		}
		redirect(303, `/t/${params.team}/members?notice=role-changed`);
	},

	remove: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = MemberId.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'remove', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await members.remove(locals.supabase, params.team, parsed.data.user_id);
		} catch (e) {
			const message = members.userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'remove', values, errors: oneError('form', message) });
		}
		redirect(303, `/t/${params.team}/members?notice=removed`);
	},

	leave: async ({ locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		try {
			await members.remove(locals.supabase, params.team, user.id);
		} catch (e) {
			const message = members.userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'leave', values: {}, errors: oneError('form', message) });
		}
		redirect(303, '/home?notice=left-team');
	}
};
