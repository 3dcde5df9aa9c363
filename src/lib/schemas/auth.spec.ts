import { describe, expect, it } from 'vitest';
import { NewPasswordForm, SignIn, SignUp } from './auth.ts';
import { fieldErrors } from './form.ts';
import { Profile } from './profile.ts';

describe('auth schemas', () => {
	it('normalises the email and keeps the password as typed', () => {
		const r = SignIn.parse({ email: '  Ana@Example.ORG ', password: ' pw ' });
		expect(r).toEqual({ email: 'ana@example.org', password: ' pw ' });
	});

	it('explains each bad field once', () => {
		const r = SignUp.safeParse({ email: 'not-an-email', password: 'short' });
		expect(r.success).toBe(false);
		const errors = fieldErrors(r.error!);
		expect(errors.email).toMatch(/valid email/);
		expect(errors.password).toMatch(/at least 8/);
	});

	it('asks for an email when none is given', () => {
		const r = SignIn.safeParse({ email: '', password: 'x' });
		expect(fieldErrors(r.error!).email).toBe('Enter your email address.');
	});

	it('puts a mismatched confirmation beside the confirmation field', () => {
		const r = NewPasswordForm.safeParse({ password: 'long enough 1', confirm: 'long enough 2' });
		expect(fieldErrors(r.error!)).toEqual({ confirm: 'The two passwords do not match.' });
	});
});

describe('profile schema', () => {
	it('accepts a known language and trims the name', () => {
		expect(Profile.parse({ display_name: ' Ana ', preferred_language: 'es' })).toEqual({
			display_name: 'Ana',
			preferred_language: 'es'
		});
	});

	it('refuses an unknown language and an empty name', () => {
		const r = Profile.safeParse({ display_name: '  ', preferred_language: 'xx' });
		const errors = fieldErrors(r.error!);
		expect(errors.display_name).toMatch(/name/);
		expect(errors.preferred_language).toMatch(/language/);
	});
});
