import { describe, expect, it } from 'vitest';
import {
	bubbleRadius,
	frictionMapConfig,
	R_MAX,
	R_MIN,
	type MapBubble
} from './friction-map-config.ts';

const labels = {
	severity: 'Severity',
	leverage: 'Leverage',
	people: (n: string | null) => `People affected: ${n ?? 'not estimated'}`,
	groups: ['Health board', 'Housing']
};

describe('the friction map', () => {
	it('sizes bubbles by area: four times the people, twice the extra radius', () => {
		expect(bubbleRadius(400, 400)).toBe(R_MAX);
		expect(bubbleRadius(100, 400)).toBe(R_MIN + (R_MAX - R_MIN) / 2);
		expect(bubbleRadius(null, 400)).toBe(R_MIN);
		expect(bubbleRadius(0, 400)).toBe(R_MIN);
	});

	it('plots severity against the best leverage, one dataset per agency', () => {
		const cfg = frictionMapConfig(
			[
				{ id: 'a', title: 'Waits', severity: 72, leverage: 4, people: 1000, group: 0 },
				{ id: 'b', title: 'Repairs', severity: 130, leverage: null, people: null, group: 1 }
			],
			{ labels, locale: 'en' }
		);
		expect(cfg.type).toBe('bubble');
		expect(cfg.data.datasets.map((d) => d.label)).toEqual(['Health board', 'Housing']);
		expect(cfg.data.datasets[0].data).toEqual([
			{ x: 72, y: 4, r: R_MAX, id: 'a', title: 'Waits', people: 1000 }
		]);
		// Bounded to the axis; no pressure point yet sits on the baseline.
		expect(cfg.data.datasets[1].data[0]).toMatchObject({ x: 100, y: 0, r: R_MIN });
		expect(cfg.options?.scales?.x).toMatchObject({ min: 0, max: 100 });
		// chart.js's bubble controller takes the radius from its own parse: parsing must stay on.
		expect(cfg.options).not.toHaveProperty('parsing');
	});

	it('opens the clicked friction point', () => {
		const opened: string[] = [];
		const cfg = frictionMapConfig(
			[{ id: 'a', title: 'Waits', severity: 50, leverage: 3, people: 10, group: 0 }],
			{ labels, locale: 'en', onOpen: (id) => opened.push(id) }
		);
		const chart = { data: cfg.data } as unknown as Parameters<
			NonNullable<NonNullable<typeof cfg.options>['onClick']>
		>[2];
		const click = cfg.options!.onClick!;
		click.call(chart, {} as never, [], chart);
		expect(opened).toEqual([]);
		click.call(chart, {} as never, [{ datasetIndex: 0, index: 0 } as never], chart);
		expect(opened).toEqual(['a']);
	});

	it('says severity, leverage and people in the tooltip', () => {
		const cfg = frictionMapConfig(
			[{ id: 'a', title: 'Waits', severity: 50, leverage: 3, people: 1200, group: 0 }],
			{ labels, locale: 'en' }
		);
		const raw: MapBubble = cfg.data.datasets[0].data[0];
		const cb = cfg.options!.plugins!.tooltip!.callbacks!;
		const item = { raw } as never;
		expect((cb.title as (i: never[]) => string).call(null as never, [item])).toBe('Waits');
		expect((cb.label as (i: never) => string[]).call(null as never, item)).toEqual([
			'Severity: 50',
			'Leverage: 3',
			'People affected: 1,200'
		]);
	});
});
