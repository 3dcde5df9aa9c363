import type { PageServerLoad } from './$types';

const NOTICES = new Set(['created']);

export const load: PageServerLoad = async ({ url }) => {
	const notice = url.searchParams.get('notice');
	return { notice: notice && NOTICES.has(notice) ? notice : null };
};
