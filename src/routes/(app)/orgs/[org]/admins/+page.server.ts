import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { addAdmin, listAdmins, removeAdmin, userMessage } from '$lib/server/db/organizations.ts';
import { AddAdmin, RemoveAdmin } from '$lib/schemas/organization.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	added: () => m.org_notice_admin_added(),
	removed: () => m.org_notice_admin_removed()
} as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	await parent();
	const { user } = await locals.safeGetSession();
	const admins = await listAdmins(locals.supabase, params.org);
	const notice = url.searchParams.get('notice') as keyof typeof NOTICES | null;
	return {
		admins: admins.map((a) => ({ ...a, you: a.user_id === user?.id })),
		notice: notice && notice in NOTICES ? NOTICES[notice]() : null
	};
};

export const actions: Actions = {
	add: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=/orgs/${params.org}/admins&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = AddAdmin.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'add', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await addAdmin(locals.supabase, params.org, parsed.data.email);
		} catch (e) {
			return fail(400, { action: 'add', values, errors: oneError('email', userMessage(e)) });
		}
		redirect(303, `/orgs/${params.org}/admins?notice=added`);
	},

	remove: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=/orgs/${params.org}/admins&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = RemoveAdmin.safeParse(values);
		if (!parsed.success) {
			return fail(400, {
				action: 'remove',
				values,
				errors: oneError('form', m.org_admin_choose())
			});
		}
		try {
			await removeAdmin(locals.supabase, params.org, parsed.data.user_id);
		} catch (e) {
			return fail(400, { action: 'remove', values, errors: oneError('form', userMessage(e)) });
		}
		// Removing yourself ends your access: the organization's pages would now be a 404.
		if (parsed.data.user_id === user.id) redirect(303, '/orgs');
		redirect(303, `/orgs/${params.org}/admins?notice=removed`);
	}
};
