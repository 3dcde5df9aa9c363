/**
 * HTTP dispatch for `/rest/v1`: content negotiation, `Prefer`, ranges and the response headers
 * PostgREST sends, around the SQL built in sql.ts. Each request runs in one `withRequestTx`.
 */
import { withRequestTx } from '../request-tx.ts';
import type { ApiRequest, ApiResponse, Database, RuntimeConfig, Tx } from '../types.ts';
import { ApiError, errors, toErrorResponse } from './errors.ts';
import { parseQuery, parseRangeHeader, type QueryParams, type Range } from './parse.ts';
import { fuzzyBest, key, type Relation, type Routine, type SchemaCache } from './schema-cache.ts';
import {
	Sql,
	callSql,
	deleteSql,
	insertSql,
	payloadColumns,
	planRead,
	qi,
	relationSource,
	renderNode,
	updateSql,
	wrapRead,
	type OutputFormat,
	type ReadNode,
	type Source
} from './sql.ts';

/**
 * PostgREST's hoisted function settings: the called function's `SET statement_timeout` (and the
 * other hoisted names) applied transaction-locally in a statement of their own before the call.
 * Postgres arms a statement's timer when the statement starts, so only a setting made by an
 * earlier statement bounds the call; the function's own SET clause would come too late.
 */
async function hoistSettings(tx: Tx, settings: [string, string][] | undefined): Promise<void> {
	if (!settings?.length) return;
	await tx.query(
		`select set_config(k, v, true)
		 from unnest($1::text[], $2::text[]) with ordinality as s(k, v, i)
		 order by i`,
		[settings.map(([k]) => k), settings.map(([, v]) => v)]
	);
}

export interface RestState {
	db: Database;
	config: RuntimeConfig;
	cache(): SchemaCache;
	/** Makes sure the cache was loaded after `since` (ms epoch); true when a retry may help. */
	refresh(since: number): Promise<boolean>;
}

interface Prefs {
	return?: 'minimal' | 'representation' | 'headers-only';
	count?: 'exact' | 'planned' | 'estimated';
	resolution?: 'merge-duplicates' | 'ignore-duplicates';
	missing?: 'default' | 'null';
	tx?: 'commit' | 'rollback';
	handling?: 'strict' | 'lenient';
	maxAffected?: number;
	paramsSingleObject?: boolean;
	applied: string[];
	invalid: string[];
}

const preferValues: Record<string, string[]> = {
	return: ['minimal', 'representation', 'headers-only'],
	count: ['exact', 'planned', 'estimated'],
	resolution: ['merge-duplicates', 'ignore-duplicates'],
	missing: ['default', 'null'],
	tx: ['commit', 'rollback'],
	handling: ['strict', 'lenient'],
	params: ['single-object']
};

export function parsePrefer(h: string | undefined): Prefs {
	const out: Prefs = { applied: [], invalid: [] };
	if (!h) return out;
	for (const raw of h.split(',')) {
		const p = raw.trim();
		if (!p) continue;
		const [k, v = ''] = p.split('=').map((s) => s.trim());
		if (k === 'max-affected' && /^\d+$/.test(v)) {
			out.maxAffected = Number(v);
			continue;
		}
		if (k === 'timezone') continue;
		if (!preferValues[k]?.includes(v)) {
			out.invalid.push(p);
			continue;
		}
		if (k === 'params') out.paramsSingleObject = true;
		else (out as unknown as Record<string, string>)[k] ??= v;
	}
	return out;
}

interface Negotiated {
	format: OutputFormat;
	stripNulls: boolean;
	contentType: string;
}

/** Picks a response media type from `Accept`, in PostgREST's order of preference. */
export function negotiate(accept: string | undefined, root = false): Negotiated {
	const json: Negotiated = {
		format: 'json',
		stripNulls: false,
		contentType: 'application/json; charset=utf-8'
	};
	if (!accept || !accept.trim()) return json;
	const entries = accept
		.split(',')
		.map((s, i) => {
			const [type, ...params] = s.split(';').map((x) => x.trim());
			let q = 1;
			let nulls = false;
			for (const p of params) {
				const [k, v] = p.split('=').map((x) => x.trim());
				if (k === 'q') q = Number(v);
				if (k === 'nulls' && v === 'stripped') nulls = true;
			}
			return { type: type.toLowerCase(), q, nulls, i };
		})
		.filter((e) => e.q > 0)
		.sort((a, b) => b.q - a.q || a.i - b.i);
	for (const e of entries) {
		switch (e.type) {
			case '*/*':
			case 'application/*':
			case 'application/json':
				return json;
			case 'application/vnd.pgrst.array+json':
			case 'application/vnd.pgrst.array':
				return { ...json, stripNulls: e.nulls, contentType: 'application/json; charset=utf-8' };
			case 'application/vnd.pgrst.object+json':
			case 'application/vnd.pgrst.object':
				return {
					format: 'object',
					stripNulls: e.nulls,
					contentType: `application/vnd.pgrst.object+json${e.nulls ? ';nulls=stripped' : ''}; charset=utf-8`
				};
			case 'text/csv':
				return { format: 'csv', stripNulls: false, contentType: 'text/csv; charset=utf-8' };
			case 'application/openapi+json':
				if (root) return { ...json, contentType: 'application/openapi+json; charset=utf-8' };
		}
	}
	throw errors.mediaType(accept.split(',').map((s) => s.trim()));
}

function contentRange(offset: number, page: number, total: number | null): string {
	const upper = offset + page - 1;
	const range = total !== 0 && offset <= upper ? `${offset}-${upper}` : '*';
	return `${range}/${total ?? '*'}`;
}

function rangeStatus(offset: number, page: number, total: number | null): number {
	if (total === null) return 200;
	if (offset > total) return 416;
	if (page < total) return 206;
	return 200;
}

/** Renumbers `$n` so a statement made of part of a larger one binds only its own parameters. */
function compactParams(text: string, params: unknown[]): { text: string; params: unknown[] } {
	const map = new Map<number, number>();
	const out: unknown[] = [];
	const t = text.replace(/"(?:[^"]|"")*"|\$(\d+)/g, (m, n: string | undefined) => {
		if (n === undefined) return m;
		const i = Number(n);
		let j = map.get(i);
		if (j === undefined) {
			out.push(params[i - 1]);
			j = out.length;
			map.set(i, j);
		}
		return `$${j}`;
	});
	return { text: t, params: out };
}

async function plannedCount(tx: Tx, fromWhere: string, params: unknown[]): Promise<number> {
	const c = compactParams(`explain (format json) select 1 ${fromWhere}`, params);
	const r = await tx.query<Record<string, unknown>>(c.text, c.params);
	let plan = Object.values(r.rows[0] ?? {})[0];
	if (typeof plan === 'string') plan = JSON.parse(plan);
	const rows = (plan as { Plan: { 'Plan Rows': number } }[])[0]?.Plan?.['Plan Rows'];
	return Math.round(Number(rows ?? 0));
}

interface ReadResult {
	total: number | null;
	page: number;
	body: string;
}

function readRow(row: Record<string, unknown> | undefined): ReadResult {
	return {
		total: row?.total == null ? null : Number(row.total),
		page: Number(row?.page ?? 0),
		body: String(row?.body ?? '[]')
	};
}

function parseJsonBody(req: ApiRequest): unknown {
	const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
	const text = req.body.toString('utf8');
	if (
		ct === 'application/json' ||
		ct === '' ||
		ct === 'application/vnd.pgrst.object+json' ||
		ct === 'application/vnd.pgrst.object'
	) {
		try {
			return JSON.parse(text);
		} catch {
			throw errors.invalidBody('Empty or invalid json');
		}
	}
	if (ct === 'text/csv') return parseCsv(text);
	if (ct === 'application/x-www-form-urlencoded') {
		return Object.fromEntries(new URLSearchParams(text));
	}
	throw errors.invalidBody(`Content-Type not acceptable: ${ct}`);
}

/** CSV payloads: a header line, then rows; the text `NULL` is a null, as in PostgREST. */
export function parseCsv(text: string): Record<string, unknown>[] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	const pushCell = (): void => {
		row.push(cell);
		cell = '';
	};
	while (i < text.length) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i += 2;
				continue;
			}
			if (ch === '"') quoted = false;
			else cell += ch;
			i++;
			continue;
		}
		if (ch === '"') quoted = true;
		else if (ch === ',') pushCell();
		else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			pushCell();
			rows.push(row);
			row = [];
		} else cell += ch;
		i++;
	}
	if (cell !== '' || row.length) {
		pushCell();
		rows.push(row);
	}
	const [header, ...data] = rows;
	if (!header) return [];
	return data.map((r) => {
		if (r.length !== header.length)
			throw errors.invalidBody('All lines must have same number of fields');
		return Object.fromEntries(header.map((h, j) => [h, r[j] === 'NULL' ? null : r[j]]));
	});
}

export function createHandler(state: RestState) {
	const { db, config } = state;

	function schemaFor(req: ApiRequest): string {
		const read = req.method === 'GET' || req.method === 'HEAD';
		const h = read ? req.headers['accept-profile'] : req.headers['content-profile'];
		const schemas = config.api.schemas;
		if (h === undefined || h === '') return schemas[0] ?? 'public';
		if (!schemas.includes(h)) throw errors.unacceptableSchema(h, schemas);
		return h;
	}

	function lookupRelation(cache: SchemaCache, schema: string, name: string): Relation {
		const rel = cache.relations.get(key(schema, name));
		if (rel) return rel;
		const names = [...cache.relations.values()]
			.filter((r) => r.schema === schema)
			.map((r) => r.name);
		const s = fuzzyBest(names, name, 0.75);
		throw errors.tableNotFound(
			schema,
			name,
			s ? `Perhaps you meant the table '${schema}.${s}'` : null
		);
	}

	function txOptions(req: ApiRequest, prefs: Prefs, readOnly: boolean) {
		return {
			rollback: prefs.tx === 'rollback',
			readOnly,
			method: req.method,
			path: req.path,
			headers: req.headers
		};
	}

	function checkPrefs(prefs: Prefs): void {
		if (prefs.handling === 'strict' && prefs.invalid.length)
			throw errors.invalidPreferences(prefs.invalid);
	}

	function appliedHeader(prefs: Prefs, used: (keyof Prefs)[]): Record<string, string> {
		const parts: string[] = [];
		for (const k of used) {
			const v = prefs[k];
			if (v === undefined) continue;
			if (k === 'maxAffected') parts.push(`max-affected=${v}`);
			else if (k === 'paramsSingleObject') parts.push('params=single-object');
			else parts.push(`${k}=${v}`);
		}
		return parts.length ? { 'preference-applied': parts.join(', ') } : {};
	}

	function rootRange(req: ApiRequest, qp: QueryParams, capped: boolean): Range {
		const header =
			req.method === 'GET' || req.method === 'HEAD' ? parseRangeHeader(req.headers['range']) : null;
		const q = qp.ranges.get('');
		const r: Range = { offset: q?.offset ?? header?.offset ?? 0 };
		const limit = q?.limit ?? header?.limit;
		if (limit !== undefined) r.limit = limit;
		if (capped && config.api.maxRows > 0)
			r.limit = Math.min(r.limit ?? Infinity, config.api.maxRows);
		return r;
	}

	function success(
		status: number,
		neg: Negotiated,
		body: string | undefined,
		headers: Record<string, string>
	): ApiResponse {
		const h: Record<string, string> = { ...headers };
		if (body !== undefined) h['content-type'] = neg.contentType;
		return { status, headers: h, body };
	}

	async function runRead(
		req: ApiRequest,
		prefs: Prefs,
		neg: Negotiated,
		source: Source,
		qp: QueryParams,
		opts: {
			readOnly: boolean;
			scalarColumn?: string;
			singleComposite?: boolean;
			sql?: Sql;
			/** Hoisted settings of the called function (RPC only). */
			settings?: [string, string][];
		}
	): Promise<ApiResponse> {
		const cache = state.cache();
		const sql = opts.sql ?? new Sql();
		const range = rootRange(req, qp, true);
		const node = planRead(sql, cache, source, qp, range);
		const rendered = renderNode(sql, cache, node);
		const countOnly = req.method === 'HEAD' && neg.format !== 'object' && prefs.count === 'exact';
		const text = wrapRead(rendered, {
			count: prefs.count === 'exact' ? 'exact' : null,
			format: neg.format === 'csv' ? 'csv' : 'json',
			stripNulls: neg.stripNulls,
			scalarColumn: opts.scalarColumn,
			singleComposite: opts.singleComposite,
			omitBody: req.method === 'HEAD' && neg.format !== 'object'
		});
		const result = await withRequestTx(
			db,
			config,
			req.auth,
			async (tx) => {
				await hoistSettings(tx, opts.settings);
				if (countOnly) {
					// HEAD with an exact count: the page size follows from the total, offset and limit,
					// so only the count is read.
					const c = compactParams(`select count(*) as n ${rendered.countFromWhere}`, sql.params);
					const total = Number((await tx.query<{ n: string }>(c.text, c.params)).rows[0].n);
					const page = Math.max(0, Math.min(range.limit ?? Infinity, total - range.offset));
					return { total, page, body: '' };
				}
				const r = readRow((await tx.query(text, sql.params)).rows[0]);
				if (prefs.count === 'planned' || prefs.count === 'estimated') {
					// estimated: the exact count up to max-rows, the planner's estimate above it.
					let exact: number | null = null;
					if (prefs.count === 'estimated') {
						const c = compactParams(`select count(*) as n ${rendered.countFromWhere}`, sql.params);
						exact = Number((await tx.query<{ n: string }>(c.text, c.params)).rows[0].n);
					}
					r.total =
						exact !== null && exact <= config.api.maxRows
							? exact
							: await plannedCount(tx, rendered.countFromWhere, sql.params);
				}
				if (neg.format === 'object' && r.page !== 1) throw errors.singularity(r.page);
				return r;
			},
			txOptions(req, prefs, opts.readOnly)
		);
		const headers: Record<string, string> = {
			'content-range': contentRange(range.offset, result.page, result.total),
			...appliedHeader(prefs, ['count', 'tx'])
		};
		const status = rangeStatus(range.offset, result.page, result.total);
		if (status === 416)
			throw errors.invalidRange(
				`An offset of ${range.offset} was requested, but there are only ${result.total} rows.`
			);
		let body = result.body;
		if (neg.format === 'object') body = singleOf(body);
		return success(status, neg, req.method === 'HEAD' ? undefined : body, headers);
	}

	/** The single element of a JSON array text, without re-serialising Postgres' output. */
	function singleOf(body: string): string {
		const t = body.trim();
		return t.startsWith('[') ? t.slice(1, -1).trim() : t;
	}

	async function handleTable(req: ApiRequest, name: string): Promise<ApiResponse> {
		const schema = schemaFor(req);
		const cache = state.cache();
		const rel = lookupRelation(cache, schema, name);
		const prefs = parsePrefer(req.headers['prefer']);
		checkPrefs(prefs);
		const neg = negotiate(req.headers['accept']);
		const qp = parseQuery(req.query);
		switch (req.method) {
			case 'GET':
			case 'HEAD':
				return runRead(req, prefs, neg, relationSource(rel), qp, { readOnly: true });
			case 'POST':
				return handleInsert(req, prefs, neg, rel, qp, false);
			case 'PUT':
				return handleInsert(req, prefs, neg, rel, qp, true);
			case 'PATCH':
				return handleUpdate(req, prefs, neg, rel, qp);
			case 'DELETE':
				return handleDelete(req, prefs, neg, rel, qp);
			default:
				throw errors.unsupportedMethod(req.method);
		}
	}

	function splitFilters(qp: QueryParams): { root: QueryParams; rest: QueryParams } {
		const root: QueryParams = {
			...qp,
			select: [],
			filters: qp.filters.filter((f) => f.path.length === 0),
			logic: qp.logic.filter((l) => l.path.length === 0),
			order: [],
			ranges: new Map()
		};
		const rest: QueryParams = {
			...qp,
			filters: qp.filters.filter((f) => f.path.length > 0),
			logic: qp.logic.filter((l) => l.path.length > 0),
			order: qp.order.filter((o) => o.path.length > 0),
			ranges: new Map([...qp.ranges].filter(([k]) => k !== ''))
		};
		return { root, rest };
	}

	/**
	 * Runs a mutation. With return=representation the statement becomes a CTE read back through
	 * the select (embeds included); otherwise it runs bare, so RLS select policies do not apply.
	 */
	async function mutate(
		req: ApiRequest,
		prefs: Prefs,
		neg: Negotiated,
		rel: Relation,
		qp: QueryParams,
		build: (sql: Sql, returning: string[] | '*' | null) => string,
		kind: 'insert' | 'update' | 'delete'
	): Promise<ApiResponse> {
		const cache = state.cache();
		const ret = prefs.return ?? 'minimal';
		const sql = new Sql();
		let text: string;
		let mode: 'rep' | 'bare' | 'pk';
		if (ret === 'representation') {
			const stmt = build(sql, '*');
			const { rest } = splitFilters(qp);
			const source: Source = { ...relationSource(rel), from: 'pgrst_source' };
			const node = planRead(sql, cache, source, rest);
			const rendered = renderNode(sql, cache, node);
			text = wrapRead(
				rendered,
				{
					count: 'exact',
					format: neg.format === 'csv' ? 'csv' : 'json',
					stripNulls: neg.stripNulls
				},
				`with pgrst_source as (${stmt}) `
			);
			mode = 'rep';
		} else if (ret === 'headers-only' && kind === 'insert' && rel.pk.length) {
			text = build(sql, rel.pk);
			mode = 'pk';
		} else {
			text = build(sql, null);
			mode = 'bare';
		}
		const result = await withRequestTx(
			db,
			config,
			req.auth,
			async (tx) => {
				const r = await tx.query(text, sql.params);
				let out: ReadResult & { location?: string };
				if (mode === 'rep') out = readRow(r.rows[0]);
				else {
					const n = mode === 'pk' ? r.rows.length : (r.affectedRows ?? r.rows.length);
					out = { total: n, page: n, body: '' };
					if (mode === 'pk' && r.rows.length) {
						const first = r.rows[0];
						const q = rel.pk
							.map(
								(c) => `${encodeURIComponent(c)}=eq.${encodeURIComponent(String(first[c] ?? ''))}`
							)
							.join('&');
						out.location = `/${rel.name}?${q}`;
					}
				}
				if (
					prefs.handling === 'strict' &&
					prefs.maxAffected !== undefined &&
					(out.total ?? 0) > prefs.maxAffected
				)
					throw errors.maxAffected(out.total ?? 0);
				if (neg.format === 'object' && mode === 'rep' && out.page !== 1)
					throw errors.singularity(out.page);
				return out;
			},
			txOptions(req, prefs, false)
		);
		const count = prefs.count ? result.total : null;
		const used: (keyof Prefs)[] = [
			'return',
			'count',
			'resolution',
			'missing',
			'tx',
			'handling',
			'maxAffected'
		];
		if (kind !== 'insert') used.splice(2, 2);
		if (prefs.handling !== 'strict') used.pop();
		const headers: Record<string, string> = { ...appliedHeader(prefs, used) };
		if (kind === 'insert') headers['content-range'] = `*/${count ?? '*'}`;
		else headers['content-range'] = contentRange(0, result.page, count);
		if (result.location) headers['location'] = result.location;
		if (mode === 'rep') {
			const body = neg.format === 'object' ? singleOf(result.body) : result.body;
			return success(kind === 'insert' ? 201 : 200, neg, body, headers);
		}
		return { status: kind === 'insert' ? 201 : 204, headers };
	}

	async function handleInsert(
		req: ApiRequest,
		prefs: Prefs,
		neg: Negotiated,
		rel: Relation,
		qp: QueryParams,
		put: boolean
	): Promise<ApiResponse> {
		const payload = parseJsonBody(req);
		let rows: Record<string, unknown>[];
		if (Array.isArray(payload)) {
			if (payload.some((r) => r === null || typeof r !== 'object' || Array.isArray(r)))
				throw errors.invalidBody('All object keys must match');
			rows = payload as Record<string, unknown>[];
		} else if (payload !== null && typeof payload === 'object')
			rows = [payload as Record<string, unknown>];
		else throw errors.invalidBody('Empty or invalid json');
		const columns = payloadColumns(rel, rows, qp.columns);
		let onConflict: { columns: string[]; resolution: 'merge' | 'ignore' } | undefined;
		if (put) {
			if (qp.ranges.get('')) throw errors.putLimit();
			const eqs = qp.filters.filter((f) => f.path.length === 0);
			const pkOk =
				rel.pk.length > 0 &&
				eqs.length === rel.pk.length &&
				eqs.every(
					(f) =>
						!f.filter.negate &&
						f.filter.operation.kind === 'op' &&
						f.filter.operation.op === 'eq' &&
						rel.pk.includes(f.filter.field.name)
				);
			if (!pkOk) throw errors.invalidFilters();
			if (rows.length !== 1) throw errors.putMatchingPk();
			for (const f of eqs) {
				const op = f.filter.operation as { value: string };
				if (String(rows[0][f.filter.field.name]) !== op.value) throw errors.putMatchingPk();
			}
			onConflict = { columns: rel.pk, resolution: 'merge' };
		} else if (prefs.resolution) {
			const cols = qp.onConflict ?? rel.pk;
			if (cols.length)
				onConflict = {
					columns: cols,
					resolution: prefs.resolution === 'ignore-duplicates' ? 'ignore' : 'merge'
				};
		}
		if (rows.length === 0) {
			const headers = { 'content-range': '*/0', ...appliedHeader(prefs, ['return']) };
			return prefs.return === 'representation'
				? success(201, neg, '[]', headers)
				: { status: 201, headers };
		}
		const res = await mutate(
			req,
			prefs,
			neg,
			rel,
			{ ...qp, filters: [], logic: [] },
			(sql, returning) =>
				insertSql(
					sql,
					{
						rel,
						rows,
						columns,
						missingDefault: prefs.missing === 'default',
						onConflict,
						returning
					},
					'pgrst_ins'
				),
			'insert'
		);
		if (put && res.status === 201) res.status = prefs.return === 'representation' ? 200 : 204;
		return res;
	}

	async function handleUpdate(
		req: ApiRequest,
		prefs: Prefs,
		neg: Negotiated,
		rel: Relation,
		qp: QueryParams
	): Promise<ApiResponse> {
		const payload = parseJsonBody(req);
		if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
			throw errors.invalidBody('Empty or invalid json');
		const values = payload as Record<string, unknown>;
		const columns = payloadColumns(rel, [values], qp.columns);
		if (columns.length === 0) {
			const headers = { 'content-range': '*/*' };
			return prefs.return === 'representation'
				? success(200, neg, '[]', headers)
				: { status: 204, headers };
		}
		const cache = state.cache();
		return mutate(
			req,
			prefs,
			neg,
			rel,
			qp,
			(sql, returning) => {
				const { root } = splitFilters(qp);
				const node = planRead(sql, cache, relationSource(rel), root);
				return updateSql(sql, cache, rel, values, columns, node, returning);
			},
			'update'
		);
	}

	async function handleDelete(
		req: ApiRequest,
		prefs: Prefs,
		neg: Negotiated,
		rel: Relation,
		qp: QueryParams
	): Promise<ApiResponse> {
		const cache = state.cache();
		return mutate(
			req,
			prefs,
			neg,
			rel,
			qp,
			(sql, returning) => {
				const { root } = splitFilters(qp);
				const node = planRead(sql, cache, relationSource(rel), root);
				return deleteSql(sql, rel, node, returning);
			},
			'delete'
		);
	}

	// ----- functions

	function noRpc(
		schema: string,
		name: string,
		keys: string[],
		cache: SchemaCache,
		candidates: Routine[],
		isPost: boolean
	): ApiError {
		const func = `${schema}.${name}`;
		const prms = keys.join(', ');
		const msgPrms = keys.length ? `(${prms})` : ' without parameters';
		const detPrms = keys.length
			? ` with parameter${keys.length > 1 ? 's' : ''} ${prms}`
			: ' without parameters';
		let hint: string | null = null;
		if (candidates.length === 0) {
			const names = [...cache.routines.values()]
				.flat()
				.filter((r) => r.schema === schema)
				.map((r) => r.name);
			const s = fuzzyBest([...new Set(names)], name, 0.75);
			if (s) hint = `Perhaps you meant to call the function ${schema}.${s}`;
		} else {
			const fmt = (l: string[]): string => `(${[...l].sort().join(', ')})`;
			const s = fuzzyBest(
				candidates.map((r) => fmt(r.params.map((p) => p.name))),
				fmt(keys),
				0.33
			);
			if (s) hint = `Perhaps you meant to call the function ${schema}.${name}${s}`;
		}
		return new ApiError(
			404,
			'PGRST202',
			`Could not find the function ${func}${msgPrms} in the schema cache`,
			`Searched for the function ${func}${detPrms}${isPost ? ' or with a single unnamed json/jsonb parameter' : ''}, but no matches were found in the schema cache.`,
			hint
		);
	}

	async function handleRpc(req: ApiRequest, name: string): Promise<ApiResponse> {
		if (!['GET', 'HEAD', 'POST'].includes(req.method)) throw errors.invalidRpcMethod(req.method);
		const schema = schemaFor(req);
		const cache = state.cache();
		const prefs = parsePrefer(req.headers['prefer']);
		checkPrefs(prefs);
		const neg = negotiate(req.headers['accept']);
		let qp = parseQuery(req.query);
		const isPost = req.method === 'POST';

		let args: Map<string, unknown>;
		let rawBody: string | null = null;
		if (isPost) {
			rawBody = req.body.length ? req.body.toString('utf8') : '{}';
			const ct = (req.headers['content-type'] ?? 'application/json')
				.split(';')[0]
				.trim()
				.toLowerCase();
			let payload: unknown;
			if (ct === 'application/json' || ct === '') {
				try {
					payload = JSON.parse(rawBody);
				} catch {
					throw errors.invalidBody('Empty or invalid json');
				}
			} else payload = parseJsonBody(req);
			args = new Map(
				payload && typeof payload === 'object' && !Array.isArray(payload)
					? Object.entries(payload)
					: []
			);
		} else {
			args = new Map();
			for (const [k, v] of qp.params) {
				const prev = args.get(k);
				if (prev === undefined) args.set(k, v);
				else args.set(k, Array.isArray(prev) ? [...prev, v] : [prev, v]);
			}
		}

		const candidates = cache.routines.get(key(schema, name)) ?? [];
		const keys = [...args.keys()];
		const isJsonParam = (r: Routine): boolean =>
			r.params.length === 1 &&
			(r.params[0].typeName === 'json' || r.params[0].typeName === 'jsonb');
		let routine: Routine | undefined;
		let callArgs: Map<string, unknown> | { single: string };
		if (prefs.paramsSingleObject && isPost) {
			routine = candidates.find(isJsonParam);
			callArgs = { single: rawBody ?? '{}' };
		} else {
			const matches = candidates.filter(
				(r) =>
					keys.every((k) => r.params.some((p) => p.name === k)) &&
					r.params.every((p) => p.hasDefault || keys.includes(p.name))
			);
			if (matches.length > 1) {
				throw new ApiError(
					300,
					'PGRST203',
					`Could not choose the best candidate function between: ${matches
						.map(
							(r) =>
								`${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`
						)
						.join(', ')}`,
					null,
					'Try renaming the parameters or the function itself in the database so function overloading can be resolved'
				);
			}
			routine = matches[0];
			callArgs = args;
			if (!routine && isPost) {
				const single = candidates.find((r) => isJsonParam(r) && r.params[0].name === '');
				if (single) {
					routine = single;
					callArgs = { single: rawBody ?? '{}' };
				}
			}
		}
		if (!routine) throw noRpc(schema, name, keys, cache, candidates, isPost);

		const sql = new Sql();
		const call = callSql(sql, routine, callArgs);
		const readOnly = !isPost;
		if (routine.isVoid || (routine.isScalar && !routine.returnsSet)) {
			const text = routine.isVoid ? `select ${call}` : `select to_json(${call})::text as body`;
			const result = await withRequestTx(
				db,
				config,
				req.auth,
				async (tx) => {
					await hoistSettings(tx, routine.settings);
					return (await tx.query<{ body: string | null }>(text, sql.params)).rows[0];
				},
				txOptions(req, prefs, readOnly)
			);
			const headers = { 'content-range': '0-0/*', ...appliedHeader(prefs, ['tx']) };
			if (routine.isVoid) return { status: 204, headers };
			const body = result?.body ?? 'null';
			return success(
				200,
				neg,
				req.method === 'HEAD' || prefs.return === 'minimal' ? undefined : body,
				headers
			);
		}
		let source: Source;
		let scalarColumn: string | undefined;
		if (routine.isScalar) {
			const col = {
				name: routine.name,
				type: routine.returnType,
				typeName: routine.returnTypeName,
				category: '',
				nullable: true,
				default: null,
				generated: false,
				position: 1
			};
			source = {
				name: routine.name,
				schema,
				rel: null,
				columns: new Map([[routine.name, col]]),
				from: call,
				columnAliases: [routine.name]
			};
			scalarColumn = routine.name;
			qp = { ...qp, select: [{ kind: 'field', field: { name: routine.name, path: [] } }] };
		} else {
			const rel = routine.returnRelation;
			const columns =
				rel?.columns ??
				(routine.outColumns ? new Map(routine.outColumns.map((c) => [c.name, c])) : null);
			source = { name: rel?.name ?? routine.name, schema, rel, columns, from: call };
		}
		const res = await runRead(req, prefs, neg, source, qp, {
			readOnly,
			sql,
			scalarColumn,
			singleComposite: !routine.returnsSet && !routine.isScalar,
			settings: routine.settings
		});
		if (prefs.return === 'minimal') delete res.body;
		return res;
	}

	function openApi(): ApiResponse {
		const cache = state.cache();
		const paths: Record<string, unknown> = { '/': {} };
		const definitions: Record<string, unknown> = {};
		for (const rel of cache.relations.values()) {
			if (rel.schema !== config.api.schemas[0]) continue;
			paths[`/${rel.name}`] = {
				get: {},
				...(rel.kind === 'table' ? { post: {}, patch: {}, delete: {} } : {})
			};
			definitions[rel.name] = {
				type: 'object',
				required: rel.columnList
					.filter((c) => !c.nullable && c.default === null)
					.map((c) => c.name),
				properties: Object.fromEntries(
					rel.columnList.map((c) => [c.name, { format: c.type, type: 'string' }])
				)
			};
		}
		for (const list of cache.routines.values())
			for (const r of list)
				if (r.schema === config.api.schemas[0]) paths[`/rpc/${r.name}`] = { post: {}, get: {} };
		return {
			status: 200,
			headers: { 'content-type': 'application/openapi+json; charset=utf-8' },
			body: JSON.stringify({
				swagger: '2.0',
				info: { title: 'standard public schema', version: '12.2.0' },
				host: '',
				basePath: '/',
				schemes: ['http'],
				consumes: ['application/json', 'application/vnd.pgrst.object+json', 'text/csv'],
				produces: ['application/json', 'application/vnd.pgrst.object+json', 'text/csv'],
				paths,
				definitions
			})
		};
	}

	async function dispatch(req: ApiRequest): Promise<ApiResponse> {
		const method = req.method.toUpperCase();
		if (!['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'].includes(method))
			throw errors.unsupportedMethod(method);
		const parts = req.path.split('/').filter((p) => p !== '');
		if (method === 'OPTIONS') {
			return {
				status: 200,
				headers: {
					allow:
						parts[0] === 'rpc' ? 'OPTIONS,GET,HEAD,POST' : 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE'
				}
			};
		}
		if (parts.length === 0) {
			if (method !== 'GET' && method !== 'HEAD') throw errors.unsupportedMethod(method);
			schemaFor(req);
			return openApi();
		}
		if (parts.length === 1) return handleTable(req, parts[0]);
		if (parts.length === 2 && parts[0] === 'rpc') return handleRpc(req, parts[1]);
		throw errors.invalidPath();
	}

	/** Schema-cache misses may only mean new DDL: reload once and retry before answering. */
	const retryCodes = new Set(['PGRST200', 'PGRST202', 'PGRST204', 'PGRST205', '42703']);

	return async function handler(req: ApiRequest): Promise<ApiResponse> {
		const authed = req.auth.role !== 'anon';
		const started = Date.now();
		try {
			try {
				return await dispatch(req);
			} catch (e) {
				if (e instanceof ApiError && retryCodes.has(e.code) && (await state.refresh(started)))
					return await dispatch(req);
				throw e;
			}
		} catch (e) {
			return toErrorResponse(e, authed);
		}
	};
}

export { qi };
export type { ReadNode };
