import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// The list of teams is on the home page.
export const load: PageServerLoad = async () => {
	redirect(303, '/home');
};
