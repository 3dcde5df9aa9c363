/**
 * Dialogues: templates, scheduling, the live state (through the facilitator functions), anonymous
 * cards, decisions, notes, action items, closing and the pulse check, over the request's Supabase
 * client. RLS and the functions decide (see 20261203000301_create_dialogues.sql). Every write
 * returns `{ data }` or `{ error }` with the sentence to show (dialogue-messages.ts translates it);
 * faults are thrown.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { DecisionMethod } from '$lib/dialogues/decisions.ts';
import { constraintMessage, isUserError, type Result } from './errors.ts';
import { translateDialogueMessage } from './dialogue-messages.ts';

export type { Result } from './errors.ts';

export type DialogueStatus = 'scheduled' | 'live' | 'closed' | 'cancelled';
export type EmbedKind = 'none' | 'indicator' | 'friction_point' | 'pressure_ranking' | 'follow_ups';
export type Rsvp = 'yes' | 'maybe' | 'no';

export interface TemplatePhase {
	title: string;
	minutes: number;
	guidance?: string | null;
	embed_kind?: EmbedKind;
}

export interface DialogueTemplate {
	id: string;
	team_id: string | null;
	key: string | null;
	name: string;
	description: string | null;
	phases: TemplatePhase[];
}

export interface Dialogue {
	id: string;
	team_id: string;
	template_id: string | null;
	title: string;
	starts_at: string;
	duration_minutes: number;
	location: string | null;
	call_link: string | null;
	status: DialogueStatus;
	current_position: number | null;
	phase_started_at: string | null;
	round_order: string[];
	round_index: number | null;
	speaker_id: string | null;
	speaker_since: string | null;
	facilitator_id: string | null;
	facilitator_seen_at: string | null;
	started_at: string | null;
	closed_at: string | null;
	summary: string | null;
	updated_at: string;
}

export interface AgendaItem {
	id: string;
	position: number;
	title: string;
	minutes: number;
	guidance: string | null;
	embed_kind: EmbedKind;
	embed_ref: string | null;
	snapshot: Embed | null;
}

export type Embed =
	| {
			kind: 'indicator';
			id: string;
			name: string;
			unit: string | null;
			direction: 'up' | 'down' | 'target';
			points: Array<{ period_start: string; value: number; target: number | null }>;
	  }
	| {
			kind: 'friction_point';
			id: string;
			title: string;
			status: string;
			observed: string | null;
			goal_statement: string | null;
	  }
	| {
			kind: 'pressure_ranking';
			points: Array<{
				target: string;
				friction_point: string;
				leverage: number;
				achievability: number;
				salience: number;
				score: number;
			}>;
	  }
	| { kind: 'follow_ups'; items: Array<{ title: string; due_on: string }> };

export interface QueueRow {
	id: string;
	user_id: string;
	raised_at: string;
}
export interface TurnRow {
	user_id: string;
	kind: 'round' | 'queue';
	started_at: string;
	ended_at: string | null;
}
export interface Card {
	id: string;
	body: string;
	created_at: string;
}
export interface Note {
	id: string;
	body: string;
	created_by: string | null;
	created_at: string;
}
export interface Decision {
	id: string;
	question: string;
	method: DecisionMethod;
	closed_at: string | null;
	passed: boolean | null;
	result: { votes: number; counts: Record<string, number>; average: number | null } | null;
	decision_votes: Array<{ user_id: string; value: number }>;
}
export interface ActionItem {
	id: string;
	title: string;
	assignee_id: string | null;
	due_on: string | null;
	task_id: string | null;
}
export interface Amendment {
	id: string;
	body: string;
	created_by: string | null;
	created_at: string;
}
export interface Pulse {
	responses: number;
	safe: number | null;
	heard: number | null;
	useful: number | null;
	answered: boolean;
}

/** Everything the dialogue page shows, read in parallel. */
export interface DialogueRecord {
	dialogue: Dialogue;
	agenda: AgendaItem[];
	rsvps: Array<{ user_id: string; response: Rsvp }>;
	attendance: string[];
	queue: QueueRow[];
	turns: TurnRow[];
	cards: Card[];
	myCards: string[];
	notes: Note[];
	decisions: Decision[];
	actions: ActionItem[];
	amendments: Amendment[];
	pulse: Pulse;
}

const CONSTRAINTS: Record<string, string> = {
	speaking_queue_dialogue_id_user_id_key: 'your hand is already up'
};

/** The error as a result for the user, or throws it when it is a fault. */
export function failure(error: unknown): { error: string; code?: string } {
	if (isUserError(error))
		return { error: translateDialogueMessage(error.message), code: error.code };
	const known = constraintMessage(error, CONSTRAINTS);
	if (known) return { error: translateDialogueMessage(known) };
	const e = error as { code?: string } | null;
	if (e?.code === '42501') {
		return { error: translateDialogueMessage('you cannot change this dialogue'), code: '42501' };
	}
	throw error;
}

type Response<T> = { data: T | null; error: unknown };

function result<T>(r: Response<T>): Result<T> {
	if (r.error) return failure(r.error);
	return { data: r.data as T };
}

/** A read that must work for a member: a refusal is a bug, so it throws. */
function must<T>(r: Response<T>): T {
	if (r.error) throw r.error;
	return r.data as T;
}

const DIALOGUE =
	'id, team_id, template_id, title, starts_at, duration_minutes, location, call_link, status, current_position, phase_started_at, round_order, round_index, speaker_id, speaker_since, facilitator_id, facilitator_seen_at, started_at, closed_at, summary, updated_at';

// ----- templates

/** Built-in templates and the team's own copies, built-ins first. */
export async function listTemplates(
	supabase: SupabaseClient,
	teamId: string
): Promise<DialogueTemplate[]> {
	const rows = must(
		await supabase
			.from('dialogue_templates')
			.select('id, team_id, key, name, description, phases')
			.or(`team_id.is.null,team_id.eq.${teamId}`)
			.order('team_id', { ascending: false, nullsFirst: true })
			.order('name')
	) as DialogueTemplate[];
	return rows;
}

export async function getTemplate(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<DialogueTemplate | null> {
	return must(
		await supabase
			.from('dialogue_templates')
			.select('id, team_id, key, name, description, phases')
			.eq('id', id)
			.or(`team_id.is.null,team_id.eq.${teamId}`)
			.maybeSingle()
	) as DialogueTemplate | null;
}

export interface TemplateFields {
	name: string;
	description: string | null;
	phases: TemplatePhase[];
}

export async function saveTemplate(
	supabase: SupabaseClient,
	teamId: string,
	id: string | null,
	fields: TemplateFields
): Promise<Result<{ id: string }>> {
	const r = id
		? await supabase
				.from('dialogue_templates')
				.update(fields)
				.eq('team_id', teamId)
				.eq('id', id)
				.select('id')
		: await supabase
				.from('dialogue_templates')
				.insert({ team_id: teamId, ...fields })
				.select('id');
	if (r.error) return failure(r.error);
	if (!r.data?.length) return { error: translateDialogueMessage('that template does not exist') };
	return { data: r.data[0] as { id: string } };
}

export async function removeTemplate(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<null>> {
	const r = await supabase
		.from('dialogue_templates')
		.delete()
		.eq('team_id', teamId)
		.eq('id', id)
		.select('id');
	if (r.error) return failure(r.error);
	if (!r.data?.length) return { error: translateDialogueMessage('that template does not exist') };
	return { data: null };
}

// ----- dialogues

export async function listDialogues(supabase: SupabaseClient, teamId: string): Promise<Dialogue[]> {
	return must(
		await supabase
			.from('dialogues')
			.select(DIALOGUE)
			.eq('team_id', teamId)
			.order('starts_at', { ascending: false })
			.order('id')
	) as Dialogue[];
}

export interface ScheduleFields {
	template_id: string;
	title: string;
	starts_at: string;
	duration_minutes: number;
	location: string | null;
	call_link: string | null;
	indicator_id: string | null;
	friction_point_id: string | null;
}

export async function scheduleDialogue(
	supabase: SupabaseClient,
	teamId: string,
	fields: ScheduleFields
): Promise<Result<string>> {
	return result(await supabase.rpc('schedule_dialogue', { team_id: teamId, ...fields }));
}

export async function getDialogue(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Dialogue | null> {
	return must(
		await supabase
			.from('dialogues')
			.select(DIALOGUE)
			.eq('team_id', teamId)
			.eq('id', id)
			.maybeSingle()
	) as Dialogue | null;
}

/** The dialogue and all its records, as the member sees them. */
export async function getRecord(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<DialogueRecord | null> {
	const dialogue = await getDialogue(supabase, teamId, id);
	if (!dialogue) return null;
	const scoped = <T>(table: string, columns: string, order = 'created_at') =>
		supabase
			.from(table)
			.select(columns)
			.eq('team_id', teamId)
			.eq('dialogue_id', id)
			.order(order)
			.returns<T[]>();
	const [
		agenda,
		rsvps,
		attendance,
		queue,
		turns,
		cards,
		myCards,
		notes,
		decisions,
		actions,
		amendments,
		pulse
	] = await Promise.all([
		scoped<AgendaItem>(
			'agenda_items',
			'id, position, title, minutes, guidance, embed_kind, embed_ref, snapshot',
			'position'
		),
		scoped<{ user_id: string; response: Rsvp }>(
			'dialogue_rsvps',
			'user_id, response',
			'updated_at'
		),
		scoped<{ user_id: string }>('attendance', 'user_id', 'recorded_at'),
		scoped<QueueRow>('speaking_queue', 'id, user_id, raised_at', 'raised_at'),
		scoped<TurnRow>('turns', 'user_id, kind, started_at, ended_at', 'started_at'),
		scoped<Card>('input_cards', 'id, body, created_at'),
		supabase.rpc('my_input_cards', { dialogue_id: id }),
		scoped<Note>('dialogue_notes', 'id, body, created_by, created_at'),
		scoped<Decision>(
			'decisions',
			'id, question, method, closed_at, passed, result, decision_votes(user_id, value)'
		),
		scoped<ActionItem>('action_items', 'id, title, assignee_id, due_on, task_id'),
		scoped<Amendment>('dialogue_amendments', 'id, body, created_by, created_at'),
		supabase.rpc('dialogue_pulse', { dialogue_id: id }).single<Pulse>()
	]);
	return {
		dialogue,
		agenda: must(agenda),
		rsvps: must(rsvps),
		attendance: must(attendance).map((a) => a.user_id),
		queue: must(queue),
		turns: must(turns),
		cards: must(cards),
		myCards: must(myCards) as string[],
		notes: must(notes),
		decisions: must(decisions),
		actions: must(actions),
		amendments: must(amendments),
		pulse: must(pulse)
	};
}

/** What an agenda item shows now (RLS: the caller's team only). */
export async function liveEmbed(
	supabase: SupabaseClient,
	agendaItemId: string
): Promise<Embed | null> {
	return must(
		await supabase.rpc('dialogue_embed', { agenda_item_id: agendaItemId })
	) as Embed | null;
}

/**
 * Inserts the caller's own row, or changes `patch` on the one they made before. Only those
 * columns may change (no upsert: it would update every column it sends).
 */
async function ownRow(
	supabase: SupabaseClient,
	table: 'dialogue_rsvps' | 'decision_votes',
	row: Record<string, unknown>,
	key: Record<string, string>,
	patch: Record<string, unknown>
): Promise<Result<null>> {
	const made = await supabase.from(table).insert({ ...row, ...patch });
	if (!made.error) return { data: null };
	if ((made.error as { code?: string }).code !== '23505') return failure(made.error);
	const r = await supabase.from(table).update(patch).match(key);
	return r.error ? failure(r.error) : { data: null };
}

export async function rsvp(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string,
	userId: string,
	response: Rsvp
): Promise<Result<null>> {
	return ownRow(
		supabase,
		'dialogue_rsvps',
		{ team_id: teamId, dialogue_id: dialogueId },
		{ dialogue_id: dialogueId, user_id: userId },
		{ response }
	);
}

/** Calls one of the dialogue functions; its sentence on refusal. */
export async function call(
	supabase: SupabaseClient,
	fn:
		| 'take_facilitation'
		| 'set_dialogue_phase'
		| 'start_dialogue_round'
		| 'next_round_turn'
		| 'call_speaker'
		| 'open_decision'
		| 'close_decision'
		| 'add_input_card'
		| 'change_input_card'
		| 'remove_input_card'
		| 'close_dialogue'
		| 'submit_pulse_check',
	args: Record<string, unknown>
): Promise<Result<unknown>> {
	return result(await supabase.rpc(fn, args));
}

export async function raiseHand(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string
): Promise<Result<null>> {
	const r = await supabase
		.from('speaking_queue')
		.insert({ team_id: teamId, dialogue_id: dialogueId });
	return r.error ? failure(r.error) : { data: null };
}

export async function lowerHand(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string,
	userId: string
): Promise<Result<null>> {
	const r = await supabase
		.from('speaking_queue')
		.delete()
		.eq('team_id', teamId)
		.eq('dialogue_id', dialogueId)
		.eq('user_id', userId);
	return r.error ? failure(r.error) : { data: null };
}

export async function vote(
	supabase: SupabaseClient,
	teamId: string,
	decisionId: string,
	userId: string,
	value: number
): Promise<Result<null>> {
	return ownRow(
		supabase,
		'decision_votes',
		{ team_id: teamId, decision_id: decisionId },
		{ decision_id: decisionId, user_id: userId },
		{ value }
	);
}

export async function addNote(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string,
	body: string
): Promise<Result<null>> {
	const r = await supabase
		.from('dialogue_notes')
		.insert({ team_id: teamId, dialogue_id: dialogueId, body });
	return r.error ? failure(r.error) : { data: null };
}

export async function addActionItem(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string,
	fields: { title: string; assignee_id: string | null; due_on: string | null }
): Promise<Result<null>> {
	const r = await supabase
		.from('action_items')
		.insert({ team_id: teamId, dialogue_id: dialogueId, ...fields });
	return r.error ? failure(r.error) : { data: null };
}

export async function removeActionItem(
	supabase: SupabaseClient,
	teamId: string,
	id: string
): Promise<Result<null>> {
	const r = await supabase
		.from('action_items')
		.delete()
		.eq('team_id', teamId)
		.eq('id', id)
		.select('id');
	if (r.error) return failure(r.error);
	if (!r.data?.length)
		return { error: translateDialogueMessage('that action item does not exist') };
	return { data: null };
}

export async function amend(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string,
	body: string
): Promise<Result<null>> {
	const r = await supabase
		.from('dialogue_amendments')
		.insert({ team_id: teamId, dialogue_id: dialogueId, body });
	return r.error ? failure(r.error) : { data: null };
}

/** The agenda alone, in order (for the invitation). */
export async function listAgenda(
	supabase: SupabaseClient,
	teamId: string,
	dialogueId: string
): Promise<Array<Pick<AgendaItem, 'position' | 'title' | 'minutes'>>> {
	return must(
		await supabase
			.from('agenda_items')
			.select('position, title, minutes')
			.eq('team_id', teamId)
			.eq('dialogue_id', dialogueId)
			.order('position')
	) as Array<Pick<AgendaItem, 'position' | 'title' | 'minutes'>>;
}
