import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { describeTeamError } from '$lib/server/db/teams.ts';
import { discardUpload, importTeamArchive, stageArchiveRows } from '$lib/server/team-archive.ts';
import { ImportApiRequest } from '$lib/team-archive/api-schema.ts';
import type { RequestHandler } from './$types';

const problem = (status: number, error: string, extra: Record<string, unknown> = {}) =>
	json({ error, ...extra }, { status, headers: { 'cache-control': 'no-store' } });

/** The database's refusal of an archive as one sentence, or null for a real fault. */
function refusal(e: unknown): { error: string; field?: 'team_name' } | null {
	const known = describeTeamError(e);
	if (known)
		return known.field === 'name'
			? { error: known.message, field: 'team_name' }
			: { error: known.message };
	const err = e as { code?: string; message?: string } | null;
	// Constraint and type violations: rows that do not fit this instance (a reference to a row the
	// archive does not hold, a value out of range). Nothing was saved: the function is one transaction.
	if (err?.message && /^(23|22)/.test(err.code ?? ''))
		return { error: m.archive_import_db_refused({ detail: err.message }) };
	return null;
}

/**
 * The import page's only way to the database: stage chunks of rows, then create the team from
 * them in one transaction. JSON only (a cross-site form cannot send it without a preflight).
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const { user } = await locals.safeGetSession();
	if (!user) return problem(401, m.archive_import_api_signed_out());
	if (!request.headers.get('content-type')?.startsWith('application/json'))
		return problem(415, m.archive_import_api_json_only());
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return problem(400, m.archive_import_api_bad_request({ where: '-' }));
	}
	const parsed = ImportApiRequest.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return problem(400, m.archive_import_api_bad_request({ where: issue.path.join('.') || '-' }));
	}
	const req = parsed.data;
	try {
		switch (req.action) {
			case 'stage':
				await stageArchiveRows(locals.supabase, req.upload_id, req.table, req.rows);
				return json({ staged: req.rows.length });
			case 'discard':
				await discardUpload(locals.supabase, req.upload_id);
				return json({ discarded: true });
			case 'finish': {
				const name = req.team_name.trim();
				if (!name) return problem(400, m.archive_import_name_required(), { field: 'team_name' });
				const teamId = await importTeamArchive(locals.supabase, req.upload_id, name, req.team);
				return json({ team_id: teamId });
			}
		}
	} catch (e) {
		const known = refusal(e);
		if (!known) throw e;
		return problem(400, known.error, known.field ? { field: known.field } : {});
	}
};
