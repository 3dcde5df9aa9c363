import { fail, redirect } from '@sveltejs/kit';
import { ScheduleForm } from '$lib/schemas/dialogues.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { listIndicators } from '$lib/server/db/agency.ts';
import { listDialogues, listTemplates, scheduleDialogue } from '$lib/server/db/dialogues.ts';
import { listFrictionPoints } from '$lib/server/db/friction.ts';
import { must } from '$lib/server/agency-pages.ts';
import { canLead, guardUser } from '$lib/server/dialogue-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { team } = await parent();
	const lead = canLead(team.role);
	const [dialogues, templates, indicators, points] = await Promise.all([
		listDialogues(locals.supabase, team.team_id),
		lead ? listTemplates(locals.supabase, team.team_id) : Promise.resolve([]),
		lead ? listIndicators(locals.supabase, team.team_id).then(must) : Promise.resolve([]),
		lead ? listFrictionPoints(locals.supabase, team.team_id).then(must) : Promise.resolve([])
	]);
	const open = dialogues.filter((d) => d.status === 'scheduled' || d.status === 'live');
	return {
		lead,
		upcoming: open.reverse(),
		past: dialogues.filter((d) => d.status === 'closed' || d.status === 'cancelled'),
		templates: templates.map((t) => ({ value: t.id, label: t.name, key: t.key })),
		indicators: indicators.map((i) => ({ value: i.id, label: `${i.agency_name} · ${i.name}` })),
		points: points.map((p) => ({ value: p.id, label: p.title }))
	};
};

export const actions: Actions = {
	schedule: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const parsed = ScheduleForm.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const made = await scheduleDialogue(event.locals.supabase, event.params.team, parsed.data);
		if (made.error !== undefined)
			return fail(400, { values, errors: oneError('form', made.error) });
		redirect(303, `/t/${event.params.team}/dialogues/${made.data}`);
	}
};
