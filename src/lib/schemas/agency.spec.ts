import { describe, expect, it } from 'vitest';
import { AgencyForm, GoalForm, IndicatorForm, NoteForm, parseNumber } from './agency.ts';

describe('data forms', () => {
	it('reads numbers as people type them', () => {
		expect(parseNumber('95')).toBe(95);
		expect(parseNumber(' 92,5 ')).toBe(92.5);
		expect(parseNumber('1,234.5')).toBe(1234.5);
		expect(parseNumber('1.234,5')).toBe(1234.5);
		expect(parseNumber('95 %')).toBe(95);
		expect(parseNumber('-3')).toBe(-3);
		expect(parseNumber('')).toBeNull();
		expect(parseNumber('ninety')).toBeNaN();
	});

	it('trims text, turns blanks into null and refuses non-web addresses', () => {
		const ok = AgencyForm.safeParse({ name: '  Housing Authority ', website: '', notes: ' ' });
		expect(ok.success && ok.data).toEqual({
			name: 'Housing Authority',
			jurisdiction: null,
			type: null,
			website: null,
			notes: null
		});
		expect(AgencyForm.safeParse({ name: '   ' }).success).toBe(false);
		const js = AgencyForm.safeParse({ name: 'x', website: 'javascript:alert(1)' });
		expect(js.success).toBe(false);
		expect(js.error?.issues[0].path).toEqual(['website']);
	});

	it('checks an indicator’s direction, frequency and program', () => {
		const base = { name: 'Days to repair', direction: 'down', frequency: 'month' };
		expect(IndicatorForm.safeParse(base).data?.program_id).toBeNull();
		expect(IndicatorForm.safeParse({ ...base, direction: 'sideways' }).success).toBe(false);
		expect(IndicatorForm.safeParse({ ...base, program_id: 'nope' }).success).toBe(false);
	});

	it('reads a goal’s target and dates', () => {
		const goal = GoalForm.safeParse({
			statement: 'Repairs within 30 days',
			target_value: '30',
			target_date: '2025-12-31',
			source_url: 'https://example.org/plan.pdf'
		});
		expect(goal.data).toMatchObject({ target_value: 30, target_date: '2025-12-31' });
		expect(GoalForm.safeParse({ statement: 'x', target_value: 'soon' }).success).toBe(false);
		expect(GoalForm.safeParse({ statement: 'x', target_date: '31/12/2025' }).success).toBe(false);
	});

	it('a blank note clears the note', () => {
		expect(NoteForm.safeParse({ measurement_id: '12', note: '  ' }).data).toEqual({
			measurement_id: 12,
			note: null
		});
	});
});
