/**
 * What the dialogue pages share on the server: the guard every action starts with, the members'
 * names, and who may lead.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { getDialogue, type Dialogue } from '$lib/server/db/dialogues.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import type { TeamRole } from '$lib/team-nav.ts';

export interface Person {
	user_id: string;
	role: TeamRole;
	name: string;
}

/** The team's members with a name each ("Member 3" for one who has not set a name). */
export async function people(supabase: SupabaseClient, teamId: string): Promise<Person[]> {
	const members = await listMembers(supabase, teamId);
	let n = 0;
	return members.map((p) => ({
		user_id: p.user_id,
		role: p.role,
		name: p.display_name ?? m.dialogues_member_unnamed({ n: ++n })
	}));
}

export function canLead(role: TeamRole): boolean {
	return role === 'leader' || role === 'organizer';
}

/** The signed-in user, or back to sign-in. */
export async function guardUser({ locals, url }: RequestEvent) {
	const { user } = await locals.safeGetSession();
	if (!user)
		redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}&reason=session-ended`);
	return user;
}

type DialogueEvent = RequestEvent<{ team: string; dialogue: string }>;

/** Every action on a dialogue re-checks the session and that the dialogue is this team's. */
export async function guardDialogue(
	event: DialogueEvent
): Promise<{ user: { id: string }; dialogue: Dialogue }> {
	const user = await guardUser(event);
	if (!isUuid(event.params.dialogue) || !isUuid(event.params.team)) error(404, m.error_not_found());
	const dialogue = await getDialogue(
		event.locals.supabase,
		event.params.team,
		event.params.dialogue
	);
	if (!dialogue) error(404, m.error_not_found());
	return { user, dialogue };
}
