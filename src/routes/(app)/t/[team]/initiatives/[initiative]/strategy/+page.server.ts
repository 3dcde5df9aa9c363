import { IdForm, StrategyItemForm, TacticForm, TargetForm } from '$lib/schemas/initiatives.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import {
	addPart,
	listStrategyItems,
	listTactics,
	listTargets,
	removePart
} from '$lib/server/db/initiatives.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { must } from '$lib/server/agency-pages.ts';
import { act, guardInitiative } from '$lib/server/initiative-pages.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'line-added',
	'line-deleted',
	'target-added',
	'target-deleted',
	'tactic-added',
	'tactic-deleted'
]);

export const load: PageServerLoad = async (event) => {
	const { team } = await event.parent();
	const i = await guardInitiative(event);
	const s = event.locals.supabase;
	const [items, targets, tactics, officials, agencies] = await Promise.all([
		listStrategyItems(s, team.team_id, i.id).then(must),
		listTargets(s, team.team_id, i.id).then(must),
		listTactics(s, team.team_id, i.id).then(must),
		listOfficials(s, team.team_id).then(must),
		listAgencies(s, team.team_id).then(must)
	]);
	const taken = new Set(targets.map((t) => t.official_id ?? t.agency_id));
	const notice = event.url.searchParams.get('notice');
	return {
		items,
		targets,
		tactics,
		targetChoices: [
			...officials
				.filter((o) => !taken.has(o.id))
				.map((o) => ({
					value: `official:${o.id}`,
					label: [o.name, o.title, o.office].filter(Boolean).join(' · ')
				})),
			...agencies
				.filter((a) => !taken.has(a.id))
				.map((a) => ({ value: `agency:${a.id}`, label: a.name }))
		],
		hasDirectory: officials.length + agencies.length > 0,
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

const PATH = '/strategy';

export const actions: Actions = {
	addItem: (event) =>
		act(
			event,
			'addItem',
			StrategyItemForm,
			(data, i) =>
				addPart(event.locals.supabase, 'initiative_strategy_items', event.params.team, i.id, data),
			'line-added',
			PATH
		),
	deleteItem: (event) =>
		act(
			event,
			'delete-initiative_strategy_items',
			IdForm,
			({ id }, i) =>
				removePart(event.locals.supabase, 'initiative_strategy_items', event.params.team, i.id, id),
			'line-deleted',
			PATH
		),
	addTarget: (event) =>
		act(
			event,
			'addTarget',
			TargetForm,
			({ target, role, note }, i) =>
				addPart(event.locals.supabase, 'initiative_targets', event.params.team, i.id, {
					...target,
					role,
					note
				}),
			'target-added',
			PATH
		),
	deleteTarget: (event) =>
		act(
			event,
			'delete-initiative_targets',
			IdForm,
			({ id }, i) =>
				removePart(event.locals.supabase, 'initiative_targets', event.params.team, i.id, id),
			'target-deleted',
			PATH
		),
	addTactic: (event) =>
		act(
			event,
			'addTactic',
			TacticForm,
			(data, i) => addPart(event.locals.supabase, 'tactics', event.params.team, i.id, data),
			'tactic-added',
			PATH
		),
	deleteTactic: (event) =>
		act(
			event,
			'delete-tactics',
			IdForm,
			({ id }, i) => removePart(event.locals.supabase, 'tactics', event.params.team, i.id, id),
			'tactic-deleted',
			PATH
		)
};
