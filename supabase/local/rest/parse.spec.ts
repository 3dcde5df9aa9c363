import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import {
	parseFilterValue,
	parseLogic,
	parseOrder,
	parseQuery,
	parseRangeHeader,
	parseSelect
} from './parse.ts';

function parseError(fn: () => unknown): ApiError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ApiError) return e;
		throw e;
	}
	throw new Error('expected a parse error');
}

describe('select', () => {
	it('parses columns, aliases, casts and JSON paths', () => {
		expect(parseSelect('id,full_name:name,price::text,data->a->>b,alias:data->0::int')).toEqual([
			{ kind: 'field', field: { name: 'id', path: [] } },
			{ kind: 'field', field: { name: 'name', path: [] }, alias: 'full_name' },
			{ kind: 'field', field: { name: 'price', path: [] }, cast: 'text' },
			{
				kind: 'field',
				field: {
					name: 'data',
					path: [
						{ arrow: '->', key: 'a', index: false },
						{ arrow: '->>', key: 'b', index: false }
					]
				}
			},
			{
				kind: 'field',
				field: { name: 'data', path: [{ arrow: '->', key: '0', index: true }] },
				alias: 'alias',
				cast: 'int'
			}
		]);
	});

	it('parses embeds with hints, join types, spreads and nesting', () => {
		expect(
			parseSelect('*,client:clients!client_id!inner(id,name),tasks!left(*,users(*)),...owner(name)')
		).toEqual([
			{ kind: 'field', field: { name: '*', path: [] } },
			{
				kind: 'embed',
				name: 'clients',
				alias: 'client',
				hint: 'client_id',
				join: 'inner',
				spread: false,
				children: [
					{ kind: 'field', field: { name: 'id', path: [] } },
					{ kind: 'field', field: { name: 'name', path: [] } }
				]
			},
			{
				kind: 'embed',
				name: 'tasks',
				alias: undefined,
				hint: undefined,
				join: 'left',
				spread: false,
				children: [
					{ kind: 'field', field: { name: '*', path: [] } },
					{
						kind: 'embed',
						name: 'users',
						alias: undefined,
						hint: undefined,
						join: undefined,
						spread: false,
						children: [{ kind: 'field', field: { name: '*', path: [] } }]
					}
				]
			},
			{
				kind: 'embed',
				name: 'owner',
				hint: undefined,
				join: undefined,
				spread: true,
				children: [{ kind: 'field', field: { name: 'name', path: [] } }]
			}
		]);
	});

	it('accepts quoted names, dashes and spaces', () => {
		expect(parseSelect('"a,b":"x y",my-col')).toEqual([
			{ kind: 'field', field: { name: 'x y', path: [] }, alias: 'a,b' },
			{ kind: 'field', field: { name: 'my-col', path: [] } }
		]);
	});

	it('reports malformed selects as PGRST100', () => {
		const e = parseError(() => parseSelect('id,clients(name'));
		expect(e.status).toBe(400);
		expect(e.code).toBe('PGRST100');
		expect(e.message).toBe(
			'"failed to parse select parameter (id,clients(name)" (line 1, column 16)'
		);
		expect(parseError(() => parseSelect('id,,name')).code).toBe('PGRST100');
		expect(parseError(() => parseSelect('name!hint')).code).toBe('PGRST100');
	});
});

describe('filters', () => {
	it('parses every simple operator and negation', () => {
		for (const op of [
			'eq',
			'neq',
			'gt',
			'gte',
			'lt',
			'lte',
			'like',
			'ilike',
			'match',
			'imatch',
			'cs',
			'cd',
			'ov',
			'sl',
			'sr',
			'nxr',
			'nxl',
			'adj',
			'isdistinct'
		]) {
			expect(parseFilterValue(`${op}.v.w`)).toEqual({
				negate: false,
				operation: { kind: 'op', op, value: 'v.w' }
			});
		}
		expect(parseFilterValue('not.eq.5')).toEqual({
			negate: true,
			operation: { kind: 'op', op: 'eq', value: '5' }
		});
	});

	it('parses in lists with quoting', () => {
		expect(parseFilterValue('in.(1,"a,b","say \\"hi\\"",)')).toEqual({
			negate: false,
			operation: { kind: 'in', values: ['1', 'a,b', 'say "hi"', ''] }
		});
		expect(parseError(() => parseFilterValue('in.1,2')).code).toBe('PGRST100');
	});

	it('parses is, fts with a language and quantifiers', () => {
		expect(parseFilterValue('is.NULL').operation).toEqual({ kind: 'is', value: 'null' });
		expect(parseFilterValue('is.not_null').operation).toEqual({ kind: 'is', value: 'not_null' });
		expect(parseFilterValue('not.is.true')).toEqual({
			negate: true,
			operation: { kind: 'is', value: 'true' }
		});
		expect(parseFilterValue('fts(english).cat & dog').operation).toEqual({
			kind: 'fts',
			op: 'fts',
			lang: 'english',
			value: 'cat & dog'
		});
		expect(parseFilterValue('wfts.cat').operation).toEqual({
			kind: 'fts',
			op: 'wfts',
			value: 'cat'
		});
		expect(parseFilterValue('like(any).{a*,*b}').operation).toEqual({
			kind: 'op',
			op: 'like',
			quant: 'any',
			value: '{a*,*b}'
		});
		expect(parseError(() => parseFilterValue('is.maybe')).code).toBe('PGRST100');
	});

	it('rejects unknown operators like PostgREST', () => {
		const e = parseError(() => parseFilterValue('noop.0'));
		expect(e.code).toBe('PGRST100');
		expect(e.details).toBe('unknown single value operator noop');
		expect(parseError(() => parseFilterValue('cs(any).{1}')).code).toBe('PGRST100');
	});
});

describe('logic trees', () => {
	it('parses nested and/or/not with quoted values and arrays', () => {
		expect(
			parseLogic('or', '(id.eq.1,and(name.eq."a,b",tags.cs.{x,y}),not.and(a.gt.1,b.is.null))')
		).toEqual({
			kind: 'expr',
			negate: false,
			op: 'or',
			children: [
				{
					kind: 'filter',
					filter: {
						field: { name: 'id', path: [] },
						negate: false,
						operation: { kind: 'op', op: 'eq', value: '1' }
					}
				},
				{
					kind: 'expr',
					negate: false,
					op: 'and',
					children: [
						{
							kind: 'filter',
							filter: {
								field: { name: 'name', path: [] },
								negate: false,
								operation: { kind: 'op', op: 'eq', value: 'a,b' }
							}
						},
						{
							kind: 'filter',
							filter: {
								field: { name: 'tags', path: [] },
								negate: false,
								operation: { kind: 'op', op: 'cs', value: '{x,y}' }
							}
						}
					]
				},
				{
					kind: 'expr',
					negate: true,
					op: 'and',
					children: [
						{
							kind: 'filter',
							filter: {
								field: { name: 'a', path: [] },
								negate: false,
								operation: { kind: 'op', op: 'gt', value: '1' }
							}
						},
						{
							kind: 'filter',
							filter: {
								field: { name: 'b', path: [] },
								negate: false,
								operation: { kind: 'is', value: 'null' }
							}
						}
					]
				}
			]
		});
	});

	it('parses in lists and negated filters inside trees', () => {
		const t = parseLogic('not.and', '(id.in.(1,2),name.not.like.a*)');
		expect(t).toMatchObject({ kind: 'expr', negate: true, op: 'and' });
		expect(parseError(() => parseLogic('or', '()')).code).toBe('PGRST100');
		expect(parseError(() => parseLogic('or', '(id.eq.1')).code).toBe('PGRST100');
	});
});

describe('order', () => {
	it('parses directions, nulls, JSON paths and related orders', () => {
		expect(parseOrder('name.desc.nullslast,id,data->x.asc,clients(name).desc')).toEqual([
			{ field: { name: 'name', path: [] }, dir: 'desc', nulls: 'last' },
			{ field: { name: 'id', path: [] } },
			{ field: { name: 'data', path: [{ arrow: '->', key: 'x', index: false }] }, dir: 'asc' },
			{ relation: 'clients', field: { name: 'name', path: [] }, dir: 'desc' }
		]);
		expect(parseError(() => parseOrder('id.ac')).code).toBe('PGRST100');
	});
});

describe('query strings', () => {
	it('splits filters, embed filters, logic, order, ranges and rpc params', () => {
		const qp = parseQuery(
			new URLSearchParams(
				'select=id,tasks(id)&id=gte.1&tasks.done=is.true&or=(a.eq.1,b.eq.2)&tasks.or=(x.eq.1)&not.and=(c.eq.1)&order=id.desc&tasks.order=id&limit=10&offset=5&tasks.limit=2&arg=plain&columns=a,b&on_conflict=id'
			)
		);
		expect(qp.filters.map((f) => [f.path, f.filter.field.name])).toEqual([
			[[], 'id'],
			[['tasks'], 'done']
		]);
		expect(
			qp.logic.map((l) => [
				l.path,
				l.tree.kind === 'expr' && l.tree.op,
				l.tree.kind === 'expr' && l.tree.negate
			])
		).toEqual([
			[[], 'or', false],
			[['tasks'], 'or', false],
			[[], 'and', true]
		]);
		expect(qp.order.map((o) => o.path)).toEqual([[], ['tasks']]);
		expect(qp.ranges.get('')).toEqual({ offset: 5, limit: 10 });
		expect(qp.ranges.get('tasks')).toEqual({ offset: 0, limit: 2 });
		expect(qp.params).toEqual([['arg', 'plain']]);
		expect(qp.columns).toEqual(['a', 'b']);
		expect(qp.onConflict).toEqual(['id']);
	});

	it('parses Range headers', () => {
		expect(parseRangeHeader('0-9')).toEqual({ offset: 0, limit: 10 });
		expect(parseRangeHeader('5-')).toEqual({ offset: 5 });
		expect(parseError(() => parseRangeHeader('9-1')).status).toBe(416);
	});
});
