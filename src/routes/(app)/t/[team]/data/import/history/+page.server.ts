import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { must } from '$lib/server/agency-pages.ts';
import { listImports, undoImport } from '$lib/server/db/agency.ts';
import { importRefusal } from '$lib/server/db/agency-messages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const { user } = await locals.safeGetSession();
	// The importer's name where RLS shows it (teammates); others read as "someone".
	const imports = must(await listImports(locals.supabase, team.team_id)).map(
		({ mapping: _, importer_name, ...i }) => ({ ...i, who: importer_name })
	);
	// The confirmation is a plain link (`?undo=<id>`), so undo works without JavaScript too.
	const undoing = url.searchParams.get('undo');
	const deleted = url.searchParams.get('deleted');
	const restored = url.searchParams.get('restored');
	return {
		imports,
		me: user?.id ?? '',
		confirmUndo:
			imports.find(
				(i) =>
					i.id === undoing &&
					i.status === 'committed' &&
					(team.role === 'leader' || i.imported_by === user?.id)
			) ?? null,
		notice:
			deleted !== null && restored !== null
				? m.import_history_undone_notice({
						deleted: Number(deleted) || 0,
						restored: Number(restored) || 0
					})
				: null
	};
};

const UndoForm = z.object({ import_id: z.uuid() });

export const actions: Actions = {
	undo: async ({ request, locals, params }) => {
		const { user } = await locals.safeGetSession();
		if (!user) redirect(303, '/sign-in?reason=session-ended');
		const form = await request.formData();
		const parsed = UndoForm.safeParse({ import_id: form.get('import_id') });
		if (!parsed.success) error(400, m.import_history_not_found());
		const out = await undoImport(locals.supabase, parsed.data.import_id);
		if (out.error !== undefined)
			return fail(400, { importId: parsed.data.import_id, error: importRefusal(out.error) });
		const { deleted, restored } = out.data;
		redirect(303, `/t/${params.team}/data/import/history?deleted=${deleted}&restored=${restored}`);
	}
};
