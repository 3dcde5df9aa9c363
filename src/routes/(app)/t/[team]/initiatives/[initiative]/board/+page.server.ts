import { fail } from '@sveltejs/kit';
import { placeOf, stepTarget, toBoard } from '$lib/initiatives/board.ts';
import { layoutTimeline } from '$lib/initiatives/timeline.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { MoveForm, TaskForm } from '$lib/schemas/initiatives.ts';
import { initiativeRefusal } from '$lib/server/db/initiative-messages.ts';
import { listMilestones, listTactics } from '$lib/server/db/initiatives.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { createTask, listTasks, moveTask } from '$lib/server/db/tasks.ts';
import { must } from '$lib/server/agency-pages.ts';
import { memberOptions } from '$lib/server/friction-options.ts';
import { act, guardInitiative } from '$lib/server/initiative-pages.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { team } = await event.parent();
	const i = await guardInitiative(event);
	const s = event.locals.supabase;
	const [tasks, milestones, tactics, members] = await Promise.all([
		listTasks(s, team.team_id, i.id).then(must),
		listMilestones(s, team.team_id, i.id).then(must),
		listTactics(s, team.team_id, i.id).then(must),
		listMembers(s, team.team_id)
	]);
	const names = new Map(members.map((mb) => [mb.user_id, mb.display_name]));
	const today = new Date().toISOString().slice(0, 10);
	return {
		notice:
			['task-added', 'task-deleted'].find((n) => n === event.url.searchParams.get('notice')) ??
			null,
		tasks: tasks.map((t) => ({
			id: t.id,
			title: t.title,
			status: t.status,
			position: t.position,
			created_at: t.created_at,
			due_on: t.due_on,
			assignee_name: t.assignee_id ? (names.get(t.assignee_id) ?? null) : null
		})),
		members: memberOptions(members),
		milestones: milestones.map((ms) => ({ value: ms.id, label: `${ms.title} (${ms.due_on})` })),
		timeline: layoutTimeline(
			[
				...milestones.map((ms) => ({
					id: ms.id,
					kind: 'milestone' as const,
					label: ms.title,
					date: ms.due_on,
					done: Boolean(ms.reached_on)
				})),
				...tasks.flatMap((t) =>
					t.due_on
						? [
								{
									id: t.id,
									kind: 'task' as const,
									label: t.title,
									date: t.due_on,
									done: t.status === 'done'
								}
							]
						: []
				),
				...tactics.map((x) => ({
					id: x.id,
					kind: 'tactic' as const,
					label: x.description,
					date: x.planned_on,
					done: false
				}))
			],
			i.start_date,
			i.deadline,
			today
		)
	};
};

export const actions: Actions = {
	addTask: (event) =>
		act(
			event,
			'addTask',
			TaskForm,
			(data, i) => createTask(event.locals.supabase, event.params.team, i.id, data),
			'task-added',
			'/board'
		),

	// Returns instead of redirecting, so the page keeps focus on the card that moved.
	move: async (event) => {
		const i = await guardInitiative(event);
		const values = formValues(await event.request.formData());
		const parsed = MoveForm.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'move', values, errors: fieldErrors(parsed.error) });
		const tasks = must(await listTasks(event.locals.supabase, event.params.team, i.id));
		const board = toBoard(tasks);
		const move = parsed.data;
		if (!placeOf(board, move.id))
			return fail(400, {
				action: 'move',
				values,
				errors: initiativeRefusal('that task does not exist')
			});
		// A step past the board's edge stays where it is, and says so.
		const to = 'step' in move ? stepTarget(board, move.id, move.step) : move;
		if (!to) return { action: 'move', moved: { id: move.id, edge: true } };
		const r = await moveTask(event.locals.supabase, move.id, to.status, to.position);
		if (r.error !== undefined)
			return fail(400, { action: 'move', values, errors: initiativeRefusal(r.error) });
		return { action: 'move', moved: { id: move.id, edge: false } };
	}
};
