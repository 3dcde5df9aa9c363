import { error } from '@sveltejs/kit';
import { buildCalendar, type CalendarEvent } from '$lib/ics.ts';
import { isOverdue, todayUtc } from '$lib/outreach/follow-ups.ts';
import { typeLabel } from '$lib/outreach/labels.ts';
import { m } from '$lib/paraglide/messages.js';
import { feedEvents } from '$lib/server/db/outreach.ts';
import type { RequestHandler } from './$types';

/**
 * A member's outreach calendar for calendar apps, which carry no session: the secret token in the
 * URL is the only credential. Outside the signed-in guard; the database's `calendar_feed_events`
 * (security definer, callable by anon) looks the token's hash up and returns only the owner's
 * planned interactions and open follow-ups, never confidential notes. Unknown or revoked: 404.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const token = params.token.replace(/\.ics$/, '');
	if (!/^[0-9a-f]{64}$/.test(token)) error(404, m.error_not_found());
	const feed = await feedEvents(locals.supabase, token);
	if (!feed) error(404, m.error_not_found());
	const today = todayUtc();
	const events: CalendarEvent[] = [
		...feed.interactions.map((i) => ({
			uid: `interaction-${i.id}@groundwork`,
			summary: `${typeLabel(i.type)}: ${i.title}`,
			description: [
				i.officials.length ? m.outreach_with({ names: i.officials.join(', ') }) : null,
				i.purpose
			]
				.filter(Boolean)
				.join('\n\n'),
			location: i.location,
			start: i.occurred_at,
			updated: i.updated_at
		})),
		...feed.follow_ups.map((f) => ({
			uid: `follow-up-${f.id}@groundwork`,
			summary: isOverdue({ due_on: f.due_on, done_at: null }, today)
				? m.outreach_feed_overdue({ title: f.title })
				: m.outreach_feed_follow_up({ title: f.title }),
			description: [f.official, f.interaction].filter(Boolean).join(' · '),
			date: f.due_on,
			updated: f.updated_at
		}))
	];
	const text = buildCalendar(events, { name: m.outreach_feed_name({ team: feed.team_name }) });
	return new Response(text, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
			'X-Robots-Tag': 'noindex'
		}
	});
};
