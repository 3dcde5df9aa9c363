import { z } from 'zod';
import { LANGUAGE_CODES } from '$lib/languages.ts';
import { m } from '$lib/paraglide/messages.js';
import { DisplayName } from './auth.ts';

export const Profile = z.object({
	display_name: DisplayName.min(1, { error: () => m.schema_name_required() }),
	preferred_language: z.enum(LANGUAGE_CODES, { error: () => m.schema_language_choose() })
});

export type ProfileInput = z.infer<typeof Profile>;
