/**
 * iCalendar (RFC 5545) text for the outreach calendar: a per-member feed and one-event downloads.
 * Pure: text values escaped (§3.3.11), lines folded at 75 octets without splitting a UTF-8
 * character (§3.1), CRLF line ends, UTC date-times or all-day dates.
 */

export interface CalendarEvent {
	/** Globally unique and stable across feed refreshes, so calendar apps update instead of duplicating. */
	uid: string;
	summary: string;
	description?: string | null;
	location?: string | null;
	/** A timed event: start as an ISO instant; `durationMinutes` long (default 60). */
	start?: string;
	durationMinutes?: number;
	/** An all-day event on this date (YYYY-MM-DD), instead of `start`. */
	date?: string;
	/** When the event last changed (ISO instant): DTSTAMP and LAST-MODIFIED. */
	updated: string;
	url?: string | null;
}

export interface CalendarOptions {
	/** The calendar's name, shown by calendar apps (X-WR-CALNAME). */
	name: string;
	/** PRODID: who made the file. */
	productId?: string;
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
	return value
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds a content line to at most 75 octets a line: continuation lines start with one space (which
 * counts toward their 75). Never splits a UTF-8 sequence.
 */
export function foldLine(line: string): string {
	if (encoder.encode(line).length <= 75) return line;
	const parts: string[] = [];
	let current = '';
	let size = 0;
	let limit = 75;
	for (const ch of line) {
		const n = encoder.encode(ch).length;
		if (size + n > limit) {
			parts.push(current);
			current = '';
			size = 0;
			limit = 74;
		}
		current += ch;
		size += n;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

/** An ISO instant as a UTC DATE-TIME: 20261203T181500Z. */
export function utcStamp(iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${iso}`);
	return d
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

/** YYYY-MM-DD as a DATE value, and the day after (an all-day event's DTEND is exclusive). */
function dateValue(day: string, addDays = 0): string {
	const d = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
		throw new RangeError(`not a date: ${day}`);
	}
	d.setUTCDate(d.getUTCDate() + addDays);
	return d.toISOString().slice(0, 10).replace(/-/g, '');
}

function eventLines(event: CalendarEvent): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${escapeText(event.uid)}`,
		`DTSTAMP:${utcStamp(event.updated)}`,
		`LAST-MODIFIED:${utcStamp(event.updated)}`
	];
	if (event.date) {
		lines.push(`DTSTART;VALUE=DATE:${dateValue(event.date)}`);
		lines.push(`DTEND;VALUE=DATE:${dateValue(event.date, 1)}`);
	} else if (event.start) {
		const start = new Date(event.start);
		const end = new Date(start.getTime() + (event.durationMinutes ?? 60) * 60_000);
		lines.push(`DTSTART:${utcStamp(start.toISOString())}`);
		lines.push(`DTEND:${utcStamp(end.toISOString())}`);
	} else {
		throw new RangeError('an event needs a start or a date');
	}
	lines.push(`SUMMARY:${escapeText(event.summary)}`);
	if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
	if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
	if (event.url) lines.push(`URL:${event.url}`);
	lines.push('END:VEVENT');
	return lines;
}

/** A whole VCALENDAR with the events, folded, CRLF-terminated. */
export function buildCalendar(events: readonly CalendarEvent[], options: CalendarOptions): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${options.productId ?? '-//Groundwork//Outreach//EN'}`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(options.name)}`,
		...events.flatMap(eventLines),
		'END:VCALENDAR'
	];
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
