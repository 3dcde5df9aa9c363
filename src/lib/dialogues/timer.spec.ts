import { describe, expect, it } from 'vitest';
import { clockOffset, formatClock, phaseClock } from './timer.ts';

describe('phaseClock', () => {
	const start = '2026-12-10T18:00:00.000Z';
	const at = (s: number) => Date.parse(start) + s * 1000;

	it('counts down the time box from the recorded start', () => {
		expect(phaseClock(start, 10, at(90))).toEqual({
			elapsedMs: 90_000,
			remainingMs: 510_000,
			overtime: false,
			fraction: 0.15
		});
	});

	it('goes negative and says so once over time', () => {
		const c = phaseClock(start, 1, at(75));
		expect(c.remainingMs).toBe(-15_000);
		expect(c.overtime).toBe(true);
		expect(c.fraction).toBe(1);
	});

	it('shows the same time after a reconnect: it depends only on the start and the clock', () => {
		const before = phaseClock(start, 5, at(120));
		const reconnected = phaseClock(start, 5, at(120));
		expect(reconnected).toEqual(before);
	});

	it('never counts a start in the future (a skewed clock) as negative time', () => {
		expect(phaseClock(start, 5, at(-3)).elapsedMs).toBe(0);
	});

	it('treats a missing start as not started', () => {
		expect(phaseClock(null, 5, at(100)).remainingMs).toBe(300_000);
	});
});

describe('clockOffset', () => {
	it('is what to add to the browser clock to read the server clock', () => {
		expect(clockOffset('2026-12-10T18:00:05.000Z', Date.parse('2026-12-10T18:00:00.000Z'))).toBe(
			5000
		);
		expect(clockOffset('not a date', 123)).toBe(0);
	});
});

describe('formatClock', () => {
	it.each([
		[0, '0:00'],
		[65_000, '1:05'],
		[-30_000, '-0:30'],
		[3_723_000, '1:02:03'],
		[999, '0:00']
	])('%d ms is %s', (ms, text) => {
		expect(formatClock(ms)).toBe(text);
	});
});
