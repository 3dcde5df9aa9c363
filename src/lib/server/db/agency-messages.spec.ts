import { describe, expect, it } from 'vitest';
import { formRefusal, importRefusal } from './agency-messages.ts';

describe('agency messages', () => {
	it('puts a page refusal beside the field it concerns', () => {
		expect(formRefusal('The team already has an agency with that name')).toEqual({
			name: 'The team already has an agency with that name.'
		});
		expect(formRefusal('The source address must be a web address (http or https)')).toEqual({
			source_url: expect.any(String)
		});
		expect(formRefusal('Something new went wrong')).toEqual({ form: 'Something new went wrong' });
	});

	it('words an import refusal as one sentence', () => {
		expect(importRefusal('That import does not exist')).toBe(
			'That import does not exist (or is no longer open).'
		);
		expect(importRefusal('2 indicators do not exist yet: Beds, Staff')).toBe(
			'Some indicators do not exist yet: Beds, Staff'
		);
		expect(importRefusal('something new went wrong')).toBe('Something new went wrong.');
		expect(importRefusal('Already a sentence!')).toBe('Already a sentence!');
	});
});
