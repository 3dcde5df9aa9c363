import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { clearAuthCookies } from '$lib/server/auth-cookies.ts';
import { describeAuthError } from '$lib/server/auth-errors.ts';
import * as agreements from '$lib/server/db/agreements.ts';
import * as invitations from '$lib/server/db/invitations.ts';
import type { InvitationPreview } from '$lib/server/db/invitations.ts';
import { translateDbMessage, userMessage } from '$lib/server/db/members.ts';
import { PASSWORD_MIN, SignUp } from '$lib/schemas/auth.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { JoinTeam } from '$lib/schemas/invitation.ts';
import type { Actions, PageServerLoad } from './$types';

/** Tokens are 32 URL-safe characters; anything much longer is not worth a database round trip. */
const TOKEN_MAX = 200;
const UNKNOWN: InvitationPreview = {
	team_name: null,
	inviter_name: null,
	role: null,
	email: null,
	status: null,
	expires_at: null,
	valid: false,
	reason: null
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { user } = await locals.safeGetSession();
	const token = params.token;
	const preview: InvitationPreview =
		token.length <= TOKEN_MAX ? await invitations.preview(locals.supabase, token) : UNKNOWN;
	const found =
		user && preview.team_name ? await invitations.forVisitor(locals.supabase, token) : null;
	const visitor = found && {
		...found,
		problem: found.problem ? translateDbMessage(found.problem) : null
	};
	return {
		token,
		preview: {
			...preview,
			reason: preview.valid
				? null
				: preview.reason
					? translateDbMessage(preview.reason)
					: m.invite_link_not_valid()
		},
		signedIn: user ? { email: user.email ?? '', invited: Boolean(user.invited_at) } : null,
		visitor,
		declined: url.searchParams.has('declined'),
		changed: url.searchParams.has('changed')
	};
};

export const actions: Actions = {
	join: async ({ request, locals, params, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
		const values = formValues(await request.formData());
		const parsed = JoinTeam.safeParse(values);
		if (!parsed.success) return fail(400, { action: 'join', errors: fieldErrors(parsed.error) });
		// The server decides whether there is an agreement to accept, not the posted form.
		const visitor = await invitations.forVisitor(locals.supabase, params.token);
		const version = visitor?.agreement_version ?? null;
		if (version && parsed.data.agree !== 'on') {
			return fail(400, { action: 'join', errors: oneError('agree', m.invite_error_tick()) });
		}
		if (version && parsed.data.agreement_version !== version) {
			// Published anew while they were reading: show the page again, with the new text.
			redirect(303, `${url.pathname}?changed=1`);
		}

		let teamId: string;
		try {
			teamId = await invitations.accept(locals.supabase, params.token);
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'join', errors: oneError('form', message) });
		}
		let agreed = true;
		if (version) {
			try {
				await agreements.accept(locals.supabase, teamId, version);
			} catch (e) {
				// Published anew while they were reading: they are in, and the team page asks them to
				// read the new version.
				if (!userMessage(e)) throw e;
				agreed = false;
			}
		}
		redirect(303, agreed ? `/t/${teamId}?joined=1` : `/t/${teamId}/agreement?notice=changed`);
	},

	decline: async ({ locals, params, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
		try {
			await invitations.decline(locals.supabase, params.token);
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'decline', errors: oneError('form', message) });
		}
		redirect(303, `${url.pathname}?declined=1`);
	},

	/** Signed in with another address than the invitation's: sign out, then sign in and come back. */
	switchAccount: async ({ locals, cookies, url }) => {
		await locals.supabase.auth.signOut({ scope: 'local' }).catch(() => undefined);
		clearAuthCookies(cookies);
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
	},

	/** Someone without an account signs up right here and comes back to this page to join. */
	signUp: async ({ request, locals, url }) => {
		const values = formValues(await request.formData());
		const kept = { email: values.email, display_name: values.display_name };
		const parsed = SignUp.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'signUp', values: kept, errors: fieldErrors(parsed.error) });
		}
		const { email, password, display_name } = parsed.data;
		const { data, error } = await locals.supabase.auth.signUp({
			email,
			password,
			options: {
				data: display_name ? { display_name } : {},
				emailRedirectTo: `${url.origin}/auth/callback?next=${encodeURIComponent(url.pathname)}`
			}
		});
		if (error) {
			const { field, message, status } = describeAuthError(error, {
				minPasswordLength: PASSWORD_MIN
			});
			return fail(status, { action: 'signUp', values: kept, errors: oneError(field, message) });
		}
		// With email confirmations on there is no session until the emailed link is opened.
		if (!data.session) return { action: 'signUp', confirm: email };
		redirect(303, url.pathname);
	}
};
