import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { targetStatus } from '$lib/charts/target.ts';
import { m } from '$lib/paraglide/messages.js';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import {
	createIndicator,
	createProgram,
	deleteAgency,
	deleteProgram,
	getAgency,
	listGoals,
	listIndicators,
	listPrograms,
	updateAgency,
	updateProgram
} from '$lib/server/db/agency.ts';
import { must, num, targetGoal } from '$lib/server/agency-pages.ts';
import { formRefusal } from '$lib/server/db/agency-messages.ts';
import { AgencyForm, IdForm, IndicatorForm, isUuid, ProgramForm } from '$lib/schemas/agency.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'agency-created',
	'agency-saved',
	'program-created',
	'program-saved',
	'program-deleted',
	'indicator-deleted'
]);

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	if (!isUuid(params.agency)) error(404, m.error_not_found());
	const agency = must(await getAgency(locals.supabase, team.team_id, params.agency));
	if (!agency) error(404, m.error_not_found());
	const [programs, indicators] = await Promise.all([
		listPrograms(locals.supabase, agency.id).then(must),
		listIndicators(locals.supabase, team.team_id, { agencyId: agency.id }).then(must)
	]);
	const goals = (
		await Promise.all(indicators.map((i) => listGoals(locals.supabase, i.id).then(must)))
	).flat();
	const programNames = new Map(programs.map((p) => [p.id, p.name]));
	const notice = url.searchParams.get('notice');
	const editing = url.searchParams.get('program');
	const deleting = url.searchParams.get('delete-program');
	return {
		agency: {
			id: agency.id,
			name: agency.name,
			jurisdiction: agency.jurisdiction,
			type: agency.type,
			website: agency.website,
			notes: agency.notes
		},
		programs: programs.map((p) => ({ id: p.id, name: p.name, description: p.description })),
		indicators: indicators.map((i) => {
			const value = num(i.latest?.value);
			const target = num(i.latest?.target) ?? num(targetGoal(goals, i.id)?.target_value);
			return {
				id: i.id,
				name: i.name,
				unit: i.unit,
				direction: i.direction,
				program: i.program_id ? (programNames.get(i.program_id) ?? null) : null,
				latest: i.latest && value !== null ? { value, period_end: i.latest.period_end } : null,
				target,
				status: targetStatus(value, target, i.direction)
			};
		}),
		editProgram: programs.find((p) => p.id === editing) ?? null,
		confirmProgram: programs.find((p) => p.id === deleting) ?? null,
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

type Event = RequestEvent<{ team: string; agency: string }>;

/** Every action re-checks the session and that the agency is this team's. */
async function guard({ locals, params }: Event) {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/data&reason=session-ended`);
	if (!isUuid(params.agency)) error(404, m.error_not_found());
	const agency = must(await getAgency(locals.supabase, params.team, params.agency));
	if (!agency) error(404, m.error_not_found());
	return agency;
}

/** A program id from a form, if it is one of this agency's programs. */
async function programOf(event: Event, agencyId: string, values: Record<string, string>) {
	const id = IdForm.safeParse(values);
	if (!id.success) error(404, m.error_not_found());
	const programs = must(await listPrograms(event.locals.supabase, agencyId));
	if (!programs.some((p) => p.id === id.data.id)) error(404, m.error_not_found());
	return id.data.id;
}

export const actions: Actions = {
	update: async (event) => {
		const agency = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = AgencyForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		const saved = await updateAgency(event.locals.supabase, agency.id, parsed.data);
		if (saved.error !== undefined)
			return fail(400, { action: 'update', values, errors: formRefusal(saved.error) });
		redirect(303, `/t/${event.params.team}/data/agencies/${agency.id}?notice=agency-saved`);
	},

	delete: async (event) => {
		const agency = await guard(event);
		const gone = await deleteAgency(event.locals.supabase, agency.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: formRefusal(gone.error) });
		redirect(303, `/t/${event.params.team}/data?notice=agency-deleted`);
	},

	createProgram: async (event) => {
		const agency = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = ProgramForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'createProgram', values, errors: fieldErrors(parsed.error) });
		const made = await createProgram(
			event.locals.supabase,
			event.params.team,
			agency.id,
			parsed.data
		);
		if (made.error !== undefined)
			return fail(400, { action: 'createProgram', values, errors: formRefusal(made.error) });
		redirect(303, `/t/${event.params.team}/data/agencies/${agency.id}?notice=program-created`);
	},

	updateProgram: async (event) => {
		const agency = await guard(event);
		const values = formValues(await event.request.formData());
		const id = await programOf(event, agency.id, values);
		const parsed = ProgramForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'updateProgram', values, errors: fieldErrors(parsed.error) });
		const saved = await updateProgram(event.locals.supabase, id, parsed.data);
		if (saved.error !== undefined)
			return fail(400, { action: 'updateProgram', values, errors: formRefusal(saved.error) });
		redirect(303, `/t/${event.params.team}/data/agencies/${agency.id}?notice=program-saved`);
	},

	deleteProgram: async (event) => {
		const agency = await guard(event);
		const values = formValues(await event.request.formData());
		const id = await programOf(event, agency.id, values);
		const gone = await deleteProgram(event.locals.supabase, id);
		if (gone.error !== undefined)
			return fail(400, { action: 'deleteProgram', values, errors: formRefusal(gone.error) });
		redirect(303, `/t/${event.params.team}/data/agencies/${agency.id}?notice=program-deleted`);
	},

	createIndicator: async (event) => {
		const agency = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = IndicatorForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'createIndicator', values, errors: fieldErrors(parsed.error) });
		const made = await createIndicator(
			event.locals.supabase,
			event.params.team,
			agency.id,
			parsed.data
		);
		if (made.error !== undefined)
			return fail(400, { action: 'createIndicator', values, errors: formRefusal(made.error) });
		redirect(
			303,
			`/t/${event.params.team}/data/indicators/${made.data.id}?notice=indicator-created`
		);
	}
};
