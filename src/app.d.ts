import type { Session, SupabaseClient, User } from '@supabase/supabase-js';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** One client per request, acting as the signed-in user (RLS applies). */
			supabase: SupabaseClient;
			/**
			 * The session and user, verified by the auth server (cached per request). A cookie that
			 * fails verification (tampered, expired, signed out elsewhere) yields nulls and
			 * `ended: true`, and the cookie is cleared.
			 */
			safeGetSession: () => Promise<{
				session: Session | null;
				user: User | null;
				ended: boolean;
			}>;
			user: User | null;
		}
		interface PageData {
			/** Only what the layout shows; never tokens. */
			viewer: { email: string } | null;
			/** The signed-in user's teams, for the team switcher. */
			myTeams: { id: string; name: string; archived: boolean }[];
		}
	}
}

export {};
