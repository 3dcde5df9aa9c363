import { describe, expect, it } from 'vitest';
import { AcceptAgreement, AgreementForm } from './agreement.ts';
import { fieldErrors } from './form.ts';
import { EmailInvitation, LinkInvitation, MemberRole } from './invitation.ts';

describe('invitation schemas', () => {
	it('normalises the email and keeps the role', () => {
		expect(EmailInvitation.parse({ email: ' Mira@Example.ORG ', role: 'organizer' })).toEqual({
			email: 'mira@example.org',
			role: 'organizer'
		});
	});

	it('never lets a link make a leader, and keeps its uses between 1 and 50', () => {
		const r = LinkInvitation.safeParse({ role: 'leader', expires_days: '7', max_uses: '51' });
		const errors = fieldErrors(r.error!);
		expect(errors.role).toMatch(/member or an organizer/);
		expect(errors.max_uses).toMatch(/1 to 50/);
		expect(LinkInvitation.parse({ role: 'member', expires_days: '30', max_uses: '5' })).toEqual({
			role: 'member',
			expires_days: '30',
			max_uses: 5
		});
	});

	it('offers only one, seven or thirty days', () => {
		const r = LinkInvitation.safeParse({ role: 'member', expires_days: '90', max_uses: '1' });
		expect(fieldErrors(r.error!).expires_days).toMatch(/how long/);
	});

	it('refuses an unknown role change', () => {
		const r = MemberRole.safeParse({ user_id: 'nope', role: 'owner' });
		const errors = fieldErrors(r.error!);
		expect(errors.user_id).toBeTruthy();
		expect(errors.role).toMatch(/leader, organizer or member/);
	});
});

describe('agreement schemas', () => {
	it('trims, drops an empty purpose and needs ground rules', () => {
		expect(AgreementForm.parse({ purpose: '  ', ground_rules: ' One voice at a time. ' })).toEqual({
			purpose: null,
			ground_rules: 'One voice at a time.'
		});
		const r = AgreementForm.safeParse({ purpose: 'x'.repeat(2001), ground_rules: ' \n ' });
		const errors = fieldErrors(r.error!);
		expect(errors.purpose).toMatch(/2000/);
		expect(errors.ground_rules).toMatch(/at least one/);
	});

	it('asks for the box to be ticked', () => {
		const r = AcceptAgreement.safeParse({ version: '2' });
		expect(fieldErrors(r.error!).agree).toMatch(/Tick the box/);
		expect(AcceptAgreement.parse({ version: '2', agree: 'on' })).toEqual({
			version: 2,
			agree: 'on'
		});
	});
});
