import { isOverdue, todayUtc } from '$lib/outreach/follow-ups.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import { listFollowUps, listInteractions } from '$lib/server/db/outreach.ts';
import { canManage, must } from '$lib/server/outreach-pages.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { team } = await parent();
	const sb = locals.supabase;
	const [interactions, officials, followUps] = await Promise.all([
		listInteractions(sb, team.team_id).then(must),
		listOfficials(sb, team.team_id).then(must),
		listFollowUps(sb, team.team_id, { open: true }).then(must)
	]);
	const today = todayUtc();
	const names = new Map(officials.map((o) => [o.id, o.name]));
	return {
		interactions: interactions.map((i) => ({
			id: i.id,
			title: i.title,
			type: i.type,
			status: i.status,
			occurred_at: i.occurred_at,
			officials: i.interaction_participants
				.map((p) => (p.official_id ? names.get(p.official_id) : undefined))
				.filter((n): n is string => !!n),
			overdue: followUps.filter((f) => f.interaction_id === i.id && isOverdue(f, today)).length
		})),
		canManage: canManage(team.role)
	};
};
