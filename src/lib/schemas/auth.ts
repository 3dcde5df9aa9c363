import { z } from 'zod';

/** GoTrue refuses passwords longer than bcrypt's 72-byte input. */
export const PASSWORD_MAX = 72;
/** Mirrors `minimum_password_length` in supabase/config.toml; the auth server has the last word. */
export const PASSWORD_MIN = 8;

export const Email = z
	.string({ error: 'Enter your email address.' })
	.trim()
	.toLowerCase()
	.min(1, 'Enter your email address.')
	.max(254, 'That email address is too long.')
	.pipe(z.email({ error: 'Enter a valid email address, like name@example.org.' }));

const NewPassword = z
	.string({ error: 'Choose a password.' })
	.min(1, 'Choose a password.')
	.min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
	.max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const DisplayName = z
	.string()
	.trim()
	.max(80, 'Keep your name under 80 characters.')
	.regex(/^[^<>]*$/, 'Leave out the < and > characters.');

export const SignUp = z.object({
	display_name: DisplayName.optional().default(''),
	email: Email,
	password: NewPassword
});

export const SignIn = z.object({
	email: Email,
	password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.')
});

export const MagicLink = z.object({ email: Email });

export const ForgotPassword = z.object({ email: Email });

export const NewPasswordForm = z
	.object({ password: NewPassword, confirm: z.string().optional().default('') })
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		message: 'The two passwords do not match.'
	});

export const EmailChange = z.object({ email: Email });
