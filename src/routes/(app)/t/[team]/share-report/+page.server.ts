import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { defaultPeriod } from '$lib/org-reports/period.ts';
import {
	listSharedByTeam,
	previewShared,
	revokeShared,
	share,
	shareErrors
} from '$lib/server/db/org-reports.ts';
import { ShareSchema } from '$lib/schemas/feedback.ts';
import { fieldErrors, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

/** What the share form sent: its text fields and every ticked part. */
function shareValues(params: URLSearchParams | FormData) {
	const values: Record<string, string> = {};
	for (const key of ['title', 'from', 'to']) values[key] = String(params.get(key) ?? '');
	const sections = params.getAll('sections').map(String);
	return { values, sections, input: { ...values, sections } };
}

/**
 * A leader chooses what to share with the host organization, previews exactly that (the same
 * snapshot the database will freeze), shares it, and can take it back.
 */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	if (team.role !== 'leader') error(404, m.error_not_found());
	const shared = await listSharedByTeam(locals.supabase, team.team_id);
	const period = defaultPeriod(new Date().toISOString().slice(0, 10));
	const wantsPreview = url.searchParams.has('preview');
	const { values, sections, input } = shareValues(url.searchParams);
	let preview = null;
	let errors = {};
	if (wantsPreview && team.organization_id) {
		const parsed = ShareSchema.safeParse(input);
		if (!parsed.success) errors = fieldErrors(parsed.error);
		else {
			try {
				preview = await previewShared(locals.supabase, team.team_id, parsed.data);
			} catch (e) {
				errors = shareErrors(e);
			}
		}
	}
	return {
		shared: shared.map((s) => ({
			id: s.id,
			title: s.title,
			period_from: s.period_from,
			period_to: s.period_to,
			shared_at: s.shared_at,
			revoked_at: s.revoked_at
		})),
		values: wantsPreview ? values : { title: '', from: period.from, to: period.to },
		sections: wantsPreview ? sections : ['figures'],
		preview,
		errors,
		sharedNotice: url.searchParams.has('shared'),
		revokedNotice: url.searchParams.has('revoked')
	};
};

async function signedIn(locals: App.Locals, url: URL) {
	const { user } = await locals.safeGetSession();
	if (!user)
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}&reason=session-ended`);
}

export const actions: Actions = {
	share: async ({ locals, params, request, url }) => {
		await signedIn(locals, url);
		const { values, sections, input } = shareValues(await request.formData());
		const parsed = ShareSchema.safeParse(input);
		if (!parsed.success) return fail(400, { values, sections, errors: fieldErrors(parsed.error) });
		try {
			await share(locals.supabase, params.team, parsed.data);
		} catch (e) {
			return fail(400, { values, sections, errors: shareErrors(e) });
		}
		redirect(303, `/t/${params.team}/share-report?shared=1`);
	},
	revoke: async ({ locals, params, request, url }) => {
		await signedIn(locals, url);
		const id = String((await request.formData()).get('report_id') ?? '');
		try {
			await revokeShared(locals.supabase, id);
		} catch (e) {
			return fail(400, { revokeErrors: oneError('form', shareErrors(e).form ?? '') });
		}
		redirect(303, `/t/${params.team}/share-report?revoked=1`);
	}
};
