import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { team } = await parent();
	// The download is for leaders (RLS would hand others a partial archive).
	if (team.role !== 'leader') error(403, m.archive_export_leaders_only());
	return {};
};
