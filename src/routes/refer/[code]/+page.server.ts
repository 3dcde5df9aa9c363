import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { userMessage } from '$lib/server/db/organizations.ts';
import { create, preview } from '$lib/server/db/referrals.ts';
import { ReferralForm } from '$lib/schemas/referral.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * create_referral is for signed-in people. A visitor who fills the form first keeps what they
 * typed across signing in: it waits in a short-lived, HttpOnly cookie on their own device (scoped
 * to /refer), is put back in the form afterwards, and is cleared once the referral is sent.
 */
const DRAFT_COOKIE = 'gw_referral_draft';
const DRAFT_FIELDS = ['person_name', 'person_email', 'person_contact_note', 'consent'] as const;

function readDraft(cookies: Cookies, code: string): Record<string, string> | null {
	const raw = cookies.get(DRAFT_COOKIE);
	if (!raw) return null;
	try {
		const draft = JSON.parse(raw) as { code?: string; values?: Record<string, unknown> };
		if (draft.code !== code || !draft.values) return null;
		const out: Record<string, string> = {};
		for (const key of DRAFT_FIELDS) {
			const v = draft.values[key];
			if (typeof v === 'string') out[key] = v.slice(0, 600);
		}
		return out;
	} catch {
		return null;
	}
}

const KNOWN_REASONS: Record<string, () => string> = {
	'this referral link is not valid: ask the team for a new one': () =>
		m.referral_error_link_invalid(),
	'this team is archived and is not taking referrals': () => m.referral_error_archived()
};

export const load: PageServerLoad = async ({ locals, params, cookies }) => {
	const { user } = await locals.safeGetSession();
	const link = await preview(locals.supabase, params.code);
	return {
		code: params.code,
		teamName: link.valid ? link.team_name : null,
		problem: link.valid
			? null
			: (KNOWN_REASONS[link.reason ?? '']?.() ?? m.referral_error_link_invalid()),
		signedIn: Boolean(user),
		draft: readDraft(cookies, params.code)
	};
};

export const actions: Actions = {
	refer: async ({ request, locals, params, cookies }) => {
		const values = formValues(await request.formData());
		const parsed = ReferralForm.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });

		const here = `/refer/${encodeURIComponent(params.code)}`;
		const { user } = await locals.safeGetSession();
		if (!user) {
			const kept: Record<string, string> = {};
			for (const key of DRAFT_FIELDS) if (values[key]) kept[key] = values[key];
			cookies.set(DRAFT_COOKIE, JSON.stringify({ code: params.code, values: kept }), {
				path: '/refer',
				httpOnly: true,
				sameSite: 'lax',
				maxAge: 60 * 30
			});
			redirect(303, `/sign-in?redirectTo=${encodeURIComponent(here)}`);
		}

		try {
			await create(locals.supabase, params.code, parsed.data);
		} catch (e) {
			const message = userMessage(e);
			const field = message === m.referral_error_consent() ? 'consent' : 'form';
			return fail(400, { values, errors: oneError(field, message) });
		}
		cookies.delete(DRAFT_COOKIE, { path: '/refer' });
		redirect(303, '/referrals?notice=sent');
	}
};
