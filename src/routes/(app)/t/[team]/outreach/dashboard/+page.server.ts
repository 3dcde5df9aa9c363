import {
	coverageGaps,
	keptRate,
	lastContacts,
	overdueFollowUps,
	responseRate,
	weeklyContacts
} from '$lib/outreach/dashboard.ts';
import { daysOverdue, todayUtc } from '$lib/outreach/follow-ups.ts';
import { listOfficials } from '$lib/server/db/officials.ts';
import {
	contactTimes,
	listCommitments,
	listFollowUps,
	listInteractions
} from '$lib/server/db/outreach.ts';
import { must, people, requireManager } from '$lib/server/outreach-pages.ts';
import type { PageServerLoad } from './$types';

/** The organizers' view of the team's outreach: figures only, never confidential sections. */
export const load: PageServerLoad = async ({ locals, parent }) => {
	const { team } = await parent();
	requireManager(team.role);
	const sb = locals.supabase;
	const [interactions, commitments, followUps, officials, contacts, members] = await Promise.all([
		listInteractions(sb, team.team_id).then(must),
		listCommitments(sb, team.team_id).then(must),
		listFollowUps(sb, team.team_id, { open: true }).then(must),
		listOfficials(sb, team.team_id).then(must),
		contactTimes(sb, team.team_id).then(must),
		people(sb, team.team_id)
	]);
	const today = todayUtc();
	const names = new Map(members.map((p) => [p.user_id, p.name]));
	const titles = new Map(interactions.map((i) => [i.id, i.title]));
	const officialNames = new Map(officials.map((o) => [o.id, o.name]));
	return {
		today,
		weekly: weeklyContacts(interactions, today, 12),
		response: responseRate(interactions),
		kept: keptRate(commitments),
		overdue: overdueFollowUps(followUps, today).map((f) => ({
			id: f.id,
			title: f.title,
			due_on: f.due_on,
			days: daysOverdue(f, today),
			assignee: f.assignee_id ? (names.get(f.assignee_id) ?? null) : null,
			official: f.official_id ? (officialNames.get(f.official_id) ?? null) : null,
			interaction_id: f.interaction_id,
			interaction: f.interaction_id ? (titles.get(f.interaction_id) ?? null) : null
		})),
		gaps: coverageGaps(officials, lastContacts(contacts), today).map((g) => ({
			id: g.official.id,
			name: g.official.name,
			influence: g.official.influence,
			gaps: g.gaps
		})),
		highInfluence: officials.filter((o) => (o.influence ?? 0) >= 4).length
	};
};
