import { describe, expect, it } from 'vitest';
import { forceFieldConfig } from './force-field-config.ts';

const labels = { driving: 'Driving forces', restraining: 'Restraining forces', weight: 'Weight' };

describe('the force-field chart', () => {
	it('puts driving forces on the left and restraining on the right, strongest first', () => {
		const cfg = forceFieldConfig(
			[
				{ description: 'Staff shortage', direction: 'restraining', weight: 4 },
				{ description: 'Press interest', direction: 'driving', weight: 2 },
				{ description: 'New minister', direction: 'driving', weight: 5 }
			],
			{ labels }
		);
		expect(cfg.options?.indexAxis).toBe('y');
		expect(cfg.data.labels).toEqual(['New minister', 'Press interest', 'Staff shortage']);
		expect(cfg.data.datasets[0]).toMatchObject({ label: 'Driving forces', data: [-5, -2, null] });
		expect(cfg.data.datasets[1]).toMatchObject({
			label: 'Restraining forces',
			data: [null, null, 4]
		});
		expect(cfg.options?.scales?.x).toMatchObject({ min: -5, max: 5 });
	});

	it('labels the axis with weights, not signs', () => {
		const cfg = forceFieldConfig([], { labels });
		const x = cfg.options!.scales!.x as { ticks: { callback: (v: number) => string } };
		expect(x.ticks.callback(-3)).toBe('3');
		expect(x.ticks.callback(2)).toBe('2');
	});
});
