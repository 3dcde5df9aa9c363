/**
 * The feedback and report-sharing forms. Limits match the database's checks; the database still
 * has the last word (and says why in a sentence).
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { isDay } from '$lib/org-reports/period.ts';

export const ROUND_TITLE_MAX = 120;
export const REPORT_TITLE_MAX = 120;
export const AUDIENCES = ['member', 'client'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const QUESTIONS = ['q1', 'q2', 'q3'] as const;
export type Question = (typeof QUESTIONS)[number];
export const SECTIONS = ['figures', 'friction_points', 'initiatives', 'feedback'] as const;
export type Section = (typeof SECTIONS)[number];

const title = (max: number) =>
	z
		.string({ error: () => m.feedback_error_title() })
		.trim()
		.min(1, { error: () => m.feedback_error_title() })
		.max(max, { error: () => m.feedback_error_title_long({ max }) });

export const RoundSchema = z.object({
	audience: z.enum(AUDIENCES, { error: () => m.feedback_error_audience() }),
	title: title(ROUND_TITLE_MAX),
	closes_on: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine((v) => v === null || isDay(v), { error: () => m.feedback_error_closes_on() })
		.refine((v) => v === null || v >= new Date().toISOString().slice(0, 10), {
			error: () => m.feedback_error_closes_past()
		})
});
export type RoundInput = z.infer<typeof RoundSchema>;

const rating = (n: 1 | 2 | 3) =>
	z.coerce
		.number({ error: () => m.feedback_error_rating({ n }) })
		.int({ error: () => m.feedback_error_rating({ n }) })
		.min(1, { error: () => m.feedback_error_rating({ n }) })
		.max(5, { error: () => m.feedback_error_rating({ n }) });

/** A missing radio group is absent from the form data: the same message as a bad value. */
export const AnswerSchema = z.object({
	q1: z.preprocess((v) => v ?? '', rating(1)),
	q2: z.preprocess((v) => v ?? '', rating(2)),
	q3: z.preprocess((v) => v ?? '', rating(3))
});
export type AnswerInput = z.infer<typeof AnswerSchema>;

const day = (message: () => string) =>
	z
		.string({ error: message })
		.trim()
		.refine((v) => isDay(v), { error: message });

export const ShareSchema = z
	.object({
		title: title(REPORT_TITLE_MAX),
		sections: z
			.array(z.enum(SECTIONS, { error: () => m.share_error_sections() }))
			.min(1, { error: () => m.share_error_sections() }),
		from: day(() => m.report_error_from_invalid()),
		to: day(() => m.report_error_to_invalid())
	})
	.refine((v) => v.to >= v.from, { path: ['to'], error: () => m.report_error_order() });
export type ShareInput = z.infer<typeof ShareSchema>;
