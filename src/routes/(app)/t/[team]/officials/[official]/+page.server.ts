import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { cadenceState, todayUtc } from '$lib/outreach/follow-ups.ts';
import { lastContacts } from '$lib/outreach/dashboard.ts';
import { movementAfter } from '$lib/outreach/movement.ts';
import { IdForm, isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { OfficialForm, StaffForm } from '$lib/schemas/officials.ts';
import { indicatorSeries, listAgencies, listIndicators } from '$lib/server/db/agency.ts';
import { teamGoals } from '$lib/server/db/friction.ts';
import { num, targetGoal } from '$lib/server/agency-pages.ts';
import {
	addStaff,
	deleteOfficial,
	getOfficial,
	listMerges,
	listOfficials,
	listStaff,
	removeStaff,
	stanceHistory,
	updateOfficial
} from '$lib/server/db/officials.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import {
	contactTimes,
	listCommitments,
	listFollowUps,
	listInteractions
} from '$lib/server/db/outreach.ts';
import {
	actionTeam,
	canManage,
	goalChoices,
	saveCommitment,
	saveCommitmentStatus,
	saveFollowUpDone,
	followUpItems,
	must,
	people,
	requireManager
} from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'official-created',
	'official-saved',
	'staff-added',
	'commitment-added',
	'commitment-saved',
	'merged'
]);

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	if (!isUuid(params.official)) error(404, m.error_not_found());
	const sb = locals.supabase;
	const official = must(await getOfficial(sb, team.team_id, params.official));
	if (!official) error(404, m.error_not_found());
	const { user } = await locals.safeGetSession();
	const [
		staff,
		history,
		merges,
		interactions,
		commitments,
		followUps,
		members,
		agencies,
		indicators,
		others,
		contacts
	] = await Promise.all([
		listStaff(sb, official.id).then(must),
		stanceHistory(sb, official.id).then(must),
		listMerges(sb, official.id).then(must),
		listInteractions(sb, team.team_id, { officialId: official.id }).then(must),
		listCommitments(sb, team.team_id, { officialId: official.id }).then(must),
		listFollowUps(sb, team.team_id, { officialId: official.id }).then(must),
		people(sb, team.team_id),
		listAgencies(sb, team.team_id).then(must),
		listIndicators(sb, team.team_id).then(must),
		listOfficials(sb, team.team_id).then(must),
		contactTimes(sb, team.team_id).then(must)
	]);
	const today = todayUtc();
	const names = new Map(members.map((p) => [p.user_id, p.name]));
	const titles = new Map(interactions.map((i) => [i.id, i.title]));
	const indicatorById = new Map(indicators.map((i) => [i.id, i]));
	// Whether each linked indicator moved after the promise (before vs after its day).
	const linked = [
		...new Set(commitments.map((c) => c.indicator_id).filter((x): x is string => !!x))
	];
	const points = linked.length ? must(await indicatorSeries(sb, linked)) : [];
	const goals = must(await teamGoals(sb, team.team_id));
	const goalById = new Map(goals.map((g) => [g.id, g]));
	const last = lastContacts(contacts).get(official.id) ?? null;
	const notice = url.searchParams.get('notice');
	return {
		official,
		agencyName: agencies.find((a) => a.id === official.agency_id)?.name ?? null,
		pointPerson: official.point_person_id ? (names.get(official.point_person_id) ?? null) : null,
		cadence: cadenceState(official.cadence_days, last, today),
		lastContact: last,
		staff,
		history,
		merges: merges.map((r) => ({
			id: r.id,
			merged_at: r.merged_at,
			name: r.removed_official.name ?? '',
			office: r.removed_official.office ?? null,
			email: r.removed_official.email ?? null,
			phone: r.removed_official.phone ?? null
		})),
		interactions: interactions.map((i) => ({
			id: i.id,
			title: i.title,
			type: i.type,
			status: i.status,
			occurred_at: i.occurred_at
		})),
		commitments: commitments.map((c) => {
			const ind = c.indicator_id ? indicatorById.get(c.indicator_id) : undefined;
			const series = points
				.filter((p) => p.indicator_id === c.indicator_id)
				.map((p) => ({ period_end: p.period_end, value: Number(p.value) }));
			const target = ind ? num(targetGoal(goals, ind.id)?.target_value) : null;
			return {
				...c,
				indicator: ind ? ind.name : null,
				goal: c.goal_id ? (goalById.get(c.goal_id)?.statement ?? null) : null,
				movement: ind ? movementAfter(series, c.made_on, ind.direction, target).movement : null
			};
		}),
		followUps: followUpItems(followUps, names, titles, { id: user?.id ?? '', role: team.role }),
		today,
		members: members.map(({ user_id, name }) => ({ user_id, name })),
		agencies: agencies.map((a) => ({ id: a.id, name: a.name })),
		indicators: indicators.map((i) => ({ id: i.id, name: `${i.name} (${i.agency_name})` })),
		goals: goalChoices(goals, new Map(indicators.map((i) => [i.id, i.name]))),
		others: others
			.filter((o) => o.id !== official.id)
			.map((o) => ({ id: o.id, name: o.office ? `${o.name}, ${o.office}` : o.name })),
		canManage: canManage(team.role),
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

type Event = RequestEvent<{ team: string; official: string }>;

/** Every action re-checks the session, the team and that the official is the team's. */
async function guard(event: Event) {
	const { user, team } = await actionTeam(
		event,
		`/t/${event.params.team}/officials/${event.params.official}`
	);
	if (!isUuid(event.params.official)) error(404, m.error_not_found());
	const official = must(
		await getOfficial(event.locals.supabase, team.team_id, event.params.official)
	);
	if (!official) error(404, m.error_not_found());
	return { user, team, official };
}

const here = (e: Event, notice: string) =>
	`/t/${e.params.team}/officials/${e.params.official}?notice=${notice}`;

export const actions: Actions = {
	update: async (event) => {
		const { team, official } = await guard(event);
		requireManager(team.role);
		const values = formValues(await event.request.formData());
		const parsed = OfficialForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		const saved = await updateOfficial(event.locals.supabase, official.id, parsed.data);
		if (saved.error !== undefined)
			return fail(400, { action: 'update', values, errors: outreachRefusal(saved.error) });
		redirect(303, here(event, 'official-saved'));
	},

	delete: async (event) => {
		const { team, official } = await guard(event);
		requireManager(team.role);
		const gone = await deleteOfficial(event.locals.supabase, official.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: outreachRefusal(gone.error) });
		redirect(303, `/t/${event.params.team}/officials?notice=official-deleted`);
	},

	addStaff: async (event) => {
		const { team, official } = await guard(event);
		requireManager(team.role);
		const values = formValues(await event.request.formData());
		const parsed = StaffForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'addStaff', values, errors: fieldErrors(parsed.error) });
		const made = await addStaff(event.locals.supabase, team.team_id, official.id, parsed.data);
		if (made.error !== undefined)
			return fail(400, { action: 'addStaff', values, errors: outreachRefusal(made.error) });
		redirect(303, here(event, 'staff-added'));
	},

	removeStaff: async (event) => {
		const { team, official } = await guard(event);
		requireManager(team.role);
		const values = formValues(await event.request.formData());
		const id = IdForm.safeParse(values);
		if (!id.success) error(404, m.error_not_found());
		const staff = must(await listStaff(event.locals.supabase, official.id));
		const removed = staff.find((s) => s.id === id.data.id);
		const gone = await removeStaff(event.locals.supabase, official.id, id.data.id);
		if (gone.error !== undefined || !removed)
			return fail(400, {
				action: 'removeStaff',
				values,
				errors: outreachRefusal(gone.error ?? 'that staff member does not exist')
			});
		// What was removed, so the page can offer to put it back (undo).
		const { name, role, email, phone } = removed;
		return { action: 'removeStaff', removed: { name, role, email, phone } };
	},

	addCommitment: async (event) => {
		const { team, official } = await guard(event);
		requireManager(team.role);
		return saveCommitment(event, team.team_id, {
			officialId: official.id,
			interactionId: null,
			back: here(event, 'commitment-added')
		});
	},

	commitmentStatus: async (event) => {
		await guard(event);
		return saveCommitmentStatus(
			event,
			`/t/${event.params.team}/officials/${event.params.official}`
		);
	},

	followUpDone: async (event) => {
		await guard(event);
		return saveFollowUpDone(event);
	}
};
