import { fail, redirect } from '@sveltejs/kit';
import { cadenceState, contactLate, isOverdue, todayUtc } from '$lib/outreach/follow-ups.ts';
import { lastContacts, powerGrid } from '$lib/outreach/dashboard.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { OfficialForm } from '$lib/schemas/officials.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import { createOfficial, listOfficials } from '$lib/server/db/officials.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import { contactTimes, listFollowUps } from '$lib/server/db/outreach.ts';
import { actionTeam, canManage, must, people, requireManager } from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = new Set(['official-deleted', 'imported', 'merged']);

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const sb = locals.supabase;
	const [officials, contacts, followUps, members, agencies] = await Promise.all([
		listOfficials(sb, team.team_id).then(must),
		contactTimes(sb, team.team_id).then(must),
		listFollowUps(sb, team.team_id, { open: true }).then(must),
		people(sb, team.team_id),
		listAgencies(sb, team.team_id).then(must)
	]);
	const today = todayUtc();
	const last = lastContacts(contacts);
	const names = new Map(members.map((p) => [p.user_id, p.name]));
	const rows = officials.map((o) => {
		const cadence = cadenceState(o.cadence_days, last.get(o.id) ?? null, today);
		return {
			id: o.id,
			name: o.name,
			title: o.title,
			office: o.office,
			stance: o.stance,
			influence: o.influence,
			interest: o.interest,
			point_person_id: o.point_person_id,
			cadence_days: o.cadence_days,
			point_person: o.point_person_id ? (names.get(o.point_person_id) ?? null) : null,
			last_contact: last.get(o.id) ?? null,
			late: contactLate(cadence),
			overdue: followUps.filter((f) => f.official_id === o.id && isOverdue(f, today)).length
		};
	});
	const notice = url.searchParams.get('notice');
	return {
		officials: rows,
		grid: powerGrid(rows).map((r) =>
			r.map((cell) => cell.map((o) => ({ id: o.id, name: o.name })))
		),
		members: members.map(({ user_id, name }) => ({ user_id, name })),
		agencies: agencies.map((a) => ({ id: a.id, name: a.name })),
		canManage: canManage(team.role),
		notice: notice && NOTICES.has(notice) ? notice : null,
		added: Number(url.searchParams.get('added') ?? 0),
		merged: Number(url.searchParams.get('merged') ?? 0)
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/officials`);
		requireManager(team.role);
		const values = formValues(await event.request.formData());
		const parsed = OfficialForm.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const made = await createOfficial(event.locals.supabase, event.params.team, parsed.data);
		if (made.error !== undefined) return fail(400, { values, errors: outreachRefusal(made.error) });
		redirect(303, `/t/${event.params.team}/officials/${made.data.id}?notice=official-created`);
	}
};
