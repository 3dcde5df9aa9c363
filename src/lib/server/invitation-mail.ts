import { isAuthError, isAuthRetryableFetchError } from '@supabase/supabase-js';
import { getAdminClient } from './supabase-admin.ts';

export type InvitationMailResult =
	| { sent: true; kind: 'invite' | 'magiclink' }
	| { sent: false; reason: 'rate-limited' | 'unavailable' | 'refused' };

export interface InvitationMail {
	email: string;
	token: string;
	/** The site's origin, e.g. https://groundwork.example: the link lands on `<origin>/invite/<token>`. */
	origin: string;
	teamName: string;
	inviterName: string | null;
}

/**
 * Sends an invitation through Supabase Auth, the only mailer the app has (the local mailbox
 * locally, the project's email settings in production). Auth sends only its own kinds of mail, so:
 * - an address with no account gets Auth's invite mail (`inviteUserByEmail`), which creates the
 *   account; its link signs the person in;
 * - an existing account gets a magic link.
 * Both links pass through Auth's /verify and land on the invitation page, already signed in.
 *
 * These mails are sent by the server, so the PKCE flow (the default of the browser-facing client)
 * cannot work: its verifier would have to be in the recipient's browser. The service-role client
 * uses the implicit flow: the session arrives in the URL fragment of the invitation page, whose
 * script hands it to `/invite/session`, which has the auth server verify it before setting cookies.
 * Templates in production can use `{{ .Data.team_name }}` in the invite mail.
 *
 * Never throws for a mail problem: the invitation exists either way, and the leader can resend or
 * share the link.
 */
export async function sendInvitationMail(mail: InvitationMail): Promise<InvitationMailResult> {
	const admin = getAdminClient();
	const redirectTo = `${mail.origin}/invite/${encodeURIComponent(mail.token)}`;
	const invited = await admin.auth.admin.inviteUserByEmail(mail.email, {
		redirectTo,
		data: {
			team_name: mail.teamName,
			...(mail.inviterName ? { inviter_name: mail.inviterName } : {})
		}
	});
	if (!invited.error) return { sent: true, kind: 'invite' };
	if (!isExistingAccount(invited.error)) return failure(invited.error);

	const otp = await admin.auth.signInWithOtp({
		email: mail.email,
		// The account exists; never create one from here.
		options: { shouldCreateUser: false, emailRedirectTo: redirectTo }
	});
	if (!otp.error) return { sent: true, kind: 'magiclink' };
	return failure(otp.error);
}

function isExistingAccount(error: unknown): boolean {
	if (!isAuthError(error)) return false;
	return (
		error.code === 'email_exists' ||
		error.code === 'user_already_exists' ||
		// Older GoTrue versions answer 422 without a code.
		(error.status === 422 && /already been registered/i.test(error.message))
	);
}

function failure(error: unknown): InvitationMailResult {
	console.warn('invitation mail not sent:', isAuthError(error) ? error.code : error);
	if (isAuthRetryableFetchError(error)) return { sent: false, reason: 'unavailable' };
	if (
		isAuthError(error) &&
		(error.status === 429 ||
			error.code === 'over_email_send_rate_limit' ||
			error.code === 'over_request_rate_limit')
	) {
		return { sent: false, reason: 'rate-limited' };
	}
	return { sent: false, reason: 'refused' };
}
