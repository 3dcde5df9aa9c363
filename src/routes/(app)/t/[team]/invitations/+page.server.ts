import { error, fail, redirect } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import * as invitations from '$lib/server/db/invitations.ts';
import { translateDbMessage, userMessage } from '$lib/server/db/members.ts';
import { getOwn } from '$lib/server/db/profiles.ts';
import { sendInvitationMail, type InvitationMailResult } from '$lib/server/invitation-mail.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { EmailInvitation, InvitationId, LinkInvitation } from '$lib/schemas/invitation.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = { revoked: () => m.invite_notice_revoked() } as const;

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	// Organizers see the list read-only; plain members have nothing to see here.
	if (team.role === 'member') error(403, m.invite_not_allowed());
	const list = await invitations.listOpen(locals.supabase, params.team);
	const now = Date.now();
	const revoking = url.searchParams.get('revoke');
	const notice = url.searchParams.get('notice');
	const open = list.map((inv) => ({
		...inv,
		expired: inv.status === 'expired' || new Date(inv.expires_at).getTime() <= now
	}));
	return {
		invitations: open,
		canManage: team.role === 'leader',
		confirmRevoke:
			team.role === 'leader'
				? (open.find((inv) => inv.id === revoking && !inv.expired) ?? null)
				: null,
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES]() : null
	};
};

/** The team's name and the inviter's, for the mail (the invite template can show them). */
async function mailContext(supabase: SupabaseClient, teamId: string, userId: string) {
	const [{ data: team }, profile] = await Promise.all([
		supabase.from('teams').select('name').eq('id', teamId).maybeSingle<{ name: string }>(),
		getOwn(supabase, userId)
	]);
	return { teamName: team?.name ?? '', inviterName: profile?.display_name ?? null };
}

/** One sentence about the mail: sent, or why not and what to do instead. */
function mailOutcome(email: string, result: InvitationMailResult): string {
	if (result.sent) return m.invite_mail_sent({ email });
	if (result.reason === 'rate-limited') return m.invite_mail_rate_limited({ email });
	return m.invite_mail_failed({ email });
}

/** Where a refusal belongs: beside the email field, or above the form. */
function emailField(raw: string): 'email' | 'form' {
	return /invitation to .* already pending|already a member|valid email/.test(raw)
		? 'email'
		: 'form';
}

export const actions: Actions = {
	email: async ({ request, locals, params, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = EmailInvitation.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'email', values, errors: fieldErrors(parsed.error) });
		}
		let created: invitations.CreatedInvitation;
		try {
			created = await invitations.create(locals.supabase, params.team, parsed.data);
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			const field = emailField((e as { message: string }).message);
			return fail(400, { action: 'email', values, errors: oneError(field, message) });
		}
		const mail = await sendInvitationMail({
			email: parsed.data.email,
			token: created.token,
			origin: url.origin,
			...(await mailContext(locals.supabase, params.team, user.id))
		});
		return {
			action: 'email',
			sent: mail.sent,
			outcome: mailOutcome(parsed.data.email, mail),
			warning: created.warning ? translateDbMessage(created.warning) : null
		};
	},

	link: async ({ request, locals, params, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = LinkInvitation.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'link', values, errors: fieldErrors(parsed.error) });
		}
		let created: invitations.CreatedInvitation;
		try {
			created = await invitations.create(locals.supabase, params.team, {
				role: parsed.data.role,
				max_uses: parsed.data.max_uses,
				expires_days: Number(parsed.data.expires_days)
			});
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'link', values, errors: oneError('form', message) });
		}
		// Shown once: only the token's hash is stored, so it cannot be displayed again later.
		return {
			action: 'link',
			link: `${url.origin}/invite/${created.token}`,
			warning: created.warning ? translateDbMessage(created.warning) : null
		};
	},

	resend: async ({ request, locals, params, url }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = InvitationId.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'resend', values, errors: fieldErrors(parsed.error) });
		}
		const inv = await invitations.get(locals.supabase, params.team, parsed.data.id);
		if (!inv) {
			return fail(400, {
				action: 'resend',
				values,
				errors: oneError('form', m.invite_error_missing())
			});
		}
		let token: string;
		try {
			token = await invitations.resend(locals.supabase, inv.id);
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'resend', values, errors: oneError('form', message) });
		}
		if (!inv.email) {
			return { action: 'resend', id: inv.id, link: `${url.origin}/invite/${token}` };
		}
		const mail = await sendInvitationMail({
			email: inv.email,
			token,
			origin: url.origin,
			...(await mailContext(locals.supabase, params.team, user.id))
		});
		return { action: 'resend', id: inv.id, sent: mail.sent, outcome: mailOutcome(inv.email, mail) };
	},

	revoke: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const values = formValues(await request.formData());
		const parsed = InvitationId.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'revoke', values, errors: fieldErrors(parsed.error) });
		}
		const inv = await invitations.get(locals.supabase, params.team, parsed.data.id);
		if (!inv) {
			return fail(400, {
				action: 'revoke',
				values,
				errors: oneError('form', m.invite_error_missing())
			});
		}
		try {
			await invitations.revoke(locals.supabase, inv.id);
		} catch (e) {
			const message = userMessage(e);
			if (!message) throw e;
			return fail(400, { action: 'revoke', values, errors: oneError('form', message) });
		}
		redirect(303, `/t/${params.team}/invitations?notice=revoked`);
	}
};
