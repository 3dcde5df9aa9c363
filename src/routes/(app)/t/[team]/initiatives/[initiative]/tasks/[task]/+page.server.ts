import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { CommentForm, IdForm, TaskForm } from '$lib/schemas/initiatives.ts';
import { initiativeRefusal } from '$lib/server/db/initiative-messages.ts';
import { listMilestones, type Result } from '$lib/server/db/initiatives.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import {
	addComment,
	deleteComment,
	deleteTask,
	getTask,
	listComments,
	updateTask
} from '$lib/server/db/tasks.ts';
import { must } from '$lib/server/agency-pages.ts';
import { memberOptions } from '$lib/server/friction-options.ts';
import { guardInitiative } from '$lib/server/initiative-pages.ts';
import type { Actions, PageServerLoad } from './$types';

type Event = RequestEvent<{ team: string; initiative: string; task: string }>;

/** The task, one of this initiative's, or a 404. */
async function guardTask(event: Event) {
	const initiative = await guardInitiative(event);
	if (!isUuid(event.params.task)) error(404, m.error_not_found());
	const task = must(await getTask(event.locals.supabase, event.params.team, event.params.task));
	if (!task || task.initiative_id !== initiative.id) error(404, m.error_not_found());
	return task;
}

const NOTICES = new Set(['saved', 'comment-added', 'comment-deleted']);

export const load: PageServerLoad = async (event) => {
	const task = await guardTask(event);
	const s = event.locals.supabase;
	const { user } = await event.locals.safeGetSession();
	const [comments, members, milestones] = await Promise.all([
		listComments(s, event.params.team, task.id).then(must),
		listMembers(s, event.params.team),
		listMilestones(s, event.params.team, event.params.initiative).then(must)
	]);
	const notice = event.url.searchParams.get('notice');
	return {
		task,
		comments: comments.map((c) => ({ ...c, mine: c.author_id === user?.id })),
		members: memberOptions(members),
		milestones: milestones.map((ms) => ({ value: ms.id, label: `${ms.title} (${ms.due_on})` })),
		confirmDelete: event.url.searchParams.get('confirm') === 'delete',
		notice: notice && NOTICES.has(notice) ? notice : null
	};
};

/** Guard, parse, write, then back to the task with a notice (or the board after deleting). */
async function taskAction<S extends z.ZodType>(
	event: Event,
	action: string,
	schema: S,
	write: (data: z.infer<S>, taskId: string) => Promise<Result<unknown>>,
	to: string
) {
	const task = await guardTask(event);
	const values = formValues(await event.request.formData());
	const parsed = schema.safeParse(values);
	if (!parsed.success) return fail(400, { action, values, errors: fieldErrors(parsed.error) });
	const r = await write(parsed.data, task.id);
	if (r.error !== undefined)
		return fail(400, { action, values, errors: initiativeRefusal(r.error) });
	redirect(303, to);
}

const here = (e: Event, notice: string) =>
	`/t/${e.params.team}/initiatives/${e.params.initiative}/tasks/${e.params.task}?notice=${notice}`;

export const actions: Actions = {
	save: (event) =>
		taskAction(
			event,
			'save',
			TaskForm,
			(data, id) => updateTask(event.locals.supabase, event.params.team, id, data),
			here(event, 'saved')
		),
	addComment: (event) =>
		taskAction(
			event,
			'addComment',
			CommentForm,
			({ body }, id) => addComment(event.locals.supabase, event.params.team, id, body),
			here(event, 'comment-added')
		),
	deleteComment: (event) =>
		taskAction(
			event,
			'delete-comment',
			IdForm,
			({ id }) => deleteComment(event.locals.supabase, event.params.team, id),
			here(event, 'comment-deleted')
		),
	delete: (event) =>
		taskAction(
			event,
			'delete',
			IdForm,
			(_data, id) => deleteTask(event.locals.supabase, event.params.team, id),
			`/t/${event.params.team}/initiatives/${event.params.initiative}/board?notice=task-deleted`
		)
};
