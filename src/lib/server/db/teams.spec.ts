import { describe, expect, it } from 'vitest';
import { describe as describeEntry, type ActivityEntry } from './activity.ts';
import { describeTeamError, sizeStatus } from './teams.ts';

describe('sizeStatus', () => {
	it('calls six to eight ideal, like the database', () => {
		expect([1, 5, 6, 8, 9, 12].map(sizeStatus)).toEqual([
			'small',
			'small',
			'ideal',
			'ideal',
			'large',
			'large'
		]);
	});
});

describe('describeTeamError', () => {
	const refusal = (message: string) => ({ code: 'P0001', message });

	it('puts known refusals beside their field', () => {
		expect(describeTeamError(refusal('the team name cannot be empty'))).toEqual({
			field: 'name',
			message: 'Enter a name for the team.'
		});
		expect(
			describeTeamError(refusal("the size cap cannot be below the team's current size of 7"))
		).toEqual({
			field: 'size_cap',
			message: "The size cap cannot be below the team's current size of 7."
		});
		expect(
			describeTeamError(refusal("type the team's name exactly to confirm the deletion"))?.field
		).toBe('confirm_name');
	});

	it('shows an unknown refusal as written, capitalised, and leaves other errors to the caller', () => {
		expect(describeTeamError(refusal('something new went wrong'))).toEqual({
			field: 'form',
			message: 'Something new went wrong'
		});
		expect(describeTeamError({ code: '42501', message: 'permission denied' })).toBeNull();
		expect(describeTeamError(new Error('boom'))).toBeNull();
	});
});

describe('activity sentences', () => {
	const entry = (action: string, details: Record<string, unknown> = {}): ActivityEntry => ({
		id: 1,
		action,
		actor_id: 'a',
		subject_user_id: 'b',
		details,
		created_at: '2026-11-23T10:00:00Z'
	});
	const names = new Map([['a', 'Ella']]);

	it('says who did what, and "someone" for people no longer in the team', () => {
		expect(
			describeEntry(entry('member.role_changed', { from: 'member', to: 'organizer' }), names)
		).toBe("Ella changed Someone's role from member to organizer");
		expect(
			describeEntry(entry('team.settings_changed', { fields: ['name', 'size_cap'] }), names)
		).toBe("Ella changed the team's name, size cap");
		expect(describeEntry(entry('invitation.created', { max_uses: 5 }), names)).toBe(
			'Ella created an invitation link for up to 5 people'
		);
	});
});
