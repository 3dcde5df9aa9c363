import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { bytesSource } from '$lib/csv/source.ts';
import { findDuplicates } from '$lib/outreach/dedupe.ts';
import {
	IMPORT_FIELDS,
	guessMapping,
	mapRows,
	readOfficialsCsv,
	type MappedOfficial,
	type OfficialMapping,
	type RowProblem
} from '$lib/outreach/officials-csv.ts';
import { m } from '$lib/paraglide/messages.js';
import { listAgencies } from '$lib/server/db/agency.ts';
import {
	importOfficials,
	listOfficials,
	type ImportOfficialRow
} from '$lib/server/db/officials.ts';
import { importRefusal } from '$lib/server/db/outreach-messages.ts';
import { actionTeam, must, requireManager } from '$lib/server/outreach-pages.ts';
import type { Actions, PageServerLoad } from './$types';

/** Officials lists are small: a larger file is almost certainly the wrong one. */
const MAX_BYTES = 2 * 1024 * 1024;

export const load: PageServerLoad = async ({ parent }) => {
	const { team } = await parent();
	requireManager(team.role);
	return { fields: IMPORT_FIELDS };
};

/** What the file's rows are carried in between steps (the server re-checks it every time). */
interface Payload {
	fileName: string;
	headers: string[];
	rows: string[][];
	rowNumbers: number[];
	skipped: Array<{ row: number; message: string }>;
}

function readPayload(text: string | undefined): Payload | null {
	try {
		const p = JSON.parse(text ?? '') as Payload;
		if (
			typeof p.fileName === 'string' &&
			Array.isArray(p.headers) &&
			Array.isArray(p.rows) &&
			Array.isArray(p.rowNumbers) &&
			p.rows.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'))
		)
			return { ...p, skipped: Array.isArray(p.skipped) ? p.skipped : [] };
	} catch {
		// Not ours: start again below.
	}
	return null;
}

function readMapping(data: FormData, width: number): OfficialMapping {
	const out = {} as OfficialMapping;
	for (const f of IMPORT_FIELDS) {
		const v = data.get(`map_${f}`);
		const n = typeof v === 'string' && v !== '' ? Number(v) : NaN;
		out[f] = Number.isInteger(n) && n >= 0 && n < width ? n : null;
	}
	return out;
}

const FILE_ERRORS: Record<string, () => string> = {
	empty_file: () => m.outreach_import_file_empty(),
	binary_file: () => m.outreach_import_file_binary(),
	header_only: () => m.outreach_import_file_header_only(),
	unterminated_quote: () => m.outreach_import_file_quote(),
	too_many_columns: () => m.outreach_import_file_columns(),
	too_many_rows: () => m.outreach_import_file_rows()
};

export interface ReviewRow extends MappedOfficial {
	agency_id: string | null;
	duplicate: { kind: 'existing'; id: string; name: string } | { kind: 'file'; row: number } | null;
}

/** Maps and checks every row against the team's officials and agencies. */
async function review(
	event: RequestEvent,
	teamId: string,
	payload: Payload,
	mapping: OfficialMapping
) {
	const sb = event.locals.supabase;
	const [existing, agencies] = await Promise.all([
		listOfficials(sb, teamId).then(must),
		listAgencies(sb, teamId).then(must)
	]);
	const { officials, problems } = mapRows(payload.rows, payload.rowNumbers, mapping);
	const agencyByName = new Map(agencies.map((a) => [a.name.trim().toLowerCase(), a.id]));
	const rows: ReviewRow[] = [];
	const all: RowProblem[] = [
		...problems,
		...payload.skipped.map((s) => ({
			row: s.row,
			field: 'row',
			message: m.outreach_import_row_unreadable(),
			value: ''
		}))
	];
	const candidates = officials.filter((o) => {
		if (!o.agency) return true;
		if (agencyByName.has(o.agency.toLowerCase())) return true;
		all.push({
			row: o.row,
			field: 'agency',
			message: m.outreach_import_unknown_agency(),
			value: o.agency
		});
		return false;
	});
	findDuplicates(existing, candidates).forEach((dup, i) => {
		const o = candidates[i];
		rows.push({
			...o,
			agency_id: o.agency ? (agencyByName.get(o.agency.toLowerCase()) ?? null) : null,
			duplicate:
				dup?.kind === 'existing'
					? { kind: 'existing', id: dup.existing.id, name: dup.existing.name }
					: dup
		});
	});
	all.sort((a, b) => a.row - b.row);
	return { rows, problems: all };
}

/** The mapping step's data: the file carried on, and the columns chosen. */
function mapStep(payload: Payload, mapping: OfficialMapping) {
	return {
		step: 'map' as const,
		payload: JSON.stringify(payload),
		fileName: payload.fileName,
		headers: payload.headers,
		rowCount: payload.rows.length,
		mapping
	};
}

export const actions: Actions = {
	upload: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/officials/import`);
		requireManager(team.role);
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, {
				step: 'upload' as const,
				errors: { file: m.outreach_import_choose_file() }
			});
		if (file.size > MAX_BYTES)
			return fail(400, {
				step: 'upload' as const,
				errors: { file: m.outreach_import_file_large() }
			});
		const read = await readOfficialsCsv(
			bytesSource(new Uint8Array(await file.arrayBuffer()), file.name)
		);
		if (!read.ok)
			return fail(400, { step: 'upload' as const, errors: { file: FILE_ERRORS[read.code]() } });
		const payload: Payload = {
			fileName: file.name,
			headers: read.headers,
			rows: read.rows,
			rowNumbers: read.rowNumbers,
			skipped: read.skipped
		};
		return { ...mapStep(payload, guessMapping(read.headers)), errors: {} };
	},

	check: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/officials/import`);
		requireManager(team.role);
		const data = await event.request.formData();
		const payload = readPayload(data.get('payload')?.toString());
		if (!payload)
			return fail(400, {
				step: 'upload' as const,
				errors: { file: m.outreach_import_start_again() }
			});
		const mapping = readMapping(data, payload.headers.length);
		const map = mapStep(payload, mapping);
		if (mapping.name === null)
			return fail(400, { ...map, errors: { map_name: m.outreach_import_name_needed() } });
		const checked = await review(event, team.team_id, payload, mapping);
		return { ...map, step: 'review' as const, ...checked, errors: {} };
	},

	commit: async (event) => {
		const { team } = await actionTeam(event, `/t/${event.params.team}/officials/import`);
		requireManager(team.role);
		const data = await event.request.formData();
		const payload = readPayload(data.get('payload')?.toString());
		if (!payload)
			return fail(400, {
				step: 'upload' as const,
				errors: { file: m.outreach_import_start_again() }
			});
		const mapping = readMapping(data, payload.headers.length);
		if (mapping.name === null)
			return fail(400, {
				step: 'upload' as const,
				errors: { file: m.outreach_import_start_again() }
			});
		const checked = await review(event, team.team_id, payload, mapping);
		const firstOfFile = new Map<number, ImportOfficialRow>();
		const rows: ImportOfficialRow[] = [];
		for (const r of checked.rows) {
			const choice = data.get(`dup_${r.row}`) === 'merge' ? 'merge' : 'skip';
			const { row, agency: _agency, duplicate, ...fields } = r;
			const official: ImportOfficialRow = { ...fields, row_no: row };
			if (!duplicate) {
				rows.push(official);
				firstOfFile.set(row, official);
			} else if (choice === 'merge' && duplicate.kind === 'existing') {
				rows.push({ ...official, merge_into: duplicate.id });
			} else if (choice === 'merge' && duplicate.kind === 'file') {
				// Fills the earlier row's blanks, as a merge into an existing official does.
				const first = firstOfFile.get(duplicate.row);
				if (first)
					for (const [k, v] of Object.entries(official) as Array<
						[keyof ImportOfficialRow, unknown]
					>)
						if (v !== null && v !== '' && (first[k] === null || first[k] === undefined))
							(first as unknown as Record<string, unknown>)[k] = v;
			}
		}
		const saved = await importOfficials(event.locals.supabase, team.team_id, rows);
		if (saved.error !== undefined)
			return fail(400, {
				...mapStep(payload, mapping),
				step: 'review' as const,
				...checked,
				errors: { form: importRefusal(saved.error) }
			});
		redirect(
			303,
			`/t/${event.params.team}/officials?notice=imported&added=${saved.data.added}&merged=${saved.data.merged}`
		);
	}
};
