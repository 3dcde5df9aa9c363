/**
 * Everything the one-page plan and the CSV export show, read once. Interactions' confidential notes
 * are never read here (nor anywhere in the initiatives code), so no plan or export can carry them.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { formatValue } from '$lib/charts/series.ts';
import { progressLabel, stanceLabel, taskStatusLabel } from '$lib/initiatives/labels.ts';
import { milestoneProgress } from '$lib/initiatives/milestones.ts';
import type { PlanSource } from '$lib/initiatives/plan.ts';
import {
	frictionChoices,
	listFrictionLinks,
	listMilestones,
	listStrategyItems,
	listTactics,
	listTargets,
	type InitiativeSummary
} from '$lib/server/db/initiatives.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { listTasks } from '$lib/server/db/tasks.ts';
import { must } from './agency-pages.ts';
import { progressOf } from './initiative-pages.ts';

export async function planSource(
	supabase: SupabaseClient,
	teamId: string,
	i: InitiativeSummary,
	locale: string
): Promise<PlanSource> {
	const [links, points, items, targets, tactics, milestones, tasks, members, progress] =
		await Promise.all([
			listFrictionLinks(supabase, teamId, i.id).then(must),
			frictionChoices(supabase, teamId).then(must),
			listStrategyItems(supabase, teamId, i.id).then(must),
			listTargets(supabase, teamId, i.id).then(must),
			listTactics(supabase, teamId, i.id).then(must),
			listMilestones(supabase, teamId, i.id).then(must),
			listTasks(supabase, teamId, i.id).then(must),
			listMembers(supabase, teamId),
			progressOf(supabase, [i])
		]);
	const titles = new Map(points.map((p) => [p.id, p.title]));
	const names = new Map(members.map((mb) => [mb.user_id, mb.display_name]));
	const unit = i.indicator?.unit ?? null;
	return {
		title: i.title,
		status: i.status,
		problem: i.problem,
		vision: i.vision,
		mission: i.mission,
		objective: i.objective,
		indicator: i.indicator?.name ?? null,
		baseline: i.baseline_value,
		target: i.target_value,
		start_date: i.start_date,
		deadline: i.deadline,
		progress: progressLabel(progress.get(i.id)!.progress, (v) => formatValue(v, unit, locale)),
		sensitive_notes: i.sensitive_notes,
		reflection: i.reflection,
		friction_points: links.map((l) => titles.get(l.friction_point_id) ?? ''),
		items: items.map((x) => ({ kind: x.kind, body: x.body, sensitive: x.sensitive })),
		targets: targets.map((t) => ({
			id: t.id,
			role: t.role,
			name: t.name,
			stance: t.official_id ? stanceLabel(t.stance) : null,
			note: t.note
		})),
		tactics: tactics.map((t) => ({
			target_id: t.target_id,
			description: t.description,
			planned_on: t.planned_on
		})),
		milestones: milestoneProgress(milestones, tasks).map((ms) => ({
			title: ms.title,
			due_on: ms.due_on,
			percent: ms.percent
		})),
		tasks: tasks.map((t) => ({
			title: t.title,
			status: taskStatusLabel(t.status),
			assignee: t.assignee_id ? (names.get(t.assignee_id) ?? null) : null,
			due_on: t.due_on
		}))
	};
}
