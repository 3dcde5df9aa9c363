import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { conflicts } from '$lib/outreach/dedupe.ts';
import { isUuid } from '$lib/schemas/agency.ts';
import { formValues } from '$lib/schemas/form.ts';
import {
	getOfficial,
	MERGE_FIELDS,
	mergeOfficials,
	type MergeField,
	type Official
} from '$lib/server/db/officials.ts';
import { listAgencies } from '$lib/server/db/agency.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import { actionTeam, must, people, requireManager } from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	requireManager(team.role);
	const keepId = url.searchParams.get('keep');
	const removeId = url.searchParams.get('duplicate');
	if (!isUuid(keepId) || !isUuid(removeId) || keepId === removeId) error(404, m.error_not_found());
	const [keep, remove] = await Promise.all([
		getOfficial(locals.supabase, team.team_id, keepId).then(must),
		getOfficial(locals.supabase, team.team_id, removeId).then(must)
	]);
	if (!keep || !remove) error(404, m.error_not_found());
	const differing = conflicts(keep, remove, MERGE_FIELDS);
	const [agencies, members] = await Promise.all([
		listAgencies(locals.supabase, team.team_id).then(must),
		people(locals.supabase, team.team_id)
	]);
	// Ids are shown as the names they stand for, so the choice is between things people know.
	const names = new Map([
		...agencies.map((a) => [a.id, a.name] as const),
		...members.map((p) => [p.user_id, p.name] as const)
	]);
	const shown = (o: Official, f: MergeField) => {
		const v = o[f];
		if (v === null) return null;
		return names.get(String(v)) ?? String(v);
	};
	return {
		keep,
		remove,
		fields: MERGE_FIELDS.map((f) => ({
			field: f,
			keep: shown(keep, f),
			remove: shown(remove, f),
			conflict: differing.includes(f)
		}))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/officials`);
		requireManager(team.role);
		const values = formValues(await event.request.formData());
		if (!isUuid(values.keep) || !isUuid(values.duplicate)) error(404, m.error_not_found());
		const fromRemoved = MERGE_FIELDS.filter(
			(f) => values[`choice_${f}`] === 'remove'
		) as MergeField[];
		const merged = await mergeOfficials(
			event.locals.supabase,
			values.keep,
			values.duplicate,
			fromRemoved
		);
		if (merged.error !== undefined)
			return fail(400, { values, errors: outreachRefusal(merged.error) });
		redirect(303, `/t/${event.params.team}/officials/${values.keep}?notice=merged`);
	}
};
