import { sharedPlan } from '$lib/initiatives/plan.ts';
import { getLocale } from '$lib/paraglide/runtime.js';
import { guardInitiative } from '$lib/server/initiative-pages.ts';
import { planSource } from '$lib/server/initiative-plan.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const i = await guardInitiative(event);
	const includeSensitive = event.url.searchParams.get('sensitive') === 'on';
	const source = await planSource(event.locals.supabase, event.params.team, i, getLocale());
	return { plan: sharedPlan(source, includeSensitive), includeSensitive };
};
