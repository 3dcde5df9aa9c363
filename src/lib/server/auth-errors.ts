import {
	isAuthError,
	isAuthRetryableFetchError,
	isAuthWeakPasswordError
} from '@supabase/supabase-js';

/** A form field an auth error belongs beside; `form` means the whole form. */
export type AuthErrorField = 'email' | 'password' | 'form';

export interface AuthErrorMessage {
	field: AuthErrorField;
	message: string;
	/** The HTTP status the form action should fail with. */
	status: number;
}

export interface AuthErrorContext {
	/** Used in the weak-password sentence. */
	minPasswordLength?: number;
}

const WEAK_REASONS: Record<string, string> = {
	length: 'it is too short',
	characters: 'it needs a mix of letters, digits and symbols',
	pwned: 'it has appeared in a known data breach'
};

/**
 * Turns an error from the auth server (GoTrue's `error_code`) into one plain sentence and the field
 * it belongs to. Unknown email and wrong password share one message on purpose: telling them apart
 * would let anyone test which addresses have accounts.
 */
export function describeAuthError(error: unknown, ctx: AuthErrorContext = {}): AuthErrorMessage {
	const min = ctx.minPasswordLength ?? 8;
	if (isAuthRetryableFetchError(error)) {
		return {
			field: 'form',
			status: 503,
			message:
				'We could not reach the sign-in service. Check your connection and try again in a moment.'
		};
	}
	if (isAuthWeakPasswordError(error)) {
		const reasons = error.reasons.map((r) => WEAK_REASONS[r]).filter(Boolean);
		return {
			field: 'password',
			status: 400,
			message:
				`Choose a stronger password (at least ${min} characters)` +
				(reasons.length ? `: ${reasons.join(', and ')}.` : '.')
		};
	}
	if (!isAuthError(error)) {
		return {
			field: 'form',
			status: 500,
			message: 'Something went wrong on our side. Please try again.'
		};
	}
	const code = error.code ?? (error.status === 429 ? 'over_request_rate_limit' : undefined);
	switch (code) {
		case 'invalid_credentials':
			return {
				field: 'password',
				status: 400,
				message: 'That email and password do not match an account. Check both and try again.'
			};
		case 'weak_password':
			return {
				field: 'password',
				status: 400,
				message: `Choose a stronger password: at least ${min} characters, and not a common one.`
			};
		case 'same_password':
			return {
				field: 'password',
				status: 400,
				message: 'Your new password must be different from your current one.'
			};
		case 'user_already_exists':
		case 'email_exists':
			return {
				field: 'email',
				status: 400,
				message:
					'An account with this email already exists. Sign in instead, or reset your password if you forgot it.'
			};
		case 'email_address_invalid':
		case 'email_address_not_authorized':
			return {
				field: 'email',
				status: 400,
				message: 'We cannot send email to that address. Check it, or use another one.'
			};
		case 'email_not_confirmed':
			return {
				field: 'email',
				status: 400,
				message:
					'Please confirm your email address first: open the link we emailed you (check your spam folder too).'
			};
		case 'over_email_send_rate_limit':
			return {
				field: 'email',
				status: 429,
				message:
					'We have sent too many emails to this address recently. Wait a few minutes, then ask again.'
			};
		case 'over_request_rate_limit':
			return {
				field: 'form',
				status: 429,
				message:
					'Too many attempts in a short time. To protect your account, please wait a minute and try again.'
			};
		case 'signup_disabled':
			return { field: 'form', status: 403, message: 'New sign-ups are closed on this site.' };
		case 'otp_expired':
			return {
				field: 'form',
				status: 400,
				message: 'This link has expired or was already used. Ask for a new one below.'
			};
		case 'session_not_found':
		case 'session_expired':
		case 'refresh_token_not_found':
		case 'refresh_token_already_used':
		case 'bad_jwt':
			return {
				field: 'form',
				status: 401,
				message: 'Your session has ended. Please sign in again.'
			};
		case 'reauthentication_needed':
			return {
				field: 'password',
				status: 400,
				message: 'For your safety, sign out and in again before changing your password.'
			};
		case 'validation_failed':
			return { field: 'form', status: 400, message: 'Please check the form and try again.' };
		default:
			return {
				field: 'form',
				status: error.status && error.status >= 400 && error.status < 500 ? error.status : 500,
				message: 'Something went wrong on our side. Please try again.'
			};
	}
}

/** Messages for `?error=` on pages a mailbox link can land on (never arbitrary text from the URL). */
export const LINK_ERRORS = {
	'link-expired': 'That link has expired or was already used. Ask for a new one below.',
	'link-other-browser':
		'That link was already used, or was opened in a different browser from the one where you asked for it. Ask for a new one below.',
	'link-invalid': 'That link is not valid. Ask for a new one below.'
} as const;

export type LinkError = keyof typeof LINK_ERRORS;

/** Maps GoTrue's redirect `error_code` (or an exchange error code) to one of our link messages. */
export function linkErrorFor(code: string | null | undefined): LinkError {
	switch (code) {
		case 'otp_expired':
		case 'flow_state_expired':
			return 'link-expired';
		case 'flow_state_not_found':
		case 'bad_code_verifier':
		case 'pkce_code_verifier_not_found':
			return 'link-other-browser';
		default:
			return 'link-invalid';
	}
}
