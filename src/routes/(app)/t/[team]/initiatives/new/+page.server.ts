import { fail, redirect } from '@sveltejs/kit';
import { isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { frictionPointIds, InitiativeForm } from '$lib/schemas/initiatives.ts';
import { listIndicators } from '$lib/server/db/agency.ts';
import { initiativeRefusal } from '$lib/server/db/initiative-messages.ts';
import { createInitiative, frictionChoices } from '$lib/server/db/initiatives.ts';
import { must } from '$lib/server/agency-pages.ts';
import { guardUser } from '$lib/server/initiative-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const [points, indicators] = await Promise.all([
		frictionChoices(locals.supabase, team.team_id).then(must),
		listIndicators(locals.supabase, team.team_id).then(must)
	]);
	// Turning a friction point into an initiative: its title, observation and indicator to start from.
	const fromId = url.searchParams.get('from');
	const from = isUuid(fromId) ? (points.find((p) => p.id === fromId) ?? null) : null;
	return {
		points: points.map((p) => ({ id: p.id, title: p.title })),
		indicators: indicators.map((i) => ({ value: i.id, label: `${i.agency_name} · ${i.name}` })),
		from: from ? { id: from.id, title: from.title } : null,
		initial: {
			title: from?.title ?? '',
			problem: [from?.observed, from?.affected_who].filter(Boolean).join('\n\n'),
			indicator_id: from?.indicator_id ?? '',
			start_date: new Date().toISOString().slice(0, 10)
		}
	};
};

export const actions: Actions = {
	create: async (event) => {
		await guardUser(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const points = frictionPointIds(data);
		const parsed = InitiativeForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'create', values, points, errors: fieldErrors(parsed.error) });
		const r = await createInitiative(event.locals.supabase, event.params.team, parsed.data, points);
		if (r.error !== undefined)
			return fail(400, { action: 'create', values, points, errors: initiativeRefusal(r.error) });
		redirect(303, `/t/${event.params.team}/initiatives/${r.data}?notice=created`);
	}
};
