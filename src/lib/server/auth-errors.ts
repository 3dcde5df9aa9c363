import {
	isAuthError,
	isAuthRetryableFetchError,
	isAuthWeakPasswordError
} from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';

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

const WEAK_REASONS: Record<string, () => string> = {
	length: () => m.autherr_reason_length(),
	characters: () => m.autherr_reason_characters(),
	pwned: () => m.autherr_reason_pwned()
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
			message: m.autherr_unreachable()
		};
	}
	if (isAuthWeakPasswordError(error)) {
		const reasons = error.reasons.map((r) => WEAK_REASONS[r]?.()).filter(Boolean);
		return {
			field: 'password',
			status: 400,
			message: reasons.length
				? m.autherr_weak_reasons({ min, reasons: reasons.join(m.autherr_reason_join()) })
				: m.autherr_weak_plain({ min })
		};
	}
	if (!isAuthError(error)) {
		return {
			field: 'form',
			status: 500,
			message: m.autherr_ours()
		};
	}
	const code = error.code ?? (error.status === 429 ? 'over_request_rate_limit' : undefined);
	switch (code) {
		case 'invalid_credentials':
			return {
				field: 'password',
				status: 400,
				message: m.autherr_invalid_credentials()
			};
		case 'weak_password':
			return {
				field: 'password',
				status: 400,
				message: m.autherr_weak_password({ min })
			};
		case 'same_password':
			return {
				field: 'password',
				status: 400,
				message: m.autherr_same_password()
			};
		case 'user_already_exists':
		case 'email_exists':
			return {
				field: 'email',
				status: 400,
				message: m.autherr_exists()
			};
		case 'email_address_invalid':
		case 'email_address_not_authorized':
			return {
				field: 'email',
				status: 400,
				message: m.autherr_email_invalid()
			};
		case 'email_not_confirmed':
			return {
				field: 'email',
				status: 400,
				message: m.autherr_not_confirmed()
			};
		case 'over_email_send_rate_limit':
			return {
				field: 'email',
				status: 429,
				message: m.autherr_email_rate()
			};
		case 'over_request_rate_limit':
			return {
				field: 'form',
				status: 429,
				message: m.autherr_request_rate()
			};
		case 'signup_disabled':
			return { field: 'form', status: 403, message: m.autherr_signup_disabled() };
		case 'otp_expired':
			return {
				field: 'form',
				status: 400,
				message: m.autherr_otp_expired()
			};
		case 'session_not_found':
		case 'session_expired':
		case 'refresh_token_not_found':
		case 'refresh_token_already_used':
		case 'bad_jwt':
			return {
				field: 'form',
				status: 401,
				message: m.autherr_session_ended()
			};
		case 'reauthentication_needed':
			return {
				field: 'password',
				status: 400,
				message: m.autherr_reauth()
			};
		case 'validation_failed':
			return { field: 'form', status: 400, message: m.autherr_validation() };
		default:
			return {
				field: 'form',
				status: error.status && error.status >= 400 && error.status < 500 ? error.status : 500,
				message: m.autherr_ours()
			};
	}
}

/** Messages for `?error=` on pages a mailbox link can land on (never arbitrary text from the URL). */
export const LINK_ERRORS = {
	'link-expired': () => m.autherr_link_expired(),
	'link-other-browser': () => m.autherr_link_other_browser(),
	'link-invalid': () => m.autherr_link_invalid()
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
