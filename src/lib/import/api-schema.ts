/**
 * The wizard's JSON endpoint (`/t/[team]/data/import/api`): one POST body per action, checked with
 * zod before anything reaches the database. Shared by the endpoint and its tests.
 */
import { z } from 'zod';
import { MAPPING_FIELDS } from '../csv/mapping.ts';
import { GRAINS } from '../csv/dates.ts';
import { CHUNK_ROWS } from './compact.ts';
import { STORED_ERRORS_MAX } from './report.ts';

const isoDate = z.iso.date();
const uuid = z.uuid();
const name = z.string().max(500);
const grain = z.enum(['day', 'week', ...GRAINS] as [string, ...string[]]);

const PeriodSchema = z.object({ start: isoDate, end: isoDate, grain });

export const MappingSchema = z.object({
	format: z.enum(['long', 'wide']),
	columns: z.partialRecord(z.enum(MAPPING_FIELDS as [string, ...string[]]), name),
	melt: z
		.object({
			by: z.enum(['period', 'indicator']),
			values: z
				.array(
					z.object({
						column: name,
						period: PeriodSchema.optional(),
						indicator: z.string().max(300).optional()
					})
				)
				.max(5000)
		})
		.optional(),
	constants: z
		.object({
			agency: z.string().max(200).optional(),
			program: z.string().max(200).optional(),
			indicator: z.string().max(300).optional(),
			unit: z.string().max(50).optional()
		})
		.optional(),
	settings: z
		.record(
			name,
			z.object({
				decimal: z.enum(['dot', 'comma']).optional(),
				order: z.enum(['mdy', 'dmy']).nullable().optional(),
				fiscal: z.boolean().optional()
			})
		)
		.optional(),
	fiscalYearStartMonth: z.number().int().min(1).max(12).optional()
});

const text = (max: number) => z.string().max(max).nullable();

/** `[agency, program, indicator, period_start, period_end, grain, value, target, unit, note, row_no]` */
export const CompactRowSchema = z.tuple([
	text(200),
	text(200),
	z.string().min(1).max(300),
	isoDate,
	isoDate,
	grain,
	z.number().finite(),
	z.number().finite().nullable(),
	text(50),
	text(2000),
	z.number().int().positive()
]);

const RowErrorSchema = z.object({
	row: z.number().int().nonnegative(),
	column: z.string().max(500).nullable(),
	reason: z.string().max(50),
	value: z.string().max(1000),
	message: z.string().max(2000)
});

export const SIGNATURE = z.string().min(1).max(200);

export const ApiRequest = z.discriminatedUnion('action', [
	// Opened when the check starts, so its rows can be staged as they are read: the counts and
	// the error report are only known at the end (finish), unless the caller already has them.
	z.object({
		action: z.literal('start'),
		file_name: z.string().trim().min(1).max(255),
		mapping: MappingSchema,
		total_rows: z.number().int().nonnegative().optional(),
		rejected: z.number().int().nonnegative().optional(),
		errors: z.array(RowErrorSchema).max(STORED_ERRORS_MAX).optional()
	}),
	/** The check has read the whole file: its counts and the rejected rows, for the history. */
	z.object({
		action: z.literal('finish'),
		import_id: uuid,
		total_rows: z.number().int().nonnegative(),
		rejected: z.number().int().nonnegative(),
		errors: z.array(RowErrorSchema).max(STORED_ERRORS_MAX)
	}),
	z.object({
		action: z.literal('stage'),
		import_id: uuid,
		rows: z.array(CompactRowSchema).min(1).max(CHUNK_ROWS)
	}),
	z.object({ action: z.literal('check'), import_id: uuid }),
	z.object({
		action: z.literal('commit'),
		import_id: uuid,
		create_missing: z.boolean().default(false),
		/** Indicator names the summary links to (looked up after the commit). */
		indicators: z.array(z.string().max(300)).max(200).default([])
	}),
	z.object({ action: z.literal('cancel'), import_id: uuid }),
	z.object({
		action: z.literal('saveMapping'),
		signature: SIGNATURE,
		name: z.string().trim().max(200).optional(),
		mapping: MappingSchema
	}),
	z.object({ action: z.literal('findMapping'), signature: SIGNATURE })
]);

export type ApiRequest = z.infer<typeof ApiRequest>;

/** What check_import returns. */
export interface CheckResult {
	staged: number;
	missing_agencies: string[];
	missing_indicators: { agency: string | null; indicator: string }[];
	inserts: number;
	updates: number;
	unchanged: number;
}

/** What commit_import returns. */
export interface CommitOutcome {
	import_id: string;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	created_agencies: number;
	created_indicators: number;
}

/** The endpoint's answer to a commit: the outcome and links to the indicators it touched. */
export interface CommitResult extends CommitOutcome {
	indicators: { id: string; name: string }[];
}
