import { json } from '@sveltejs/kit';
import { ApiRequest } from '$lib/import/api-schema.ts';
import { m } from '$lib/paraglide/messages.js';
import { overview } from '$lib/server/db/teams.ts';
import {
	cancelImport,
	checkImport,
	commitImport,
	finishImport,
	getMapping,
	indicatorsNamed,
	MISSING_CODE,
	saveMapping,
	stageImportRows,
	startImport,
	type Result,
	type StagedRow
} from '$lib/server/db/agency.ts';
import { importRefusal } from '$lib/server/db/agency-messages.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const problem = (status: number, error: string, extra: Record<string, unknown> = {}) =>
	json({ error, ...extra }, { status, headers: { 'cache-control': 'no-store' } });

/** A step's answer: its data as JSON, or the database's refusal as one sentence (409: create first). */
function reply<T>(r: Result<T>, body: (data: T) => unknown = (data) => data): Response {
	if (r.error !== undefined)
		return problem(r.code === MISSING_CODE ? 409 : 400, importRefusal(r.error), { code: r.code });
	return json(body(r.data));
}

/**
 * The wizard's only way to the database (the browser has no Supabase client: the session cookies
 * are HttpOnly). One POST per step, its body checked with zod; the user's mistakes and the
 * database's refusals come back as 400 with one sentence, a team the user is not in as 404.
 */
export const POST: RequestHandler = async ({ request, params, locals }) => {
	const { user } = await locals.safeGetSession();
	if (!user) return problem(401, m.import_api_signed_out());
	if (!UUID.test(params.team)) return problem(404, m.error_not_found());
	// JSON only: a cross-site form cannot send it without a preflight the server never grants.
	if (!request.headers.get('content-type')?.startsWith('application/json'))
		return problem(415, m.import_api_json_only());
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return problem(400, m.import_api_bad_json());
	}
	const parsed = ApiRequest.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return problem(400, m.import_api_bad_request({ where: issue.path.join('.') || '-' }));
	}
	const team = await overview(locals.supabase, params.team);
	if (!team) return problem(404, m.error_not_found());
	const supabase = locals.supabase;
	const req = parsed.data;

	switch (req.action) {
		case 'start':
			return reply(
				await startImport(supabase, team.team_id, {
					file_name: req.file_name,
					mapping: req.mapping,
					total_rows: req.total_rows,
					rejected: req.rejected,
					errors: req.errors
				}),
				(id) => ({ import_id: id })
			);
		case 'finish':
			return reply(await finishImport(supabase, req.import_id, req), () => ({ finished: true }));
		case 'stage':
			// The schema checked each row's shape and limits.
			return reply(
				await stageImportRows(supabase, req.import_id, req.rows as StagedRow[]),
				(n) => ({
					staged: n
				})
			);
		case 'check':
			return reply(await checkImport(supabase, req.import_id));
		case 'commit': {
			const out = await commitImport(supabase, req.import_id, req.create_missing);
			if (out.error !== undefined) return reply(out);
			const indicators = await indicatorsNamed(supabase, team.team_id, req.indicators);
			if (indicators.error !== undefined) throw new Error(indicators.error);
			return json({ ...out.data, indicators: indicators.data });
		}
		case 'cancel':
			return reply(await cancelImport(supabase, req.import_id), () => ({ cancelled: true }));
		case 'saveMapping':
			return reply(
				await saveMapping(supabase, team.team_id, req.signature, req.mapping, req.name || null),
				() => ({ saved: true })
			);
		case 'findMapping':
			return reply(await getMapping(supabase, team.team_id, req.signature), (saved) => ({
				saved: saved && { name: saved.name, mapping: saved.mapping, updated_at: saved.updated_at }
			}));
	}
};
