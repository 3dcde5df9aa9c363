import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

// Messages are functions so each is read in the visitor's language when a form is checked.

const optionalText = (max: number, message: () => string) =>
	z
		.string()
		.trim()
		.max(max, { error: message })
		.optional()
		.default('')
		.transform((v) => (v === '' ? null : v));

/** Mirrors public.create_referral: a name, optional email and note, and the person's consent. */
export const ReferralForm = z.object({
	person_name: z
		.string({ error: () => m.referral_name_required() })
		.trim()
		.min(1, { error: () => m.referral_name_required() })
		.max(120, { error: () => m.referral_name_too_long() }),
	person_email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254, { error: () => m.referral_email_invalid() })
		.optional()
		.default('')
		.pipe(z.union([z.literal(''), z.email({ error: () => m.referral_email_invalid() })]))
		.transform((v) => (v === '' ? null : v)),
	person_contact_note: optionalText(500, () => m.referral_note_too_long()),
	// A checkbox sends "on" when ticked and nothing at all otherwise.
	consent: z
		.string()
		.optional()
		.transform((v) => v === 'on' || v === 'true')
		.refine((v) => v, { error: () => m.referral_error_consent() })
});

export type ReferralInput = z.infer<typeof ReferralForm>;

export const DECISIONS = ['accepted', 'waitlisted', 'redirected', 'declined'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DecideReferral = z
	.object({
		referral_id: z.uuid({ error: () => m.referral_choose() }),
		status: z.enum(DECISIONS, { error: () => m.referral_decision_required() }),
		suggested_team_id: z
			.string()
			.optional()
			.default('')
			.transform((v) => (v === '' ? null : v))
			.pipe(z.uuid({ error: () => m.referral_error_choose_team() }).nullable()),
		note: optionalText(500, () => m.referral_note_too_long())
	})
	// A suggestion needs somewhere to go: a team picked from the list or a note naming one.
	.refine((v) => v.status !== 'redirected' || v.suggested_team_id !== null || v.note !== null, {
		path: ['note'],
		error: () => m.referral_redirect_needs_target()
	});

export type DecideReferralInput = z.infer<typeof DecideReferral>;
