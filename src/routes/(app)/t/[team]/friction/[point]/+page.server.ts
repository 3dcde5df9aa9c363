import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { computeGap } from '$lib/friction/gap.ts';
import { rankPressurePoints, forceTotals } from '$lib/friction/pressure.ts';
import { buildTree, descendantIds, flatten } from '$lib/friction/tree.ts';
import { m } from '$lib/paraglide/messages.js';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import {
	CauseForm,
	DocumentForm,
	ForceForm,
	FrictionPointForm,
	IdForm,
	IndicatorEvidenceForm,
	InteractionEvidenceForm,
	MoveCauseForm,
	ObservationForm,
	PressureForm,
	StatusForm
} from '$lib/schemas/friction.ts';
import { listIndicators } from '$lib/server/db/agency.ts';
import {
	addCause,
	addEvidence,
	addForce,
	addPressurePoint,
	changeStatus,
	citeInteraction,
	deleteFrictionPoint,
	listCitedInteractions,
	listCauses,
	listEvidence,
	listForces,
	listPressurePoints,
	removePart,
	seriesByIndicator,
	statusHistory,
	teamGoals,
	updateCause,
	updateFrictionPoint,
	type Result
} from '$lib/server/db/friction.ts';
import { frictionRefusal } from '$lib/server/db/friction-messages.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { listInteractions } from '$lib/server/db/outreach.ts';
import { must } from '$lib/server/agency-pages.ts';
import { assessPoints, guardPoint, indicatorTarget } from '$lib/server/friction-pages.ts';
import { goalOptions, memberOptions } from '$lib/server/friction-options.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'created',
	'accepted',
	'saved',
	'status',
	'evidence-added',
	'evidence-deleted',
	'cause-added',
	'cause-saved',
	'cause-deleted',
	'pressure-added',
	'pressure-deleted',
	'force-added',
	'force-deleted'
]);

export const load: PageServerLoad = async (event) => {
	const { locals, parent, url } = event;
	const { team } = await parent();
	const point = await guardPoint(event);
	const s = locals.supabase;
	const [
		members,
		goals,
		indicators,
		evidence,
		causes,
		pressure,
		forces,
		history,
		cited,
		contacts,
		officials
	] = await Promise.all([
		listMembers(s, team.team_id),
		teamGoals(s, team.team_id).then(must),
		listIndicators(s, team.team_id).then(must),
		listEvidence(s, team.team_id, point.id).then(must),
		listCauses(s, team.team_id, point.id).then(must),
		listPressurePoints(s, team.team_id, point.id).then(must),
		listForces(s, team.team_id, point.id).then(must),
		statusHistory(s, team.team_id, point.id).then(must),
		listCitedInteractions(s, team.team_id, point.id).then(must),
		listInteractions(s, team.team_id).then(must),
		listOfficials(s, team.team_id).then(must)
	]);
	const officialNames = new Map(officials.map((o) => [o.id, o.name]));
	const citedIds = new Set(cited.map((c) => c.interaction.id));
	const [assessed] = await assessPoints(s, team.team_id, [point]);
	const byIndicator = new Map(indicators.map((i) => [i.id, i]));
	const evidenceIndicators = [
		...new Set(evidence.flatMap((e) => (e.indicator_id ? [e.indicator_id] : [])))
	];
	const series = must(await seriesByIndicator(s, evidenceIndicators));
	const names = new Map(members.map((mb) => [mb.user_id, mb.display_name]));
	const tree = flatten(buildTree(causes));
	const deletingCause = causes.find((c) => c.id === url.searchParams.get('delete-cause')) ?? null;
	const editingCause = causes.find((c) => c.id === url.searchParams.get('edit-cause')) ?? null;
	const notice = url.searchParams.get('notice');

	return {
		point: {
			id: point.id,
			title: point.title,
			agency_id: point.agency_id,
			agency_name: point.agency_name,
			indicator_id: point.indicator_id,
			indicator: point.indicator,
			goal_id: point.goal_id,
			goal_statement: point.goal_statement,
			goal_target: point.goal_target,
			observed: point.observed,
			affected_who: point.affected_who,
			affected_how: point.affected_how,
			people_affected: point.people_affected,
			team_rating: point.team_rating,
			status: point.status,
			owner_id: point.owner_id,
			owner_name: point.owner_id ? (names.get(point.owner_id) ?? null) : null,
			private_notes: point.private_notes
		},
		assessment: assessed.assessment,
		members: memberOptions(members),
		goals: await goalOptions(s, team.team_id, goals, point.agency_id),
		indicators: indicators.map((i) => ({ value: i.id, label: `${i.agency_name} · ${i.name}` })),
		evidence: evidence.map((e) => {
			const indicator = e.indicator_id ? byIndicator.get(e.indicator_id) : undefined;
			const gap = indicator
				? computeGap(
						series.get(indicator.id) ?? [],
						indicator.direction,
						indicatorTarget(goals, indicator.id)
					)
				: null;
			return {
				...e,
				indicator_name: indicator?.name ?? null,
				unit: indicator?.unit ?? null,
				recent: gap?.recent ?? [],
				consecutive_off: gap?.consecutiveOff ?? 0
			};
		}),
		cited,
		interactions: contacts
			.filter((i) => !citedIds.has(i.id))
			.map((i) => ({ value: i.id, label: `${i.occurred_at.slice(0, 10)} · ${i.title}` })),
		history: history.map((h) => ({ ...h, changed_by_name: h.changed_by_name })),
		causes: tree.map((c) => ({
			id: c.id,
			parent_id: c.parent_id,
			statement: c.statement,
			depth: c.depth,
			created_at: c.created_at
		})),
		deletingCause: deletingCause
			? { ...deletingCause, below: descendantIds(causes, deletingCause.id).size }
			: null,
		editingCause: editingCause
			? {
					...editingCause,
					// Where it may move: not under itself or under its own causes (the database checks too).
					choices: tree
						.filter((c) => c.id !== editingCause.id)
						.map((c) => ({ value: c.id, label: `${'— '.repeat(c.depth)}${c.statement}` }))
				}
			: null,
		pressure: rankPressurePoints(pressure).map((p) => ({
			...p,
			official_name: p.official_id ? (officialNames.get(p.official_id) ?? null) : null
		})),
		officials: officials.map((o) => ({
			value: o.id,
			label: o.office ? `${o.name} (${o.office})` : o.name
		})),
		forces,
		forceTotals: forceTotals(forces),
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

type Event = RequestEvent<{ team: string; point: string }>;

/** Where an action goes afterwards: the point's page with a notice, at the section it changed. */
const done = (event: Event, notice: string, section: string) =>
	redirect(
		303,
		`/t/${event.params.team}/friction/${event.params.point}?notice=${notice}#${section}`
	);

/**
 * The common shape of an action: guard, parse, write, then back to the page. A refusal or bad
 * input comes back beside the field, with what was typed.
 */
async function act<S extends z.ZodType>(
	event: Event,
	action: string,
	schema: S,
	write: (
		data: z.infer<S>,
		point: Awaited<ReturnType<typeof guardPoint>>
	) => Promise<Result<unknown>>,
	notice: string,
	section: string
) {
	const point = await guardPoint(event);
	const values = formValues(await event.request.formData());
	const parsed = schema.safeParse(values);
	if (!parsed.success) return fail(400, { action, values, errors: fieldErrors(parsed.error) });
	const r = await write(parsed.data, point);
	if (r.error !== undefined) return fail(400, { action, values, errors: frictionRefusal(r.error) });
	done(event, notice, section);
}

/** A row id from a form that is one of this friction point's rows of that table, or a 404. */
async function ownPart(
	event: Event,
	list: (
		s: Event['locals']['supabase'],
		team: string,
		point: string
	) => Promise<Result<Array<{ id: string }>>>,
	id: string
) {
	const rows = must(await list(event.locals.supabase, event.params.team, event.params.point));
	if (!rows.some((r) => r.id === id)) error(404, m.error_not_found());
}

function remover(
	table: 'evidence' | 'root_causes' | 'pressure_points' | 'forces' | 'friction_point_interactions',
	list: Parameters<typeof ownPart>[1],
	notice: string,
	section: string
) {
	return (event: Event) =>
		act(
			event,
			`delete-${table}`,
			IdForm,
			async ({ id }) => {
				await ownPart(event, list, id);
				return removePart(event.locals.supabase, table, event.params.team, id);
			},
			notice,
			section
		);
}

export const actions: Actions = {
	update: (event) =>
		act(
			event,
			'update',
			FrictionPointForm,
			(data, point) =>
				updateFrictionPoint(event.locals.supabase, event.params.team, point.id, data),
			'saved',
			'details-heading'
		),

	status: (event) =>
		act(
			event,
			'status',
			StatusForm,
			(data, point) =>
				changeStatus(event.locals.supabase, event.params.team, point.id, data.status, data.note),
			'status',
			'status-heading'
		),

	addDocument: (event) =>
		act(
			event,
			'addDocument',
			DocumentForm,
			(data, point) =>
				addEvidence(event.locals.supabase, event.params.team, point.id, {
					kind: 'document',
					...data
				}),
			'evidence-added',
			'evidence-heading'
		),

	addObservation: (event) =>
		act(
			event,
			'addObservation',
			ObservationForm,
			(data, point) =>
				addEvidence(event.locals.supabase, event.params.team, point.id, {
					kind: 'observation',
					...data
				}),
			'evidence-added',
			'evidence-heading'
		),

	addIndicatorEvidence: (event) =>
		act(
			event,
			'addIndicatorEvidence',
			IndicatorEvidenceForm,
			(data, point) =>
				addEvidence(event.locals.supabase, event.params.team, point.id, {
					kind: 'indicator',
					...data
				}),
			'evidence-added',
			'evidence-heading'
		),

	deleteEvidence: remover('evidence', listEvidence, 'evidence-deleted', 'evidence-heading'),

	addInteractionEvidence: (event) =>
		act(
			event,
			'addInteractionEvidence',
			InteractionEvidenceForm,
			(data, point) => citeInteraction(event.locals.supabase, event.params.team, point.id, data),
			'evidence-added',
			'evidence-heading'
		),

	deleteInteractionEvidence: remover(
		'friction_point_interactions',
		listCitedInteractions,
		'evidence-deleted',
		'evidence-heading'
	),

	addCause: (event) =>
		act(
			event,
			'addCause',
			CauseForm,
			(data, point) => addCause(event.locals.supabase, event.params.team, point.id, data),
			'cause-added',
			'causes-heading'
		),

	editCause: (event) =>
		act(
			event,
			'editCause',
			MoveCauseForm,
			async ({ id, ...patch }) => {
				await ownPart(event, listCauses, id);
				return updateCause(event.locals.supabase, event.params.team, id, patch);
			},
			'cause-saved',
			'causes-heading'
		),

	deleteCause: remover('root_causes', listCauses, 'cause-deleted', 'causes-heading'),

	addPressure: (event) =>
		act(
			event,
			'addPressure',
			PressureForm,
			(data, point) => addPressurePoint(event.locals.supabase, event.params.team, point.id, data),
			'pressure-added',
			'pressure-heading'
		),

	deletePressure: remover(
		'pressure_points',
		listPressurePoints,
		'pressure-deleted',
		'pressure-heading'
	),

	addForce: (event) =>
		act(
			event,
			'addForce',
			ForceForm,
			(data, point) => addForce(event.locals.supabase, event.params.team, point.id, data),
			'force-added',
			'forces-heading'
		),

	deleteForce: remover('forces', listForces, 'force-deleted', 'forces-heading'),

	delete: async (event) => {
		const point = await guardPoint(event);
		const gone = await deleteFrictionPoint(event.locals.supabase, event.params.team, point.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: frictionRefusal(gone.error) });
		redirect(303, `/t/${event.params.team}/friction?notice=deleted`);
	}
};
