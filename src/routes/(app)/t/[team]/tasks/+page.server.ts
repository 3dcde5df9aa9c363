import { listFollowUps } from '$lib/server/db/outreach.ts';
import { myTasks } from '$lib/server/db/tasks.ts';
import { must } from '$lib/server/agency-pages.ts';
import { guardUser } from '$lib/server/initiative-pages.ts';
import type { PageServerLoad } from './$types';

/** "My tasks": the person's tasks from initiatives and their open follow-ups from outreach. */
export const load: PageServerLoad = async (event) => {
	const user = await guardUser(event);
	const { team } = await event.parent();
	const [tasks, followUps] = await Promise.all([
		myTasks(event.locals.supabase, team.team_id, user.id).then(must),
		listFollowUps(event.locals.supabase, team.team_id, { assigneeId: user.id, open: true }).then(
			must
		)
	]);
	return {
		today: new Date().toISOString().slice(0, 10),
		tasks: tasks.map((t) => ({
			id: t.id,
			title: t.title,
			status: t.status,
			due_on: t.due_on,
			initiative: t.initiative ? { id: t.initiative.id, title: t.initiative.title } : null
		})),
		followUps: followUps.map((f) => ({ id: f.id, title: f.title, due_on: f.due_on }))
	};
};
