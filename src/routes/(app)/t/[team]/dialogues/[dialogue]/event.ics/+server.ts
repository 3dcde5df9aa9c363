import { error } from '@sveltejs/kit';
import { dialogueEvent } from '$lib/dialogues/invitation.ts';
import { buildCalendar } from '$lib/ics.ts';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { getDialogue, listAgenda } from '$lib/server/db/dialogues.ts';
import type { RequestHandler } from './$types';

/** The dialogue as an .ics invitation (read as the signed-in member, RLS applies). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user || !isUuid(params.team) || !isUuid(params.dialogue)) error(404, m.error_not_found());
	const dialogue = await getDialogue(locals.supabase, params.team, params.dialogue);
	if (!dialogue) error(404, m.error_not_found());
	const agenda = await listAgenda(locals.supabase, params.team, dialogue.id);
	const link = new URL(`/t/${params.team}/dialogues/${dialogue.id}`, url).href;
	const text = buildCalendar([dialogueEvent(dialogue, agenda, link)], { name: dialogue.title });
	return new Response(text, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="dialogue-${dialogue.id}.ics"`,
			'Cache-Control': 'no-store'
		}
	});
};
