import { m } from '$lib/paraglide/messages.js';
import type { TeamRole } from '$lib/team-nav.ts';

/** A role's name in the visitor's language (for anything that shows a role). */
export function roleLabel(role: TeamRole): string {
	switch (role) {
		case 'leader':
			return m.role_leader();
		case 'organizer':
			return m.role_organizer();
		case 'member':
			return m.role_member();
		default:
			return role;
	}
}
