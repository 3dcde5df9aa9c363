import { fail, redirect } from '@sveltejs/kit';
import { canUndo } from '$lib/initiatives/undo.ts';
import { IdForm } from '$lib/schemas/initiatives.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { initiativeRefusal } from '$lib/server/db/initiative-messages.ts';
import { listInitiatives, setInitiativeDeleted } from '$lib/server/db/initiatives.ts';
import { must } from '$lib/server/agency-pages.ts';
import { guardUser, progressOf } from '$lib/server/initiative-pages.ts';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set(['deleted', 'restored']);

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const [live, deleted] = await Promise.all([
		listInitiatives(locals.supabase, team.team_id).then(must),
		listInitiatives(locals.supabase, team.team_id, { deleted: true }).then(must)
	]);
	const progress = await progressOf(locals.supabase, live);
	const now = new Date();
	const notice = url.searchParams.get('notice');
	return {
		initiatives: live.map((i) => ({
			id: i.id,
			title: i.title,
			status: i.status,
			deadline: i.deadline,
			indicator_name: i.indicator?.name ?? null,
			progress: progress.get(i.id)!.progress
		})),
		// Undo is offered for a while; after that the initiative stays deleted.
		recentlyDeleted: deleted
			.filter((i) => canUndo(i.deleted_at, now))
			.map((i) => ({ id: i.id, title: i.title })),
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

export const actions: Actions = {
	restore: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = IdForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'restore', values, errors: fieldErrors(parsed.error) });
		const { data: deleted } = await listInitiatives(event.locals.supabase, event.params.team, {
			deleted: true
		});
		const row = deleted?.find((i) => i.id === parsed.data.id);
		if (!row || !canUndo(row.deleted_at, new Date()))
			return fail(400, {
				action: 'restore',
				values,
				errors: { form: m.initiatives_error_undo_expired() }
			});
		const r = await setInitiativeDeleted(event.locals.supabase, event.params.team, row.id, false);
		if (r.error !== undefined)
			return fail(400, { action: 'restore', values, errors: initiativeRefusal(r.error) });
		redirect(303, `/t/${event.params.team}/initiatives/${row.id}?notice=restored`);
	}
};
