import { redirect } from '@sveltejs/kit';
import type { EmailOtpType } from '@supabase/supabase-js';
import { adoptProfileLocale } from '$lib/i18n.server.ts';
import { linkErrorFor } from '$lib/server/auth-errors.ts';
import { getOwn } from '$lib/server/db/profiles.ts';
import { safeRedirect } from '$lib/server/redirect.ts';
import type { RequestHandler } from './$types';

const OTP_TYPES = new Set<EmailOtpType>([
	'signup',
	'invite',
	'magiclink',
	'recovery',
	'email_change',
	'email'
]);
const NOTICES = new Set(['email-changed']);

/**
 * Where mailbox links land. The auth server verifies the emailed token and redirects here with a
 * PKCE `code`, which only this browser can exchange (its verifier is in a cookie). Projects whose
 * email templates link straight here with `token_hash` and `type` (Supabase's SSR guide) work too.
 */
export const GET: RequestHandler = async ({ url, locals, cookies }) => {
	const params = url.searchParams;
	const next = safeRedirect(params.get('next'), '/home');
	// A broken reset link is best explained where a new one can be asked for.
	const failPage = next.startsWith('/account/password')
		? '/forgot-password'
		: next.startsWith('/account')
			? '/account'
			: '/sign-in';

	if (params.get('error') || params.get('error_code')) {
		redirect(303, `${failPage}?error=${linkErrorFor(params.get('error_code'))}`);
	}

	const code = params.get('code');
	const tokenHash = params.get('token_hash');
	const type = params.get('type') as EmailOtpType | null;
	let errorCode: string | null | undefined = null;

	if (code) {
		const { error } = await locals.supabase.auth.exchangeCodeForSession(code);
		errorCode = error ? (error.code ?? 'invalid') : null;
	} else if (tokenHash && type && OTP_TYPES.has(type)) {
		const { error } = await locals.supabase.auth.verifyOtp({ token_hash: tokenHash, type });
		errorCode = error ? (error.code ?? 'invalid') : null;
	} else if (params.get('message')) {
		// Secure email change: the first of the two links was accepted; the other is still due.
		redirect(303, '/account?notice=email-half-confirmed');
	} else {
		redirect(303, `${failPage}?error=link-invalid`);
	}

	if (errorCode) {
		console.warn(`auth callback: link refused (${errorCode})`);
		redirect(303, `${failPage}?error=${linkErrorFor(errorCode)}`);
	}

	// Signed in by the link: a device with no language chosen yet takes the account's.
	const { data: signedIn } = await locals.supabase.auth.getUser();
	if (signedIn.user) {
		const profile = await getOwn(locals.supabase, signedIn.user.id).catch(() => null);
		adoptProfileLocale(cookies, profile?.preferred_language);
	}

	const notice = params.get('notice');
	const target = new URL(next, url.origin);
	if (notice && NOTICES.has(notice)) target.searchParams.set('notice', notice);
	redirect(303, target.pathname + target.search);
};
