import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { get, remove, update, userMessage } from '$lib/server/db/organizations.ts';
import { DeleteOrganization, OrganizationForm } from '$lib/schemas/organization.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	await parent();
	return {};
};

export const actions: Actions = {
	update: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user)
			redirect(303, `/sign-in?redirectTo=/orgs/${params.org}/settings&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = OrganizationForm.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await update(locals.supabase, params.org, parsed.data);
		} catch (e) {
			return fail(400, { action: 'update', values, errors: oneError('form', userMessage(e)) });
		}
		redirect(303, `/orgs/${params.org}?notice=saved`);
	},

	delete: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user)
			redirect(303, `/sign-in?redirectTo=/orgs/${params.org}/settings&reason=session-ended`);
		const values = formValues(await request.formData());
		const parsed = DeleteOrganization.safeParse(values);
		const org = await get(locals.supabase, params.org);
		if (!org) redirect(303, '/orgs');
		if (!parsed.success || parsed.data.confirm_name !== org.name) {
			return fail(400, {
				action: 'delete',
				values,
				errors: oneError('confirm_name', m.org_delete_name_mismatch())
			});
		}
		await remove(locals.supabase, params.org);
		redirect(303, '/orgs?notice=deleted');
	}
};
