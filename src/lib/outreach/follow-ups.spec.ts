import { describe, expect, it } from 'vitest';
import {
	cadenceState,
	contactLate,
	daysBetween,
	daysOverdue,
	isOverdue,
	todayUtc
} from './follow-ups.ts';

describe('follow-ups', () => {
	const today = '2026-12-03';

	it('is overdue only when open and due before today', () => {
		expect(isOverdue({ due_on: '2026-12-02', done_at: null }, today)).toBe(true);
		expect(isOverdue({ due_on: '2026-12-03', done_at: null }, today)).toBe(false);
		expect(isOverdue({ due_on: '2026-11-01', done_at: '2026-11-02T10:00:00Z' }, today)).toBe(false);
		expect(daysOverdue({ due_on: '2026-11-26', done_at: null }, today)).toBe(7);
		expect(daysOverdue({ due_on: '2026-12-26', done_at: null }, today)).toBe(0);
	});

	it('counts days across month and year ends', () => {
		expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
		expect(daysBetween('2027-03-01', '2027-02-27')).toBe(-2);
		expect(todayUtc(new Date('2026-12-03T23:59:00Z'))).toBe('2026-12-03');
	});
});

describe('cadenceState', () => {
	const today = '2026-12-03';

	it('flags officials not contacted within their cadence', () => {
		expect(cadenceState(30, '2026-11-01', today)).toEqual({ status: 'due', daysSince: 32 });
		expect(cadenceState(30, '2026-11-03', today)).toEqual({ status: 'ok', daysSince: 30 });
		expect(cadenceState(30, null, today)).toEqual({ status: 'never', daysSince: null });
		expect(cadenceState(null, '2026-01-01', today)).toEqual({ status: 'none', daysSince: 336 });
		expect(contactLate(cadenceState(30, null, today))).toBe(true);
		expect(contactLate(cadenceState(30, '2026-12-01', today))).toBe(false);
		expect(contactLate(cadenceState(null, null, today))).toBe(false);
	});
});
