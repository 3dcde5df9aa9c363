import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ChartPoint } from '$lib/charts/series.ts';
import { m } from '$lib/paraglide/messages.js';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import {
	createGoal,
	deleteGoal,
	deleteIndicator,
	getIndicator,
	listGoals,
	listMeasurements,
	listPrograms,
	updateGoal,
	updateIndicator,
	updateMeasurementNote
} from '$lib/server/db/agency.ts';
import { must, num, targetGoal } from '$lib/server/agency-pages.ts';
import { formRefusal } from '$lib/server/db/agency-messages.ts';
import { countForGoal } from '$lib/server/db/friction.ts';
import { GoalForm, IdForm, IndicatorForm, isUuid, NoteForm } from '$lib/schemas/agency.ts';
import type { Actions, PageServerLoad } from './$types';

/** Rows per page of the measurements table (the chart always has them all). */
const PAGE_SIZE = 25;

const NOTICES = new Set([
	'indicator-created',
	'indicator-saved',
	'goal-created',
	'goal-saved',
	'goal-deleted',
	'note-saved'
]);

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	if (!isUuid(params.indicator)) error(404, m.error_not_found());
	const indicator = must(await getIndicator(locals.supabase, team.team_id, params.indicator));
	if (!indicator) error(404, m.error_not_found());
	const [programs, goals, measurements] = await Promise.all([
		listPrograms(locals.supabase, indicator.agency_id).then(must),
		listGoals(locals.supabase, indicator.id).then(must),
		listMeasurements(locals.supabase, indicator.id).then(must)
	]);

	const points: ChartPoint[] = [];
	for (const row of measurements) {
		const y = num(row.value);
		if (y === null) continue;
		points.push({
			x: row.period_end,
			start: row.period_start === row.period_end ? null : row.period_start,
			y,
			target: num(row.target),
			note: row.note
		});
	}

	// The table: newest first, a page at a time.
	const pages = Math.max(1, Math.ceil(measurements.length / PAGE_SIZE));
	const requested = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
	const page = Number.isFinite(requested) ? Math.min(Math.max(1, requested), pages) : 1;
	const newestFirst = measurements.slice().reverse();
	const rows = newestFirst.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
		id: r.id,
		period_start: r.period_start,
		period_end: r.period_end,
		value: num(r.value),
		target: num(r.target),
		note: r.note
	}));

	const noteId = Number.parseInt(url.searchParams.get('note') ?? '', 10);
	const noting = measurements.find((r) => r.id === noteId) ?? null;
	const goalParam = url.searchParams.get('goal');
	const deletingGoal = url.searchParams.get('delete-goal');
	const notice = url.searchParams.get('notice');
	const program = programs.find((p) => p.id === indicator.program_id) ?? null;
	const confirmGoal = goals.find((g) => g.id === deletingGoal) ?? null;
	// Friction points that cite the goal keep a copy of it; the confirmation says how many.
	const confirmGoalFriction = confirmGoal
		? must(await countForGoal(locals.supabase, team.team_id, confirmGoal.id))
		: 0;

	return {
		indicator: {
			id: indicator.id,
			agency_id: indicator.agency_id,
			agency_name: indicator.agency_name,
			program_id: indicator.program_id,
			program_name: program?.name ?? null,
			name: indicator.name,
			unit: indicator.unit,
			direction: indicator.direction,
			frequency: indicator.frequency,
			description: indicator.description
		},
		programs: programs.map((p) => ({ id: p.id, name: p.name })),
		goals: goals.map((g) => ({ ...g, target_value: num(g.target_value) })),
		goalTarget: num(targetGoal(goals, indicator.id)?.target_value),
		points,
		rows,
		page,
		pages,
		total: measurements.length,
		noting: noting
			? {
					id: noting.id,
					period_start: noting.period_start,
					period_end: noting.period_end,
					value: num(noting.value),
					note: noting.note
				}
			: null,
		editGoal: goals.find((g) => g.id === goalParam) ?? null,
		confirmGoal,
		confirmGoalFriction,
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

type Event = RequestEvent<{ team: string; indicator: string }>;

/** Every action re-checks the session and that the indicator is this team's. */
async function guard({ locals, params }: Event) {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=/t/${params.team}/data&reason=session-ended`);
	if (!isUuid(params.indicator)) error(404, m.error_not_found());
	const indicator = must(await getIndicator(locals.supabase, params.team, params.indicator));
	if (!indicator) error(404, m.error_not_found());
	return indicator;
}

/** A goal id from a form, if it is one of this indicator's goals. */
async function goalOf(event: Event, indicatorId: string, values: Record<string, string>) {
	const id = IdForm.safeParse(values);
	if (!id.success) error(404, m.error_not_found());
	const goals = must(await listGoals(event.locals.supabase, indicatorId));
	if (!goals.some((g) => g.id === id.data.id)) error(404, m.error_not_found());
	return id.data.id;
}

const here = (event: Event, query: string) =>
	`/t/${event.params.team}/data/indicators/${event.params.indicator}?${query}`;

export const actions: Actions = {
	update: async (event) => {
		const indicator = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = IndicatorForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		const saved = await updateIndicator(event.locals.supabase, indicator.id, parsed.data);
		if (saved.error !== undefined)
			return fail(400, { action: 'update', values, errors: formRefusal(saved.error) });
		redirect(303, here(event, 'notice=indicator-saved'));
	},

	delete: async (event) => {
		const indicator = await guard(event);
		const gone = await deleteIndicator(event.locals.supabase, indicator.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: formRefusal(gone.error) });
		redirect(
			303,
			`/t/${event.params.team}/data/agencies/${indicator.agency_id}?notice=indicator-deleted`
		);
	},

	createGoal: async (event) => {
		const indicator = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = GoalForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'createGoal', values, errors: fieldErrors(parsed.error) });
		const made = await createGoal(
			event.locals.supabase,
			event.params.team,
			indicator.id,
			parsed.data
		);
		if (made.error !== undefined)
			return fail(400, { action: 'createGoal', values, errors: formRefusal(made.error) });
		redirect(303, here(event, 'notice=goal-created'));
	},

	updateGoal: async (event) => {
		const indicator = await guard(event);
		const values = formValues(await event.request.formData());
		const id = await goalOf(event, indicator.id, values);
		const parsed = GoalForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'updateGoal', values, errors: fieldErrors(parsed.error) });
		const saved = await updateGoal(event.locals.supabase, id, parsed.data);
		if (saved.error !== undefined)
			return fail(400, { action: 'updateGoal', values, errors: formRefusal(saved.error) });
		redirect(303, here(event, 'notice=goal-saved'));
	},

	deleteGoal: async (event) => {
		const indicator = await guard(event);
		const values = formValues(await event.request.formData());
		const id = await goalOf(event, indicator.id, values);
		const gone = await deleteGoal(event.locals.supabase, id);
		if (gone.error !== undefined)
			return fail(400, { action: 'deleteGoal', values, errors: formRefusal(gone.error) });
		redirect(303, here(event, 'notice=goal-deleted'));
	},

	note: async (event) => {
		const indicator = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = NoteForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'note', values, errors: fieldErrors(parsed.error) });
		// The measurement must be this indicator's (the id comes from the form).
		const { data: mine, error: readError } = await event.locals.supabase
			.from('measurements')
			.select('id')
			.eq('team_id', event.params.team)
			.eq('indicator_id', indicator.id)
			.eq('id', parsed.data.measurement_id)
			.maybeSingle();
		if (readError) throw readError;
		if (!mine) error(404, m.error_not_found());
		const saved = await updateMeasurementNote(
			event.locals.supabase,
			parsed.data.measurement_id,
			parsed.data.note
		);
		if (saved.error !== undefined)
			return fail(400, { action: 'note', values, errors: formRefusal(saved.error) });
		const page = values.page && /^\d+$/.test(values.page) ? `&page=${values.page}` : '';
		redirect(303, here(event, `notice=note-saved${page}#measurements-heading`));
	}
};
