import { guardInitiative } from '$lib/server/initiative-pages.ts';
import type { LayoutServerLoad } from './$types';

/** Every page of an initiative: the initiative as a member sees it, or a 404. */
export const load: LayoutServerLoad = async (event) => {
	const i = await guardInitiative(event);
	return {
		initiative: {
			id: i.id,
			title: i.title,
			status: i.status,
			start_date: i.start_date,
			deadline: i.deadline
		}
	};
};
