import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { Email } from './auth.ts';

export const TEAM_ROLES = ['leader', 'organizer', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** A shareable link never makes someone a leader (the database refuses it too). */
export const LINK_ROLES = ['member', 'organizer'] as const;

/** How long a link lasts, in days: the three choices the form offers. */
export const LINK_EXPIRY_DAYS = ['1', '7', '30'] as const;

export const EmailInvitation = z.object({
	email: Email,
	role: z.enum(TEAM_ROLES, { error: () => m.invite_error_role() })
});

export const LinkInvitation = z.object({
	role: z.enum(LINK_ROLES, { error: () => m.invite_error_link_role() }),
	expires_days: z.enum(LINK_EXPIRY_DAYS, { error: () => m.invite_error_expiry() }),
	max_uses: z.coerce
		.number({ error: () => m.invite_error_uses() })
		.int({ error: () => m.invite_error_uses() })
		.min(1, { error: () => m.invite_error_uses() })
		.max(50, { error: () => m.invite_error_uses() })
});

export const InvitationId = z.object({
	id: z.uuid({ error: () => m.invite_error_missing() })
});

/** The invitee joins: the box must be ticked when the team has an agreement to accept. */
export const JoinTeam = z.object({
	agreement_version: z.coerce.number().int().positive().optional(),
	agree: z.literal('on').optional()
});

export type EmailInvitationInput = z.infer<typeof EmailInvitation>;
export type LinkInvitationInput = z.infer<typeof LinkInvitation>;

/** A leader changes someone's role (their own too: that is how a leader steps down). */
export const MemberRole = z.object({
	user_id: z.uuid({ error: () => m.members_error_missing() }),
	role: z.enum(TEAM_ROLES, { error: () => m.invite_error_role() })
});

export const MemberId = z.object({
	user_id: z.uuid({ error: () => m.members_error_missing() })
});

/** A role's name in the visitor's language. */
export function roleLabel(role: TeamRole): string {
	return role === 'leader'
		? m.members_role_leader()
		: role === 'organizer'
			? m.members_role_organizer()
			: m.members_role_member();
}
