import { describe, expect, it } from 'vitest';
import { contactsConfig } from './outreach.ts';
import { weeklyContacts } from '$lib/outreach/dashboard.ts';

describe('contactsConfig', () => {
	it('stacks one dataset per type that has contacts, weeks as labels', () => {
		const weekly = weeklyContacts(
			[
				{ type: 'meeting', status: 'held', occurred_at: '2026-12-01T10:00:00Z', response: null },
				{ type: 'email', status: 'held', occurred_at: '2026-11-24T10:00:00Z', response: null }
			],
			'2026-12-03',
			2
		);
		const config = contactsConfig({
			weekly,
			typeLabel: (t) => t.toUpperCase(),
			axisLabel: 'Contacts',
			locale: 'en'
		});
		expect(config.type).toBe('bar');
		expect(config.data.labels).toHaveLength(2);
		expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
			['MEETING', [0, 1]],
			['EMAIL', [1, 0]]
		]);
		expect(config.options?.scales?.x?.stacked).toBe(true);
		expect(config.options?.scales?.y?.stacked).toBe(true);
	});
});
