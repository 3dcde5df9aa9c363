import { m } from '$lib/paraglide/messages.js';
import type { TeamRole } from './team-role.ts';

export type { TeamRole };

export interface TeamNavItem {
	/** Path after `/t/[team]`: '' for the team home, '/settings', … */
	href: '' | `/${string}`;
	/** A message function, called when the navigation renders (so it is in the current language). */
	label: () => string;
	/** Who sees the link; everyone in the team when omitted. The page itself must still check. */
	roles?: readonly TeamRole[];
}

/**
 * The team navigation, in order. Add a section with one line once its page exists (no links to
 * pages that do not exist yet).
 */
export const TEAM_NAV: readonly TeamNavItem[] = [
	{ href: '', label: m.nav_team_home },
	{ href: '/data', label: m.nav_data },
	{ href: '/officials', label: m.nav_officials },
	{ href: '/outreach', label: m.nav_outreach },
	{ href: '/friction', label: m.nav_friction },
	{ href: '/initiatives', label: m.nav_initiatives },
	{ href: '/tasks', label: m.nav_my_tasks },
	{ href: '/dialogues', label: m.nav_dialogues },
	{ href: '/review', label: m.nav_review },
	{ href: '/feedback', label: m.nav_feedback },
	{ href: '/members', label: m.nav_members },
	{ href: '/invitations', label: m.nav_invitations, roles: ['leader', 'organizer'] },
	{ href: '/agreement', label: m.nav_agreement },
	{ href: '/referrals', label: m.nav_referrals, roles: ['leader'] },
	{ href: '/activity', label: m.nav_activity, roles: ['leader'] },
	{ href: '/export/archive', label: m.nav_team_archive, roles: ['leader'] },
	{ href: '/split', label: m.nav_split, roles: ['leader'] },
	{ href: '/settings', label: m.nav_settings }
];

/** The items a person with `role` sees. */
export function teamNavFor(role: TeamRole): TeamNavItem[] {
	return TEAM_NAV.filter((item) => !item.roles || item.roles.includes(role));
}
