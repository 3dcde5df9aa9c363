import { error } from '@sveltejs/kit';
import { buildCalendar } from '$lib/ics.ts';
import { typeLabel } from '$lib/outreach/labels.ts';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { getInteraction } from '$lib/server/db/outreach.ts';
import { must } from '$lib/server/outreach-pages.ts';
import type { RequestHandler } from './$types';

/**
 * One interaction as an .ics file, for adding it to a calendar by hand. Read as the signed-in member
 * (RLS): the fields every member sees, never the confidential section.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user || !isUuid(params.team) || !isUuid(params.interaction)) error(404, m.error_not_found());
	const interaction = must(await getInteraction(locals.supabase, params.team, params.interaction));
	if (!interaction) error(404, m.error_not_found());
	const officials = must(await listOfficials(locals.supabase, params.team));
	const present = new Set(interaction.interaction_participants.map((p) => p.official_id));
	const names = officials.filter((o) => present.has(o.id)).map((o) => o.name);
	const text = buildCalendar(
		[
			{
				uid: `interaction-${interaction.id}@groundwork`,
				summary: `${typeLabel(interaction.type)}: ${interaction.title}`,
				description: [
					names.length ? m.outreach_with({ names: names.join(', ') }) : null,
					interaction.purpose
				]
					.filter(Boolean)
					.join('\n\n'),
				location: interaction.location,
				start: interaction.occurred_at,
				updated: interaction.updated_at,
				url: new URL(`/t/${params.team}/outreach/${interaction.id}`, url).href
			}
		],
		{ name: interaction.title }
	);
	return new Response(text, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="interaction-${interaction.id}.ics"`,
			'Cache-Control': 'no-store'
		}
	});
};
