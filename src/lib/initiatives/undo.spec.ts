import { describe, expect, it } from 'vitest';
import { canUndo } from './undo.ts';

describe('canUndo', () => {
	const now = new Date('2026-12-03T12:00:00Z');
	it('offers undo for ten minutes after deleting', () => {
		expect(canUndo('2026-12-03T11:55:00Z', now)).toBe(true);
		expect(canUndo('2026-12-03T11:50:00Z', now)).toBe(true);
		expect(canUndo('2026-12-03T11:49:59Z', now)).toBe(false);
	});
	it('has nothing to undo for a live initiative', () => {
		expect(canUndo(null, now)).toBe(false);
	});
});
