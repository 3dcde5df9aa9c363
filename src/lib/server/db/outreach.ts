/**
 * Outreach: interactions (with who was present), their leaders-only confidential notes,
 * commitments, follow-ups and calendar feeds, over the request's Supabase client. RLS decides what
 * each person reads and writes (see the migration); a confidential note is only ever read by
 * `getConfidentialNote`, which the pages call for leaders alone (RLS returns nothing to anyone
 * else anyway). Every function returns `{ data }` or `{ error }`; faults are thrown.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type {
	Atmosphere,
	CommitmentStatus,
	InteractionStatus,
	InteractionType
} from '$lib/schemas/officials.ts';
import type { Result } from './errors.ts';
import { failure, one, result } from './officials.ts';

export interface Interaction {
	id: string;
	team_id: string;
	type: InteractionType;
	status: InteractionStatus;
	occurred_at: string;
	title: string;
	location: string | null;
	purpose: string | null;
	asks: string | null;
	response: string | null;
	next_steps: string | null;
	atmosphere: Atmosphere | null;
	atmosphere_reason: string | null;
	agency_id: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface InteractionWithPeople extends Interaction {
	interaction_participants: Array<{ user_id: string | null; official_id: string | null }>;
}

export type InteractionFields = Pick<
	Interaction,
	| 'type'
	| 'status'
	| 'occurred_at'
	| 'title'
	| 'location'
	| 'purpose'
	| 'asks'
	| 'response'
	| 'next_steps'
	| 'atmosphere'
	| 'atmosphere_reason'
	| 'agency_id'
>;

export interface Commitment {
	id: string;
	team_id: string;
	official_id: string;
	interaction_id: string | null;
	description: string;
	made_on: string;
	due_on: string | null;
	indicator_id: string | null;
	goal_id: string | null;
	status: CommitmentStatus;
	evidence: string | null;
	status_changed_at: string | null;
	created_at: string;
}

export interface FollowUp {
	id: string;
	team_id: string;
	interaction_id: string | null;
	official_id: string | null;
	title: string;
	due_on: string;
	assignee_id: string | null;
	done_at: string | null;
	created_by: string | null;
	created_at: string;
}

const WITH_PEOPLE = '*, interaction_participants(user_id, official_id)';

// ----- interactions

export async function listInteractions(
	supabase: SupabaseClient,
	teamId: string,
	opts: { officialId?: string; limit?: number } = {}
): Promise<Result<InteractionWithPeople[]>> {
	let ids: string[] | null = null;
	if (opts.officialId) {
		const p = await supabase
			.from('interaction_participants')
			.select('interaction_id')
			.eq('team_id', teamId)
			.eq('official_id', opts.officialId);
		if (p.error) return failure(p.error);
		ids = (p.data as Array<{ interaction_id: string }>).map((r) => r.interaction_id);
		if (!ids.length) return { data: [] };
	}
	let q = supabase.from('interactions').select(WITH_PEOPLE).eq('team_id', teamId);
	if (ids) q = q.in('id', ids);
	return result(
		await q
			.order('occurred_at', { ascending: false })
			.limit(opts.limit ?? 1000)
			.returns<InteractionWithPeople[]>()
	);
}

export async function getInteraction(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<InteractionWithPeople | null>> {
	return result(
		await supabase
			.from('interactions')
			.select(WITH_PEOPLE)
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle<InteractionWithPeople>()
	);
}

/** Logs an interaction with who was present and (leaders only) its confidential note, at once. */
export async function logInteraction(
	supabase: SupabaseClient,
	teamId: string,
	fields: InteractionFields,
	people: { memberIds: string[]; officialIds: string[]; confidential: string | null }
): Promise<Result<string>> {
	return result(
		await supabase.rpc('log_interaction', {
			team_id: teamId,
			interaction: fields,
			member_ids: people.memberIds,
			official_ids: people.officialIds,
			confidential: people.confidential
		})
	);
}

export async function updateInteraction(
	supabase: SupabaseClient,
	id: string,
	patch: Partial<InteractionFields>
): Promise<Result<Interaction>> {
	return one(
		await supabase
			.from('interactions')
			.update(patch)
			.eq('id', id)
			.select('*')
			.returns<Interaction[]>(),
		'interaction'
	);
}

export async function deleteInteraction(
	supabase: SupabaseClient,
	id: string
): Promise<Result<{ id: string }>> {
	return one(
		await supabase
			.from('interactions')
			.delete()
			.eq('id', id)
			.select('id')
			.returns<{ id: string }[]>(),
		'interaction'
	);
}

/** The confidential note: for leaders (RLS gives anyone else nothing, so null). */
export async function getConfidentialNote(
	supabase: SupabaseClient,
	interactionId: string
): Promise<Result<string | null>> {
	const r = await supabase
		.from('interaction_confidential_notes')
		.select('body')
		.eq('interaction_id', interactionId)
		.maybeSingle<{ body: string }>();
	if (r.error) return failure(r.error);
	return { data: r.data?.body ?? null };
}

/** Writes (or, with an empty body, removes) the confidential note; leaders only. */
export async function saveConfidentialNote(
	supabase: SupabaseClient,
	teamId: string,
	interactionId: string,
	body: string | null
): Promise<Result<null>> {
	const notes = () => supabase.from('interaction_confidential_notes');
	if (!body) {
		const r = await notes().delete().eq('interaction_id', interactionId);
		if (r.error) return failure(r.error);
		return { data: null };
	}
	// Update, else insert: an upsert would need update rights on the key columns too.
	const updated = await notes()
		.update({ body })
		.eq('interaction_id', interactionId)
		.select('interaction_id');
	if (updated.error) return failure(updated.error);
	if (updated.data.length) return { data: null };
	const r = await notes().insert({ interaction_id: interactionId, team_id: teamId, body });
	if (r.error) return failure(r.error);
	return { data: null };
}

/** Held interactions with each official (for "last contacted"): official id and when. */
export async function contactTimes(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<Array<{ official_id: string | null; occurred_at: string; status: string }>>> {
	const r = await supabase
		.from('interaction_participants')
		.select('official_id, interactions!inner(occurred_at, status)')
		.eq('team_id', teamId)
		.not('official_id', 'is', null)
		.limit(10000)
		.returns<
			Array<{ official_id: string; interactions: { occurred_at: string; status: string } }>
		>();
	if (r.error) return failure(r.error);
	return {
		data: (r.data ?? []).map((p) => ({
			official_id: p.official_id,
			occurred_at: p.interactions.occurred_at,
			status: p.interactions.status
		}))
	};
}

// ----- commitments

export async function listCommitments(
	supabase: SupabaseClient,
	teamId: string,
	by: { officialId?: string; interactionId?: string } = {}
): Promise<Result<Commitment[]>> {
	let q = supabase.from('commitments').select('*').eq('team_id', teamId);
	if (by.officialId) q = q.eq('official_id', by.officialId);
	if (by.interactionId) q = q.eq('interaction_id', by.interactionId);
	return result(await q.order('made_on', { ascending: false }).limit(5000).returns<Commitment[]>());
}

export async function addCommitment(
	supabase: SupabaseClient,
	teamId: string,
	input: Pick<
		Commitment,
		'official_id' | 'description' | 'made_on' | 'due_on' | 'indicator_id' | 'goal_id'
	> & {
		interaction_id: string | null;
	}
): Promise<Result<Commitment>> {
	return result(
		await supabase
			.from('commitments')
			.insert({ ...input, team_id: teamId })
			.select('*')
			.single<Commitment>()
	);
}

export async function setCommitmentStatus(
	supabase: SupabaseClient,
	id: string,
	status: CommitmentStatus,
	evidence: string | null
): Promise<Result<Commitment>> {
	return one(
		await supabase
			.from('commitments')
			.update({ status, evidence })
			.eq('id', id)
			.select('*')
			.returns<Commitment[]>(),
		'commitment'
	);
}

// ----- follow-ups

export async function listFollowUps(
	supabase: SupabaseClient,
	teamId: string,
	by: { officialId?: string; interactionId?: string; assigneeId?: string; open?: boolean } = {}
): Promise<Result<FollowUp[]>> {
	let q = supabase.from('follow_ups').select('*').eq('team_id', teamId);
	if (by.officialId) q = q.eq('official_id', by.officialId);
	if (by.interactionId) q = q.eq('interaction_id', by.interactionId);
	if (by.assigneeId) q = q.eq('assignee_id', by.assigneeId);
	if (by.open) q = q.is('done_at', null);
	return result(await q.order('due_on').order('created_at').limit(5000).returns<FollowUp[]>());
}

export async function addFollowUp(
	supabase: SupabaseClient,
	teamId: string,
	input: Pick<FollowUp, 'title' | 'due_on' | 'assignee_id' | 'official_id' | 'interaction_id'>
): Promise<Result<FollowUp>> {
	return result(
		await supabase
			.from('follow_ups')
			.insert({ ...input, team_id: teamId })
			.select('*')
			.single<FollowUp>()
	);
}

/** Marks a follow-up done (or open again with `done` false). */
export async function setFollowUpDone(
	supabase: SupabaseClient,
	id: string,
	done: boolean
): Promise<Result<FollowUp>> {
	return one(
		await supabase
			.from('follow_ups')
			.update({ done_at: done ? new Date().toISOString() : null })
			.eq('id', id)
			.select('*')
			.returns<FollowUp[]>(),
		'follow-up'
	);
}

// ----- calendar feeds

/** Whether the caller has a live feed for the team (the token itself is never stored). */
export async function hasCalendarFeed(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<boolean>> {
	const r = await supabase
		.from('calendar_feeds')
		.select('id')
		.eq('team_id', teamId)
		.is('revoked_at', null);
	if (r.error) return failure(r.error);
	return { data: (r.data ?? []).length > 0 };
}

/** A new secret token (the old feed, if any, stops working). */
export async function createCalendarFeed(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<string>> {
	return result(await supabase.rpc('create_calendar_feed', { team_id: teamId }));
}

export async function revokeCalendarFeed(
	supabase: SupabaseClient,
	teamId: string
): Promise<Result<null>> {
	const r = await supabase.rpc('revoke_calendar_feed', { team_id: teamId });
	if (r.error) return failure(r.error);
	return { data: null };
}

export interface FeedEvents {
	team_name: string;
	interactions: Array<{
		id: string;
		type: InteractionType;
		title: string;
		occurred_at: string;
		location: string | null;
		purpose: string | null;
		updated_at: string;
		officials: string[];
	}>;
	follow_ups: Array<{
		id: string;
		title: string;
		due_on: string;
		updated_at: string;
		official: string | null;
		interaction: string | null;
	}>;
}

/** The feed's events for a token (anon client), or null for an unknown or revoked token. */
export async function feedEvents(
	supabase: SupabaseClient,
	token: string
): Promise<FeedEvents | null> {
	const r = await supabase.rpc('calendar_feed_events', { token });
	if (r.error) throw r.error;
	return (r.data as FeedEvents | null) ?? null;
}
