/**
 * Builds PostgREST-shaped SQL from parsed requests: a read plan (select, embeds through
 * lateral joins, filters, order, ranges) and the mutations and function calls that feed it.
 * Every value goes through `Sql.param`; only quoted identifiers and catalog type names are
 * written into the text.
 */
import { ApiError, errors } from './errors.ts';
import type {
	Field,
	Filter,
	LogicTree,
	OrderTerm,
	QueryParams,
	Range,
	SelectItem
} from './parse.ts';
import { ftsOperators, simpleOperators } from './parse.ts';
import {
	fuzzyBest,
	key,
	type Column,
	type Relation,
	type Relationship,
	type Routine,
	type SchemaCache
} from './schema-cache.ts';

export const qi = (s: string): string => `"${s.replaceAll('"', '""')}"`;
export const qrel = (schema: string, name: string): string => `${qi(schema)}.${qi(name)}`;

/** Collects bound parameters. */
export class Sql {
	params: unknown[] = [];
	private aliasN = 0;
	param(v: unknown): string {
		this.params.push(v);
		return `$${this.params.length}`;
	}
	alias(prefix: string): string {
		return `${prefix}${this.aliasN++}`;
	}
}

/** A relation-like source of rows: a table/view, a function call or the mutation CTE. */
export interface Source {
	/** Name used in error messages and relationship lookups. */
	name: string;
	schema: string;
	/** The relation whose columns and relationships apply (null for ad hoc function rows). */
	rel: Relation | null;
	columns: Map<string, Column> | null;
	/** SQL to put in FROM, without alias. */
	from: string;
	/** Column alias list for scalar set-returning functions: `as t0("fn")`. */
	columnAliases?: string[];
}

interface EmbedNode {
	key: string;
	item: Extract<SelectItem, { kind: 'embed' }>;
	rel: Relationship;
	toOne: boolean;
	inner: boolean;
	lateral: string;
	node: ReadNode;
}

export interface ReadNode {
	source: Source;
	alias: string;
	select: SelectItem[];
	embeds: EmbedNode[];
	filters: Filter[];
	logic: LogicTree[];
	order: OrderTerm[];
	range?: Range;
}

function relName(r: Relation): string {
	return r.name;
}

function relationshipMatchesHint(r: Relationship, hint: string): boolean {
	if (r.kind === 'm2m')
		return r.junction.name === hint || r.constraint1 === hint || r.constraint2 === hint;
	if (r.constraint === hint) return true;
	return r.cols.length === 1 && (r.cols[0][0] === hint || r.cols[0][1] === hint);
}

function describe(r: Relationship): Record<string, string> {
	const cols = (l: string[]): string => `(${l.join(', ')})`;
	if (r.kind === 'm2m')
		return {
			cardinality: 'many-to-many',
			embedding: `${r.from.name} with ${r.to.name}`,
			relationship: `${r.junction.name} using ${r.constraint1}${cols(r.srcCols.map((c) => c[1]))} and ${r.constraint2}${cols(r.tgtCols.map((c) => c[0]))}`
		};
	const card = { m2o: 'many-to-one', o2m: 'one-to-many', o2o: 'one-to-one' }[r.kind];
	return {
		cardinality: card,
		embedding: `${r.from.name} with ${r.to.name}`,
		relationship: `${r.constraint} using ${r.from.name}${cols(r.cols.map((c) => c[0]))} and ${r.to.name}${cols(r.cols.map((c) => c[1]))}`
	};
}

function hintName(r: Relationship): string {
	return `'${r.to.name}!${r.kind === 'm2m' ? r.junction.name : r.constraint}'`;
}

/** PostgREST's relationship resolution for `parent?select=target!hint(...)`. */
export function findRelationship(
	cache: SchemaCache,
	parent: Source,
	target: string,
	hint: string | undefined
): Relationship {
	const all = parent.rel
		? (cache.relationships.get(key(parent.rel.schema, parent.rel.name)) ?? [])
		: [];
	let rels = all.filter((r) => r.to.name === target && r.to.schema === parent.schema);
	if (hint !== undefined) rels = rels.filter((r) => relationshipMatchesHint(r, hint));
	if (rels.length === 1) return rels[0];
	if (rels.length === 0) {
		let suggestion: string | null = null;
		if (parent.rel) {
			const targets = [...new Set(all.map((r) => relName(r.to)))];
			if (!targets.includes(target)) {
				const s = fuzzyBest(targets, target, 0.33);
				if (s) suggestion = `Perhaps you meant '${s}' instead of '${target}'.`;
			}
		}
		throw new ApiError(
			400,
			'PGRST200',
			`Could not find a relationship between '${parent.name}' and '${target}' in the schema cache`,
			`Searched for a foreign key relationship between '${parent.name}' and '${target}'${hint !== undefined ? ` using the hint '${hint}'` : ''} in the schema '${parent.schema}', but no matches were found.`,
			suggestion
		);
	}
	throw new ApiError(
		300,
		'PGRST201',
		`Could not embed because more than one relationship was found for '${parent.name}' and '${target}'`,
		rels.map(describe),
		`Try changing '${target}' to one of the following: ${rels.map(hintName).join(', ')}. Find the desired relationship in the 'details' key.`
	);
}

export function relationSource(rel: Relation): Source {
	return {
		name: rel.name,
		schema: rel.schema,
		rel,
		columns: rel.columns,
		from: qrel(rel.schema, rel.name)
	};
}

/** Builds the tree of nodes for a select and attaches filters/order/ranges by embed path. */
export function planRead(
	sql: Sql,
	cache: SchemaCache,
	source: Source,
	qp: Pick<QueryParams, 'select' | 'filters' | 'logic' | 'order' | 'ranges'>,
	rootRange?: Range
): ReadNode {
	const root = planNode(sql, cache, source, qp.select);
	const find = (path: string[]): ReadNode => {
		let node = root;
		for (const p of path) {
			const e = node.embeds.find((x) => x.key === p) ?? node.embeds.find((x) => x.item.name === p);
			if (!e) throw errors.notEmbedded(p);
			node = e.node;
		}
		return node;
	};
	for (const f of qp.filters) find(f.path).filters.push(f.filter);
	for (const l of qp.logic) find(l.path).logic.push(l.tree);
	for (const o of qp.order) find(o.path).order.push(...o.terms);
	for (const [k, r] of qp.ranges) {
		if (k === '') continue;
		find(k.split('.')).range = r;
	}
	if (rootRange) root.range = rootRange;
	return root;
}

function planNode(sql: Sql, cache: SchemaCache, source: Source, select: SelectItem[]): ReadNode {
	const node: ReadNode = {
		source,
		alias: sql.alias('t'),
		select,
		embeds: [],
		filters: [],
		logic: [],
		order: []
	};
	for (const item of select) {
		if (item.kind !== 'embed') continue;
		const rel = findRelationship(cache, source, item.name, item.hint);
		const toOne = rel.kind === 'm2o' || rel.kind === 'o2o';
		if (item.spread && !toOne)
			throw new ApiError(
				400,
				'PGRST119',
				`A spread operation on '${item.name}' is not possible`,
				`'${source.name}' and '${item.name}' do not form a many-to-one or one-to-one relationship`
			);
		const child = planNode(sql, cache, relationSource(rel.to), item.children);
		node.embeds.push({
			key: item.alias ?? item.name,
			item,
			rel,
			toOne,
			inner: item.join === 'inner',
			lateral: sql.alias('e'),
			node: child
		});
	}
	return node;
}

// ----- expressions

function columnOf(node: ReadNode, name: string): Column | undefined {
	return node.source.columns?.get(name);
}

function checkColumn(node: ReadNode, name: string): void {
	const cols = node.source.columns;
	if (!cols || cols.has(name)) return;
	const s = fuzzyBest([...cols.keys()], name, 0.5);
	throw new ApiError(
		400,
		'42703',
		`column ${node.source.name}.${name} does not exist`,
		null,
		s ? `Perhaps you meant to reference the column "${node.source.name}.${s}".` : null
	);
}

function fieldExpr(sql: Sql, node: ReadNode, f: Field): string {
	checkColumn(node, f.name);
	let e = `${node.alias}.${qi(f.name)}`;
	for (const op of f.path) {
		e = op.index
			? `${e}${op.arrow}${sql.param(Number(op.key))}::int`
			: `${e}${op.arrow}${sql.param(op.key)}::text`;
	}
	return e;
}

function outputName(f: Field): string {
	if (f.path.length) return f.path[f.path.length - 1].key;
	return f.name;
}

export function pgArrayLiteral(values: unknown[]): string {
	return `{${values
		.map((v) => {
			if (v === null || v === undefined) return 'NULL';
			if (Array.isArray(v)) return pgArrayLiteral(v);
			const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
			return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
		})
		.join(',')}}`;
}

/** A JSON value turned into the text Postgres parses for a column of this type. */
export function toParam(
	v: unknown,
	col: { typeName: string; category: string } | undefined
): unknown {
	if (v === null || v === undefined) return null;
	if (col && (col.typeName === 'json' || col.typeName === 'jsonb')) return JSON.stringify(v);
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
	if (Array.isArray(v) && (!col || col.category === 'A')) return pgArrayLiteral(v);
	return JSON.stringify(v);
}

const isNullOp = (f: Filter): boolean => f.operation.kind === 'is' && f.operation.value === 'null';

function renderFilter(sql: Sql, node: ReadNode, f: Filter): string {
	const embed =
		f.field.path.length === 0 ? node.embeds.find((e) => e.key === f.field.name) : undefined;
	if (embed && !columnOf(node, f.field.name)) {
		// `embed=is.null` / `embed=not.is.null`: whether the embedded resource has rows.
		if (f.operation.kind !== 'is' || !(isNullOp(f) || f.operation.value === 'not_null'))
			throw errors.unacceptableFilter(f.field.name);
		const wantNull = isNullOp(f) !== f.negate;
		return `${embed.lateral}.body is ${wantNull ? '' : 'not '}null`;
	}
	const lhs = fieldExpr(sql, node, f.field);
	const op = f.operation;
	let cond: string;
	switch (op.kind) {
		case 'in': {
			if (op.values.length === 1 && op.values[0] === '') cond = 'false';
			else cond = `${lhs} = any(${sql.param(pgArrayLiteral(op.values))})`;
			break;
		}
		case 'is':
			cond = `${lhs} is ${op.value === 'not_null' ? 'not null' : op.value}`;
			break;
		case 'fts': {
			const col = f.field.path.length === 0 ? columnOf(node, f.field.name) : undefined;
			const lang = op.lang !== undefined ? `${sql.param(op.lang)}::regconfig, ` : '';
			const vec = col && col.typeName === 'tsvector' ? lhs : `to_tsvector(${lang}${lhs})`;
			cond = `${vec} @@ ${ftsOperators[op.op]}(${lang}${sql.param(op.value)})`;
			break;
		}
		case 'op': {
			const isLike = op.op === 'like' || op.op === 'ilike';
			const sqlOp = simpleOperators[op.op];
			if (op.quant) {
				let v = op.value;
				if (isLike) v = v.replaceAll('*', '%');
				cond = `${lhs} ${sqlOp} ${op.quant}(${sql.param(v)})`;
			} else {
				const v = isLike ? op.value.replaceAll('*', '%') : op.value;
				cond = `${lhs} ${sqlOp} ${sql.param(v)}`;
			}
			break;
		}
	}
	return f.negate ? `not (${cond})` : cond;
}

function renderLogic(sql: Sql, node: ReadNode, t: LogicTree): string {
	if (t.kind === 'filter') return renderFilter(sql, node, t.filter);
	const inner = t.children.map((c) => `(${renderLogic(sql, node, c)})`).join(` ${t.op} `);
	return t.negate ? `not (${inner})` : `(${inner})`;
}

function joinCondition(
	rel: Relationship,
	parentAlias: string,
	childAlias: string,
	sql: Sql
): { from: string; conds: string[] } {
	if (rel.kind === 'm2m') {
		const j = sql.alias('j');
		return {
			from: ` join ${qrel(rel.junction.schema, rel.junction.name)} as ${j} on ${rel.tgtCols
				.map(([jc, tc]) => `${j}.${qi(jc)} = ${childAlias}.${qi(tc)}`)
				.join(' and ')}`,
			conds: rel.srcCols.map(([sc, jc]) => `${j}.${qi(jc)} = ${parentAlias}.${qi(sc)}`)
		};
	}
	return {
		from: '',
		conds: rel.cols.map(([pc, cc]) => `${childAlias}.${qi(cc)} = ${parentAlias}.${qi(pc)}`)
	};
}

function renderOrder(sql: Sql, cache: SchemaCache, node: ReadNode): string {
	if (node.order.length === 0) return '';
	const terms = node.order.map((t) => {
		let e: string;
		if (t.relation !== undefined) {
			const embed =
				node.embeds.find((x) => x.key === t.relation) ??
				node.embeds.find((x) => x.item.name === t.relation);
			if (!embed) throw errors.notEmbedded(t.relation);
			if (!embed.toOne) throw errors.relatedOrderNotToOne(node.source.name, t.relation);
			const sub: ReadNode = { ...embed.node, alias: sql.alias('o') };
			const expr = fieldExpr(sql, sub, t.field);
			const jc = joinCondition(embed.rel, node.alias, sub.alias, sql);
			e = `(select ${expr} from ${sub.source.from} as ${sub.alias}${jc.from} where ${jc.conds.join(' and ')})`;
		} else e = fieldExpr(sql, node, t.field);
		return `${e}${t.dir ? ` ${t.dir}` : ''}${t.nulls ? ` nulls ${t.nulls}` : ''}`;
	});
	void cache;
	return ` order by ${terms.join(', ')}`;
}

function renderRange(sql: Sql, r: Range | undefined): string {
	if (!r) return '';
	let s = '';
	if (r.limit !== undefined) s += ` limit ${sql.param(r.limit)}::int8`;
	if (r.offset) s += ` offset ${sql.param(r.offset)}::int8`;
	return s;
}

export interface RenderedNode {
	/** `select <items>` */
	select: string;
	/** `from ... where ...` without order/limit (reused by the count). */
	fromWhere: string;
	/** from/where including only what a count needs. */
	countFromWhere: string;
	tail: string;
}

/** Renders a node; `extraConds` carry the join condition of an embed. */
export function renderNode(
	sql: Sql,
	cache: SchemaCache,
	node: ReadNode,
	extra: { from?: string; conds?: string[] } = {}
): RenderedNode {
	const items: string[] = [];
	for (const item of node.select) {
		if (item.kind === 'field') {
			if (item.field.name === '*') {
				items.push(`${node.alias}.*`);
				continue;
			}
			let e = fieldExpr(sql, node, item.field);
			if (item.cast) e = `(${e})::${castType(item.cast)}`;
			items.push(`${e} as ${qi(item.alias ?? outputName(item.field))}`);
			continue;
		}
		const embed = node.embeds.find((x) => x.item === item)!;
		if (item.children.length === 0) continue;
		if (item.spread) items.push(`${embed.lateral}.*`);
		else if (embed.toOne) items.push(`${embed.lateral}.body as ${qi(embed.key)}`);
		else items.push(`coalesce(${embed.lateral}.body, '[]') as ${qi(embed.key)}`);
	}

	const joins: string[] = [];
	const innerConds: string[] = [];
	for (const embed of node.embeds) {
		const child = embed.node;
		const jc = joinCondition(embed.rel, node.alias, child.alias, sql);
		const r = renderNode(sql, cache, child, { from: jc.from, conds: jc.conds });
		const inner = `${r.select} ${r.fromWhere}${r.tail}`;
		let lateral: string;
		if (embed.item.spread) lateral = inner;
		else if (embed.toOne) lateral = `select row_to_json(_x) as body from (${inner}) _x`;
		else lateral = `select json_agg(_x) as body from (${inner}) _x`;
		const joinKind = embed.inner && (embed.toOne || embed.item.spread) ? 'inner' : 'left';
		joins.push(` ${joinKind} join lateral (${lateral}) as ${embed.lateral} on true`);
		if (embed.inner && !(embed.toOne || embed.item.spread))
			innerConds.push(`${embed.lateral}.body is not null`);
	}

	const conds = [...(extra.conds ?? [])];
	for (const f of node.filters) conds.push(renderFilter(sql, node, f));
	for (const l of node.logic) conds.push(renderLogic(sql, node, l));
	conds.push(...innerConds);
	const from = `from ${node.source.from} as ${node.alias}${node.source.columnAliases ? `(${node.source.columnAliases.map(qi).join(', ')})` : ''}${extra.from ?? ''}`;
	const where = conds.length ? ` where ${conds.join(' and ')}` : '';
	const fromWhere = `${from}${joins.join('')}${where}`;
	// A count only needs the laterals that filter rows; the rest would only cost time.
	const referenced = node.embeds.filter((e) => e.inner || where.includes(`${e.lateral}.`));
	const countJoins = joins.filter((_, i) => referenced.includes(node.embeds[i]));
	const countFromWhere = `${from}${countJoins.join('')}${where}`;
	return {
		select: `select ${items.join(', ')}`,
		fromWhere,
		countFromWhere,
		tail: `${renderOrder(sql, cache, node)}${renderRange(sql, node.range)}`
	};
}

/** Casts come from the query string: only type names (letters, digits, `_`, spaces). */
function castType(t: string): string {
	const s = t.trim();
	if (!/^[a-zA-Z_][a-zA-Z0-9_ ]*(\[\])?$/.test(s))
		throw errors.parse('select parameter', t, 1, `unexpected cast ${t}`);
	return s;
}

export type OutputFormat = 'json' | 'object' | 'csv';

export interface ReadOptions {
	count: 'exact' | 'planned' | 'estimated' | null;
	format: OutputFormat;
	stripNulls: boolean;
	/** Aggregate a single column into a JSON array of scalars (set-returning scalar functions). */
	scalarColumn?: string;
	/** A function returning one composite: the body is an object, not an array. */
	singleComposite?: boolean;
	/** HEAD: the client gets headers only, so the body is not built at all. */
	omitBody?: boolean;
}

/** The final statement: `total`, `page` and `body` columns. */
export function wrapRead(rendered: RenderedNode, opts: ReadOptions, sourceCte = ''): string {
	const inner = `${rendered.select} ${rendered.fromWhere}${rendered.tail}`;
	const total =
		opts.count === 'exact' ? `(select count(*) ${rendered.countFromWhere})` : 'null::int8';
	let body: string;
	if (opts.omitBody) {
		body = 'null::text';
	} else if (opts.format === 'csv') {
		body = `coalesce((select string_agg(k, ',') from json_object_keys((array_agg(row_to_json(_t)))[1]) as k), '') || case when count(*) > 0 then E'\\n' else '' end || coalesce(string_agg(substring(_t::text, 2, length(_t::text) - 2), E'\\n'), '')`;
	} else if (opts.scalarColumn !== undefined) {
		body = `coalesce(json_agg(_t.${qi(opts.scalarColumn)}), '[]')::text`;
	} else {
		const row = opts.stripNulls ? 'json_strip_nulls(row_to_json(_t))' : '_t';
		body = opts.singleComposite
			? `coalesce((json_agg(${row})->0)::text, 'null')`
			: `coalesce(json_agg(${row}), '[]')::text`;
	}
	return `${sourceCte}select ${total} as total, count(*) as page, ${body} as body from (${inner}) _t`;
}

// ----- mutations

export interface Payload {
	rows: Record<string, unknown>[];
	columns: string[];
}

export function payloadColumns(
	rel: Relation,
	rows: Record<string, unknown>[],
	columns: string[] | undefined
): string[] {
	let cols: string[];
	if (columns) cols = columns;
	else {
		cols = rows.length ? Object.keys(rows[0]) : [];
		const set = new Set(cols);
		for (const r of rows) {
			const ks = Object.keys(r);
			if (ks.length !== set.size || ks.some((k) => !set.has(k)))
				throw errors.invalidBody('All object keys must match');
		}
	}
	for (const c of cols) if (!rel.columns.has(c)) throw errors.columnNotFound(rel.name, c);
	return cols;
}

const MAX_PARAMS = 60_000;

export interface InsertSpec {
	rel: Relation;
	rows: Record<string, unknown>[];
	columns: string[];
	missingDefault: boolean;
	onConflict?: { columns: string[]; resolution: 'merge' | 'ignore' };
	returning: string[] | '*' | null;
}

export function insertSql(sql: Sql, spec: InsertSpec, alias: string): string {
	const { rel, rows, columns } = spec;
	const target = `${qrel(rel.schema, rel.name)} as ${alias}`;
	let stmt: string;
	if (columns.length === 0) {
		stmt =
			rows.length === 1
				? `insert into ${target} default values`
				: `insert into ${target} select from generate_series(1, ${sql.param(rows.length)}::int)`;
	} else if (rows.length * columns.length > MAX_PARAMS) {
		// Too many cells for one parameter each: let Postgres read the JSON itself.
		const cl = columns.map(qi).join(', ');
		stmt = `insert into ${target} (${cl}) select ${cl} from json_populate_recordset(null::${qrel(rel.schema, rel.name)}, ${sql.param(JSON.stringify(rows))}::json)`;
	} else {
		const cols = columns.map((c) => rel.columns.get(c)!);
		const values = rows.map(
			(r) =>
				`(${cols
					.map((c) =>
						c.name in r
							? sql.param(toParam(r[c.name], c))
							: spec.missingDefault
								? 'default'
								: 'null'
					)
					.join(', ')})`
		);
		stmt = `insert into ${target} (${columns.map(qi).join(', ')}) values ${values.join(', ')}`;
	}
	if (spec.onConflict) {
		const target = spec.onConflict.columns.map(qi).join(', ');
		const sets = columns.map((c) => `${qi(c)} = excluded.${qi(c)}`);
		stmt +=
			spec.onConflict.resolution === 'ignore' || sets.length === 0
				? ` on conflict (${target}) do nothing`
				: ` on conflict (${target}) do update set ${sets.join(', ')}`;
	}
	return stmt + returningClause(spec.returning, alias);
}

function returningClause(r: string[] | '*' | null, alias: string): string {
	if (r === null) return '';
	if (r === '*') return ` returning ${alias}.*`;
	return r.length ? ` returning ${r.map((c) => `${alias}.${qi(c)}`).join(', ')}` : ' returning 1';
}

export function updateSql(
	sql: Sql,
	cache: SchemaCache,
	rel: Relation,
	values: Record<string, unknown>,
	columns: string[],
	node: ReadNode,
	returning: string[] | '*' | null
): string {
	const sets = columns.map(
		(c) => `${qi(c)} = ${sql.param(toParam(values[c], rel.columns.get(c)))}`
	);
	const conds = whereOf(sql, node);
	return `update ${qrel(rel.schema, rel.name)} as ${node.alias} set ${sets.join(', ')}${conds}${returningClause(returning, node.alias)}`;
}

export function deleteSql(
	sql: Sql,
	rel: Relation,
	node: ReadNode,
	returning: string[] | '*' | null
): string {
	return `delete from ${qrel(rel.schema, rel.name)} as ${node.alias}${whereOf(sql, node)}${returningClause(returning, node.alias)}`;
}

function whereOf(sql: Sql, node: ReadNode): string {
	const conds = [
		...node.filters.map((f) => renderFilter(sql, node, f)),
		...node.logic.map((l) => renderLogic(sql, node, l))
	];
	return conds.length ? ` where ${conds.join(' and ')}` : '';
}

// ----- functions

export function callSql(
	sql: Sql,
	r: Routine,
	args: Map<string, unknown> | { single: string }
): string {
	const fn = qrel(r.schema, r.name);
	if ('single' in args) return `${fn}(${sql.param(args.single)}::${r.params[0].type})`;
	const parts: string[] = [];
	for (const p of r.params) {
		if (!args.has(p.name)) continue;
		const v = args.get(p.name);
		parts.push(
			`${p.variadic ? 'variadic ' : ''}${qi(p.name)} => ${sql.param(toParam(v, p))}::${p.type}`
		);
	}
	return `${fn}(${parts.join(', ')})`;
}
