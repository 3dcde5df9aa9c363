import { describe, expect, it } from 'vitest';
import { hoistedSettings } from './schema-cache.ts';

describe('hoistedSettings', () => {
	it("keeps only PostgREST's default hoisted names, in declaration order", () => {
		expect(
			hoistedSettings([
				'search_path=""',
				'statement_timeout=10min',
				'work_mem=3MB',
				'default_transaction_isolation=serializable',
				'plan_filter.statement_cost_limit=1e7'
			])
		).toEqual([
			['statement_timeout', '10min'],
			['default_transaction_isolation', 'serializable'],
			['plan_filter.statement_cost_limit', '1e7']
		]);
	});

	it('splits at the first "=" only and honours a custom list', () => {
		expect(hoistedSettings(['app.x=a=b', 'statement_timeout=1s'], ['app.x'])).toEqual([
			['app.x', 'a=b']
		]);
		expect(hoistedSettings([])).toEqual([]);
	});
});
