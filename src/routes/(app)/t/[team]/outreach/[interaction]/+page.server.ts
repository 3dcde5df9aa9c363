import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { todayUtc } from '$lib/outreach/follow-ups.ts';
import { isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { followUpForm, interactionForm } from '$lib/schemas/officials.ts';
import { listAgencies, listIndicators } from '$lib/server/db/agency.ts';
import { listCitingPoints, teamGoals } from '$lib/server/db/friction.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import {
	addFollowUp,
	deleteInteraction,
	getConfidentialNote,
	getInteraction,
	listCommitments,
	listFollowUps,
	saveConfidentialNote,
	updateInteraction
} from '$lib/server/db/outreach.ts';
import {
	actionTeam,
	saveCommitmentStatus,
	saveFollowUpDone,
	canManage,
	goalChoices,
	saveCommitment,
	followUpItems,
	must,
	people
} from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set([
	'interaction-logged',
	'interaction-saved',
	'confidential-saved',
	'commitment-added',
	'commitment-saved',
	'follow-up-added'
]);

/** The day an interaction took place (UTC), for "a follow-up cannot be due before it". */
const dayOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

/** datetime-local text for a stored instant (UTC; the form's hidden offset says so). */
const localText = (iso: string) => new Date(iso).toISOString().slice(0, 16);

export const load: PageServerLoad = async ({ locals, params, parent, url }) => {
	const { team } = await parent();
	if (!isUuid(params.interaction)) error(404, m.error_not_found());
	const sb = locals.supabase;
	const interaction = must(await getInteraction(sb, team.team_id, params.interaction));
	if (!interaction) error(404, m.error_not_found());
	const { user } = await locals.safeGetSession();
	const leader = team.role === 'leader';
	const [officials, members, agencies, indicators, commitments, followUps, confidential] =
		await Promise.all([
			listOfficials(sb, team.team_id).then(must),
			people(sb, team.team_id),
			listAgencies(sb, team.team_id).then(must),
			listIndicators(sb, team.team_id).then(must),
			listCommitments(sb, team.team_id, { interactionId: interaction.id }).then(must),
			listFollowUps(sb, team.team_id, { interactionId: interaction.id }).then(must),
			// Only leaders ask; the table's RLS would answer nobody else anyway.
			leader ? getConfidentialNote(sb, interaction.id).then(must) : Promise.resolve(null)
		]);
	const citing = must(await listCitingPoints(sb, team.team_id, interaction.id));
	const goals = must(await teamGoals(sb, team.team_id));
	const goalById = new Map(goals.map((g) => [g.id, g]));
	const names = new Map(members.map((p) => [p.user_id, p.name]));
	const officialNames = new Map(officials.map((o) => [o.id, o.name]));
	const present = interaction.interaction_participants;
	const presentOfficials = present
		.map((p) => p.official_id)
		.filter((id): id is string => !!id && officialNames.has(id));
	const viewer = { id: user?.id ?? '', role: team.role };
	const canEdit = canManage(team.role) || interaction.created_by === viewer.id;
	const notice = url.searchParams.get('notice');
	return {
		interaction: {
			...interaction,
			agency: agencies.find((a) => a.id === interaction.agency_id)?.name ?? null,
			officials: presentOfficials.map((id) => ({ id, name: officialNames.get(id)! })),
			members: present
				.map((p) => (p.user_id ? (names.get(p.user_id) ?? null) : null))
				.filter((n): n is string => !!n),
			logged_by: interaction.created_by ? (names.get(interaction.created_by) ?? null) : null
		},
		editValues: {
			type: interaction.type,
			status: interaction.status,
			occurred_local: localText(interaction.occurred_at),
			title: interaction.title,
			location: interaction.location,
			purpose: interaction.purpose,
			asks: interaction.asks,
			response: interaction.response,
			next_steps: interaction.next_steps,
			atmosphere: interaction.atmosphere,
			atmosphere_reason: interaction.atmosphere_reason,
			agency_id: interaction.agency_id
		},
		confidential,
		citing,
		leader,
		canEdit,
		canManage: canManage(team.role),
		commitments: commitments.map((c) => ({
			...c,
			official: officialNames.get(c.official_id) ?? null,
			goal: c.goal_id ? (goalById.get(c.goal_id)?.statement ?? null) : null,
			indicator: null,
			movement: null
		})),
		followUps: followUpItems(followUps, names, new Map(), viewer),
		today: todayUtc(),
		day: dayOf(interaction.occurred_at),
		// Officials present first: promises are usually theirs.
		officialChoices: [
			...presentOfficials.map((id) => ({ value: id, label: officialNames.get(id)! })),
			...officials
				.filter((o) => !presentOfficials.includes(o.id))
				.map((o) => ({ value: o.id, label: o.name }))
		],
		assignees: (canManage(team.role)
			? members
			: members.filter((p) => p.user_id === viewer.id)
		).map((p) => ({ value: p.user_id, label: p.name })),
		viewerId: viewer.id,
		indicators: indicators.map((i) => ({ value: i.id, label: `${i.name} (${i.agency_name})` })),
		goals: goalChoices(goals, new Map(indicators.map((i) => [i.id, i.name]))),
		agencies: agencies.map((a) => ({ id: a.id, name: a.name })),
		confirmDelete: url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

type Event = RequestEvent<{ team: string; interaction: string }>;

async function guard(event: Event) {
	const { user, team } = await actionTeam(
		event,
		`/t/${event.params.team}/outreach/${event.params.interaction}`
	);
	if (!isUuid(event.params.interaction)) error(404, m.error_not_found());
	const interaction = must(
		await getInteraction(event.locals.supabase, team.team_id, event.params.interaction)
	);
	if (!interaction) error(404, m.error_not_found());
	return { user, team, interaction };
}

const here = (e: Event, notice: string) =>
	`/t/${e.params.team}/outreach/${e.params.interaction}?notice=${notice}`;

export const actions: Actions = {
	update: async (event) => {
		const { interaction } = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = interactionForm(Date.now(), interaction.occurred_at).safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'update', values, errors: fieldErrors(parsed.error) });
		const { confidential: _c, ...fields } = parsed.data;
		const saved = await updateInteraction(event.locals.supabase, interaction.id, fields);
		if (saved.error !== undefined)
			return fail(400, { action: 'update', values, errors: outreachRefusal(saved.error) });
		redirect(303, here(event, 'interaction-saved'));
	},

	confidential: async (event) => {
		const { team, interaction } = await guard(event);
		const values = formValues(await event.request.formData());
		if (team.role !== 'leader')
			return fail(400, {
				action: 'confidential',
				values: {},
				errors: outreachRefusal('only a leader can write a confidential note')
			});
		const body = values.confidential?.trim() || null;
		if (body && body.length > 8000)
			return fail(400, {
				action: 'confidential',
				values,
				errors: { confidential: m.data_error_too_long({ max: 8000 }) }
			});
		const saved = await saveConfidentialNote(
			event.locals.supabase,
			team.team_id,
			interaction.id,
			body
		);
		if (saved.error !== undefined)
			return fail(400, { action: 'confidential', values, errors: outreachRefusal(saved.error) });
		redirect(303, here(event, 'confidential-saved'));
	},

	delete: async (event) => {
		const { interaction } = await guard(event);
		const gone = await deleteInteraction(event.locals.supabase, interaction.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'delete', values: {}, errors: outreachRefusal(gone.error) });
		redirect(303, `/t/${event.params.team}/outreach`);
	},

	addCommitment: async (event) => {
		const { team, interaction } = await guard(event);
		return saveCommitment(event, team.team_id, {
			interactionId: interaction.id,
			back: here(event, 'commitment-added')
		});
	},

	commitmentStatus: async (event) => {
		await guard(event);
		return saveCommitmentStatus(
			event,
			`/t/${event.params.team}/outreach/${event.params.interaction}`
		);
	},

	addFollowUp: async (event) => {
		const { team, interaction } = await guard(event);
		const values = formValues(await event.request.formData());
		const parsed = followUpForm(dayOf(interaction.occurred_at)).safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'addFollowUp', values, errors: fieldErrors(parsed.error) });
		const made = await addFollowUp(event.locals.supabase, team.team_id, {
			...parsed.data,
			interaction_id: interaction.id
		});
		if (made.error !== undefined)
			return fail(400, { action: 'addFollowUp', values, errors: outreachRefusal(made.error) });
		redirect(303, here(event, 'follow-up-added'));
	},

	followUpDone: async (event) => {
		await guard(event);
		return saveFollowUpDone(event);
	}
};
