import {
	AuthApiError,
	AuthRetryableFetchError,
	AuthWeakPasswordError
} from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { describeAuthError, linkErrorFor } from './auth-errors.ts';

const api = (code: string, status = 400) => new AuthApiError('raw server text', status, code);

describe('describeAuthError', () => {
	it('gives wrong password and unknown email the same sentence, beside the password', () => {
		const m = describeAuthError(api('invalid_credentials'));
		expect(m.field).toBe('password');
		expect(m.message).toMatch(/do not match/);
		expect(m.message).not.toMatch(/raw server text/);
	});

	it('explains weak passwords with the reasons', () => {
		const m = describeAuthError(new AuthWeakPasswordError('weak', 422, ['length']), {
			minPasswordLength: 8
		});
		expect(m).toMatchObject({ field: 'password', status: 400 });
		expect(m.message).toContain('at least 8 characters');
		expect(m.message).toContain('too short');
	});

	it('puts an existing account beside the email', () => {
		expect(describeAuthError(api('user_already_exists', 422)).field).toBe('email');
	});

	it('explains both rate limits with a 429', () => {
		expect(describeAuthError(api('over_request_rate_limit', 429))).toMatchObject({
			status: 429,
			field: 'form'
		});
		const mail = describeAuthError(api('over_email_send_rate_limit', 429));
		expect(mail).toMatchObject({ status: 429, field: 'email' });
		expect(mail.message).toMatch(/wait a few minutes/i);
		// A 429 without a code (a proxy in front of the auth server) is still a rate limit.
		expect(describeAuthError(new AuthApiError('slow down', 429, undefined)).status).toBe(429);
	});

	it('says when an email is not confirmed yet', () => {
		expect(describeAuthError(api('email_not_confirmed')).message).toMatch(/confirm your email/);
	});

	it('says the service is unreachable on a network failure', () => {
		const m = describeAuthError(new AuthRetryableFetchError('fetch failed', 0));
		expect(m).toMatchObject({ field: 'form', status: 503 });
	});

	it('never leaks unknown errors', () => {
		const m = describeAuthError(new Error('stack trace here'));
		expect(m.status).toBe(500);
		expect(m.message).not.toContain('stack');
	});
});

describe('linkErrorFor', () => {
	it('maps expired, reused and cross-browser links', () => {
		expect(linkErrorFor('otp_expired')).toBe('link-expired');
		expect(linkErrorFor('flow_state_not_found')).toBe('link-other-browser');
		expect(linkErrorFor('whatever')).toBe('link-invalid');
	});
});
