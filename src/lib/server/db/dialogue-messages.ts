/**
 * The dialogue functions' refusals in the visitor's language. dialogues.ts passes every database
 * sentence through here; an unknown one is shown as the database wrote it, capitalised.
 */
import { m } from '$lib/paraglide/messages.js';
import { translateDbMessage, type KnownMessages } from './errors.ts';

const KNOWN: KnownMessages = [
	[/^only leaders and organizers schedule dialogues$/, () => m.dialogues_db_schedule_leads()],
	[/^only leaders and organizers facilitate$/, () => m.dialogues_db_facilitate_leads()],
	[/^someone else is facilitating this dialogue$/, () => m.dialogues_db_facilitating()],
	[/^this dialogue is closed: add an amendment instead$/, () => m.dialogues_db_closed()],
	[/^this dialogue is not live$/, () => m.dialogues_db_not_live()],
	[/^that dialogue does not exist$/, () => m.dialogues_db_gone()],
	[
		/^(\d+) action items have no one assigned$/,
		(x) => m.dialogues_db_unassigned({ count: Number(x[1]) })
	],
	[/^nobody is present for a round$/, () => m.dialogues_db_nobody_present()],
	[/^no round is running$/, () => m.dialogues_db_no_round()],
	[/^that hand is no longer raised$/, () => m.dialogues_db_hand_gone()],
	[/^your hand is already up$/, () => m.dialogues_db_hand_up()],
	[/^hands go up once the dialogue is live$/, () => m.dialogues_db_hands_not_live()],
	[/^voting on this decision has closed$/, () => m.dialogues_db_vote_closed()],
	[/^this decision takes yes \(1\) or no \(0\)$/, () => m.dialogues_db_yes_no()],
	[/^that decision does not exist$/, () => m.dialogues_db_decision_gone()],
	[/^that card is not one of yours$/, () => m.dialogues_db_card_not_yours()],
	[/^cards can be (added|changed) while the dialogue is live$/, () => m.dialogues_db_card_live()],
	[/^the card cannot be empty$/, () => m.dialogues_error_card_empty()],
	[/^the pulse check opens when the dialogue closes$/, () => m.dialogues_db_pulse_closed()],
	[/must be a whole number from 1 to 5$/, () => m.dialogues_error_pulse()],
	[/^the assignee must be a member of the team$/, () => m.dialogues_db_assignee()],
	[/^amendments are for closed dialogues/, () => m.dialogues_db_amend_open()],
	[/^you cannot change this dialogue$/, () => m.dialogues_db_not_allowed()],
	[/^that template does not exist$/, () => m.dialogues_db_template_gone()],
	[/^that action item does not exist$/, () => m.dialogues_db_action_gone()],
	[/^that phase is not on the agenda$/, () => m.dialogues_db_phase_missing()],
	[/^that (indicator|friction point) does not exist$/, () => m.dialogues_db_embed_gone()],
	[/^this team is archived/, () => m.dialogues_db_archived()],
	[/^the call link must be a web address/, () => m.dialogues_error_url()],
	[
		/^(.+) can be at most (\d+) characters$/,
		(x) => m.dialogues_error_too_long({ max: Number(x[2]) })
	]
];

export function translateDialogueMessage(text: string): string {
	return translateDbMessage(text, KNOWN);
}
