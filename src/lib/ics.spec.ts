import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, utcStamp } from './ics.ts';

describe('escapeText', () => {
	it('escapes backslashes, semicolons, commas and newlines', () => {
		expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
	});
});

describe('foldLine', () => {
	it('leaves short lines alone', () => {
		expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
	});

	it('folds at 75 octets, continuation lines starting with a space', () => {
		const line = `DESCRIPTION:${'x'.repeat(200)}`;
		const folded = foldLine(line);
		const parts = folded.split('\r\n');
		expect(parts[0]).toHaveLength(75);
		for (const p of parts.slice(1)) {
			expect(p.startsWith(' ')).toBe(true);
			expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75);
		}
		expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
	});

	it('never splits a multi-byte character', () => {
		const line = `SUMMARY:${'ñ'.repeat(100)}`;
		const parts = foldLine(line).split('\r\n');
		for (const p of parts) {
			expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75);
			expect(p).not.toContain('\uFFFD');
		}
		expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
	});
});

describe('buildCalendar', () => {
	const updated = '2026-12-01T10:00:00.000Z';

	it('writes timed and all-day events with CRLF line ends', () => {
		const text = buildCalendar(
			[
				{
					uid: 'interaction-1@groundwork',
					summary: 'Meeting: budget, clinic; hours',
					start: '2026-12-10T15:30:00.000Z',
					durationMinutes: 90,
					location: 'City Hall',
					updated
				},
				{ uid: 'follow-up-1@groundwork', summary: 'Send figures', date: '2026-12-31', updated }
			],
			{ name: 'Groundwork outreach' }
		);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
		expect(text).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
		expect(text).toContain('DTSTART:20261210T153000Z\r\nDTEND:20261210T170000Z');
		expect(text).toContain('SUMMARY:Meeting: budget\\, clinic\\; hours');
		expect(text).toContain('DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101');
		expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
		expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
	});

	it('refuses an event without a date', () => {
		expect(() => buildCalendar([{ uid: 'x', summary: 'x', updated }], { name: 'x' })).toThrow(
			RangeError
		);
	});

	it('stamps UTC', () => {
		expect(utcStamp('2026-12-03T18:15:00+01:00')).toBe('20261203T171500Z');
	});
});
