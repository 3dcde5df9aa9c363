/**
 * The report's words: figure names, sizes, audiences, questions and statuses in the visitor's
 * language, and numbers formatted for reading. Shared by the organization's pages, the team's
 * feedback and share pages and the printable report.
 */
import { m } from '$lib/paraglide/messages.js';
import type { CountKey, PulseKey } from '$lib/org-reports/figures.ts';
import type { Audience, Question, Section } from '$lib/schemas/feedback.ts';
import type { ParsedPeriod, PeriodProblem } from '$lib/org-reports/period.ts';

export const FIGURE_LABELS: Record<CountKey | PulseKey | 'average_attendance', () => string> = {
	activity: m.report_figure_activity,
	dialogues_held: m.report_figure_dialogues,
	average_attendance: m.report_figure_attendance,
	friction_found: m.report_figure_friction_found,
	friction_resolved: m.report_figure_friction_resolved,
	commitments_kept: m.report_figure_commitments_kept,
	commitments_broken: m.report_figure_commitments_broken,
	initiatives_won: m.report_figure_initiatives_won,
	pulse_responses: m.report_figure_pulse_responses,
	pulse_safe: m.report_figure_pulse_safe,
	pulse_heard: m.report_figure_pulse_heard,
	pulse_useful: m.report_figure_pulse_useful
};

export function sizeLabel(status: string): string {
	if (status === 'small') return m.org_size_small();
	if (status === 'large') return m.org_size_large();
	return m.org_size_ideal();
}

export function audienceLabel(audience: Audience): string {
	return audience === 'client' ? m.feedback_audience_client() : m.feedback_audience_member();
}

/** The three questions each audience is asked (the same order as q1, q2, q3). */
export function questionLabel(audience: Audience, q: Question): string {
	if (audience === 'client') {
		if (q === 'q1') return m.feedback_client_q1();
		if (q === 'q2') return m.feedback_client_q2();
		return m.feedback_client_q3();
	}
	if (q === 'q1') return m.feedback_member_q1();
	if (q === 'q2') return m.feedback_member_q2();
	return m.feedback_member_q3();
}

export function sectionLabel(section: Section): string {
	if (section === 'figures') return m.share_section_figures();
	if (section === 'friction_points') return m.share_section_friction();
	if (section === 'initiatives') return m.share_section_initiatives();
	return m.share_section_feedback();
}

/** A count or average as text; null (withheld or nothing to average) as the given words. */
export function figureText(value: number | null | undefined, locale: string, none: string): string {
	if (value === null || value === undefined) return none;
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** An average of answers: the figure, or why it is not shown. */
export function averageText(value: number | null, responses: number, locale: string): string {
	if (value !== null) return figureText(value, locale, '');
	return responses === 0 ? m.report_no_answers() : m.report_too_few_answers();
}

const PERIOD_PROBLEMS: Record<PeriodProblem, () => string> = {
	from_invalid: m.report_error_from_invalid,
	to_invalid: m.report_error_to_invalid,
	order: m.report_error_order,
	too_long: m.report_error_too_long,
	by_invalid: m.report_error_by_invalid
};

/** The period form's messages, one per field. */
export function periodErrors(
	problems: ParsedPeriod['problems']
): Partial<Record<'from' | 'to' | 'by', string>> {
	const out: Partial<Record<'from' | 'to' | 'by', string>> = {};
	for (const [field, problem] of Object.entries(problems) as Array<
		['from' | 'to' | 'by', PeriodProblem]
	>)
		out[field] = PERIOD_PROBLEMS[problem]();
	return out;
}
