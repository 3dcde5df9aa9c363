/**
 * A dialogue as a calendar invitation (one VEVENT for src/lib/ics.ts): where, the call link, and
 * the agenda with its time boxes in the description.
 */
import type { CalendarEvent } from '$lib/ics.ts';

export interface InvitationDialogue {
	id: string;
	title: string;
	starts_at: string;
	duration_minutes: number;
	location: string | null;
	call_link: string | null;
	updated_at: string;
}

export function dialogueEvent(
	d: InvitationDialogue,
	agenda: ReadonlyArray<{ title: string; minutes: number }>,
	pageUrl: string
): CalendarEvent {
	const lines = [
		d.call_link ? `${d.call_link}` : null,
		agenda.length
			? agenda.map((a, i) => `${i + 1}. ${a.title} (${a.minutes} min)`).join('\n')
			: null,
		pageUrl
	].filter((l): l is string => !!l);
	return {
		uid: `dialogue-${d.id}@groundwork`,
		summary: d.title,
		description: lines.join('\n\n'),
		location: d.location ?? d.call_link,
		start: d.starts_at,
		durationMinutes: d.duration_minutes,
		updated: d.updated_at,
		url: pageUrl
	};
}
