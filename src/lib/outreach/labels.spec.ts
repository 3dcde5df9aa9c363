import { describe, expect, it } from 'vitest';
import { formatWhen } from './labels.ts';

describe('formatWhen', () => {
	it('writes a date and time in UTC, naming the zone, in both languages', () => {
		expect(formatWhen('2026-12-03T17:05:00Z', 'en')).toMatch(/Dec 3, 2026.*05:05.*UTC/);
		expect(formatWhen('2026-12-03T17:05:00Z', 'es')).toMatch(/3 dic 2026.*17:05.*UTC/);
	});
});
