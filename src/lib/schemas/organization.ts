import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

// Messages are functions so each is read in the visitor's language when a form is checked.

/** Mirrors public.organizations: name 1–120 characters (trimmed), description up to 2000. */
export const OrganizationForm = z.object({
	name: z
		.string({ error: () => m.org_name_required() })
		.trim()
		.min(1, { error: () => m.org_name_required() })
		.max(120, { error: () => m.org_name_too_long() }),
	description: z
		.string()
		.trim()
		.max(2000, { error: () => m.org_description_too_long() })
		.optional()
		.default('')
		.transform((v) => (v === '' ? null : v))
});

export type OrganizationInput = z.infer<typeof OrganizationForm>;

export const AddAdmin = z.object({
	email: z
		.string({ error: () => m.org_admin_email_required() })
		.trim()
		.toLowerCase()
		.min(1, { error: () => m.org_admin_email_required() })
		.max(254, { error: () => m.org_error_email() })
		.pipe(z.email({ error: () => m.org_error_email() }))
});

export const RemoveAdmin = z.object({
	user_id: z.uuid({ error: () => m.org_admin_choose() })
});

/** Deleting asks for the name typed exactly, so nobody deletes the wrong organization by a click. */
export const DeleteOrganization = z.object({ confirm_name: z.string().trim().default('') });

export const JoinCode = z.object({
	join_code: z
		.string({ error: () => m.org_join_code_required() })
		.trim()
		.min(1, { error: () => m.org_join_code_required() })
		.max(40, { error: () => m.org_error_join_code() })
});
