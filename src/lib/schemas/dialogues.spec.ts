import { describe, expect, it } from 'vitest';
import { parsePhases, ScheduleForm, zonedInstant } from './dialogues.ts';

describe('zonedInstant', () => {
	it('reads a datetime-local value in the browser’s zone', () => {
		// getTimezoneOffset() is -120 at UTC+2: 18:00 there is 16:00 UTC.
		expect(zonedInstant('2026-12-10T18:00', '-120')).toBe('2026-12-10T16:00:00.000Z');
		expect(zonedInstant('2026-12-10T18:00', '300')).toBe('2026-12-10T23:00:00.000Z');
	});

	it('takes UTC without an offset (no script) and refuses impossible dates', () => {
		expect(zonedInstant('2026-12-10T18:00', undefined)).toBe('2026-12-10T18:00:00.000Z');
		expect(zonedInstant('2026-02-30T18:00', '0')).toBeNull();
		expect(zonedInstant('tomorrow', '0')).toBeNull();
		expect(zonedInstant('2026-12-10T18:00', 'evil')).toBe('2026-12-10T18:00:00.000Z');
	});
});

describe('ScheduleForm', () => {
	const valid = {
		template_id: '00000000-0000-4000-8000-000000000001',
		title: ' December dialogue ',
		starts_at: '2026-12-10T18:00',
		tz_offset: '0',
		duration_minutes: '90',
		location: '',
		call_link: '',
		indicator_id: '',
		friction_point_id: ''
	};

	it('gives the database what it takes', () => {
		expect(ScheduleForm.parse(valid)).toEqual({
			template_id: valid.template_id,
			title: 'December dialogue',
			starts_at: '2026-12-10T18:00:00.000Z',
			duration_minutes: 90,
			location: null,
			call_link: null,
			indicator_id: null,
			friction_point_id: null
		});
	});

	it('reports every bad field at once, each by name', () => {
		const r = ScheduleForm.safeParse({
			...valid,
			title: '  ',
			starts_at: '',
			duration_minutes: '2',
			call_link: 'meet.example'
		});
		expect(r.success).toBe(false);
		const fields = r.error!.issues.map((i) => i.path[0]).sort();
		expect(fields).toEqual(['call_link', 'duration_minutes', 'starts_at', 'title']);
	});
});

describe('parsePhases', () => {
	it('keeps titled rows in order, drops empty ones and explains bad time boxes', () => {
		const { phases, errors } = parsePhases({
			phase_title_1: 'Data review',
			phase_minutes_1: '20',
			phase_guidance_1: '',
			phase_embed_1: 'indicator',
			phase_title_0: 'Check-in',
			phase_minutes_0: '10',
			phase_guidance_0: 'One sentence each',
			phase_embed_0: 'none',
			phase_title_2: '',
			phase_minutes_2: '10',
			phase_title_3: 'Too long',
			phase_minutes_3: '500'
		});
		expect(phases.map((p) => p.title)).toEqual(['Check-in', 'Data review', 'Too long']);
		expect(phases[0].guidance).toBe('One sentence each');
		expect(phases[1].guidance).toBeNull();
		expect(Object.keys(errors)).toEqual(['phase_minutes_3']);
	});

	it('needs at least one phase', () => {
		expect(parsePhases({ phase_title_0: ' ' }).errors.phases).toBeTruthy();
	});
});
