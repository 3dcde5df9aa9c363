import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isUuid } from '$lib/schemas/agency.ts';
import {
	ActionItemForm,
	AmendmentForm,
	CardForm,
	CloseForm,
	DecisionForm,
	NoteForm,
	PulseForm,
	VoteForm
} from '$lib/schemas/dialogues.ts';
import { fieldErrors, formValues, oneError } from '$lib/schemas/form.ts';
import { current as currentAgreement } from '$lib/server/db/agreements.ts';
import {
	addActionItem,
	addNote,
	amend,
	call,
	getRecord,
	liveEmbed,
	lowerHand,
	raiseHand,
	removeActionItem,
	rsvp,
	vote,
	type Embed,
	type Result
} from '$lib/server/db/dialogues.ts';
import { supabaseConfig } from '$lib/server/supabase.ts';
import { canLead, guardDialogue, people } from '$lib/server/dialogue-pages.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, parent, depends }) => {
	depends('app:dialogue');
	const { team } = await parent();
	const { session, user } = await locals.safeGetSession();
	if (!user || !session || !isUuid(params.dialogue)) error(404, m.error_not_found());
	const [record, members, agreement] = await Promise.all([
		getRecord(locals.supabase, team.team_id, params.dialogue),
		people(locals.supabase, team.team_id),
		currentAgreement(locals.supabase, team.team_id)
	]);
	if (!record) error(404, m.error_not_found());
	const closed = record.dialogue.status === 'closed';
	// Live data until the close; the frozen snapshot after it.
	const embeds: Record<string, Embed | null> = {};
	await Promise.all(
		record.agenda
			.filter((a) => a.embed_kind !== 'none')
			.map(async (a) => {
				embeds[a.id] = closed ? a.snapshot : await liveEmbed(locals.supabase, a.id);
			})
	);
	const { url, anonKey } = supabaseConfig();
	return {
		...record,
		embeds,
		members,
		me: user.id,
		lead: canLead(team.role),
		agreement: agreement
			? { version: agreement.version, ground_rules: agreement.ground_rules }
			: null,
		serverNow: new Date().toISOString(),
		// The user's own short-lived access token, for the browser's realtime connection only (the
		// session cookies are HttpOnly). Never the service key.
		realtime:
			// Also before the start, so waiting members see it go live.
			record.dialogue.status === 'live' || record.dialogue.status === 'scheduled'
				? {
						url,
						anonKey,
						accessToken: session.access_token,
						expiresAt: session.expires_at ?? null
					}
				: null
	};
};

type Event = RequestEvent;

/** The same shape for every refusal: which action, and the errors beside its fields. */
function refused(
	action: string,
	values: Record<string, string>,
	errors: Record<string, string | undefined>
) {
	return fail(400, { action, values, errors });
}

function outcome(
	action: string,
	values: Record<string, string>,
	r: Result<unknown>,
	field = 'form'
) {
	if (r.error !== undefined) {
		return fail(400, { action, values, errors: oneError(field, r.error), code: r.code ?? null });
	}
	return { action, done: true };
}

async function start(event: Event) {
	const { user, dialogue } = await guardDialogue(event);
	const values = formValues(await event.request.formData());
	return { user, dialogue, values, sb: event.locals.supabase, teamId: dialogue.team_id };
}

/** Members connected now, as the facilitator's screen sent them (present_N); team members only. */
function presentFrom(values: Record<string, string>): string[] {
	const ids = (values.present ?? '').split(',').map((s) => s.trim());
	return [...new Set(ids.filter((id) => isUuid(id)))];
}

export const actions: Actions = {
	rsvp: async (event) => {
		const { sb, teamId, dialogue, values, user } = await start(event);
		const response = values.response;
		if (response !== 'yes' && response !== 'maybe' && response !== 'no') {
			return refused('rsvp', values, { form: m.dialogues_error_generic() });
		}
		return outcome('rsvp', values, await rsvp(sb, teamId, dialogue.id, user.id, response));
	},

	facilitate: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const r = await call(sb, 'take_facilitation', {
			dialogue_id: dialogue.id,
			take_over: values.take_over === 'yes'
		});
		return outcome('facilitate', values, r);
	},

	phase: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const position = Number(values.position);
		if (!Number.isInteger(position))
			return refused('phase', values, { form: m.dialogues_error_generic() });
		return outcome(
			'phase',
			values,
			await call(sb, 'set_dialogue_phase', { dialogue_id: dialogue.id, phase_position: position })
		);
	},

	startRound: async (event) => {
		const { sb, dialogue, values } = await start(event);
		return outcome(
			'startRound',
			values,
			await call(sb, 'start_dialogue_round', {
				dialogue_id: dialogue.id,
				members: presentFrom(values)
			})
		);
	},

	nextTurn: async (event) => {
		const { sb, dialogue, values } = await start(event);
		return outcome(
			'nextTurn',
			values,
			await call(sb, 'next_round_turn', {
				dialogue_id: dialogue.id,
				present: values.present === undefined ? null : presentFrom(values)
			})
		);
	},

	callSpeaker: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const userId = isUuid(values.user_id) ? values.user_id : null;
		return outcome(
			'callSpeaker',
			values,
			await call(sb, 'call_speaker', { dialogue_id: dialogue.id, user_id: userId })
		);
	},

	raiseHand: async (event) => {
		const { sb, teamId, dialogue, values } = await start(event);
		return outcome('raiseHand', values, await raiseHand(sb, teamId, dialogue.id));
	},

	lowerHand: async (event) => {
		const { sb, teamId, dialogue, values, user } = await start(event);
		return outcome('lowerHand', values, await lowerHand(sb, teamId, dialogue.id, user.id));
	},

	addCard: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const parsed = CardForm.safeParse(values);
		if (!parsed.success) return refused('addCard', values, fieldErrors(parsed.error));
		return outcome(
			'addCard',
			values,
			await call(sb, 'add_input_card', { dialogue_id: dialogue.id, body: parsed.data.body }),
			'body'
		);
	},

	changeCard: async (event) => {
		const { sb, values } = await start(event);
		const parsed = CardForm.safeParse(values);
		if (!parsed.success || !isUuid(values.card_id)) {
			return refused(
				'changeCard',
				values,
				parsed.success ? { form: m.dialogues_error_generic() } : fieldErrors(parsed.error)
			);
		}
		return outcome(
			'changeCard',
			values,
			await call(sb, 'change_input_card', { card_id: values.card_id, body: parsed.data.body }),
			'body'
		);
	},

	removeCard: async (event) => {
		const { sb, values } = await start(event);
		if (!isUuid(values.card_id))
			return refused('removeCard', values, { form: m.dialogues_error_generic() });
		return outcome(
			'removeCard',
			values,
			await call(sb, 'remove_input_card', { card_id: values.card_id })
		);
	},

	openDecision: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const parsed = DecisionForm.safeParse(values);
		if (!parsed.success) return refused('openDecision', values, fieldErrors(parsed.error));
		return outcome(
			'openDecision',
			values,
			await call(sb, 'open_decision', { dialogue_id: dialogue.id, ...parsed.data }),
			'question'
		);
	},

	closeDecision: async (event) => {
		const { sb, values } = await start(event);
		if (!isUuid(values.decision_id))
			return refused('closeDecision', values, { form: m.dialogues_error_generic() });
		return outcome(
			'closeDecision',
			values,
			await call(sb, 'close_decision', { decision_id: values.decision_id })
		);
	},

	vote: async (event) => {
		const { sb, teamId, values, user } = await start(event);
		const parsed = VoteForm.safeParse(values);
		if (!parsed.success) return refused('vote', values, fieldErrors(parsed.error));
		return outcome(
			'vote',
			values,
			await vote(sb, teamId, parsed.data.decision_id, user.id, parsed.data.value),
			'value'
		);
	},

	addNote: async (event) => {
		const { sb, teamId, dialogue, values } = await start(event);
		const parsed = NoteForm.safeParse(values);
		if (!parsed.success) return refused('addNote', values, fieldErrors(parsed.error));
		return outcome(
			'addNote',
			values,
			await addNote(sb, teamId, dialogue.id, parsed.data.body),
			'body'
		);
	},

	addAction: async (event) => {
		const { sb, teamId, dialogue, values } = await start(event);
		const parsed = ActionItemForm.safeParse(values);
		if (!parsed.success) return refused('addAction', values, fieldErrors(parsed.error));
		const r = await addActionItem(sb, teamId, dialogue.id, parsed.data);
		return outcome(
			'addAction',
			values,
			r,
			/assignee/i.test(r.error ?? '') ? 'assignee_id' : 'form'
		);
	},

	removeAction: async (event) => {
		const { sb, teamId, values } = await start(event);
		if (!isUuid(values.id))
			return refused('removeAction', values, { form: m.dialogues_error_generic() });
		return outcome('removeAction', values, await removeActionItem(sb, teamId, values.id));
	},

	close: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const parsed = CloseForm.safeParse(values);
		if (!parsed.success) return refused('close', values, fieldErrors(parsed.error));
		const r = await call(sb, 'close_dialogue', {
			dialogue_id: dialogue.id,
			present: presentFrom(values),
			summary: parsed.data.summary,
			confirm_unassigned: parsed.data.confirm_unassigned
		});
		return outcome('close', values, r);
	},

	pulse: async (event) => {
		const { sb, dialogue, values } = await start(event);
		const parsed = PulseForm.safeParse(values);
		if (!parsed.success) return refused('pulse', values, fieldErrors(parsed.error));
		return outcome(
			'pulse',
			values,
			await call(sb, 'submit_pulse_check', { dialogue_id: dialogue.id, ...parsed.data })
		);
	},

	amend: async (event) => {
		const { sb, teamId, dialogue, values } = await start(event);
		const parsed = AmendmentForm.safeParse(values);
		if (!parsed.success) return refused('amend', values, fieldErrors(parsed.error));
		return outcome('amend', values, await amend(sb, teamId, dialogue.id, parsed.data.body), 'body');
	}
};
