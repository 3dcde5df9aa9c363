/**
 * PostgREST's query-string grammar (select, filters, logic trees, order, ranges, columns,
 * on_conflict), parsed into plain data. Nothing here touches SQL: values stay strings and are
 * bound as parameters later.
 */
import { ApiError, errors } from './errors.ts';

export interface JsonOp {
	arrow: '->' | '->>';
	key: string;
	/** A numeric key (array index), sent as an integer. */
	index: boolean;
}

export interface Field {
	name: string;
	path: JsonOp[];
}

export type SelectItem =
	| { kind: 'field'; field: Field; alias?: string; cast?: string }
	| {
			kind: 'embed';
			name: string;
			alias?: string;
			hint?: string;
			join?: 'inner' | 'left';
			spread: boolean;
			children: SelectItem[];
	  };

export const simpleOperators = {
	eq: '=',
	neq: '<>',
	gt: '>',
	gte: '>=',
	lt: '<',
	lte: '<=',
	like: 'like',
	ilike: 'ilike',
	match: '~',
	imatch: '~*',
	cs: '@>',
	cd: '<@',
	ov: '&&',
	sl: '<<',
	sr: '>>',
	nxr: '&<',
	nxl: '&>',
	adj: '-|-',
	isdistinct: 'is distinct from'
} as const;
export type SimpleOperator = keyof typeof simpleOperators;

export const ftsOperators = {
	fts: 'to_tsquery',
	plfts: 'plainto_tsquery',
	phfts: 'phraseto_tsquery',
	wfts: 'websearch_to_tsquery'
} as const;
export type FtsOperator = keyof typeof ftsOperators;

/** Operators that take the `(any)` / `(all)` quantifier. */
const quantifiable = new Set([
	'eq',
	'neq',
	'gt',
	'gte',
	'lt',
	'lte',
	'like',
	'ilike',
	'match',
	'imatch'
]);

export type Operation =
	| { kind: 'op'; op: SimpleOperator; quant?: 'any' | 'all'; value: string }
	| { kind: 'in'; values: string[] }
	| { kind: 'is'; value: 'null' | 'not_null' | 'true' | 'false' | 'unknown' }
	| { kind: 'fts'; op: FtsOperator; lang?: string; value: string };

export interface Filter {
	field: Field;
	negate: boolean;
	operation: Operation;
}

export type LogicTree =
	| { kind: 'filter'; filter: Filter }
	| { kind: 'expr'; negate: boolean; op: 'and' | 'or'; children: LogicTree[] };

export interface OrderTerm {
	/** `order=clients(name).desc`: ordering by a column of an embedded to-one resource. */
	relation?: string;
	field: Field;
	dir?: 'asc' | 'desc';
	nulls?: 'first' | 'last';
}

export interface Range {
	offset: number;
	limit?: number;
}

export interface QueryParams {
	select: SelectItem[];
	/** Filters with the embed path they apply to (`[]` is the root). */
	filters: { path: string[]; filter: Filter }[];
	logic: { path: string[]; tree: LogicTree }[];
	order: { path: string[]; terms: OrderTerm[] }[];
	/** Keyed by the embed path joined with '.', '' for the root. */
	ranges: Map<string, Range>;
	columns?: string[];
	onConflict?: string[];
	/** Parameters that are not filters: RPC arguments on GET. */
	params: [string, string][];
}

class ParseFail extends Error {
	constructor(
		readonly column: number,
		readonly details: string
	) {
		super(details);
	}
}

const identChar = /[\p{L}\p{N}_ $]/u;

/** A small cursor over one parameter value, failing with Parsec-like positions. */
class Cursor {
	pos = 0;
	constructor(readonly s: string) {}
	get done(): boolean {
		return this.pos >= this.s.length;
	}
	peek(n = 0): string {
		return this.s[this.pos + n] ?? '';
	}
	startsWith(t: string): boolean {
		return this.s.startsWith(t, this.pos);
	}
	eat(t: string): boolean {
		if (this.startsWith(t)) {
			this.pos += t.length;
			return true;
		}
		return false;
	}
	expect(t: string, what = `"${t}"`): void {
		if (!this.eat(t)) this.fail(what);
	}
	skipWs(): void {
		while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
	}
	fail(expecting: string): never {
		const c = this.done ? 'end of input' : `"${this.peek()}"`;
		throw new ParseFail(this.pos + 1, `unexpected ${c} expecting ${expecting}`);
	}
}

function pQuoted(c: Cursor): string {
	c.expect('"');
	let out = '';
	while (!c.done && c.peek() !== '"') {
		if (c.peek() === '\\') c.pos++;
		out += c.peek();
		c.pos++;
	}
	c.expect('"', 'closing quote');
	return out;
}

function pIdentifier(c: Cursor): string {
	const start = c.pos;
	while (!c.done && identChar.test(c.peek())) c.pos++;
	if (c.pos === start) c.fail('field name (* or [a..z0..9_$])');
	return c.s.slice(start, c.pos).trim();
}

/** Field names: a quoted value, or identifiers joined by dashes not followed by '>'. */
export function pFieldName(c: Cursor): string {
	if (c.peek() === '"') return pQuoted(c);
	let name = pIdentifier(c);
	while (c.peek() === '-' && c.peek(1) !== '>' && identChar.test(c.peek(1))) {
		c.pos++;
		name += '-' + pIdentifier(c);
	}
	return name;
}

function pJsonPath(c: Cursor): JsonOp[] {
	const path: JsonOp[] = [];
	for (;;) {
		let arrow: '->' | '->>';
		if (c.startsWith('->>')) arrow = '->>';
		else if (c.startsWith('->')) arrow = '->';
		else return path;
		c.pos += arrow.length;
		const m = /^-?\d+/.exec(c.s.slice(c.pos));
		if (m) {
			const after = c.s.slice(c.pos + m[0].length);
			if (after === '' || /^(->|::|\.|,|\))/.test(after)) {
				c.pos += m[0].length;
				path.push({ arrow, key: m[0], index: true });
				continue;
			}
		}
		path.push({ arrow, key: pFieldName(c), index: false });
	}
}

function pField(c: Cursor): Field {
	c.skipWs();
	const name = pFieldName(c);
	const path = pJsonPath(c);
	c.skipWs();
	return { name, path };
}

/** Tries `alias:` (a single colon, not a cast). */
function pAlias(c: Cursor): string | undefined {
	const save = c.pos;
	try {
		const a = pFieldName(c);
		if (c.peek() === ':' && c.peek(1) !== ':') {
			c.pos++;
			return a;
		}
	} catch {
		// not an alias
	}
	c.pos = save;
	return undefined;
}

function pEmbedParams(c: Cursor): { hint?: string; join?: 'inner' | 'left' } {
	const out: { hint?: string; join?: 'inner' | 'left' } = {};
	for (let i = 0; i < 2 && c.peek() === '!'; i++) {
		c.pos++;
		const word = pFieldName(c);
		if (word === 'inner' || word === 'left') out.join ??= word;
		else out.hint ??= word;
	}
	return out;
}

function pSelectList(c: Cursor, nested: boolean): SelectItem[] {
	const items: SelectItem[] = [];
	for (;;) {
		c.skipWs();
		items.push(pSelectItem(c));
		c.skipWs();
		if (c.eat(',')) continue;
		if (nested && c.peek() === ')') return items;
		if (!nested && c.done) return items;
		c.fail(nested ? '")" or ","' : '"," or end of input');
	}
}

function pSelectItem(c: Cursor): SelectItem {
	if (c.startsWith('..')) {
		c.pos += c.startsWith('...') ? 3 : 2;
		const name = pFieldName(c);
		const { hint, join } = pEmbedParams(c);
		c.expect('(');
		const children = c.peek() === ')' ? [] : pSelectList(c, true);
		c.expect(')');
		return { kind: 'embed', name, hint, join, spread: true, children };
	}
	if (c.peek() === '*') {
		c.pos++;
		return { kind: 'field', field: { name: '*', path: [] } };
	}
	const alias = pAlias(c);
	const start = c.pos;
	const name = pFieldName(c);
	if (c.peek() === '!' || c.peek() === '(') {
		const { hint, join } = pEmbedParams(c);
		c.expect('(');
		const children = c.peek() === ')' ? [] : pSelectList(c, true);
		c.expect(')');
		return { kind: 'embed', name, alias, hint, join, spread: false, children };
	}
	c.pos = start;
	const field = pField(c);
	let cast: string | undefined;
	if (c.eat('::')) cast = pIdentifier(c);
	const item: SelectItem = { kind: 'field', field };
	if (alias !== undefined) item.alias = alias;
	if (cast !== undefined) item.cast = cast;
	return item;
}

function pTriVal(c: Cursor): 'null' | 'not_null' | 'true' | 'false' | 'unknown' {
	const rest = c.s.slice(c.pos).toLowerCase();
	for (const v of ['not_null', 'null', 'unknown', 'true', 'false'] as const) {
		if (rest.startsWith(v)) {
			c.pos += v.length;
			return v;
		}
	}
	c.fail('null or trilean value (unknown, true, false)');
}

function pListVal(c: Cursor): string[] {
	c.skipWs();
	c.expect('(');
	const values: string[] = [];
	for (;;) {
		if (c.peek() === '"') {
			const save = c.pos;
			const q = pQuoted(c);
			if (c.peek() === ',' || c.peek() === ')') values.push(q);
			else {
				c.pos = save;
				values.push(rawUntil(c, ',)'));
			}
		} else values.push(rawUntil(c, ',)'));
		if (c.eat(',')) continue;
		c.expect(')');
		c.skipWs();
		return values;
	}
}

function rawUntil(c: Cursor, stops: string): string {
	const start = c.pos;
	while (!c.done && !stops.includes(c.peek())) c.pos++;
	return c.s.slice(start, c.pos);
}

/** In logic trees a value ends at ',' or ')' unless quoted or a `{...}` array literal. */
function pLogicValue(c: Cursor): string {
	if (c.peek() === '"') {
		const save = c.pos;
		const q = pQuoted(c);
		if (c.done || c.peek() === ',' || c.peek() === ')') return q;
		c.pos = save;
	}
	if (c.peek() === '{') {
		const end = c.s.indexOf('}', c.pos);
		if (end > 0 && !c.s.slice(c.pos + 1, end).includes('{')) {
			const v = c.s.slice(c.pos, end + 1);
			c.pos = end + 1;
			return v;
		}
	}
	return rawUntil(c, ',)');
}

function pOpExpr(c: Cursor, inLogic: boolean): { negate: boolean; operation: Operation } {
	let negate = false;
	if (c.startsWith('not.')) {
		negate = true;
		c.pos += 4;
	}
	const value = (): string => (inLogic ? pLogicValue(c) : c.s.slice(c.pos, (c.pos = c.s.length)));
	if (c.startsWith('in.')) {
		c.pos += 3;
		return { negate, operation: { kind: 'in', values: pListVal(c) } };
	}
	if (c.startsWith('is.')) {
		c.pos += 3;
		return { negate, operation: { kind: 'is', value: pTriVal(c) } };
	}
	const m = /^([a-z]+)(?:\(([^)]*)\))?\./i.exec(c.s.slice(c.pos));
	if (!m) {
		const opStr = rawUntil(new Cursor(c.s.slice(c.pos)), '.');
		if (c.s.indexOf('.', c.pos) < 0) c.pos = c.s.length;
		throw new ParseFail(c.pos + 1, `unknown single value operator ${opStr}`);
	}
	const [whole, op, arg] = m;
	if (op in ftsOperators) {
		c.pos += whole.length;
		const operation: Operation = { kind: 'fts', op: op as FtsOperator, value: value() };
		if (arg !== undefined) operation.lang = arg.trim();
		return { negate, operation };
	}
	if (op in simpleOperators) {
		let quant: 'any' | 'all' | undefined;
		if (arg !== undefined) {
			if ((arg !== 'any' && arg !== 'all') || !quantifiable.has(op))
				throw new ParseFail(c.pos + op.length + 1, `unknown single value operator ${op}(${arg})`);
			quant = arg;
		}
		c.pos += whole.length;
		const operation: Operation = { kind: 'op', op: op as SimpleOperator, value: value() };
		if (quant) operation.quant = quant;
		return { negate, operation };
	}
	c.pos += whole.length;
	throw new ParseFail(c.pos, `unknown single value operator ${whole.slice(0, -1)}`);
}

function pLogicTree(c: Cursor): LogicTree {
	c.skipWs();
	// A filter (`field.op.value`) or a nested `[not.]and(...)` / `[not.]or(...)`.
	const save = c.pos;
	let negate = false;
	if (c.startsWith('not.')) {
		negate = true;
		c.pos += 4;
	}
	for (const op of ['and', 'or'] as const) {
		if (c.startsWith(op + '(')) {
			c.pos += op.length + 1;
			const children: LogicTree[] = [];
			for (;;) {
				children.push(pLogicTree(c));
				c.skipWs();
				if (c.eat(',')) continue;
				c.expect(')', '")" or ","');
				c.skipWs();
				return { kind: 'expr', negate, op, children };
			}
		}
	}
	c.pos = save;
	const field = pField(c);
	c.expect('.', 'delimiter (.)');
	const { negate: n, operation } = pOpExpr(c, true);
	return { kind: 'filter', filter: { field, negate: n, operation } };
}

function pOrder(c: Cursor): OrderTerm[] {
	const terms: OrderTerm[] = [];
	for (;;) {
		c.skipWs();
		const term: OrderTerm = { field: { name: '', path: [] } };
		const save = c.pos;
		const name = pFieldName(c);
		if (c.peek() === '(') {
			c.pos++;
			term.relation = name;
			term.field = pField(c);
			c.expect(')');
		} else {
			c.pos = save;
			term.field = pField(c);
		}
		if (c.startsWith('.asc') || c.startsWith('.desc')) {
			term.dir = c.startsWith('.asc') ? 'asc' : 'desc';
			c.pos += term.dir.length + 1;
		}
		if (c.startsWith('.nullsfirst') || c.startsWith('.nullslast')) {
			term.nulls = c.startsWith('.nullsfirst') ? 'first' : 'last';
			c.pos += term.nulls === 'first' ? 11 : 10;
		}
		terms.push(term);
		c.skipWs();
		if (c.eat(',')) continue;
		if (c.done) return terms;
		if (c.peek() === '.') {
			c.pos++;
			c.fail('"asc", "desc", "nullsfirst" or "nullslast"');
		}
		c.fail('"," or end of input');
	}
}

function pColumns(c: Cursor): string[] {
	const cols: string[] = [];
	for (;;) {
		c.skipWs();
		cols.push(pFieldName(c));
		c.skipWs();
		if (c.eat(',')) continue;
		if (c.done) return cols;
		c.fail('"," or end of input');
	}
}

function run<T>(what: string, input: string, fn: (c: Cursor) => T): T {
	const c = new Cursor(input);
	try {
		const v = fn(c);
		if (!c.done) c.fail('end of input');
		return v;
	} catch (e) {
		if (e instanceof ParseFail) throw errors.parse(what, input, e.column, e.details);
		throw e;
	}
}

export function parseSelect(s: string): SelectItem[] {
	return run('select parameter', s, (c) => pSelectList(c, false));
}

export function parseFilterValue(v: string): { negate: boolean; operation: Operation } {
	return run('filter', v, (c) => pOpExpr(c, false));
}

export function parseLogic(op: string, v: string): LogicTree {
	return run('logic tree', v, (c) => {
		const full = new Cursor(op + v);
		const tree = pLogicTree(full);
		c.pos = Math.max(0, full.pos - op.length);
		if (!full.done) {
			c.pos = full.pos - op.length;
			c.fail('end of input');
		}
		return tree;
	});
}

export function parseOrder(v: string): OrderTerm[] {
	return run('order', v, pOrder);
}

export function parseColumns(what: string, v: string): string[] {
	return run(`${what} parameter`, v, pColumns);
}

function parseTreePath(k: string): { path: string[]; field: Field } {
	return run('tree path', k, (c) => {
		const names = [pFieldName(c)];
		while (c.peek() === '.') {
			c.pos++;
			names.push(pFieldName(c));
		}
		const path = pJsonPath(c);
		return { path: names.slice(0, -1), field: { name: names[names.length - 1], path } };
	});
}

const reservedEmbeddable = new Set(['order', 'limit', 'offset', 'and', 'or']);
const simpleOps = new Set(Object.keys(simpleOperators));
const ftsOps = new Set(Object.keys(ftsOperators));

function lastWord(k: string): string {
	const i = k.lastIndexOf('.');
	return i < 0 ? k : k.slice(i + 1);
}

/** PostgREST's `hasOperator`/`hasFtsOperator`: does a value look like a filter? */
function hasOperator(v: string): boolean {
	const parts = v.split('.');
	if (parts[0] === 'not' && parts.length > 1) return true;
	if (parts[0] === 'is' || parts[0] === 'in') return true;
	const head = parts[0].replace(/\((any|all)\)$/, '');
	if (parts.length > 1 && (simpleOps.has(head) || ftsOps.has(head))) return true;
	const paren = v.split('(');
	return paren.length > 1 && ftsOps.has(paren[0]);
}

function parseIntParam(v: string): number | undefined {
	return /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined;
}

/** Parses a whole query string (as URLSearchParams, in order). */
export function parseQuery(query: URLSearchParams): QueryParams {
	const out: QueryParams = {
		select: [],
		filters: [],
		logic: [],
		order: [],
		ranges: new Map(),
		params: []
	};
	let select = '*';
	const limits = new Map<string, number | undefined>();
	const offsets = new Map<string, number | undefined>();
	for (const [k, v] of query) {
		if (k === 'select') {
			select = v;
			continue;
		}
		if (k === 'columns') {
			if (v !== '') out.columns = parseColumns('columns', v);
			continue;
		}
		if (k === 'on_conflict') {
			if (v !== '') out.onConflict = parseColumns('on_conflict', v);
			continue;
		}
		const last = lastWord(k);
		if (reservedEmbeddable.has(last)) {
			if (v === '') continue;
			const pathStr = k.slice(0, Math.max(0, k.length - last.length - 1));
			const pathParts = pathStr === '' ? [] : pathStr.split('.');
			if (last === 'order') out.order.push({ path: pathParts, terms: parseOrder(v) });
			else if (last === 'limit') limits.set(pathStr, parseIntParam(v));
			else if (last === 'offset') offsets.set(pathStr, parseIntParam(v));
			else {
				const negate = pathParts[pathParts.length - 1] === 'not';
				const embedPath = pathParts.filter((p) => p !== 'not');
				out.logic.push({
					path: embedPath,
					tree: parseLogic((negate ? 'not.' : '') + last, v)
				});
			}
			continue;
		}
		if (v === '' && !k.includes('.')) {
			out.params.push([k, v]);
			continue;
		}
		if (k.includes('.') || hasOperator(v)) {
			const { path, field } = parseTreePath(k);
			const { negate, operation } = parseFilterValue(v);
			out.filters.push({ path, filter: { field, negate, operation } });
		} else out.params.push([k, v]);
	}
	out.select = parseSelect(select);
	for (const key of new Set([...limits.keys(), ...offsets.keys()])) {
		const limit = limits.get(key);
		const offset = offsets.get(key) ?? 0;
		if (limit !== undefined && limit < 0)
			throw errors.invalidRange('Limit should be greater than or equal to zero.');
		const range: Range = { offset: Math.max(0, offset) };
		if (limit !== undefined) range.limit = limit;
		out.ranges.set(key, range);
	}
	return out;
}

/** `Range: 0-9` (items). */
export function parseRangeHeader(h: string | undefined): Range | null {
	if (!h) return null;
	const m = /^\s*(?:items=)?(\d+)-(\d*)\s*$/.exec(h);
	if (!m) return null;
	const from = Number(m[1]);
	if (m[2] === '') return { offset: from };
	const to = Number(m[2]);
	if (to < from)
		throw errors.invalidRange(
			'The lower boundary must be lower than or equal to the upper boundary in the Range header.'
		);
	return { offset: from, limit: to - from + 1 };
}

export { ApiError };
