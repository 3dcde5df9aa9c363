import { fail, redirect } from '@sveltejs/kit';
import { forceTotals } from '$lib/friction/pressure.ts';
import { smartChecks } from '$lib/initiatives/smart.ts';
import { ForceForm } from '$lib/schemas/friction.ts';
import {
	FrictionLinkForm,
	IdForm,
	InitiativeForm,
	InteractionLinkForm,
	MilestoneForm,
	StatusForm
} from '$lib/schemas/initiatives.ts';
import { listIndicators } from '$lib/server/db/agency.ts';
import {
	addPart,
	frictionChoices,
	interactionChoices,
	listForces,
	listFrictionLinks,
	listLinkedInteractions,
	listMilestones,
	removePart,
	setInitiativeDeleted,
	statusHistory,
	updateInitiative,
	updatePart
} from '$lib/server/db/initiatives.ts';
import { listTasks } from '$lib/server/db/tasks.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { must } from '$lib/server/agency-pages.ts';
import { act, guardInitiative, progressOf } from '$lib/server/initiative-pages.ts';
import { milestoneProgress } from '$lib/initiatives/milestones.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'created',
	'restored',
	'saved',
	'status',
	'point-linked',
	'point-unlinked',
	'milestone-added',
	'milestone-saved',
	'milestone-deleted',
	'interaction-linked',
	'interaction-unlinked',
	'force-added',
	'force-deleted'
]);

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	const { team } = await event.parent();
	const i = await guardInitiative(event);
	const s = locals.supabase;
	const [
		indicators,
		points,
		links,
		milestones,
		tasks,
		linked,
		choices,
		forces,
		history,
		officials
	] = await Promise.all([
		listIndicators(s, team.team_id).then(must),
		frictionChoices(s, team.team_id).then(must),
		listFrictionLinks(s, team.team_id, i.id).then(must),
		listMilestones(s, team.team_id, i.id).then(must),
		listTasks(s, team.team_id, i.id).then(must),
		listLinkedInteractions(s, team.team_id, i.id).then(must),
		interactionChoices(s, team.team_id).then(must),
		listForces(s, team.team_id, i.id).then(must),
		statusHistory(s, team.team_id, i.id).then(must),
		listOfficials(s, team.team_id).then(must)
	]);
	const { progress, points: series } = (await progressOf(s, [i])).get(i.id)!;
	const titles = new Map(points.map((p) => [p.id, p.title]));
	const officialNames = new Map(officials.map((o) => [o.id, o.name]));
	const linkedIds = new Set(linked.map((l) => l.id));
	const notice = url.searchParams.get('notice');
	return {
		details: {
			title: i.title,
			problem: i.problem,
			vision: i.vision,
			mission: i.mission,
			objective: i.objective,
			indicator_id: i.indicator_id,
			baseline_value: i.baseline_value,
			baseline_date: i.baseline_date,
			target_value: i.target_value,
			start_date: i.start_date,
			deadline: i.deadline,
			sensitive_notes: i.sensitive_notes,
			status: i.status,
			reflection: i.reflection
		},
		indicator: i.indicator,
		indicators: indicators.map((x) => ({ value: x.id, label: `${x.agency_name} · ${x.name}` })),
		smart: smartChecks({
			objective: i.objective,
			indicatorId: i.indicator_id,
			direction: i.indicator?.direction ?? null,
			baseline: i.baseline_value,
			target: i.target_value,
			deadline: i.deadline,
			startDate: i.start_date,
			frictionPoints: links.length,
			hasData: series.length > 0
		}),
		progress,
		series: series.map((p) => ({ x: p.period_end, start: p.period_start, y: p.value })),
		problemPoints: links.map((l) => ({
			link_id: l.id,
			id: l.friction_point_id,
			title: titles.get(l.friction_point_id) ?? ''
		})),
		pointChoices: points
			.filter((p) => !links.some((l) => l.friction_point_id === p.id))
			.map((p) => ({ value: p.id, label: p.title })),
		milestones: milestoneProgress(milestones, tasks),
		taskCount: tasks.length,
		interactions: linked.map((l) => ({
			...l,
			commitments: l.commitments.map((c) => ({
				...c,
				official_name: officialNames.get(c.official_id) ?? ''
			}))
		})),
		interactionChoices: choices
			.filter((c) => !linkedIds.has(c.id))
			.map((c) => ({ value: c.id, label: `${c.occurred_at.slice(0, 10)} · ${c.title}` })),
		forces,
		forceTotals: forceTotals(forces),
		history,
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

export const actions: Actions = {
	save: (event) =>
		act(
			event,
			'save',
			InitiativeForm,
			(data, i) => updateInitiative(event.locals.supabase, event.params.team, i.id, data),
			'saved'
		),

	status: (event) =>
		act(
			event,
			'status',
			StatusForm,
			(data, i) =>
				updateInitiative(event.locals.supabase, event.params.team, i.id, {
					status: data.status,
					status_note: data.note,
					reflection: data.reflection
				}),
			'status'
		),

	linkPoint: (event) =>
		act(
			event,
			'linkPoint',
			FrictionLinkForm,
			(data, i) =>
				addPart(event.locals.supabase, 'initiative_friction_points', event.params.team, i.id, data),
			'point-linked'
		),

	unlinkPoint: (event) =>
		act(
			event,
			'delete-initiative_friction_points',
			IdForm,
			({ id }, i) =>
				removePart(
					event.locals.supabase,
					'initiative_friction_points',
					event.params.team,
					i.id,
					id
				),
			'point-unlinked'
		),

	addMilestone: (event) =>
		act(
			event,
			'addMilestone',
			MilestoneForm,
			(data, i) => addPart(event.locals.supabase, 'milestones', event.params.team, i.id, data),
			'milestone-added'
		),

	reachMilestone: (event) =>
		act(
			event,
			'reachMilestone',
			IdForm,
			({ id }, i) =>
				updatePart(event.locals.supabase, 'milestones', event.params.team, i.id, id, {
					reached_on: new Date().toISOString().slice(0, 10)
				}),
			'milestone-saved'
		),

	reopenMilestone: (event) =>
		act(
			event,
			'reopenMilestone',
			IdForm,
			({ id }, i) =>
				updatePart(event.locals.supabase, 'milestones', event.params.team, i.id, id, {
					reached_on: null
				}),
			'milestone-saved'
		),

	deleteMilestone: (event) =>
		act(
			event,
			'delete-milestones',
			IdForm,
			({ id }, i) => removePart(event.locals.supabase, 'milestones', event.params.team, i.id, id),
			'milestone-deleted'
		),

	linkInteraction: (event) =>
		act(
			event,
			'linkInteraction',
			InteractionLinkForm,
			(data, i) =>
				addPart(event.locals.supabase, 'interaction_initiatives', event.params.team, i.id, data),
			'interaction-linked'
		),

	unlinkInteraction: (event) =>
		act(
			event,
			'delete-interaction_initiatives',
			IdForm,
			({ id }, i) =>
				removePart(event.locals.supabase, 'interaction_initiatives', event.params.team, i.id, id),
			'interaction-unlinked'
		),

	// The friction map's force-field form and names, so its ForceField component serves here too.
	addForce: (event) =>
		act(
			event,
			'addForce',
			ForceForm,
			(data, i) => addPart(event.locals.supabase, 'forces', event.params.team, i.id, data),
			'force-added'
		),

	deleteForce: (event) =>
		act(
			event,
			'delete-forces',
			IdForm,
			({ id }, i) => removePart(event.locals.supabase, 'forces', event.params.team, i.id, id),
			'force-deleted'
		),

	delete: async (event) => {
		const i = await guardInitiative(event);
		const r = await setInitiativeDeleted(event.locals.supabase, event.params.team, i.id, true);
		if (r.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: { form: r.error } });
		redirect(303, `/t/${event.params.team}/initiatives?notice=deleted`);
	}
};
