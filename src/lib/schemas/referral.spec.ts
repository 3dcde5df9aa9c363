import { describe, expect, it } from 'vitest';
import { fieldErrors } from './form.ts';
import { JoinCode, OrganizationForm } from './organization.ts';
import { DecideReferral, ReferralForm } from './referral.ts';

const ID = '7f1c7a52-8d7e-4d7b-9a7e-2b1f3c4d5e6f';

describe('referral form', () => {
	it('trims, lowercases the email, turns empty optional fields into null and ticks consent', () => {
		expect(
			ReferralForm.parse({
				person_name: '  Sam Rivera ',
				person_email: ' Sam@Example.ORG ',
				person_contact_note: '   ',
				consent: 'on'
			})
		).toEqual({
			person_name: 'Sam Rivera',
			person_email: 'sam@example.org',
			person_contact_note: null,
			consent: true
		});
	});

	it('refuses a missing name, a bad email and an unticked consent box, each beside its field', () => {
		const r = ReferralForm.safeParse({ person_name: ' ', person_email: 'nope' });
		const errors = fieldErrors(r.error!);
		expect(errors.person_name).toMatch(/name/);
		expect(errors.person_email).toMatch(/valid email/);
		expect(errors.consent).toMatch(/must agree to be referred/);
	});
});

describe('deciding on a referral', () => {
	it('accepts a suggestion with only a note, and without a team turns "" into null', () => {
		expect(
			DecideReferral.parse({
				referral_id: ID,
				status: 'redirected',
				suggested_team_id: '',
				note: 'Northside team'
			})
		).toMatchObject({ suggested_team_id: null, note: 'Northside team' });
	});

	it('asks where to send the person when neither a team nor a note is given', () => {
		const r = DecideReferral.safeParse({ referral_id: ID, status: 'redirected' });
		expect(fieldErrors(r.error!).note).toMatch(/Choose a team to suggest, or write/);
	});

	it('refuses "pending" as a decision', () => {
		const r = DecideReferral.safeParse({ referral_id: ID, status: 'pending' });
		expect(fieldErrors(r.error!).status).toMatch(/accept, waitlist/);
	});
});

describe('organization forms', () => {
	it('needs a name of at most 120 characters and keeps an empty description as null', () => {
		expect(OrganizationForm.parse({ name: ' Eastside ', description: '' })).toEqual({
			name: 'Eastside',
			description: null
		});
		const r = OrganizationForm.safeParse({ name: 'x'.repeat(121) });
		expect(fieldErrors(r.error!).name).toMatch(/120/);
	});

	it('needs a join code', () => {
		expect(fieldErrors(JoinCode.safeParse({ join_code: '  ' }).error!).join_code).toMatch(
			/join code/
		);
	});
});
