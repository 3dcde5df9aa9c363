import { describe, expect, it } from 'vitest';
import { byPeriod, byTeam, combine, normaliseRows, type ReportRow } from './figures.ts';

function row(over: Partial<ReportRow>): ReportRow {
	return {
		team_id: 't1',
		team_name: 'North',
		archived: false,
		member_count: 7,
		size_status: 'ideal',
		period_start: '2026-01-01',
		activity: 0,
		dialogues_held: 0,
		average_attendance: null,
		friction_found: 0,
		friction_resolved: 0,
		commitments_kept: 0,
		commitments_broken: 0,
		initiatives_won: 0,
		pulse_responses: 0,
		pulse_safe: null,
		pulse_heard: null,
		pulse_useful: null,
		...over
	};
}

describe('combining report figures', () => {
	it('adds counts and weights attendance by dialogues held', () => {
		const c = combine([
			row({ activity: 3, dialogues_held: 1, average_attendance: 8, friction_found: 2 }),
			row({ activity: 4, dialogues_held: 3, average_attendance: 4, friction_resolved: 1 })
		]);
		expect(c).toMatchObject({
			activity: 7,
			dialogues_held: 4,
			average_attendance: 5,
			friction_found: 2,
			friction_resolved: 1
		});
		expect(combine([row({})]).average_attendance).toBeNull();
	});

	it('keeps withheld pulse averages withheld: only rows shown count', () => {
		const shown = row({ pulse_responses: 4, pulse_safe: 4, pulse_heard: 5, pulse_useful: 2 });
		// Two answers: the database gave no average, and the total must not reveal them.
		const hidden = row({ pulse_responses: 2 });
		const c = combine([shown, hidden]);
		expect(c.pulse_responses).toBe(6);
		expect(c).toMatchObject({ pulse_safe: 4, pulse_heard: 5, pulse_useful: 2 });
		expect(combine([hidden, row({ pulse_responses: 1 })]).pulse_safe).toBeNull();
		const two = combine([shown, row({ pulse_responses: 6, pulse_safe: 1 })]);
		expect(two.pulse_safe).toBe(2.2);
	});

	it('groups by period (empty ones included) and by team', () => {
		const rows = [
			row({ period_start: '2026-01-01', activity: 1 }),
			row({ team_id: 't2', team_name: 'South', period_start: '2026-01-01', activity: 2 }),
			row({ team_id: 't2', team_name: 'South', period_start: '2026-02-01', activity: 5 })
		];
		expect(
			byPeriod(rows, ['2026-01-01', '2026-02-01', '2026-03-01']).map((p) => p.figures.activity)
		).toEqual([3, 5, 0]);
		expect(byTeam(rows).map((t) => [t.team_name, t.figures.activity])).toEqual([
			['North', 1],
			['South', 7]
		]);
	});

	it('turns numeric strings from the API into numbers', () => {
		const [r] = normaliseRows([
			{ ...row({}), average_attendance: '5.5', pulse_safe: '4.0', activity: '3' }
		]);
		expect(r.average_attendance).toBe(5.5);
		expect(r.pulse_safe).toBe(4);
		expect(r.activity).toBe(3);
	});
});
