import { describe, expect, it } from 'vitest';
import { buildCalendar } from '$lib/ics.ts';
import { dialogueEvent } from './invitation.ts';

const dialogue = {
	id: '00000000-0000-4000-8000-000000000001',
	title: 'December dialogue',
	starts_at: '2026-12-10T18:00:00.000Z',
	duration_minutes: 90,
	location: null,
	call_link: 'https://meet.example/abc',
	updated_at: '2026-12-01T10:00:00.000Z'
};

describe('dialogueEvent', () => {
	it('carries the time, length, call link and agenda into the invitation', () => {
		const event = dialogueEvent(
			dialogue,
			[
				{ title: 'Check-in round', minutes: 10 },
				{ title: 'Data review', minutes: 20 }
			],
			'https://gw.example/t/x/dialogues/1'
		);
		expect(event).toMatchObject({
			uid: 'dialogue-00000000-0000-4000-8000-000000000001@groundwork',
			summary: 'December dialogue',
			location: 'https://meet.example/abc',
			durationMinutes: 90
		});
		const ics = buildCalendar([event], { name: 'December dialogue' });
		expect(ics).toContain('DTSTART:20261210T180000Z');
		expect(ics).toContain('DTEND:20261210T193000Z');
		expect(ics.replace(/\r\n /g, '')).toContain(
			'1. Check-in round (10 min)\\n2. Data review (20 min)'
		);
	});

	it('prefers the place over the call link as location', () => {
		const event = dialogueEvent({ ...dialogue, location: 'Library, room 2' }, [], 'https://x');
		expect(event.location).toBe('Library, room 2');
	});
});
