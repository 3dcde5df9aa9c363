/**
 * The forms of the data pages: agencies, programs, indicators, goals and measurement notes. Limits
 * match the database's checks; the database still has the last word (and says why in a sentence).
 * Shared by the data home and the agency and indicator pages.
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

export const AGENCY_NAME_MAX = 200;
export const JURISDICTION_MAX = 200;
export const AGENCY_TYPE_MAX = 100;
export const WEBSITE_MAX = 500;
export const NOTES_MAX = 4000;
export const PROGRAM_NAME_MAX = 200;
export const INDICATOR_NAME_MAX = 300;
export const UNIT_MAX = 50;
export const STATEMENT_MAX = 2000;
export const PERIOD_LABEL_MAX = 100;
export const SOURCE_TITLE_MAX = 300;
export const SOURCE_URL_MAX = 1000;
export const NOTE_MAX = 2000;

export const DIRECTIONS = ['up', 'down', 'target'] as const;
export const FREQUENCIES = [
	'day',
	'week',
	'month',
	'quarter',
	'year',
	'fiscal_year',
	'irregular'
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | null | undefined): value is string =>
	typeof value === 'string' && UUID.test(value);

const required = (max: number, empty: () => string) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, { error: empty })
		.max(max, { error: () => m.data_error_too_long({ max }) });

/** Optional text: blank becomes null, so clearing a field clears it in the database. */
const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max, { error: () => m.data_error_too_long({ max }) })
		.optional()
		.transform((v) => v || null);

const optionalUrl = (max: number) =>
	optional(max).refine((v) => v === null || /^https?:\/\/[^\s/]+/i.test(v), {
		error: () => m.data_error_url()
	});

const optionalDate = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || null)
	.refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
		error: () => m.data_error_date()
	});

/** A number as people type it: "1,234.5", "95 %", or with a decimal comma ("92,5"). */
export function parseNumber(text: string): number | null {
	let t = text.trim().replace(/[\s%]/g, '');
	if (t === '') return null;
	if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t) || /^-?\d+,\d+$/.test(t))
		t = t.replace(/\./g, '').replace(',', '.');
	else t = t.replace(/,/g, '');
	if (!/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return Number.NaN;
	return Number(t);
}

const optionalNumber = z
	.string()
	.optional()
	.transform((v) => parseNumber(v ?? ''))
	.refine((v) => v === null || Number.isFinite(v), { error: () => m.data_error_number() });

export const AgencyForm = z.object({
	name: required(AGENCY_NAME_MAX, () => m.data_error_agency_name()),
	jurisdiction: optional(JURISDICTION_MAX),
	type: optional(AGENCY_TYPE_MAX),
	website: optionalUrl(WEBSITE_MAX),
	notes: optional(NOTES_MAX)
});
export type AgencyInput = z.infer<typeof AgencyForm>;

export const ProgramForm = z.object({
	name: required(PROGRAM_NAME_MAX, () => m.data_error_program_name()),
	description: optional(NOTES_MAX)
});
export type ProgramInput = z.infer<typeof ProgramForm>;

export const IndicatorForm = z.object({
	name: required(INDICATOR_NAME_MAX, () => m.data_error_indicator_name()),
	unit: optional(UNIT_MAX),
	direction: z.enum(DIRECTIONS, { error: () => m.data_error_direction() }),
	frequency: z.enum(FREQUENCIES, { error: () => m.data_error_frequency() }),
	description: optional(NOTES_MAX),
	program_id: z
		.string()
		.optional()
		.transform((v) => (v ? v : null))
		.refine((v) => v === null || isUuid(v), { error: () => m.data_error_program() })
});
export type IndicatorInput = z.infer<typeof IndicatorForm>;

export const GoalForm = z.object({
	statement: required(STATEMENT_MAX, () => m.data_error_statement()),
	target_value: optionalNumber,
	target_date: optionalDate,
	period_label: optional(PERIOD_LABEL_MAX),
	source_title: optional(SOURCE_TITLE_MAX),
	source_url: optionalUrl(SOURCE_URL_MAX),
	source_date: optionalDate
});
export type GoalInput = z.infer<typeof GoalForm>;

export const NoteForm = z.object({
	measurement_id: z.coerce
		.number({ error: () => m.data_error_generic() })
		.int()
		.positive(),
	note: optional(NOTE_MAX)
});

export const IdForm = z.object({
	id: z.string().refine(isUuid, { error: () => m.data_error_generic() })
});
