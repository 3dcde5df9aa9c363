import { computeGap } from '$lib/friction/gap.ts';
import { forceTotals, rankPressurePoints } from '$lib/friction/pressure.ts';
import { buildTree, flatten } from '$lib/friction/tree.ts';
import { isUuid } from '$lib/schemas/agency.ts';
import { listAgencies, listIndicators } from '$lib/server/db/agency.ts';
import {
	listFrictionPoints,
	seriesByIndicator,
	teamGoals,
	teamParts
} from '$lib/server/db/friction.ts';
import { list as listMembers } from '$lib/server/db/members.ts';
import { must } from '$lib/server/agency-pages.ts';
import { assessPoints, indicatorTarget } from '$lib/server/friction-pages.ts';
import type { PageServerLoad } from './$types';

/**
 * The printable friction map: every friction point (or one agency's) with its diagnosis, severity,
 * evidence, causes, ranked pressure points and forces. Sensitive fields (private notes, owners,
 * evidence marked sensitive) are left out unless `?sensitive=1` is chosen.
 */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const s = locals.supabase;
	const agencyParam = url.searchParams.get('agency');
	const agencyId = isUuid(agencyParam) ? agencyParam : null;
	const sensitive = url.searchParams.get('sensitive') === '1';
	const [agencies, points, parts, members, goals, indicators] = await Promise.all([
		listAgencies(s, team.team_id).then(must),
		listFrictionPoints(s, team.team_id, { agencyId }).then(must),
		teamParts(s, team.team_id).then(must),
		listMembers(s, team.team_id),
		teamGoals(s, team.team_id).then(must),
		listIndicators(s, team.team_id).then(must)
	]);
	const assessed = await assessPoints(s, team.team_id, points);
	const evidenceIndicators = [
		...new Set(parts.evidence.flatMap((e) => (e.indicator_id ? [e.indicator_id] : [])))
	];
	const series = must(await seriesByIndicator(s, evidenceIndicators));
	const byIndicator = new Map(indicators.map((i) => [i.id, i]));
	const names = new Map(members.map((mb) => [mb.user_id, mb.display_name]));
	const of = <T extends { friction_point_id: string }>(rows: T[], id: string) =>
		rows.filter((r) => r.friction_point_id === id);

	return {
		sensitive,
		agencyId,
		agencies: agencies.map((a) => ({ value: a.id, label: a.name })),
		generatedAt: new Date().toISOString(),
		points: assessed
			.sort((a, b) => b.assessment.severity.score - a.assessment.severity.score)
			.map((p) => {
				const forces = of(parts.forces, p.id);
				return {
					id: p.id,
					title: p.title,
					agency_name: p.agency_name,
					status: p.status,
					goal_statement: p.goal_statement,
					goal_target: p.goal_target,
					unit: p.indicator?.unit ?? null,
					observed: p.observed,
					affected_who: p.affected_who,
					affected_how: p.affected_how,
					people_affected: p.people_affected,
					severity: p.assessment.severity,
					consecutive_off: p.assessment.gap?.consecutiveOff ?? null,
					relative_gap: p.assessment.gap?.relativeGap ?? null,
					owner_name: sensitive && p.owner_id ? (names.get(p.owner_id) ?? null) : null,
					private_notes: sensitive ? p.private_notes : null,
					evidence: of(parts.evidence, p.id)
						.filter((e) => sensitive || !e.sensitive)
						.map((e) => {
							const indicator = e.indicator_id ? byIndicator.get(e.indicator_id) : undefined;
							const gap = indicator
								? computeGap(
										series.get(indicator.id) ?? [],
										indicator.direction,
										indicatorTarget(goals, indicator.id)
									)
								: null;
							return {
								id: e.id,
								kind: e.kind,
								title: indicator?.name ?? e.title,
								url: e.url,
								document_date: e.document_date,
								body: e.body,
								unit: indicator?.unit ?? null,
								latest: gap?.latest ?? null,
								consecutive_off: gap?.consecutiveOff ?? 0
							};
						}),
					causes: flatten(buildTree(of(parts.causes, p.id))).map((c) => ({
						id: c.id,
						statement: c.statement,
						depth: c.depth
					})),
					pressure: rankPressurePoints(of(parts.pressure, p.id)),
					forces: forces.map((f) => ({
						id: f.id,
						direction: f.direction,
						description: f.description,
						weight: f.weight
					})),
					totals: forceTotals(forces)
				};
			})
	};
};
