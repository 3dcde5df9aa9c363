/**
 * Feedback rounds: a team's leaders (or its organization's admins) open them, members answer in
 * the app, clients through a secret link. Answers are never read back; results are averages the
 * database withholds below three answers.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import type { AnswerInput, Audience, RoundInput } from '$lib/schemas/feedback.ts';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';
import { toNumber } from '$lib/org-reports/figures.ts';
import { isUserError, translateDbMessage } from './errors.ts';

export interface FeedbackRound {
	id: string;
	team_id: string;
	audience: Audience;
	title: string;
	closes_on: string | null;
	closed_at: string | null;
	created_at: string;
}

export interface RoundResults {
	responses: number;
	q1: number | null;
	q2: number | null;
	q3: number | null;
	answered: boolean;
}

/** Where each database refusal belongs on the form, and its words. */
const SENTENCES: Array<[RegExp, string, () => string]> = [
	[/^the title cannot be empty$/, 'title', () => m.feedback_error_title()],
	[
		/^the title can be at most (\d+) characters$/,
		'title',
		() => m.feedback_error_title_long({ max: 120 })
	],
	[/^the closing day cannot be in the past$/, 'closes_on', () => m.feedback_error_closes_past()],
	[/^choose who answers/, 'audience', () => m.feedback_error_audience()],
	[
		/^only a team leader or an admin of its organization/,
		'form',
		() => m.feedback_error_not_allowed()
	],
	[/^this team is archived/, 'form', () => m.data_archived()],
	[/^this feedback form is not for you$/, 'form', () => m.feedback_error_not_for_you()],
	[/^this feedback form is closed$/, 'form', () => m.feedback_error_closed()],
	[/^you have already answered this feedback form$/, 'form', () => m.feedback_error_answered()],
	[/^answer the first question/, 'q1', () => m.feedback_error_rating({ n: 1 })],
	[/^answer the second question/, 'q2', () => m.feedback_error_rating({ n: 2 })],
	[/^answer the third question/, 'q3', () => m.feedback_error_rating({ n: 3 })],
	[/^this feedback link is not valid/, 'form', () => m.feedback_error_link()],
	[/^many answers arrived at once/, 'form', () => m.feedback_error_busy()]
];

/** A refusal as field errors for the form, or a rethrow for a real fault. */
export function feedbackErrors(error: unknown): FieldErrors {
	if (!isUserError(error)) throw error;
	for (const [pattern, field, message] of SENTENCES)
		if (pattern.test(error.message)) return oneError(field, message());
	return oneError('form', translateDbMessage(error.message));
}

const ROUND = 'id, team_id, audience, title, closes_on, closed_at, created_at';

export async function listRounds(sb: SupabaseClient, teamId: string): Promise<FeedbackRound[]> {
	const { data, error } = await sb
		.from('feedback_rounds')
		.select(ROUND)
		.eq('team_id', teamId)
		.order('created_at', { ascending: false })
		.returns<FeedbackRound[]>();
	if (error) throw error;
	return data;
}

export async function getRound(
	sb: SupabaseClient,
	teamId: string,
	roundId: string
): Promise<FeedbackRound | null> {
	const { data, error } = await sb
		.from('feedback_rounds')
		.select(ROUND)
		.eq('team_id', teamId)
		.eq('id', roundId)
		.maybeSingle<FeedbackRound>();
	if (error) throw error;
	return data;
}

/** Open while not closed and its closing day (if any) has not passed, like the database says. */
export function isOpen(
	round: Pick<FeedbackRound, 'closed_at' | 'closes_on'>,
	today: string
): boolean {
	return round.closed_at === null && (round.closes_on === null || round.closes_on >= today);
}

export async function roundResults(
	sb: SupabaseClient,
	roundId: string
): Promise<RoundResults | null> {
	const { data, error } = await sb.rpc('feedback_round_results', { round_id: roundId });
	if (error) throw error;
	const row = (data as Array<Record<string, unknown>>)[0];
	if (!row) return null;
	return {
		responses: toNumber(row.responses) ?? 0,
		q1: toNumber(row.q1),
		q2: toNumber(row.q2),
		q3: toNumber(row.q3),
		answered: row.answered === true
	};
}

/** Opens a round; for a client round, returns the secret token (shown once). */
export async function createRound(
	sb: SupabaseClient,
	teamId: string,
	input: RoundInput
): Promise<{ id: string; token: string | null }> {
	const { data, error } = await sb.rpc('create_feedback_round', {
		team_id: teamId,
		audience: input.audience,
		title: input.title,
		closes_on: input.closes_on
	});
	if (error) throw error;
	return (data as Array<{ id: string; token: string | null }>)[0];
}

export async function closeRound(sb: SupabaseClient, roundId: string): Promise<void> {
	const { error } = await sb.rpc('close_feedback_round', { round_id: roundId });
	if (error) throw error;
}

export async function submitMember(
	sb: SupabaseClient,
	roundId: string,
	answers: AnswerInput
): Promise<void> {
	const { error } = await sb.rpc('submit_member_feedback', { round_id: roundId, ...answers });
	if (error) throw error;
}

export interface ClientForm {
	team_name: string;
	title: string;
	open: boolean;
}

/** What a client link is for, or null for a link that is not valid. */
export async function clientForm(sb: SupabaseClient, token: string): Promise<ClientForm | null> {
	const { data, error } = await sb.rpc('client_feedback_form', { token });
	if (error) throw error;
	return (data as ClientForm[])[0] ?? null;
}

export async function submitClient(
	sb: SupabaseClient,
	token: string,
	answers: AnswerInput
): Promise<void> {
	const { error } = await sb.rpc('submit_client_feedback', { token, ...answers });
	if (error) throw error;
}
