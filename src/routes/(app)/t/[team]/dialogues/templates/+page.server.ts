import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { parsePhases, TemplateForm } from '$lib/schemas/dialogues.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import {
	getTemplate,
	listTemplates,
	removeTemplate,
	saveTemplate,
	type TemplatePhase
} from '$lib/server/db/dialogues.ts';
import { canLead, guardUser } from '$lib/server/dialogue-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	if (!canLead(team.role)) error(404, m.error_not_found());
	const templates = await listTemplates(locals.supabase, team.team_id);
	const edit = url.searchParams.get('edit');
	const remove = url.searchParams.get('delete');
	return {
		templates,
		editing: templates.find((t) => t.team_id && t.id === edit) ?? null,
		removing: templates.find((t) => t.team_id && t.id === remove) ?? null,
		saved: url.searchParams.get('saved') === '1',
		deleted: url.searchParams.get('deleted') === '1'
	};
};

const here = (team: string) => `/t/${team}/dialogues/templates`;

export const actions: Actions = {
	copy: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const source = isUuid(values.id)
			? await getTemplate(event.locals.supabase, event.params.team, values.id)
			: null;
		if (!source)
			return fail(400, {
				action: 'copy',
				errors: oneError('form', m.dialogues_db_template_gone())
			});
		const made = await saveTemplate(event.locals.supabase, event.params.team, null, {
			name: m.dialogues_template_copy_name({ name: source.name }).slice(0, 200),
			description: source.description,
			phases: source.phases
		});
		if (made.error !== undefined)
			return fail(400, { action: 'copy', errors: oneError('form', made.error) });
		redirect(303, `${here(event.params.team)}?edit=${made.data.id}#edit-heading`);
	},

	save: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		const id = isUuid(values.id) ? values.id : null;
		const parsed = TemplateForm.safeParse(values);
		const phases = parsePhases(values);
		const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...phases.errors };
		if (!parsed.success || Object.keys(errors).length) {
			return fail(400, { action: 'save', values, errors });
		}
		const saved = await saveTemplate(event.locals.supabase, event.params.team, id, {
			...parsed.data,
			phases: phases.phases as TemplatePhase[]
		});
		if (saved.error !== undefined) {
			return fail(400, { action: 'save', values, errors: oneError('form', saved.error) });
		}
		redirect(303, `${here(event.params.team)}?edit=${saved.data.id}&saved=1#edit-heading`);
	},

	remove: async (event) => {
		await guardUser(event);
		const values = formValues(await event.request.formData());
		if (!isUuid(values.id))
			return fail(400, {
				action: 'remove',
				errors: oneError('form', m.dialogues_db_template_gone())
			});
		const gone = await removeTemplate(event.locals.supabase, event.params.team, values.id);
		if (gone.error !== undefined)
			return fail(400, { action: 'remove', errors: oneError('form', gone.error) });
		redirect(303, `${here(event.params.team)}?deleted=1`);
	}
};
