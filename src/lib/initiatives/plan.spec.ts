import { describe, expect, it } from 'vitest';
import { planRows, sharedPlan, type PlanLabels, type PlanSource } from './plan.ts';

const source: PlanSource = {
	title: 'Shorter waits',
	status: 'active',
	problem: 'Twelve-hour waits',
	vision: null,
	mission: null,
	objective: '=Raise the share seen within four hours',
	indicator: 'Seen within 4 hours',
	baseline: 70,
	target: 95,
	start_date: '2026-01-01',
	deadline: '2026-12-31',
	progress: '20% of the way',
	sensitive_notes: 'The director is leaving in March',
	reflection: null,
	friction_points: ['Long waits'],
	items: [
		{ kind: 'ally', body: 'Nurses union', sensitive: false },
		{ kind: 'opponent', body: 'Finance officer', sensitive: true }
	],
	targets: [
		{ id: 't1', role: 'primary', name: 'Ana Ruiz', stance: 'Leaning in favour', note: null }
	],
	tactics: [{ target_id: 't1', description: 'Petition', planned_on: '2026-03-01' }],
	milestones: [{ title: 'Petition delivered', due_on: '2026-03-15', percent: 50 }],
	tasks: [{ title: 'Draft the petition', status: 'Doing', assignee: 'Sam', due_on: null }]
};

const labels: PlanLabels = {
	overview: 'Overview',
	strategy: (k) => `Strategy: ${k}`,
	target: (r) => `Target: ${r}`,
	tactic: 'Tactic',
	milestone: 'Milestone',
	task: 'Task',
	field: {
		status: 'Status',
		problem: 'Problem',
		vision: 'Vision',
		mission: 'Mission',
		objective: 'Objective',
		indicator: 'Indicator',
		baseline: 'Baseline',
		target: 'Target',
		start: 'Start',
		deadline: 'Deadline',
		progress: 'Progress',
		friction_point: 'Friction point',
		sensitive_notes: 'Sensitive notes',
		reflection: 'Reflection'
	}
};

const text = (rows: ReturnType<typeof planRows>) => JSON.stringify(rows);

describe('sharedPlan', () => {
	it('leaves the sensitive notes and sensitive lines out by default', () => {
		const rows = planRows(sharedPlan(source, false), labels, 'Active');
		expect(text(rows)).not.toContain('The director is leaving');
		expect(text(rows)).not.toContain('Finance officer');
		expect(text(rows)).toContain('Nurses union');
	});

	it('includes them when chosen', () => {
		const rows = planRows(sharedPlan(source, true), labels, 'Active');
		expect(rows).toContainEqual({
			section: 'Overview',
			item: 'Sensitive notes',
			detail: 'The director is leaving in March',
			date: ''
		});
		expect(text(rows)).toContain('Finance officer');
	});
});

describe('planRows', () => {
	it('names each tactic’s target and each milestone’s progress', () => {
		const rows = planRows(sharedPlan(source, false), labels, 'Active');
		expect(rows).toContainEqual({
			section: 'Tactic',
			item: 'Petition',
			detail: 'Ana Ruiz',
			date: '2026-03-01'
		});
		expect(rows).toContainEqual({
			section: 'Milestone',
			item: 'Petition delivered',
			detail: '50%',
			date: '2026-03-15'
		});
		expect(rows).toContainEqual({
			section: 'Target: primary',
			item: 'Ana Ruiz',
			detail: 'Leaning in favour',
			date: ''
		});
	});
});
