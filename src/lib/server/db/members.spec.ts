import { describe, expect, it } from 'vitest';
import { translateDbMessage, userMessage } from './members.ts';

describe('database refusals', () => {
	it('turns a known sentence into a message, keeping what it names', () => {
		expect(
			translateDbMessage('this invitation was sent to m***@example.org; sign in with that address')
		).toBe('This invitation was sent to m***@example.org; sign in with that address.');
		expect(translateDbMessage('the team is at its cap of 12 members')).toBe(
			'The team is at its cap of 12 members.'
		);
	});

	it('shows an unknown sentence as it is, capitalised', () => {
		expect(translateDbMessage('something new went wrong')).toBe('Something new went wrong');
	});

	it('treats P0001 and GW codes as the user’s mistake, anything else as a failure', () => {
		expect(userMessage({ code: 'GW003', message: 'you are already in this team' })).toBe(
			'You are already in this team.'
		);
		expect(userMessage({ code: 'P0001', message: 'only a team leader can invite people' })).toBe(
			'Only a team leader can do that.'
		);
		expect(userMessage({ code: '42501', message: 'permission denied' })).toBeNull();
		expect(userMessage(new Error('boom'))).toBeNull();
	});
});
