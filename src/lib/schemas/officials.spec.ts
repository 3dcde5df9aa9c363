import { describe, expect, it } from 'vitest';
import { fieldErrors } from './form.ts';
import {
	CommitmentForm,
	followUpForm,
	interactionForm,
	isEmail,
	isPhone,
	occurredAt,
	OfficialForm
} from './officials.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');

describe('emails and phone numbers', () => {
	it('accepts the usual ways of writing them and refuses the rest', () => {
		expect(isEmail('ana@city.gov')).toBe(true);
		expect(isEmail('ana@city')).toBe(false);
		expect(isEmail('ana city@x.org')).toBe(false);
		expect(isPhone('+1 (602) 262-7444')).toBe(true);
		expect(isPhone('020 7946 0958')).toBe(true);
		expect(isPhone('12-34')).toBe(false);
		expect(isPhone('call 555 1234 567')).toBe(false);
		expect(isPhone('1'.repeat(21))).toBe(false);
	});
});

describe('OfficialForm', () => {
	it('turns blanks into nulls and scores into numbers', () => {
		const r = OfficialForm.parse({ name: ' Ana ', email: '', influence: '5', cadence_days: '30' });
		expect(r).toMatchObject({
			name: 'Ana',
			email: null,
			influence: 5,
			interest: null,
			cadence_days: 30
		});
	});

	it('says what is wrong beside each field', () => {
		const r = OfficialForm.safeParse({
			name: '',
			email: 'x',
			phone: '12',
			influence: '6',
			term_start: '2026-01-01',
			term_end: '2025-01-01'
		});
		expect(r.success).toBe(false);
		expect(Object.keys(fieldErrors(r.error!)).sort()).toEqual([
			'email',
			'influence',
			'name',
			'phone',
			'term_end'
		]);
	});
});

describe('interactionForm', () => {
	const base = { type: 'meeting', title: 'Budget', tz_offset: '0' };

	it('reads the local time with the browser offset', () => {
		expect(occurredAt('2026-12-03T09:30', '60')).toBe('2026-12-03T10:30:00.000Z');
		expect(occurredAt('not a time', '0')).toBeNull();
	});

	it('refuses a held interaction in the future and a planned one in the past', () => {
		const held = interactionForm(NOW).safeParse({
			...base,
			status: 'held',
			occurred_local: '2026-12-05T10:00'
		});
		expect(held.success).toBe(false);
		expect(fieldErrors(held.error!).occurred_local).toMatch(/cannot be in the future/);
		const planned = interactionForm(NOW).safeParse({
			...base,
			status: 'planned',
			occurred_local: '2026-12-01T10:00'
		});
		expect(fieldErrors(planned.error!).occurred_local).toMatch(/cannot be in the past/);
		const ok = interactionForm(NOW).parse({
			...base,
			status: 'held',
			occurred_local: '2026-12-01T10:00'
		});
		expect(ok.occurred_at).toBe('2026-12-01T10:00:00.000Z');
		expect(ok).not.toHaveProperty('occurred_local');
	});

	it('lets a planned interaction whose day has passed be edited without moving it', () => {
		const r = interactionForm(NOW, '2026-12-01T10:00:00Z').safeParse({
			...base,
			status: 'planned',
			occurred_local: '2026-12-01T10:00'
		});
		expect(r.success).toBe(true);
	});
});

describe('commitments and follow-ups', () => {
	it('refuses a commitment due before it was made', () => {
		const r = CommitmentForm.safeParse({
			official_id: '3f1c2a9e-1111-4222-8333-444455556666',
			description: 'Fund it',
			made_on: '2026-12-03',
			due_on: '2026-12-01'
		});
		expect(fieldErrors(r.error!).due_on).toBeTruthy();
	});

	it('refuses a follow-up due before its interaction, and allows one due since', () => {
		const form = followUpForm('2026-12-01');
		const input = { title: 'Send figures', assignee_id: '3f1c2a9e-1111-4222-8333-444455556666' };
		expect(form.safeParse({ ...input, due_on: '2026-11-30' }).success).toBe(false);
		expect(form.safeParse({ ...input, due_on: '2026-12-02' }).success).toBe(true);
	});
});
