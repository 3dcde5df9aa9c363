import { describe, expect, it } from 'vitest';
import { feedbackCsv, reportCsv } from './csv.ts';
import type { ReportRow } from './figures.ts';

const base: ReportRow = {
	team_id: 't1',
	team_name: '=HYPERLINK("x")',
	archived: false,
	member_count: 7,
	size_status: 'ideal',
	period_start: '2026-01-01',
	activity: 3,
	dialogues_held: 1,
	average_attendance: 6.5,
	friction_found: 2,
	friction_resolved: 1,
	commitments_kept: 1,
	commitments_broken: 0,
	initiatives_won: 0,
	pulse_responses: 2,
	pulse_safe: null,
	pulse_heard: null,
	pulse_useful: null
};

describe('report CSV', () => {
	it('has one header and one line per team and period; withheld averages are empty', () => {
		const lines = reportCsv([base, { ...base, period_start: '2026-02-01' }])
			.replace(/^\ufeff/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toBe(
			'team,period_start,members,size,archived,activity,dialogues_held,friction_found,friction_resolved,commitments_kept,commitments_broken,initiatives_won,pulse_responses,average_attendance,pulse_safe,pulse_heard,pulse_useful'
		);
		// A team name cannot become a formula in a spreadsheet.
		expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",2026-01-01,7,ideal,no,3,1,2,1,1,0,0,2,6.5,,,`);
	});

	it('writes feedback results the same way', () => {
		const csv = feedbackCsv([
			{
				team_id: 't',
				team_name: 'North',
				round_id: 'r',
				audience: 'client',
				opened_on: '2026-03-01',
				open: true,
				responses: 4,
				q1: 4.5,
				q2: null,
				q3: 3
			}
		]);
		expect(csv.trimEnd().split('\r\n')[1]).toBe('North,client,2026-03-01,yes,4,4.5,,3');
	});
});
