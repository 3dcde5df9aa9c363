import { describe, expect, it } from 'vitest';
import { guessMapping, mapRows, readDay, readLevel } from './officials-csv.ts';

describe('guessMapping', () => {
	it('finds the fields from common headers, each column once', () => {
		const m = guessMapping([
			'Full Name',
			'Title',
			'Office',
			'Party',
			'E-mail',
			'Phone',
			'Start Date',
			'URL'
		]);
		expect(m).toMatchObject({
			name: 0,
			title: 1,
			office: 2,
			party: 3,
			email: 4,
			phone: 5,
			term_start: 6,
			website: 7,
			agency: null,
			term_end: null
		});
	});
});

describe('readLevel and readDay', () => {
	it('reads levels and dates as people write them', () => {
		expect(readLevel('City')).toBe('local');
		expect(readLevel('Federal')).toBe('national');
		expect(readLevel('galactic')).toBe('galactic');
		expect(readDay('2024-01-03')).toBe('2024-01-03');
		expect(readDay('')).toBe('');
	});
});

describe('mapRows', () => {
	const mapping = guessMapping([
		'name',
		'office',
		'email',
		'phone',
		'level',
		'term start',
		'term end'
	]);

	it('keeps valid rows and reports each problem with its row and field', () => {
		const { officials, problems } = mapRows(
			[
				['Ana Ortiz', 'Council', 'ana@city.gov', '+1 602 262 7444', 'City', '2024-01-01', ''],
				['', 'Mayor', '', '', '', '', ''],
				['Ben Cho', 'Mayor', 'not-an-email', '12', '', '', ''],
				['Cy Dee', 'Clerk', '', '', 'galactic', '2025-01-01', '2024-01-01']
			],
			[2, 3, 4, 5],
			mapping
		);
		expect(officials).toHaveLength(1);
		expect(officials[0]).toMatchObject({
			row: 2,
			name: 'Ana Ortiz',
			level: 'local',
			email: 'ana@city.gov',
			term_start: '2024-01-01',
			term_end: null
		});
		expect(problems.map((p) => [p.row, p.field])).toEqual([
			[3, 'name'],
			[4, 'email'],
			[4, 'phone'],
			[5, 'level'],
			[5, 'term_end']
		]);
		expect(problems.find((p) => p.field === 'email')?.value).toBe('not-an-email');
	});
});
