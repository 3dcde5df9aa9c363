import { z } from 'zod';
import { LANGUAGE_CODES } from '$lib/languages.ts';
import { DisplayName } from './auth.ts';

export const Profile = z.object({
	display_name: DisplayName.min(1, 'Enter the name your team will see.'),
	preferred_language: z.enum(LANGUAGE_CODES, { error: 'Choose a language from the list.' })
});

export type ProfileInput = z.infer<typeof Profile>;
