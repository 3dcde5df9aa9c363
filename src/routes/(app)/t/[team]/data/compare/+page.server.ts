import type { ChartPoint, ChartSeries } from '$lib/charts/series.ts';
import { indicatorSeries, listIndicators } from '$lib/server/db/agency.ts';
import { must, num } from '$lib/server/agency-pages.ts';
import type { PageServerLoad } from './$types';

/** More lines than this stop being readable on one chart (and the palette runs out). */
const MAX_SERIES = 10;

/**
 * A GET form (works without JavaScript, and the URL can be shared with the team): `?i=<id>` once
 * per indicator, `scale=actual|index`. When units differ, the default is the index.
 */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { team } = await parent();
	const indicators = must(await listIndicators(locals.supabase, team.team_id));
	const known = new Map(indicators.map((i) => [i.id, i]));
	const requested = [...new Set(url.searchParams.getAll('i'))].filter((id) => known.has(id));
	const selected = requested.slice(0, MAX_SERIES);

	const series: ChartSeries[] = [];
	if (selected.length > 0) {
		const points = must(await indicatorSeries(locals.supabase, selected));
		const byId = new Map<string, ChartPoint[]>(selected.map((id) => [id, []]));
		for (const p of points) {
			const y = num(p.value);
			if (y === null) continue;
			byId.get(p.indicator_id)?.push({
				x: p.period_end,
				start: p.period_start === p.period_end ? null : p.period_start,
				y,
				note: p.note
			});
		}
		for (const id of selected) {
			const indicator = known.get(id)!;
			series.push({
				label: `${indicator.name} (${indicator.agency_name})`,
				unit: indicator.unit,
				points: byId.get(id) ?? []
			});
		}
	}

	const units = new Set(series.map((s) => (s.unit ?? '').trim().toLowerCase()));
	const scaleParam = url.searchParams.get('scale');
	const scale = scaleParam === 'index' || scaleParam === 'actual' ? scaleParam : null;
	return {
		indicators: indicators.map((i) => ({
			id: i.id,
			name: i.name,
			unit: i.unit,
			agency: i.agency_name
		})),
		selected,
		tooMany: requested.length > MAX_SERIES,
		series,
		unitsDiffer: units.size > 1,
		indexed: scale ? scale === 'index' : units.size > 1,
		maxSeries: MAX_SERIES
	};
};
