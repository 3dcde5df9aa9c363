import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import * as agreements from '$lib/server/db/agreements.ts';
import * as members from '$lib/server/db/members.ts';
import { AcceptAgreement, AgreementForm } from '$lib/schemas/agreement.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	accepted: () => m.agreement_notice_accepted(),
	published: () => m.agreement_notice_published(),
	changed: () => m.agreement_notice_changed()
} as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	const { user } = await locals.safeGetSession();
	const agreement = await agreements.current(locals.supabase, params.team);
	let accepted: { name: string | null; accepted_at: string }[] = [];
	let waiting: { name: string | null }[] = [];
	let acceptedByMe = false;
	if (agreement) {
		const [who, list] = await Promise.all([
			agreements.acceptances(locals.supabase, params.team, agreement.version),
			team.role === 'leader' ? members.list(locals.supabase, params.team) : Promise.resolve([])
		]);
		acceptedByMe = who.some((a) => a.user_id === user?.id);
		// Leaders see who has accepted the current version and who still has to.
		if (team.role === 'leader') {
			const names = new Map(list.map((x) => [x.user_id, x.display_name]));
			const done = new Set(who.map((a) => a.user_id));
			accepted = who
				.filter((a) => names.has(a.user_id))
				.map((a) => ({ name: names.get(a.user_id) ?? null, accepted_at: a.accepted_at }));
			waiting = list.filter((x) => !done.has(x.user_id)).map((x) => ({ name: x.display_name }));
		}
	}
	const notice = url.searchParams.get('notice');
	return {
		agreement,
		acceptedByMe,
		accepted,
		waiting,
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES]() : null
	};
};

export const actions: Actions = {
	accept: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = AcceptAgreement.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'accept', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await agreements.accept(locals.supabase, params.team, parsed.data.version);
		} catch (e) {
			const message = members.userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'accept', values, errors: oneError('form', message) });
		}
		redirect(303, `/t/${params.team}/agreement?notice=accepted`);
	},

	publish: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = AgreementForm.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'publish', values, errors: fieldErrors(parsed.error) });
		}
		try {
			await agreements.publish(locals.supabase, params.team, parsed.data);
		} catch (e) {
			const message = members.userMessage(e);
			if (!message) throw e;
			const field = /ground rules/.test((e as { message: string }).message)
				? 'ground_rules'
				: /purpose/.test((e as { message: string }).message)
					? 'purpose'
					: 'form';
			return fail(400, { action: 'publish', values, errors: oneError(field, message) });
		}
		redirect(303, `/t/${params.team}/agreement?notice=published`);
	}
};
