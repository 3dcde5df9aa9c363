import { describe, expect, it } from 'vitest';
import { FilterError, conditionSql, parseFilter } from './filters.ts';

describe('parseFilter', () => {
	it('reads the filters realtime-js sends', () => {
		expect(parseFilter('team_id=eq.42')).toEqual([
			{ column: 'team_id', operator: 'eq', negate: false, value: '42' }
		]);
		expect(parseFilter('id=gt.0,id=lt.100')).toHaveLength(2);
		expect(parseFilter('status=not.in.(draft,"a,b",c)')).toEqual([
			{ column: 'status', operator: 'in', negate: true, value: ['draft', 'a,b', 'c'] }
		]);
		expect(parseFilter('name=eq."say \\"hi\\", (ok)"')).toEqual([
			{ column: 'name', operator: 'eq', negate: false, value: 'say "hi", (ok)' }
		]);
		expect(parseFilter('deleted_at=is.NULL')[0].value).toBe('null');
		expect(parseFilter('')).toEqual([]);
	});

	it('explains what is wrong with a filter', () => {
		expect(() => parseFilter('team_id')).toThrow(/column=operator.value/);
		expect(() => parseFilter('a=cs.{1}')).toThrow(/operator "cs" is not supported/);
		expect(() => parseFilter('a=in.1,2')).toThrow(FilterError);
		expect(() => parseFilter('a=is.maybe')).toThrow(/null, true, false or unknown/);
		expect(() => parseFilter('a=eq."open')).toThrow(/unterminated/);
	});
});

describe('conditionSql', () => {
	it('casts values to the column type and treats null as no match', () => {
		const params: unknown[] = [];
		const sql = conditionSql(parseFilter('n=gte.5')[0], 'r', 'integer', params);
		expect(sql).toBe('coalesce((r)."n" >= $1::text::integer, false)');
		expect(params).toEqual(['5']);
		const inSql = conditionSql(parseFilter('s=not.in.(a,b)')[0], 'r', 'text', params);
		expect(inSql).toBe('coalesce(not ((r)."s" = any($2::text[]::text[])), false)');
		expect(params[1]).toEqual(['a', 'b']);
	});
});
