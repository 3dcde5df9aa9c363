/**
 * PostgREST's schema cache: the relations, columns, keys, relationships and functions of the
 * exposed schemas, read once by introspection and kept until a reload.
 */
import type { Database } from '../types.ts';

export interface Column {
	name: string;
	/** format_type(), e.g. `integer`, `text[]`, `timestamp with time zone`. */
	type: string;
	/** The base type name, e.g. `int4`, `_text`, `jsonb` (domains resolved). */
	typeName: string;
	/** 'A' for arrays, 'R' for ranges... (pg_type.typcategory). */
	category: string;
	nullable: boolean;
	default: string | null;
	generated: boolean;
	position: number;
}

export interface Relation {
	schema: string;
	name: string;
	kind: 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';
	columns: Map<string, Column>;
	columnList: Column[];
	pk: string[];
	/** Unique keys (incl. the primary key), for one-to-one detection. */
	uniques: string[][];
}

export interface ForeignKey {
	name: string;
	from: Relation;
	to: Relation;
	/** [source column, target column] pairs. */
	cols: [string, string][];
}

export type Relationship =
	| {
			kind: 'm2o' | 'o2m' | 'o2o';
			constraint: string;
			from: Relation;
			to: Relation;
			cols: [string, string][];
	  }
	| {
			kind: 'm2m';
			from: Relation;
			to: Relation;
			junction: Relation;
			constraint1: string;
			constraint2: string;
			/** [from column, junction column] */
			srcCols: [string, string][];
			/** [junction column, to column] */
			tgtCols: [string, string][];
	  };

export interface RoutineParam {
	name: string;
	type: string;
	typeName: string;
	category: string;
	hasDefault: boolean;
	variadic: boolean;
}

export interface Routine {
	schema: string;
	name: string;
	params: RoutineParam[];
	returnType: string;
	returnTypeName: string;
	returnsSet: boolean;
	/** The relation of a composite return type (table or view row type). */
	returnRelation: Relation | null;
	/** OUT/TABLE columns of `returns table(...)` or OUT params. */
	outColumns: Column[] | null;
	isVoid: boolean;
	isScalar: boolean;
	volatility: 'i' | 's' | 'v';
	/**
	 * The function's own `SET name = value` clauses (pg_proc.proconfig) that are hoisted to the
	 * request transaction, in declaration order; see `hoistedTxSettings`.
	 */
	settings: [string, string][];
}

export interface SchemaCache {
	schemas: string[];
	relations: Map<string, Relation>;
	relationships: Map<string, Relationship[]>;
	routines: Map<string, Routine[]>;
	loadedAt: number;
}

/**
 * PostgREST's `db-hoisted-tx-settings` default. A function's SET clause only takes effect once the
 * function runs, too late for a timer already armed for the calling statement, so PostgREST also
 * applies these settings transaction-locally before the main query of an RPC (v12.1+).
 */
export const hoistedTxSettings = [
	'statement_timeout',
	'plan_filter.statement_cost_limit',
	'default_transaction_isolation'
];

/** `name=value` entries of pg_proc.proconfig, keeping only the hoisted names. */
export function hoistedSettings(
	proconfig: string[],
	allowed: readonly string[] = hoistedTxSettings
): [string, string][] {
	const out: [string, string][] = [];
	for (const entry of proconfig) {
		// The value may itself contain '=': only the first one separates.
		const i = entry.indexOf('=');
		if (i <= 0) continue;
		const name = entry.slice(0, i);
		if (allowed.includes(name)) out.push([name, entry.slice(i + 1)]);
	}
	return out;
}

export const key = (schema: string, name: string): string => `${schema}\u0000${name}`;

const relationsSql = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.oid::int8 as oid
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')`;

const columnsSql = `
select n.nspname as schema, c.relname as rel, a.attname as name, a.attnum as position,
  format_type(a.atttypid, a.atttypmod) as type,
  coalesce(bt.typname, t.typname) as typname,
  coalesce(bt.typcategory, t.typcategory) as category,
  not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)) as nullable,
  pg_get_expr(d.adbin, d.adrelid) as "default",
  (a.attgenerated <> '') as generated
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')
  and a.attnum > 0 and not a.attisdropped
order by c.oid, a.attnum`;

const keysSql = `
select n.nspname as schema, c.relname as rel, k.contype as type, k.conname as name,
  array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i)
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as cols,
  fn.nspname as fschema, fc.relname as frel,
  array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i)
        join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as fcols
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class fc on fc.oid = k.confrelid
left join pg_namespace fn on fn.oid = fc.relnamespace
where k.contype in ('p', 'u', 'f') and n.nspname = any($1)`;

// Views: which base-table columns each view reads, so foreign keys and primary keys of the
// base tables can be carried over to the view columns of the same name.
const viewDepsSql = `
select distinct vn.nspname as vschema, v.relname as view, bn.nspname as bschema, b.relname as base,
  a.attname as col
from pg_depend d
join pg_rewrite r on r.oid = d.objid
join pg_class v on v.oid = r.ev_class
join pg_namespace vn on vn.oid = v.relnamespace
join pg_class b on b.oid = d.refobjid
join pg_namespace bn on bn.oid = b.relnamespace
join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
  and d.refobjsubid > 0 and v.relkind in ('v', 'm') and v.oid <> b.oid and vn.nspname = any($1)`;

const routinesSql = `
select n.nspname as schema, p.proname as name, p.provolatile as volatility, p.proretset as retset,
  format_type(p.prorettype, null) as rettype,
  rt.typname as rettypname, rt.typtype as rettyptype, rt.typrelid::int8 as retrelid,
  rc.relname as retrel, rn.nspname as retrelschema,
  p.pronargs as nargs, p.pronargdefaults as ndefaults,
  coalesce(p.proargnames, '{}'::text[]) as argnames,
  coalesce(p.proargmodes::text[], '{}'::text[]) as argmodes,
  array(select format_type(t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) t) as argtypes,
  array(select coalesce(bt.typname, ty.typname)::text from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, i)
        join pg_type ty on ty.oid = u.t left join pg_type bt on ty.typtype = 'd' and bt.oid = ty.typbasetype order by u.i) as argtypnames,
  array(select coalesce(bt.typcategory, ty.typcategory)::text from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, i)
        join pg_type ty on ty.oid = u.t left join pg_type bt on ty.typtype = 'd' and bt.oid = ty.typbasetype order by u.i) as argcats,
  p.provariadic <> 0 as variadic,
  coalesce(p.proconfig, '{}'::text[]) as proconfig
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
left join pg_class rc on rc.oid = rt.typrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any($1) and p.prokind = 'f'`;

const kinds: Record<string, Relation['kind']> = {
	r: 'table',
	v: 'view',
	m: 'materialized_view',
	f: 'foreign_table',
	p: 'partitioned_table'
};

function asArray(v: unknown): string[] {
	if (Array.isArray(v)) return v.map(String);
	if (typeof v === 'string') {
		// Text form `{a,b}` (drivers that do not parse arrays).
		const inner = v.replace(/^\{|\}$/g, '');
		return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
	}
	return [];
}

export async function loadSchemaCache(db: Database, schemas: string[]): Promise<SchemaCache> {
	const loadedAt = Date.now();
	// One snapshot of the catalog: on a pool, five separate statements could each see a different
	// moment of concurrent DDL (a table without its columns).
	const [rels, cols, keys, deps, procs] = await db.transaction(async (tx) => {
		await tx.exec('set transaction isolation level repeatable read, read only');
		return [
			await tx.query<{ schema: string; name: string; kind: string }>(relationsSql, [schemas]),
			await tx.query<Record<string, unknown>>(columnsSql, [schemas]),
			await tx.query<Record<string, unknown>>(keysSql, [schemas]),
			await tx.query<Record<string, string>>(viewDepsSql, [schemas]),
			await tx.query<Record<string, unknown>>(routinesSql, [schemas])
		] as const;
	});
	const relations = new Map<string, Relation>();
	for (const r of rels.rows) {
		relations.set(key(r.schema, r.name), {
			schema: r.schema,
			name: r.name,
			kind: kinds[r.kind] ?? 'table',
			columns: new Map(),
			columnList: [],
			pk: [],
			uniques: []
		});
	}
	for (const c of cols.rows) {
		const rel = relations.get(key(c.schema as string, c.rel as string));
		if (!rel) continue;
		const col: Column = {
			name: c.name as string,
			type: c.type as string,
			typeName: c.typname as string,
			category: c.category as string,
			nullable: c.nullable as boolean,
			default: (c.default as string | null) ?? null,
			generated: c.generated as boolean,
			position: Number(c.position)
		};
		rel.columns.set(col.name, col);
		rel.columnList.push(col);
	}
	const fks: ForeignKey[] = [];
	for (const k of keys.rows) {
		const rel = relations.get(key(k.schema as string, k.rel as string));
		if (!rel) continue;
		const kcols = asArray(k.cols);
		if (k.type === 'p') {
			rel.pk = kcols;
			rel.uniques.push(kcols);
		} else if (k.type === 'u') rel.uniques.push(kcols);
		else {
			const to = relations.get(key(k.fschema as string, k.frel as string));
			if (!to) continue;
			const fcols = asArray(k.fcols);
			fks.push({ name: k.name as string, from: rel, to, cols: kcols.map((c, i) => [c, fcols[i]]) });
		}
	}

	// Carry keys over to views: view column `c` stands for base column `c` when the view reads it.
	const proxies = new Map<Relation, { rel: Relation; map: Map<string, string> }[]>();
	for (const rel of relations.values())
		proxies.set(rel, [{ rel, map: new Map(rel.columnList.map((c) => [c.name, c.name])) }]);
	const viewCols = new Map<string, Map<string, Set<string>>>(); // view -> base -> cols
	for (const d of deps.rows) {
		const vk = key(d.vschema, d.view);
		const bk = key(d.bschema, d.base);
		let m = viewCols.get(vk);
		if (!m) viewCols.set(vk, (m = new Map()));
		let s = m.get(bk);
		if (!s) m.set(bk, (s = new Set()));
		s.add(d.col);
	}
	for (const [vk, bases] of viewCols) {
		const view = relations.get(vk);
		if (!view) continue;
		// A view column name read from several base tables is ambiguous: skip it.
		const owners = new Map<string, number>();
		for (const set of bases.values()) for (const c of set) owners.set(c, (owners.get(c) ?? 0) + 1);
		for (const [bk, set] of bases) {
			const base = relations.get(bk);
			if (!base) continue;
			const map = new Map<string, string>();
			for (const c of set) if (view.columns.has(c) && owners.get(c) === 1) map.set(c, c);
			if (map.size === 0) continue;
			proxies.get(base)?.push({ rel: view, map });
			if (base.pk.length && view.pk.length === 0 && base.pk.every((c) => map.has(c)))
				view.pk = base.pk.map((c) => map.get(c)!);
			for (const u of base.uniques)
				if (u.every((c) => map.has(c))) view.uniques.push(u.map((c) => map.get(c)!));
		}
	}
	const allFks: ForeignKey[] = [];
	for (const fk of fks) {
		for (const src of proxies.get(fk.from) ?? []) {
			if (!fk.cols.every(([c]) => src.map.has(c))) continue;
			for (const dst of proxies.get(fk.to) ?? []) {
				if (!fk.cols.every(([, c]) => dst.map.has(c))) continue;
				allFks.push({
					name: fk.name,
					from: src.rel,
					to: dst.rel,
					cols: fk.cols.map(([a, b]) => [src.map.get(a)!, dst.map.get(b)!])
				});
			}
		}
	}

	const relationships = new Map<string, Relationship[]>();
	const add = (r: Relationship): void => {
		const k = key(r.from.schema, r.from.name);
		let list = relationships.get(k);
		if (!list) relationships.set(k, (list = []));
		list.push(r);
	};
	const isUnique = (rel: Relation, cols: string[]): boolean =>
		rel.uniques.some((u) => u.length === cols.length && u.every((c) => cols.includes(c)));
	for (const fk of allFks) {
		const o2o = isUnique(
			fk.from,
			fk.cols.map(([c]) => c)
		);
		add({
			kind: o2o ? 'o2o' : 'm2o',
			constraint: fk.name,
			from: fk.from,
			to: fk.to,
			cols: fk.cols
		});
		add({
			kind: o2o ? 'o2o' : 'o2m',
			constraint: fk.name,
			from: fk.to,
			to: fk.from,
			cols: fk.cols.map(([a, b]) => [b, a])
		});
	}
	// Many-to-many through a junction whose two foreign keys are part of its primary key.
	const byJunction = new Map<Relation, ForeignKey[]>();
	for (const fk of allFks) {
		let l = byJunction.get(fk.from);
		if (!l) byJunction.set(fk.from, (l = []));
		l.push(fk);
	}
	for (const [jt, list] of byJunction) {
		if (jt.pk.length === 0) continue;
		for (const a of list)
			for (const b of list) {
				if (a === b || a.name === b.name) continue;
				const cols = [...a.cols.map(([c]) => c), ...b.cols.map(([c]) => c)];
				if (!cols.every((c) => jt.pk.includes(c))) continue;
				add({
					kind: 'm2m',
					from: a.to,
					to: b.to,
					junction: jt,
					constraint1: a.name,
					constraint2: b.name,
					srcCols: a.cols.map(([j, s]) => [s, j]),
					tgtCols: b.cols.map(([j, t]) => [j, t])
				});
			}
	}

	const routines = new Map<string, Routine[]>();
	for (const p of procs.rows) {
		const names = asArray(p.argnames);
		const modes = asArray(p.argmodes);
		const types = asArray(p.argtypes);
		const typNames = asArray(p.argtypnames);
		const cats = asArray(p.argcats);
		const nargs = Number(p.nargs);
		const ndefaults = Number(p.ndefaults);
		const params: RoutineParam[] = [];
		const outColumns: Column[] = [];
		let inIndex = 0;
		for (let i = 0; i < types.length; i++) {
			const mode = modes[i] ?? 'i';
			const name = names[i] ?? '';
			if (mode === 'i' || mode === 'b' || mode === 'v') {
				params.push({
					name,
					type: types[i],
					typeName: typNames[i],
					category: cats[i],
					hasDefault: inIndex >= nargs - ndefaults,
					variadic: mode === 'v'
				});
				inIndex++;
			}
			if (mode === 'o' || mode === 'b' || mode === 't') {
				outColumns.push({
					name,
					type: types[i],
					typeName: typNames[i],
					category: cats[i],
					nullable: true,
					default: null,
					generated: false,
					position: outColumns.length + 1
				});
			}
		}
		const retRelation =
			p.retrel != null
				? (relations.get(key(p.retrelschema as string, p.retrel as string)) ?? null)
				: null;
		// Named OUT, INOUT or TABLE columns answer in object style, even a single one (PostgREST
		// #1615 and #1931): `returns table(x text)` gives [{"x": …}], not ["…"].
		const isComposite = p.rettyptype === 'c' || outColumns.length > 0;
		const routine: Routine = {
			schema: p.schema as string,
			name: p.name as string,
			params,
			returnType: p.rettype as string,
			returnTypeName: p.rettypname as string,
			returnsSet: p.retset as boolean,
			returnRelation: retRelation,
			outColumns: outColumns.length ? outColumns : null,
			isVoid: p.rettypname === 'void',
			isScalar: !isComposite,
			volatility: p.volatility as 'i' | 's' | 'v',
			settings: hoistedSettings(asArray(p.proconfig))
		};
		const k = key(routine.schema, routine.name);
		let l = routines.get(k);
		if (!l) routines.set(k, (l = []));
		l.push(routine);
	}
	return { schemas, relations, relationships, routines, loadedAt };
}

// Fuzzy matching like Haskell's Data.FuzzySet (gram cosine pre-selection, Levenshtein score),
// used for the "Perhaps you meant" hints.
function levenshtein(a: string, b: string): number {
	const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = dp[0];
		dp[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = dp[j];
			dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = tmp;
		}
	}
	return dp[b.length];
}

export function fuzzyBest(candidates: string[], needle: string, minScore: number): string | null {
	let best: string | null = null;
	let bestScore = -1;
	const n = needle.toLowerCase();
	for (const c of candidates) {
		const l = c.toLowerCase();
		const score = 1 - levenshtein(l, n) / Math.max(l.length, n.length, 1);
		if (score > bestScore) {
			best = c;
			bestScore = score;
		}
	}
	return bestScore >= minScore ? best : null;
}
