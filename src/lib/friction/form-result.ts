/** The values and errors of a named action's failed submission, or empty ones for other forms. */
export interface SentForm {
	action?: string;
	values?: Record<string, string | undefined>;
	errors?: Partial<Record<string, string>>;
}

export function formResult(
	form: SentForm | null | undefined,
	action: string
): { values: Record<string, string | undefined>; errors: Partial<Record<string, string>> } {
	if (form?.action !== action) return { values: {}, errors: {} };
	return { values: form.values ?? {}, errors: form.errors ?? {} };
}
