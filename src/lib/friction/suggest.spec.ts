import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeGap } from './gap.ts';
import { hospitalSeries } from './real-series.ts';
import { reasonsFor, suggest } from './suggest.ts';

const FIXTURE = readFileSync(
	resolve('tests/fixtures/real/phs_scotland__weekly_ae_activity_20230625.first200.csv'),
	'utf8'
);
const gapOf = (location: string) => computeGap(hospitalSeries(FIXTURE, location), 'up', 95);

const days = (values: number[]) =>
	values.map((value, i) => {
		const d = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
		return { period_start: d, period_end: d, value, target: null };
	});

const none = { dismissed: new Map<string, string | null>(), withFrictionPoint: new Set<string>() };

describe('suggestions from data', () => {
	it('proposes real hospitals off the standard three weeks running, not those back on it', () => {
		const out = suggest(
			['A111H', 'A210H', 'Y146H', 'B120H'].map((id) => ({ indicatorId: id, gap: gapOf(id) })),
			none
		);
		expect(out.map((s) => s.indicatorId)).toEqual(['A111H']);
		expect(out[0].reasons).toEqual(['off_target']);
	});

	it('follows the number of periods asked for', () => {
		const gap = computeGap(days([96, 94, 93]), 'up', 95);
		expect(reasonsFor(gap)).toEqual([]);
		expect(reasonsFor(gap, 2)).toEqual(['off_target']);
	});

	it('proposes an indicator trending away from its goal', () => {
		// Off target for two periods only, but worse every period for eight.
		const gap = computeGap(days([99, 98, 97, 96, 95.5, 95, 94, 93]), 'up', 95);
		expect(gap.consecutiveOff).toBe(2);
		expect(reasonsFor(gap)).toEqual(['trend_away']);
	});

	it('skips indicators that already have a friction point', () => {
		const out = suggest([{ indicatorId: 'A111H', gap: gapOf('A111H') }], {
			...none,
			withFrictionPoint: new Set(['A111H'])
		});
		expect(out).toEqual([]);
	});

	it('remembers a dismissal until a new run of off-target periods starts', () => {
		const candidates = [{ indicatorId: 'A111H', gap: gapOf('A111H') }];
		const sameRun = new Map([['A111H', '2015-02-16']]);
		expect(suggest(candidates, { ...none, dismissed: sameRun })).toEqual([]);
		const earlierRun = new Map([['A111H', '2014-11-03']]);
		expect(suggest(candidates, { ...none, dismissed: earlierRun })).toHaveLength(1);
	});

	it('puts the longest run first', () => {
		const long = computeGap(days([90, 90, 90, 90, 90]), 'up', 95);
		const short = computeGap(days([96, 90, 90, 90]), 'up', 95);
		const out = suggest(
			[
				{ indicatorId: 'short', gap: short },
				{ indicatorId: 'long', gap: long }
			],
			none
		);
		expect(out.map((s) => s.indicatorId)).toEqual(['long', 'short']);
	});
});
