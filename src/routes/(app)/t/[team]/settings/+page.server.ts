import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { TeamDelete, TeamSettings } from '$lib/schemas/team.ts';
import {
	archive,
	describeTeamError,
	overview,
	remove,
	unarchive,
	update
} from '$lib/server/db/teams.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set(['saved', 'archived', 'unarchived']);

export const load: PageServerLoad = async ({ url }) => {
	const notice = url.searchParams.get('notice');
	return {
		notice: notice && NOTICES.has(notice) ? notice : null,
		confirmArchive: url.searchParams.get('confirm') === 'archive'
	};
};

/** Re-checks the user and their role on every action: only leaders change settings. */
async function requireLeader({ locals, params }: RequestEvent<{ team: string }>) {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/settings&reason=session-ended`);
	const team = await overview(locals.supabase, params.team);
	if (!team) error(404, m.error_not_found());
	if (team.role !== 'leader') error(403, m.team_error_leader_only());
	return team;
}

export const actions: Actions = {
	update: async (event) => {
		await requireLeader(event);
		const values = formValues(await event.request.formData());
		const parsed = TeamSettings.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await update(event.locals.supabase, event.params.team, parsed.data);
		} catch (e) {
			const known = describeTeamError(e);
			if (!known) throw e;
			return fail(400, { action: 'update', values, errors: oneError(known.field, known.message) });
		}
		redirect(303, `/t/${event.params.team}/settings?notice=saved`);
	},

	archive: async (event) => {
		await requireLeader(event);
		try {
			await archive(event.locals.supabase, event.params.team);
		} catch (e) {
			const known = describeTeamError(e);
			if (!known) throw e;
			return fail(400, {
				action: 'archive',
				values: {} as Record<string, string>,
				errors: oneError('form', known.message)
			});
		}
		redirect(303, `/t/${event.params.team}/settings?notice=archived`);
	},

	unarchive: async (event) => {
		await requireLeader(event);
		try {
			await unarchive(event.locals.supabase, event.params.team);
		} catch (e) {
			const known = describeTeamError(e);
			if (!known) throw e;
			return fail(400, {
				action: 'unarchive',
				values: {} as Record<string, string>,
				errors: oneError('form', known.message)
			});
		}
		redirect(303, `/t/${event.params.team}/settings?notice=unarchived`);
	},

	delete: async (event) => {
		await requireLeader(event);
		const values = formValues(await event.request.formData());
		const parsed = TeamDelete.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'delete', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await remove(event.locals.supabase, event.params.team, parsed.data.confirm_name);
		} catch (e) {
			const known = describeTeamError(e);
			if (!known) throw e;
			return fail(400, {
				action: 'delete',
				values,
				errors: oneError(known.field === 'form' ? 'form' : 'confirm_name', known.message)
			});
		}
		redirect(303, '/home?notice=team-deleted');
	}
};
