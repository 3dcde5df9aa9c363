/**
 * The `filter` of a postgres_changes subscription, as realtime-js sends it: PostgREST-style
 * conditions joined by commas (AND), `column=[not.]operator.value`, values double-quoted when they
 * hold `,()"\` or edge white space, lists as `in.(a,"b,c")`. Conditions are evaluated by Postgres
 * itself (the value cast to the column's type), so `lt` on a timestamp or `eq` on a uuid means what
 * it means in SQL, as on Supabase Realtime.
 */

export const OPERATORS = [
	'eq',
	'neq',
	'lt',
	'lte',
	'gt',
	'gte',
	'in',
	'like',
	'ilike',
	'is',
	'match',
	'imatch',
	'isdistinct'
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
	column: string;
	operator: Operator;
	negate: boolean;
	/** One value, a list for `in`, or for `is` one of null/true/false/unknown. */
	value: string | string[];
}

export class FilterError extends Error {}

/** Splits on `sep` outside double quotes and parentheses. */
function splitOutside(s: string, sep: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '\\') i++;
			else if (c === '"') quoted = false;
		} else if (c === '"') quoted = true;
		else if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (c === sep && depth === 0) {
			parts.push(s.slice(start, i));
			start = i + 1;
		}
	}
	if (quoted) throw new FilterError('unterminated double quote');
	if (depth !== 0) throw new FilterError('unbalanced parentheses');
	parts.push(s.slice(start));
	return parts;
}

function unquote(v: string): string {
	if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
		return v.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return v;
}

const IS_VALUES = new Set(['null', 'true', 'false', 'unknown']);

function parseCondition(text: string): Condition {
	const eq = text.indexOf('=');
	if (eq <= 0) throw new FilterError(`"${text}" is not of the form column=operator.value`);
	const column = text.slice(0, eq).trim();
	let rest = text.slice(eq + 1);
	let negate = false;
	if (rest.startsWith('not.')) {
		negate = true;
		rest = rest.slice(4);
	}
	const dot = rest.indexOf('.');
	const op = dot < 0 ? rest : rest.slice(0, dot);
	if (!(OPERATORS as readonly string[]).includes(op)) {
		throw new FilterError(`operator "${op}" is not supported (use ${OPERATORS.join(', ')})`);
	}
	if (dot < 0) throw new FilterError(`"${text}" has no value`);
	const operator = op as Operator;
	const raw = rest.slice(dot + 1);
	if (operator === 'in') {
		if (!raw.startsWith('(') || !raw.endsWith(')')) {
			throw new FilterError(`the value of in must be a list in parentheses, got "${raw}"`);
		}
		const inner = raw.slice(1, -1);
		const value = inner.trim() === '' ? [] : splitOutside(inner, ',').map((v) => unquote(v.trim()));
		return { column, operator, negate, value };
	}
	if (operator === 'is') {
		const v = raw.toLowerCase();
		if (!IS_VALUES.has(v))
			throw new FilterError(`is takes null, true, false or unknown, got "${raw}"`);
		return { column, operator, negate, value: v };
	}
	return { column, operator, negate, value: unquote(raw) };
}

export function parseFilter(filter: string): Condition[] {
	if (filter.trim() === '') return [];
	return splitOutside(filter, ',').map((c) => parseCondition(c.trim()));
}

export function quoteIdent(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

const SQL_OPS: Record<Exclude<Operator, 'in' | 'is'>, string> = {
	eq: '=',
	neq: '<>',
	lt: '<',
	lte: '<=',
	gt: '>',
	gte: '>=',
	like: 'like',
	ilike: 'ilike',
	match: '~',
	imatch: '~*',
	isdistinct: 'is distinct from'
};

/**
 * A boolean SQL expression for `cond` over the row expression `row` (a composite of the table's
 * type), whose column has SQL type `type`. Values are appended to `params` as text and cast.
 */
export function conditionSql(
	cond: Condition,
	row: string,
	type: string,
	params: unknown[]
): string {
	const col = `(${row}).${quoteIdent(cond.column)}`;
	let expr: string;
	if (cond.operator === 'in') {
		params.push(cond.value);
		expr = `${col} = any($${params.length}::text[]::${type}[])`;
	} else if (cond.operator === 'is') {
		expr = `${col} is ${cond.value as string}`;
	} else if (['like', 'ilike', 'match', 'imatch'].includes(cond.operator)) {
		params.push(cond.value);
		expr = `${col}::text ${SQL_OPS[cond.operator]} $${params.length}::text`;
	} else {
		params.push(cond.value);
		expr = `${col} ${SQL_OPS[cond.operator]} $${params.length}::text::${type}`;
	}
	return cond.negate ? `coalesce(not (${expr}), false)` : `coalesce(${expr}, false)`;
}
