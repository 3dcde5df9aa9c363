/** Languages a member can prefer for emails and, later, the interface. Codes are BCP 47. */
export const LANGUAGES = [
	{ code: 'en', label: 'English' },
	{ code: 'es', label: 'Español' },
	{ code: 'fr', label: 'Français' },
	{ code: 'de', label: 'Deutsch' },
	{ code: 'pt', label: 'Português' },
	{ code: 'it', label: 'Italiano' },
	{ code: 'nl', label: 'Nederlands' },
	{ code: 'pl', label: 'Polski' },
	{ code: 'uk', label: 'Українська' },
	{ code: 'ar', label: 'العربية' },
	{ code: 'zh', label: '中文' }
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];
