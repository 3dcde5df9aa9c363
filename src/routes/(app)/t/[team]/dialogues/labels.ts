/** Words for the dialogue enums, in the visitor's language. */
import { m } from '$lib/paraglide/messages.js';
import type { DecisionMethod } from '$lib/dialogues/decisions.ts';

type Status = 'scheduled' | 'live' | 'closed' | 'cancelled';
type EmbedKind = 'none' | 'indicator' | 'friction_point' | 'pressure_ranking' | 'follow_ups';

export function statusLabel(status: Status): string {
	return {
		scheduled: m.dialogues_status_scheduled,
		live: m.dialogues_status_live,
		closed: m.dialogues_status_closed,
		cancelled: m.dialogues_status_cancelled
	}[status]();
}

export function methodLabel(method: DecisionMethod): string {
	return {
		consent: m.dialogues_method_consent,
		consensus: m.dialogues_method_consensus,
		fist_to_five: m.dialogues_method_fist_to_five
	}[method]();
}

export function methodHelp(method: DecisionMethod): string {
	return {
		consent: m.dialogues_method_consent_help,
		consensus: m.dialogues_method_consensus_help,
		fist_to_five: m.dialogues_method_fist_to_five_help
	}[method]();
}

export function embedLabel(kind: EmbedKind): string {
	return {
		none: m.dialogues_embed_kind_none,
		indicator: m.dialogues_embed_kind_indicator,
		friction_point: m.dialogues_embed_kind_friction_point,
		pressure_ranking: m.dialogues_embed_kind_pressure_ranking,
		follow_ups: m.dialogues_embed_kind_follow_ups
	}[kind]();
}

/** How a vote reads: fingers on fist to five, yes/no otherwise. */
export function voteLabel(method: DecisionMethod, value: number): string {
	if (method === 'fist_to_five') return m.dialogues_vote_fingers({ count: value });
	return value === 1 ? m.dialogues_vote_yes() : m.dialogues_vote_no();
}
