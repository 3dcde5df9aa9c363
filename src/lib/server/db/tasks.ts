/**
 * Tasks: who does what by when, on an initiative's board (status and position, moved through
 * public.move_task), with comments; and a person's own tasks across the team for "my tasks".
 * Returns `{ data }` or `{ error }` like the other data modules; faults are thrown.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TaskStatus } from '../../initiatives/board.ts';
import type { Result } from './errors.ts';
import { failure, one, result } from './initiatives.ts';

export interface Task {
	id: string;
	team_id: string;
	initiative_id: string | null;
	milestone_id: string | null;
	follow_up_id: string | null;
	interaction_id: string | null;
	title: string;
	description: string | null;
	assignee_id: string | null;
	due_on: string | null;
	status: TaskStatus;
	position: number;
	created_at: string;
}

export type TaskInput = Pick<
	Task,
	'title' | 'description' | 'assignee_id' | 'due_on' | 'milestone_id' | 'status'
>;

export interface TaskComment {
	id: string;
	task_id: string;
	body: string;
	author_id: string | null;
	author_name: string | null;
	created_at: string;
}

/** A task with the initiative it serves, for "my tasks". */
export interface MyTask extends Task {
	initiative: { id: string; title: string; deleted_at: string | null } | null;
}

export async function listTasks(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string
): Promise<Result<Task[]>> {
	return result(
		await supabase
			.from('tasks')
			.select('*')
			.eq('team_id', teamId)
			.eq('initiative_id', initiativeId)
			.order('position')
			.order('created_at')
			.limit(1000)
			.returns<Task[]>()
	);
}

export async function getTask(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<Task | null>> {
	return result(
		await supabase.from('tasks').select('*').eq('team_id', teamId).eq('id', id).maybeSingle<Task>()
	);
}

/** A new card at the end of its column. */
export async function createTask(
	supabase: SupabaseClient,
	teamId: string,
	initiativeId: string,
	input: TaskInput
): Promise<Result<Task>> {
	const { count, error } = await supabase
		.from('tasks')
		.select('id', { count: 'exact', head: true })
		.eq('team_id', teamId)
		.eq('initiative_id', initiativeId)
		.eq('status', input.status);
	if (error) return failure(error);
	return result(
		await supabase
			.from('tasks')
			.insert({ ...input, team_id: teamId, initiative_id: initiativeId, position: count ?? 0 })
			.select('*')
			.single<Task>()
	);
}

export async function updateTask(
	supabase: SupabaseClient,
	teamId: string,
	id: string,
	patch: Partial<TaskInput>
): Promise<Result<Task>> {
	return one(
		await supabase
			.from('tasks')
			.update(patch)
			.eq('team_id', teamId)
			.eq('id', id)
			.select('*')
			.returns<Task[]>(),
		'task'
	);
}

/** Deletes one of the team's rows of the table; none deleted means it is gone or not the caller's. */
async function deleteRow(
	supabase: SupabaseClient,
	table: 'tasks' | 'task_comments',
	teamId: string,
	id: string,
	what: string
): Promise<Result<{ id: string }>> {
	return one(
		await supabase
			.from(table)
			.delete()
			.eq('team_id', teamId)
			.eq('id', id)
			.select('id')
			.returns<{ id: string }[]>(),
		what
	);
}

/** Deletes a task with its comments. */
export const deleteTask = (s: SupabaseClient, teamId: string, id: string) =>
	deleteRow(s, 'tasks', teamId, id, 'task');

/** Moves a card to a column and place on its board; both columns are renumbered by the database. */
export async function moveTask(
	supabase: SupabaseClient,
	id: string,
	status: TaskStatus,
	position: number
): Promise<Result<null>> {
	return result(
		await supabase.rpc('move_task', { task_id: id, to_status: status, to_position: position })
	);
}

/** The person's tasks in the team (live initiatives only), open first by due date. */
export async function myTasks(
	supabase: SupabaseClient,
	teamId: string,
	userId: string
): Promise<Result<MyTask[]>> {
	type Row = Task & { initiatives: MyTask['initiative'] };
	const r = result(
		await supabase
			.from('tasks')
			.select('*, initiatives!tasks_initiative_id_team_id_fkey(id, title, deleted_at)')
			.eq('team_id', teamId)
			.eq('assignee_id', userId)
			.order('due_on', { ascending: true, nullsFirst: false })
			.order('created_at')
			.limit(1000)
			.returns<Row[]>()
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data
			.map(({ initiatives, ...rest }) => ({ ...rest, initiative: initiatives }))
			.filter((t) => !t.initiative?.deleted_at)
	};
}

export async function listComments(
	supabase: SupabaseClient,
	teamId: string,
	taskId: string
): Promise<Result<TaskComment[]>> {
	type Row = Omit<TaskComment, 'author_name'> & {
		profiles: { display_name: string | null } | null;
	};
	const r = result(
		await supabase
			.from('task_comments')
			.select('id, task_id, body, author_id, created_at, profiles(display_name)')
			.eq('team_id', teamId)
			.eq('task_id', taskId)
			.order('created_at')
			.limit(1000)
			.returns<Row[]>()
	);
	if (r.error !== undefined) return r;
	return {
		data: r.data.map(({ profiles, ...rest }) => ({
			...rest,
			author_name: profiles?.display_name ?? null
		}))
	};
}

export async function addComment(
	supabase: SupabaseClient,
	teamId: string,
	taskId: string,
	body: string
): Promise<Result<{ id: string }>> {
	return result(
		await supabase
			.from('task_comments')
			.insert({ team_id: teamId, task_id: taskId, body })
			.select('id')
			.single<{ id: string }>()
	);
}

/** Deletes one of the author's own comments (RLS refuses anyone else's: none deleted). */
export const deleteComment = (s: SupabaseClient, teamId: string, id: string) =>
	deleteRow(s, 'task_comments', teamId, id, 'comment');
