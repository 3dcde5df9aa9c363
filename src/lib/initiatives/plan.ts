/**
 * The one-page plan as data: what the printable page and the CSV export both show, with the
 * sensitive fields (the initiative's sensitive notes and strategy lines marked sensitive) left out
 * unless chosen. Pure, so what leaves the team is tested in one place.
 */
import type { InitiativeStatus, StrategyKind, TargetRole } from './enums.ts';

export interface PlanSource {
	title: string;
	status: InitiativeStatus;
	problem: string | null;
	vision: string | null;
	mission: string | null;
	objective: string | null;
	indicator: string | null;
	baseline: number | null;
	target: number | null;
	start_date: string;
	deadline: string | null;
	progress: string;
	sensitive_notes: string | null;
	reflection: string | null;
	friction_points: string[];
	items: Array<{ kind: StrategyKind; body: string; sensitive: boolean }>;
	targets: Array<{
		id: string;
		role: TargetRole;
		name: string;
		stance: string | null;
		note: string | null;
	}>;
	tactics: Array<{ target_id: string; description: string; planned_on: string }>;
	milestones: Array<{ title: string; due_on: string; percent: number }>;
	tasks: Array<{ title: string; status: string; assignee: string | null; due_on: string | null }>;
}

export type Plan = PlanSource;

/** The plan as it may be shared: sensitive parts only when `includeSensitive`. */
export function sharedPlan(source: PlanSource, includeSensitive: boolean): Plan {
	return {
		...source,
		sensitive_notes: includeSensitive ? source.sensitive_notes : null,
		items: source.items.filter((i) => includeSensitive || !i.sensitive)
	};
}

export interface PlanRow {
	section: string;
	item: string;
	detail: string;
	date: string;
}

export interface PlanLabels {
	overview: string;
	strategy: (kind: StrategyKind) => string;
	target: (role: TargetRole) => string;
	tactic: string;
	milestone: string;
	task: string;
	field: Record<
		| 'status'
		| 'problem'
		| 'vision'
		| 'mission'
		| 'objective'
		| 'indicator'
		| 'baseline'
		| 'target'
		| 'start'
		| 'deadline'
		| 'progress'
		| 'friction_point'
		| 'sensitive_notes'
		| 'reflection',
		string
	>;
}

/** One row per fact of the plan, for the CSV export. */
export function planRows(plan: Plan, labels: PlanLabels, statusLabel: string): PlanRow[] {
	const o = labels.overview;
	const f = labels.field;
	const rows: PlanRow[] = [
		{ section: o, item: f.status, detail: statusLabel, date: '' },
		{ section: o, item: f.objective, detail: plan.objective ?? '', date: plan.deadline ?? '' },
		{ section: o, item: f.problem, detail: plan.problem ?? '', date: '' },
		{ section: o, item: f.vision, detail: plan.vision ?? '', date: '' },
		{ section: o, item: f.mission, detail: plan.mission ?? '', date: '' },
		{ section: o, item: f.indicator, detail: plan.indicator ?? '', date: '' },
		{ section: o, item: f.baseline, detail: plan.baseline?.toString() ?? '', date: '' },
		{ section: o, item: f.target, detail: plan.target?.toString() ?? '', date: '' },
		{ section: o, item: f.start, detail: '', date: plan.start_date },
		{ section: o, item: f.deadline, detail: '', date: plan.deadline ?? '' },
		{ section: o, item: f.progress, detail: plan.progress, date: '' },
		...plan.friction_points.map((p) => ({
			section: o,
			item: f.friction_point,
			detail: p,
			date: ''
		}))
	];
	if (plan.reflection)
		rows.push({ section: o, item: f.reflection, detail: plan.reflection, date: '' });
	if (plan.sensitive_notes)
		rows.push({ section: o, item: f.sensitive_notes, detail: plan.sensitive_notes, date: '' });
	for (const i of plan.items)
		rows.push({ section: labels.strategy(i.kind), item: i.body, detail: '', date: '' });
	const names = new Map(plan.targets.map((t) => [t.id, t.name]));
	for (const t of plan.targets)
		rows.push({
			section: labels.target(t.role),
			item: t.name,
			detail: [t.stance, t.note].filter(Boolean).join(' · '),
			date: ''
		});
	for (const t of plan.tactics)
		rows.push({
			section: labels.tactic,
			item: t.description,
			detail: names.get(t.target_id) ?? '',
			date: t.planned_on
		});
	for (const ms of plan.milestones)
		rows.push({
			section: labels.milestone,
			item: ms.title,
			detail: `${ms.percent}%`,
			date: ms.due_on
		});
	for (const t of plan.tasks)
		rows.push({
			section: labels.task,
			item: t.title,
			detail: [t.status, t.assignee].filter(Boolean).join(' · '),
			date: t.due_on ?? ''
		});
	return rows;
}
