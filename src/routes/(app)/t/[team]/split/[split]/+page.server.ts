import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import * as splits from '$lib/server/db/split.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One split's record, for leaders of either side (RLS hides it from everyone else). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!UUID.test(params.split)) error(404, m.error_not_found());
	const record = await splits.get(locals.supabase, params.split);
	if (!record || (record.source_team_id !== params.team && record.new_team_id !== params.team)) {
		error(404, m.error_not_found());
	}
	return {
		record,
		notice: url.searchParams.get('notice'),
		confirmUndo: url.searchParams.get('confirm') === 'undo'
	};
};

export const actions: Actions = {
	undo: async ({ locals, params, request }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/split&reason=session-ended`);
		const form = await request.formData();
		if (form.get('confirm') !== 'yes') {
			return fail(400, { errors: { confirm: m.split_error_confirm_undo() } });
		}
		const result = await splits.undo(locals.supabase, params.split);
		if (result.error) return fail(400, { errors: { form: result.error.message } });
		redirect(303, `/t/${result.data}/split?notice=undone`);
	}
};
