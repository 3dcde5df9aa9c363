import type { SupabaseClient } from '@supabase/supabase-js';
import type { ProfileInput } from '$lib/schemas/profile.ts';

export interface Profile {
	id: string;
	display_name: string | null;
	preferred_language: string;
}

const COLUMNS = 'id, display_name, preferred_language';

/** The signed-in user's own profile (RLS lets a user read only their own). */
export async function getOwn(supabase: SupabaseClient, userId: string): Promise<Profile | null> {
	const { data, error } = await supabase
		.from('profiles')
		.select(COLUMNS)
		.eq('id', userId)
		.maybeSingle<Profile>();
	if (error) throw error;
	return data;
}

export async function update(
	supabase: SupabaseClient,
	userId: string,
	values: ProfileInput
): Promise<Profile> {
	const { data, error } = await supabase
		.from('profiles')
		.update(values)
		.eq('id', userId)
		.select(COLUMNS)
		.single<Profile>();
	if (error) throw error;
	return data;
}

/** The language switcher's write: only the language, so it never touches the name. */
export async function setPreferredLanguage(
	supabase: SupabaseClient,
	userId: string,
	language: string
): Promise<void> {
	const { error } = await supabase
		.from('profiles')
		.update({ preferred_language: language })
		.eq('id', userId);
	if (error) throw error;
}
