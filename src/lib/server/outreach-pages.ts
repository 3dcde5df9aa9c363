/**
 * What the outreach pages share on the server: the signed-in check of every action, who may manage
 * the directory, the team's people as choices, and follow-ups as the lists show them.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { FollowUpItem } from '$lib/outreach/follow-ups.ts';
import type { Goal } from '$lib/server/db/agency.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { teamGoals } from '$lib/server/db/friction.ts';
import {
	addCommitment,
	setCommitmentStatus,
	setFollowUpDone,
	type FollowUp
} from '$lib/server/db/outreach.ts';
import type { TeamRole } from '$lib/team-nav.ts';
import { IdForm, isUuid } from '$lib/schemas/agency.ts';
import { fieldErrors, formValues } from '$lib/schemas/form.ts';
import { CommitmentForm, CommitmentStatusForm } from '$lib/schemas/officials.ts';
import { outreachRefusal } from '$lib/server/db/outreach-messages.ts';
import { overview } from '$lib/server/db/teams.ts';

import { must } from './agency-pages.ts';

export { must };

/** The team's stated goals as choices for a commitment ("the goal it serves"). */
export function goalChoices(
	goals: ReadonlyArray<Pick<Goal, 'id' | 'statement' | 'indicator_id'>>,
	indicatorNames: ReadonlyMap<string, string>
): Array<{ value: string; label: string }> {
	return goals.map((g) => {
		const indicator = indicatorNames.get(g.indicator_id);
		return { value: g.id, label: indicator ? `${g.statement} (${indicator})` : g.statement };
	});
}

/**
 * A commitment that serves a goal is watched through the goal's indicator when none is chosen;
 * a different indicator from the goal's is refused beside the goal.
 */
export function withGoalIndicator<
	T extends { goal_id: string | null; indicator_id: string | null }
>(
	commitment: T,
	goals: ReadonlyArray<Pick<Goal, 'id' | 'indicator_id'>>
): { data: T } | { errors: { goal_id: string } } {
	if (!commitment.goal_id) return { data: commitment };
	const goal = goals.find((g) => g.id === commitment.goal_id);
	if (!goal) return { errors: { goal_id: m.outreach_error_goal() } };
	if (commitment.indicator_id && commitment.indicator_id !== goal.indicator_id)
		return { errors: { goal_id: m.outreach_error_goal_indicator() } };
	return { data: { ...commitment, indicator_id: goal.indicator_id } };
}

/** Leaders and organizers manage the directory, imports and merges (the database checks again). */
export function canManage(role: TeamRole): boolean {
	return role === 'leader' || role === 'organizer';
}

/**
 * Every action's start: the signed-in user (or back to sign-in) and the team as they see it (a 404
 * for anyone outside it), with their role.
 */
export async function actionTeam(event: RequestEvent, back: string) {
	const { user } = await event.locals.safeGetSession();
	if (!user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(back)}&reason=session-ended`);
	const teamId = event.params.team ?? '';
	if (!isUuid(teamId)) error(404, m.error_not_found());
	const team = await overview(event.locals.supabase, teamId);
	if (!team) error(404, m.error_not_found());
	return { user, team };
}

/** A page for leaders and organizers only: a 403 for anyone else. */
export function requireManager(role: TeamRole): void {
	if (!canManage(role)) error(403, m.outreach_managers_only());
}

export interface PersonOption {
	user_id: string;
	name: string;
	role: TeamRole;
}

/** The team's members as choices, named (a member without a display name is "Member 1"…). */
export async function people(supabase: SupabaseClient, teamId: string): Promise<PersonOption[]> {
	const members = await listMembers(supabase, teamId);
	let n = 0;
	return members.map((p) => ({
		user_id: p.user_id,
		role: p.role,
		name: p.display_name ?? m.outreach_member_unnamed({ n: ++n })
	}));
}

/** Follow-ups for a list: names resolved; editable for the assignee, author and managers. */
export function followUpItems(
	followUps: readonly FollowUp[],
	names: ReadonlyMap<string, string>,
	interactionTitles: ReadonlyMap<string, string>,
	viewer: { id: string; role: TeamRole }
): FollowUpItem[] {
	return followUps.map((f) => ({
		id: f.id,
		title: f.title,
		due_on: f.due_on,
		done_at: f.done_at,
		assignee: f.assignee_id ? (names.get(f.assignee_id) ?? null) : null,
		interaction_id: f.interaction_id,
		interaction_title: f.interaction_id ? (interactionTitles.get(f.interaction_id) ?? null) : null,
		editable: canManage(viewer.role) || f.assignee_id === viewer.id || f.created_by === viewer.id
	}));
}

/**
 * The `commitmentStatus` action of the official and interaction pages (after their guard): records
 * a commitment's outcome, then back to `back` with a notice.
 */
/**
 * The add-commitment action of an official's page (who promised is that official) and of an
 * interaction's page (the commitment belongs to the interaction): guard done by the caller, then
 * parse, watch the goal's indicator, write, and back to `back`; refusals beside their fields.
 */
export async function saveCommitment(
	event: RequestEvent,
	teamId: string,
	at: { officialId?: string; interactionId: string | null; back: string }
) {
	const values = formValues(await event.request.formData());
	const parsed = CommitmentForm.safeParse(
		at.officialId ? { ...values, official_id: at.officialId } : values
	);
	if (!parsed.success)
		return fail(400, { action: 'addCommitment', values, errors: fieldErrors(parsed.error) });
	const watched = withGoalIndicator(
		parsed.data,
		must(await teamGoals(event.locals.supabase, teamId))
	);
	if ('errors' in watched)
		return fail(400, { action: 'addCommitment', values, errors: watched.errors });
	const made = await addCommitment(event.locals.supabase, teamId, {
		...watched.data,
		interaction_id: at.interactionId
	});
	if (made.error !== undefined)
		return fail(400, { action: 'addCommitment', values, errors: outreachRefusal(made.error) });
	redirect(303, at.back);
}

export async function saveCommitmentStatus(event: RequestEvent, back: string) {
	const values = formValues(await event.request.formData());
	const parsed = CommitmentStatusForm.safeParse(values);
	if (!parsed.success)
		return fail(400, { action: 'commitmentStatus', values, errors: fieldErrors(parsed.error) });
	const { id, status, evidence } = parsed.data;
	const saved = await setCommitmentStatus(event.locals.supabase, id, status, evidence);
	if (saved.error !== undefined)
		return fail(400, { action: 'commitmentStatus', values, errors: outreachRefusal(saved.error) });
	redirect(303, `${back}?notice=commitment-saved`);
}

/** The `followUpDone` action of every page with a follow-up list (after its guard). */
export async function saveFollowUpDone(event: RequestEvent) {
	const values = formValues(await event.request.formData());
	const id = IdForm.safeParse(values);
	if (!id.success) error(404, m.error_not_found());
	const saved = await setFollowUpDone(event.locals.supabase, id.data.id, values.done === 'yes');
	if (saved.error !== undefined)
		return fail(400, { action: 'followUpDone', values, errors: outreachRefusal(saved.error) });
	return { action: 'followUpDone', saved: true };
}
