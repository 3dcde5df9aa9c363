import { describe, expect, it } from 'vitest';
import { nextInRound, participation, queueOrder, roundOrder } from './participation.ts';

const t = (user_id: string, from: number, to: number | null) => ({
	user_id,
	started_at: new Date(from * 1000).toISOString(),
	ended_at: to === null ? null : new Date(to * 1000).toISOString()
});

describe('participation', () => {
	it('tallies turns and time, lists the silent, and flags who dominates', () => {
		const rows = participation(
			['ana', 'ben', 'cy', 'dee'],
			[t('ana', 0, 300), t('ben', 300, 330), t('ana', 330, 400), t('cy', 400, null)],
			410_000
		);
		expect(rows.map((r) => [r.userId, r.turns, r.ms / 1000, r.balance])).toEqual([
			['ana', 2, 370, 'dominant'],
			['ben', 1, 30, 'even'],
			['cy', 1, 10, 'even'],
			['dee', 0, 0, 'quiet']
		]);
		expect(rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1);
	});

	it('never calls anyone dominant in a pair', () => {
		const rows = participation(['a', 'b'], [t('a', 0, 100), t('b', 100, 101)], 0);
		expect(rows.map((r) => r.balance)).toEqual(['even', 'even']);
	});

	it('counts a member who has left but spoke', () => {
		expect(participation([], [t('gone', 0, 5)], 0)).toMatchObject([{ userId: 'gone', turns: 1 }]);
	});
});

describe('roundOrder', () => {
	it('puts those who spoke least first and lists each person once', () => {
		expect(roundOrder(['a', 'b', 'c', 'b'], [t('a', 0, 1), t('a', 1, 2), t('c', 2, 3)])).toEqual([
			'b',
			'c',
			'a'
		]);
	});
});

describe('queueOrder', () => {
	it('is oldest first, ties by id', () => {
		const q = [
			{ id: '2', user_id: 'b', raised_at: '2026-12-10T18:00:02Z' },
			{ id: '3', user_id: 'c', raised_at: '2026-12-10T18:00:01Z' },
			{ id: '1', user_id: 'a', raised_at: '2026-12-10T18:00:02Z' }
		];
		expect(queueOrder(q).map((e) => e.user_id)).toEqual(['c', 'a', 'b']);
	});
});

describe('nextInRound', () => {
	it('skips whoever dropped and ends after the last', () => {
		const order = ['a', 'b', 'c'];
		expect(nextInRound(order, 0, new Set(['a', 'c']))).toBe('c');
		expect(nextInRound(order, 2, new Set(['a', 'b', 'c']))).toBeNull();
		expect(nextInRound(order, null, new Set(['a']))).toBeNull();
	});
});
