import { escapeHtml, type Mailbox } from '../mail/index.ts';

/** The kinds of mail GoTrue sends, with the `type` their links carry to `/verify`. */
export type MailKind = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';

export interface MailParams {
	kind: MailKind;
	to: string;
	/** `<api url>/auth/v1` */
	externalUrl: string;
	siteUrl: string;
	/** The stored token (hash, with `pkce_` prefix for PKCE flows). */
	token: string;
	otp: string;
	redirectTo: string;
	email: string;
	newEmail?: string;
}

/** The link GoTrue puts in its mails (`{{ .ConfirmationURL }}`). */
export function actionLink(
	externalUrl: string,
	token: string,
	type: string,
	redirectTo: string
): string {
	const q = new URLSearchParams({ token, type, redirect_to: redirectTo });
	return `${externalUrl}/verify?${q.toString()}`;
}

// Subjects and bodies follow the defaults of the Supabase CLI and GoTrue's built-in templates,
// with the one-time code added (GoTrue's templates can show `{{ .Token }}`).
const TEMPLATES: Record<
	MailKind,
	{ subject: string; body: (p: MailParams, url: string) => string }
> = {
	signup: {
		subject: 'Confirm Your Signup',
		body: (p, url) =>
			`<h2>Confirm your signup</h2><p>Follow this link to confirm your user:</p><p><a href="${url}">Confirm your mail</a></p>` +
			otpLine(p.otp)
	},
	invite: {
		subject: 'You have been invited',
		body: (p, url) =>
			`<h2>You have been invited</h2><p>You have been invited to create a user on ${escapeHtml(p.siteUrl)}. Follow this link to accept the invite:</p><p><a href="${url}">Accept the invite</a></p>` +
			otpLine(p.otp)
	},
	magiclink: {
		subject: 'Your Magic Link',
		body: (p, url) =>
			`<h2>Magic Link</h2><p>Follow this link to login:</p><p><a href="${url}">Log In</a></p>` +
			otpLine(p.otp)
	},
	recovery: {
		subject: 'Reset Your Password',
		body: (p, url) =>
			`<h2>Reset Password</h2><p>Follow this link to reset the password for your user:</p><p><a href="${url}">Reset Password</a></p>` +
			otpLine(p.otp)
	},
	email_change: {
		subject: 'Confirm Email Change',
		body: (p, url) =>
			`<h2>Confirm email change</h2><p>Follow this link to confirm the update of your email from ${escapeHtml(p.email)} to ${escapeHtml(p.newEmail ?? '')}:</p><p><a href="${url}">Change Email</a></p>` +
			otpLine(p.otp)
	}
};

function otpLine(otp: string): string {
	return `<p>Alternatively, enter the code: ${escapeHtml(otp)}</p>`;
}

/** Renders and delivers one mail; returns its action link. */
export function sendAuthMail(mailbox: Mailbox, p: MailParams): string {
	const link = actionLink(p.externalUrl, p.token, p.kind, p.redirectTo);
	const t = TEMPLATES[p.kind];
	mailbox.send({ to: p.to, subject: t.subject, html: t.body(p, escapeHtml(link)) });
	return link;
}
