/**
 * What a host organization sees of its teams' work: aggregate figures per team and period,
 * feedback averages, and the reports team leaders chose to share. Everything comes from security
 * definer functions that return numbers only, or from shared_reports under its policy.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import {
	normaliseFeedback,
	normaliseRows,
	type FeedbackResult,
	type ReportRow,
	type SharedContent
} from '$lib/org-reports/figures.ts';
import type { Period } from '$lib/org-reports/period.ts';
import type { ShareInput, Section } from '$lib/schemas/feedback.ts';
import { oneError, type FieldErrors } from '$lib/schemas/form.ts';
import { isUserError, translateDbMessage } from './errors.ts';

export async function report(
	sb: SupabaseClient,
	organizationId: string,
	period: Period,
	teamId: string | null = null
): Promise<ReportRow[]> {
	const { data, error } = await sb.rpc('organization_report', {
		organization_id: organizationId,
		period_from: period.from,
		period_to: period.to,
		granularity: period.by,
		only_team_id: teamId
	});
	if (error) throw error;
	return normaliseRows(data as Record<string, unknown>[]);
}

export async function feedbackResults(
	sb: SupabaseClient,
	organizationId: string,
	period: Period,
	teamId: string | null = null
): Promise<FeedbackResult[]> {
	const { data, error } = await sb.rpc('organization_feedback_results', {
		organization_id: organizationId,
		period_from: period.from,
		period_to: period.to,
		only_team_id: teamId
	});
	if (error) throw error;
	return normaliseFeedback(data as Record<string, unknown>[]);
}

export interface SharedReport {
	id: string;
	team_id: string;
	organization_id: string;
	title: string;
	period_from: string;
	period_to: string;
	sections: Section[];
	content: SharedContent;
	shared_at: string;
	revoked_at: string | null;
}

const SHARED =
	'id, team_id, organization_id, title, period_from, period_to, sections, content, shared_at, revoked_at';

/** The reports shared with the organization and not revoked (the policy shows admins no others). */
export async function listSharedWithOrg(
	sb: SupabaseClient,
	organizationId: string
): Promise<SharedReport[]> {
	const { data, error } = await sb
		.from('shared_reports')
		.select(SHARED)
		.eq('organization_id', organizationId)
		.is('revoked_at', null)
		.order('shared_at', { ascending: false })
		.returns<SharedReport[]>();
	if (error) throw error;
	return data;
}

/** The team's shared reports, revoked ones too (leaders only, by policy). */
export async function listSharedByTeam(
	sb: SupabaseClient,
	teamId: string
): Promise<SharedReport[]> {
	const { data, error } = await sb
		.from('shared_reports')
		.select(SHARED)
		.eq('team_id', teamId)
		.order('shared_at', { ascending: false })
		.returns<SharedReport[]>();
	if (error) throw error;
	return data;
}

export async function getShared(sb: SupabaseClient, id: string): Promise<SharedReport | null> {
	const { data, error } = await sb
		.from('shared_reports')
		.select(SHARED)
		.eq('id', id)
		.maybeSingle<SharedReport>();
	if (error) throw error;
	return data;
}

export async function previewShared(
	sb: SupabaseClient,
	teamId: string,
	input: Pick<ShareInput, 'sections' | 'from' | 'to'>
): Promise<SharedContent> {
	const { data, error } = await sb.rpc('preview_shared_report', {
		team_id: teamId,
		sections: input.sections,
		period_from: input.from,
		period_to: input.to
	});
	if (error) throw error;
	return data as SharedContent;
}

export async function share(
	sb: SupabaseClient,
	teamId: string,
	input: ShareInput
): Promise<string> {
	const { data, error } = await sb.rpc('share_report', {
		team_id: teamId,
		title: input.title,
		sections: input.sections,
		period_from: input.from,
		period_to: input.to
	});
	if (error) throw error;
	return data as string;
}

export async function revokeShared(sb: SupabaseClient, id: string): Promise<void> {
	const { error } = await sb.rpc('revoke_shared_report', { report_id: id });
	if (error) throw error;
}

const SENTENCES: Array<[RegExp, string, () => string]> = [
	[/^the title cannot be empty$/, 'title', () => m.feedback_error_title()],
	[/^the title can be at most/, 'title', () => m.feedback_error_title_long({ max: 120 })],
	[/^choose at least one part to include$/, 'sections', () => m.share_error_sections()],
	[/^a report cannot include/, 'sections', () => m.share_error_sections()],
	[/^choose the first and last day/, 'from', () => m.report_error_from_invalid()],
	[/^the period must end on or after/, 'to', () => m.report_error_order()],
	[/^a report covers at most ten years$/, 'to', () => m.report_error_too_long()],
	[/^only a team leader can/, 'form', () => m.share_error_leader_only()],
	[/^this team does not belong to an organization/, 'form', () => m.share_error_no_org()]
];

/** A refusal as field errors for the share form, or a rethrow for a real fault. */
export function shareErrors(error: unknown): FieldErrors {
	if (!isUserError(error)) throw error;
	for (const [pattern, field, message] of SENTENCES)
		if (pattern.test(error.message)) return oneError(field, message());
	return oneError('form', translateDbMessage(error.message));
}
