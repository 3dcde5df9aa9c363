import { describe, expect, it } from 'vitest';
import { importRefusal, outreachRefusal } from './outreach-messages.ts';

describe('outreachRefusal', () => {
	it('puts known sentences beside their field', () => {
		expect(Object.keys(outreachRefusal('The email is not a valid email address'))).toEqual([
			'email'
		]);
		expect(
			Object.keys(outreachRefusal('A past interaction cannot be in the future: choose "planned"'))
		).toEqual(['occurred_local']);
		expect(
			Object.keys(outreachRefusal('A follow-up cannot be due before the interaction it follows'))
		).toEqual(['due_on']);
	});

	it('keeps unknown sentences on the form as they are', () => {
		expect(outreachRefusal('Something new')).toEqual({ form: 'Something new' });
	});
});

describe('importRefusal', () => {
	it('names the row and translates the reason', () => {
		const text = importRefusal('Row 7: the email is not a valid email address');
		expect(text).toContain('7');
		expect(text).not.toMatch(/^Row 7: the email/);
	});
});
