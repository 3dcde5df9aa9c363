import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

/** GoTrue refuses passwords longer than bcrypt's 72-byte input. */
export const PASSWORD_MAX = 72;
/** Mirrors `minimum_password_length` in supabase/config.toml; the auth server has the last word. */
export const PASSWORD_MIN = 8;

// Messages are functions so they are read in the visitor's language at validation time.
export const Email = z
	.string({ error: () => m.schema_email_required() })
	.trim()
	.toLowerCase()
	.min(1, { error: () => m.schema_email_required() })
	.max(254, { error: () => m.schema_email_long() })
	.pipe(z.email({ error: () => m.schema_email_invalid() }));

const NewPassword = z
	.string({ error: () => m.schema_password_choose() })
	.min(1, { error: () => m.schema_password_choose() })
	.min(PASSWORD_MIN, { error: () => m.schema_password_min({ min: PASSWORD_MIN }) })
	.max(PASSWORD_MAX, { error: () => m.schema_password_max({ max: PASSWORD_MAX }) });

export const DisplayName = z
	.string()
	.trim()
	.max(80, { error: () => m.schema_name_long() })
	.regex(/^[^<>]*$/, { error: () => m.schema_name_brackets() });

export const SignUp = z.object({
	display_name: DisplayName.optional().default(''),
	email: Email,
	password: NewPassword
});

export const SignIn = z.object({
	email: Email,
	password: z
		.string({ error: () => m.schema_password_enter() })
		.min(1, { error: () => m.schema_password_enter() })
});

export const MagicLink = z.object({ email: Email });

export const ForgotPassword = z.object({ email: Email });

export const NewPasswordForm = z
	.object({ password: NewPassword, confirm: z.string().optional().default('') })
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		error: () => m.schema_passwords_differ()
	});

export const EmailChange = z.object({ email: Email });
