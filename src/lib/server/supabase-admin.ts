import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { env } from '$env/dynamic/private';
import ws from 'ws';
import { supabaseConfig } from './supabase.ts';

let admin: SupabaseClient | undefined;

/**
 * The service-role client bypasses RLS. It is created on first use, lives only here (never on
 * `locals`), and never sees user cookies: it has no session storage, so it always acts as
 * `service_role`. Use it only for work no user may do (invitations by email, cleanup jobs).
 */
export function getAdminClient(): SupabaseClient {
	if (admin) return admin;
	const key = env.SUPABASE_SERVICE_ROLE_KEY;
	if (!key) throw new Error('SUPABASE_SERVICE_ROLE_KEY is not set.');
	admin = createClient(supabaseConfig().url, key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	return admin;
}
