/**
 * Planning a team split, as pure functions: which side each row ends up on, what depends on what,
 * and the first dependencies a plan would tear apart. The wizard shows these before anything is
 * sent; public.split_team() makes the same check in SQL (private.split_conflict) and is the
 * authority.
 */
import type { TeamRole } from '../team-role.ts';

export type { TeamRole };

export type Choice = 'stays' | 'moves' | 'shared';
/** Where a row ends up: the source team, the new team, or both (a shared row is copied). */
export type Side = 'source' | 'new' | 'both';
/** The kinds a leader chooses for, in the wizard's order; only agencies and officials can be shared. */
export const SPLIT_KINDS = [
	'agencies',
	'officials',
	'friction_points',
	'initiatives',
	'tasks'
] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];
export const SHAREABLE: ReadonlySet<SplitKind> = new Set(['agencies', 'officials']);

/** The team's rows and their references, reduced to what decides the sides. */
export interface SplitGraph {
	agencies: Array<{ id: string; name: string }>;
	officials: Array<{ id: string; name: string; agency_id: string | null }>;
	frictionPoints: Array<{
		id: string;
		title: string;
		/** The agency, and the agencies of its indicator, goal and evidence. */
		agency_ids: string[];
		/** Officials named by its pressure points. */
		official_ids: string[];
		interaction_ids: string[];
	}>;
	interactions: Array<{
		id: string;
		title: string;
		agency_id: string | null;
		official_ids: string[];
	}>;
	commitments: Array<{
		id: string;
		description: string;
		official_id: string;
		interaction_id: string | null;
		agency_ids: string[];
	}>;
	followUps: Array<{
		id: string;
		title: string;
		official_id: string | null;
		interaction_id: string | null;
	}>;
	initiatives: Array<{
		id: string;
		title: string;
		/** Its objective's indicator's agency and its target agencies. */
		agency_ids: string[];
		official_ids: string[];
		friction_point_ids: string[];
		interaction_ids: string[];
	}>;
	/** Tasks; those with an initiative follow it, the others are chosen. */
	tasks: Array<{
		id: string;
		title: string;
		initiative_id: string | null;
		interaction_id: string | null;
		follow_up_id: string | null;
	}>;
}

export interface SplitMember {
	user_id: string;
	side: 'source' | 'new';
	role: TeamRole;
}

export interface SplitPlan {
	name: string;
	members: SplitMember[];
	agencies: Record<string, Choice>;
	officials: Record<string, Choice>;
	friction_points: Record<string, Choice>;
	initiatives: Record<string, Choice>;
	tasks: Record<string, Choice>;
}

/** A reference the plan would tear apart: a row on one side citing a row on the other. */
export interface Conflict {
	kind: string;
	label: string;
	side: Side;
	dependsOnKind: string;
	dependsOnLabel: string;
	dependsOnSide: Side;
	/** Whether sharing the depended-on row would solve it (agencies and officials). */
	canShare: boolean;
}

function chosen(choices: Record<string, Choice>, id: string): Side {
	const c = choices[id];
	return c === 'moves' ? 'new' : c === 'shared' ? 'both' : 'source';
}

/** A row on `side` may depend on a row on the same side or on a shared one. */
function compatible(side: Side, dependsOn: Side): boolean {
	return dependsOn === 'both' || side === dependsOn;
}

/** The side of every row the plan decides, directly or through what it belongs to. */
export function sidesOf(graph: SplitGraph, plan: SplitPlan) {
	const agency = new Map(graph.agencies.map((a) => [a.id, chosen(plan.agencies, a.id)]));
	const official = new Map(graph.officials.map((o) => [o.id, chosen(plan.officials, o.id)]));
	const friction = new Map(
		graph.frictionPoints.map(
			(f) => [f.id, chosen(plan.friction_points, f.id) === 'new' ? 'new' : 'source'] as const
		)
	);
	const initiative = new Map(
		graph.initiatives.map(
			(i) => [i.id, chosen(plan.initiatives, i.id) === 'new' ? 'new' : 'source'] as const
		)
	);
	// An interaction goes with the officials met: to the new team when one of them moves there.
	const interaction = new Map(
		graph.interactions.map(
			(i) =>
				[i.id, i.official_ids.some((o) => official.get(o) === 'new') ? 'new' : 'source'] as const
		)
	);
	const ownSide = (o: string | null) => (o && official.get(o) === 'new' ? 'new' : 'source');
	const followUp = new Map(
		graph.followUps.map(
			(f) =>
				[
					f.id,
					f.interaction_id && interaction.has(f.interaction_id)
						? interaction.get(f.interaction_id)!
						: ownSide(f.official_id)
				] as const
		)
	);
	const task = new Map(
		graph.tasks.map(
			(t) =>
				[
					t.id,
					t.initiative_id
						? (initiative.get(t.initiative_id) ?? 'source')
						: chosen(plan.tasks, t.id) === 'new'
							? 'new'
							: 'source'
				] as const
		)
	);
	return { agency, official, friction, initiative, interaction, followUp, task };
}

/** Every dependency the plan would tear apart, friction points first, each once. */
export function conflictsOf(graph: SplitGraph, plan: SplitPlan): Conflict[] {
	const s = sidesOf(graph, plan);
	const names = {
		agency: new Map(graph.agencies.map((a) => [a.id, a.name])),
		official: new Map(graph.officials.map((o) => [o.id, o.name])),
		friction: new Map(graph.frictionPoints.map((f) => [f.id, f.title])),
		interaction: new Map(graph.interactions.map((i) => [i.id, i.title])),
		followUp: new Map(graph.followUps.map((f) => [f.id, f.title]))
	};
	const out: Conflict[] = [];
	const seen = new Set<string>();
	function check(
		kind: string,
		label: string,
		side: Side,
		dependsOnKind: 'agency' | 'official' | 'friction point' | 'interaction' | 'follow-up',
		id: string | null,
		sides: Map<string, Side>,
		labels: Map<string, string>
	) {
		if (!id || !sides.has(id)) return;
		const other = sides.get(id)!;
		if (compatible(side, other)) return;
		const key = `${kind}|${label}|${dependsOnKind}|${id}`;
		if (seen.has(key)) return;
		seen.add(key);
		out.push({
			kind,
			label,
			side,
			dependsOnKind,
			dependsOnLabel: labels.get(id) ?? '',
			dependsOnSide: other,
			canShare: dependsOnKind === 'agency' || dependsOnKind === 'official'
		});
	}
	for (const f of graph.frictionPoints) {
		const side = s.friction.get(f.id)!;
		for (const a of f.agency_ids)
			check('friction point', f.title, side, 'agency', a, s.agency, names.agency);
		for (const o of f.official_ids)
			check('friction point', f.title, side, 'official', o, s.official, names.official);
		for (const i of f.interaction_ids)
			check('friction point', f.title, side, 'interaction', i, s.interaction, names.interaction);
	}
	for (const o of graph.officials) {
		check('official', o.name, s.official.get(o.id)!, 'agency', o.agency_id, s.agency, names.agency);
	}
	for (const i of graph.interactions) {
		const side = s.interaction.get(i.id)!;
		check('interaction', i.title, side, 'agency', i.agency_id, s.agency, names.agency);
		for (const o of i.official_ids)
			check('interaction', i.title, side, 'official', o, s.official, names.official);
	}
	for (const c of graph.commitments) {
		const side: Side = s.official.get(c.official_id) === 'new' ? 'new' : 'source';
		check(
			'commitment',
			c.description,
			side,
			'interaction',
			c.interaction_id,
			s.interaction,
			names.interaction
		);
		for (const a of c.agency_ids)
			check('commitment', c.description, side, 'agency', a, s.agency, names.agency);
	}
	for (const f of graph.followUps) {
		check(
			'follow-up',
			f.title,
			s.followUp.get(f.id)!,
			'official',
			f.official_id,
			s.official,
			names.official
		);
	}
	for (const i of graph.initiatives) {
		const side = s.initiative.get(i.id)!;
		for (const a of i.agency_ids)
			check('initiative', i.title, side, 'agency', a, s.agency, names.agency);
		for (const o of i.official_ids)
			check('initiative', i.title, side, 'official', o, s.official, names.official);
		for (const f of i.friction_point_ids)
			check('initiative', i.title, side, 'friction point', f, s.friction, names.friction);
		for (const x of i.interaction_ids)
			check('initiative', i.title, side, 'interaction', x, s.interaction, names.interaction);
	}
	for (const t of graph.tasks) {
		const side = s.task.get(t.id)!;
		check('task', t.title, side, 'interaction', t.interaction_id, s.interaction, names.interaction);
		check('task', t.title, side, 'follow-up', t.follow_up_id, s.followUp, names.followUp);
	}
	return out;
}

/** Why the members part of a plan cannot be carried out, or null when it can. */
export function memberProblem(
	members: SplitMember[],
	current: readonly string[]
): 'unassigned' | 'nobody_moves' | 'new_needs_leader' | 'source_needs_leader' | null {
	const by = new Map(members.map((m) => [m.user_id, m]));
	if (current.some((id) => !by.has(id))) return 'unassigned';
	const moving = members.filter((m) => m.side === 'new');
	if (moving.length === 0) return 'nobody_moves';
	if (!moving.some((m) => m.role === 'leader')) return 'new_needs_leader';
	if (!members.some((m) => m.side === 'source' && m.role === 'leader'))
		return 'source_needs_leader';
	return null;
}

/** How many of each kind each team will have: moved rows count for the new team, shared for both. */
export function countsOf(graph: SplitGraph, plan: SplitPlan) {
	const s = sidesOf(graph, plan);
	const tally = (sides: Iterable<Side>) => {
		const c = { source: 0, new: 0 };
		for (const side of sides) {
			if (side !== 'new') c.source++;
			if (side !== 'source') c.new++;
		}
		return c;
	};
	return {
		members: tally(plan.members.map((m) => m.side)),
		agencies: tally(s.agency.values()),
		officials: tally(s.official.values()),
		friction_points: tally(s.friction.values()),
		initiatives: tally(s.initiative.values()),
		tasks: tally(s.task.values()),
		interactions: tally(s.interaction.values())
	};
}

/** Six to eight work best: a team of nine or more is worth splitting. */
export const SPLIT_WORTH_IT_AT = 9;

export function splitWorthIt(size: number): boolean {
	return size >= SPLIT_WORTH_IT_AT;
}

/** Seven days after the split, the undo closes. */
export const UNDO_DAYS = 7;

export function undoOpenUntil(createdAt: string): Date {
	return new Date(new Date(createdAt).getTime() + UNDO_DAYS * 86_400_000);
}

export function canStillUndo(createdAt: string, now: Date = new Date()): boolean {
	return now < undoOpenUntil(createdAt);
}
