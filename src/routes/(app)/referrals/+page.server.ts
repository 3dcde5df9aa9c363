import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { mine } from '$lib/server/db/referrals.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = await locals.safeGetSession();
	if (!user) redirect(303, '/sign-in?redirectTo=/referrals');
	return {
		referrals: await mine(locals.supabase),
		notice: url.searchParams.get('notice') === 'sent' ? m.referral_notice_sent() : null
	};
};
