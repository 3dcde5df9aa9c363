import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { create, listMine, userMessage } from '$lib/server/db/organizations.ts';
import { OrganizationForm } from '$lib/schemas/organization.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, '/sign-in?redirectTo=/orgs');
	const organizations = await listMine(locals.supabase);
	return {
		organizations: organizations.map(({ id, name, description }) => ({ id, name, description })),
		notice: url.searchParams.get('notice') === 'deleted' ? m.org_notice_deleted() : null
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?redirectTo=/orgs&reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = OrganizationForm.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		let id: string;
		try {
			id = await create(locals.supabase, parsed.data);
		} catch (e) {
			return fail(400, { values, errors: oneError('form', userMessage(e)) });
		}
		redirect(303, `/orgs/${id}?notice=created`);
	}
};
