import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

/** Mirrors public.team_agreements: purpose up to 2000 characters, ground rules 1–5000. */
export const AgreementForm = z.object({
	purpose: z
		.string()
		.trim()
		.max(2000, { error: () => m.agreement_error_purpose_long() })
		.optional()
		.default('')
		.transform((v) => (v === '' ? null : v)),
	ground_rules: z
		.string({ error: () => m.agreement_error_rules_empty() })
		.trim()
		.min(1, { error: () => m.agreement_error_rules_empty() })
		.max(5000, { error: () => m.agreement_error_rules_long() })
});

export type AgreementInput = z.infer<typeof AgreementForm>;

export const AcceptAgreement = z.object({
	version: z.coerce
		.number({ error: () => m.agreement_error_version() })
		.int({ error: () => m.agreement_error_version() })
		.positive({ error: () => m.agreement_error_version() }),
	agree: z.literal('on', { error: () => m.agreement_error_tick() })
});
