import { describe, expect, it } from 'vitest';
import { conflicts, findDuplicates, officialKey } from './dedupe.ts';

describe('officialKey', () => {
	it('ignores case and spacing', () => {
		expect(officialKey('  Ana   ORTIZ ', 'City  Council')).toBe(
			officialKey('ana ortiz', 'city council')
		);
		expect(officialKey('Ana Ortiz', null)).toBe('ana ortiz|');
		expect(officialKey('Ana Ortiz', 'Mayor')).not.toBe(officialKey('Ana Ortiz', 'Council'));
	});
});

describe('findDuplicates', () => {
	it('flags rows matching an existing official or an earlier row of the file', () => {
		const existing = [{ id: 'a', name: 'Ana Ortiz', office: 'Council' }];
		const rows = [
			{ row: 2, name: 'ana ortiz', office: 'council ' },
			{ row: 3, name: 'Ben Cho', office: 'Mayor' },
			{ row: 4, name: 'BEN CHO', office: 'mayor' },
			{ row: 5, name: 'Ben Cho', office: 'Clerk' }
		];
		expect(findDuplicates(existing, rows)).toEqual([
			{ kind: 'existing', existing: existing[0] },
			null,
			{ kind: 'file', row: 3 },
			null
		]);
	});
});

describe('conflicts', () => {
	it('lists fields where both records have different values', () => {
		expect(
			conflicts(
				{ email: 'a@x.org', phone: null, party: 'Green', title: 'Mayor' },
				{ email: 'b@x.org', phone: '123', party: 'Green', title: '' },
				['email', 'phone', 'party', 'title']
			)
		).toEqual(['email']);
	});
});
