import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// Only what the header shows; tokens never reach the page.
	return { viewer: locals.user ? { email: locals.user.email ?? '' } : null };
};
