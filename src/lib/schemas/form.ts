import type { z } from 'zod';

/** Field name → first message, for showing one plain sentence beside each field. */
export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		out[key] ??= issue.message;
	}
	return out;
}

/** The text fields of a submitted form, as plain strings (files and repeats are not expected). */
export function formValues(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) {
		if (typeof value === 'string') out[key] = value;
	}
	return out;
}

/** One message for one field, typed like `fieldErrors` so every failure has the same shape. */
export function oneError(field: string, message: string): FieldErrors {
	return { [field]: message };
}
