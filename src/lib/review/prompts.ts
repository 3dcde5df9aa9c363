/**
 * Group health's gentle prompts, from the last dialogues member by member (what
 * `public.team_health` returns to leaders and organizers) and the team's size. Pure and
 * deterministic, so the rules are tested here and the page only words them.
 *
 * - absent: a member missed the last three closed dialogues held since they joined;
 * - quiet: over the last dialogues they attended, a member took fewer than a third of an even share
 *   of the turns (an even share of a dialogue is its turns divided by the people there);
 * - large: nine members or more, past the 6–8 a small group works best at: consider splitting;
 * - small: fewer than six: consider inviting.
 */

export const ABSENT_AFTER = 3;
export const QUIET_FRACTION = 1 / 3;
/** A member is judged quiet only after this many attended dialogues where anyone spoke. */
export const QUIET_MIN_DIALOGUES = 2;
export const SIZE_MIN = 6;
export const SIZE_MAX = 8;

export interface HealthMember {
	user_id: string;
	name: string | null;
	joined_at: string;
}

export interface RecentDialogue {
	id: string;
	starts_at: string;
	attended: string[];
	/** Turns per user id. */
	turns: Record<string, number>;
}

export type HealthPrompt =
	| { kind: 'absent'; user_id: string; name: string | null; missed: number }
	| { kind: 'quiet'; user_id: string; name: string | null; turns: number; even: number }
	| { kind: 'large'; size: number }
	| { kind: 'small'; size: number };

function newestFirst(a: RecentDialogue, b: RecentDialogue): number {
	return b.starts_at.localeCompare(a.starts_at);
}

/** The member missed each of the last `ABSENT_AFTER` dialogues held since they joined. */
export function absentPrompt(member: HealthMember, recent: RecentDialogue[]): HealthPrompt | null {
	const invited = [...recent]
		.sort(newestFirst)
		.filter((d) => Date.parse(d.starts_at) >= Date.parse(member.joined_at))
		.slice(0, ABSENT_AFTER);
	if (invited.length < ABSENT_AFTER) return null;
	if (invited.some((d) => d.attended.includes(member.user_id))) return null;
	return { kind: 'absent', user_id: member.user_id, name: member.name, missed: invited.length };
}

/** The member was rarely heard in the dialogues they attended (see the module's rules). */
export function quietPrompt(member: HealthMember, recent: RecentDialogue[]): HealthPrompt | null {
	let even = 0;
	let turns = 0;
	let counted = 0;
	for (const d of recent) {
		if (!d.attended.includes(member.user_id)) continue;
		const total = Object.values(d.turns).reduce((n, t) => n + Number(t), 0);
		if (total === 0) continue;
		counted++;
		even += total / Math.max(1, d.attended.length);
		turns += Number(d.turns[member.user_id] ?? 0);
	}
	if (counted < QUIET_MIN_DIALOGUES || turns >= even * QUIET_FRACTION) return null;
	return {
		kind: 'quiet',
		user_id: member.user_id,
		name: member.name,
		turns,
		even: Math.round(even * 10) / 10
	};
}

/** The prompt about the team's size, if it is outside 6–8. */
export function sizePrompt(size: number): HealthPrompt | null {
	if (size > SIZE_MAX) return { kind: 'large', size };
	if (size < SIZE_MIN) return { kind: 'small', size };
	return null;
}

/**
 * Every prompt: the size first, then absences, then quiet members (each list by name). Without
 * `members` (anyone but leaders and organizers) only the size prompt, which names nobody.
 */
export function healthPrompts(
	size: number,
	members: HealthMember[] | null,
	recent: RecentDialogue[] | null
): HealthPrompt[] {
	const out: HealthPrompt[] = [];
	const s = sizePrompt(size);
	if (s) out.push(s);
	if (!members || !recent) return out;
	const absent = members.map((m) => absentPrompt(m, recent)).filter((p) => p !== null);
	const absentIds = new Set(absent.map((p) => (p as { user_id: string }).user_id));
	// Someone who was not there is not also "rarely heard".
	const quiet = members
		.filter((m) => !absentIds.has(m.user_id))
		.map((m) => quietPrompt(m, recent))
		.filter((p) => p !== null);
	return [...out, ...absent, ...quiet];
}
