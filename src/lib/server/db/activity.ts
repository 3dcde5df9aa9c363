import type { SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages.js';
import { roleLabel } from '$lib/roles.ts';
import type { TeamRole } from '$lib/team-nav.ts';

export interface ActivityEntry {
	id: number;
	action: string;
	actor_id: string | null;
	subject_user_id: string | null;
	details: Record<string, unknown>;
	created_at: string;
}

/** One page of the team's log, newest first, and how many entries there are in all. */
export async function list(
	supabase: SupabaseClient,
	teamId: string,
	{ page, perPage }: { page: number; perPage: number }
): Promise<{ entries: ActivityEntry[]; total: number }> {
	const from = (page - 1) * perPage;
	const { data, error, count } = await supabase
		.from('activity_log')
		.select('id, action, actor_id, subject_user_id, details, created_at', { count: 'exact' })
		.eq('team_id', teamId)
		.order('created_at', { ascending: false })
		.order('id', { ascending: false })
		.range(from, from + perPage - 1)
		.returns<ActivityEntry[]>();
	if (error) throw error;
	return { entries: data ?? [], total: count ?? data?.length ?? 0 };
}

/**
 * Display names for the people in some entries. RLS shows teammates' profiles only, so people who
 * left the team (or deleted their account) have no name here and read as "someone".
 */
export async function namesFor(
	supabase: SupabaseClient,
	entries: ActivityEntry[]
): Promise<Map<string, string>> {
	const ids = [
		...new Set(entries.flatMap((e) => [e.actor_id, e.subject_user_id]).filter(Boolean))
	] as string[];
	if (ids.length === 0) return new Map();
	const { data, error } = await supabase.from('profiles').select('id, display_name').in('id', ids);
	if (error) throw error;
	return new Map(
		(data ?? [])
			.filter((p) => p.display_name)
			.map((p) => [p.id as string, p.display_name as string])
	);
}

const FIELD_LABELS: Record<string, () => string> = {
	name: () => m.activity_field_name(),
	purpose: () => m.activity_field_purpose(),
	focus_area: () => m.activity_field_focus_area(),
	size_cap: () => m.activity_field_size_cap(),
	referral_code: () => m.activity_field_referral_code()
};

const REFERRAL_STATUS: Record<string, () => string> = {
	accepted: () => m.activity_referral_accepted(),
	waitlisted: () => m.activity_referral_waitlisted(),
	declined: () => m.activity_referral_declined(),
	redirected: () => m.activity_referral_redirected()
};

/** One entry as a plain sentence in the visitor's language: who did what. */
export function describe(entry: ActivityEntry, names: Map<string, string>): string {
	const name = (id: string | null) =>
		id ? (names.get(id) ?? m.activity_someone()) : m.activity_system();
	const actor = name(entry.actor_id);
	const subject = name(entry.subject_user_id);
	const d = entry.details ?? {};
	const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
	const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
	const role = (k: string) => roleLabel(str(k) as TeamRole);

	switch (entry.action) {
		case 'team.created':
			return m.activity_team_created({ actor });
		case 'team.settings_changed': {
			const fields = Array.isArray(d.fields) ? (d.fields as string[]) : [];
			const list = fields.map((f) => FIELD_LABELS[f]?.() ?? f).join(', ');
			return m.activity_team_settings_changed({ actor, fields: list });
		}
		case 'team.archived':
			return m.activity_team_archived({ actor });
		case 'team.unarchived':
			return m.activity_team_unarchived({ actor });
		case 'team.organization_changed':
			return d.to ? m.activity_team_org_joined({ actor }) : m.activity_team_org_left({ actor });
		case 'member.joined':
			return m.activity_member_joined({ subject, role: role('role') });
		case 'member.role_changed':
			return m.activity_member_role_changed({ actor, subject, from: role('from'), to: role('to') });
		case 'member.left':
			return d.account_deleted
				? m.activity_member_left_deleted()
				: m.activity_member_left({ subject });
		case 'member.removed':
			return m.activity_member_removed({ actor, subject });
		case 'invitation.created':
			return str('email')
				? m.activity_invitation_created({ actor, email: str('email'), role: role('role') })
				: m.activity_invitation_link_created({ actor, uses: num('max_uses') || 1 });
		case 'invitation.resent':
			return m.activity_invitation_resent({ actor, email: str('email') });
		case 'invitation.revoked':
			return str('email')
				? m.activity_invitation_revoked({ actor, email: str('email') })
				: m.activity_invitation_link_revoked({ actor });
		case 'invitation.declined':
			return m.activity_invitation_declined({ email: str('email') || m.activity_someone() });
		case 'invitation.accepted':
			return m.activity_invitation_accepted({ subject: subject, role: role('role') });
		case 'agreement.published':
			return m.activity_agreement_published({ actor, version: num('version') });
		case 'agreement.accepted':
			return m.activity_agreement_accepted({ subject, version: num('version') });
		case 'referral.received':
			return m.activity_referral_received();
		case 'referral.decided':
			return m.activity_referral_decided({
				actor,
				status: REFERRAL_STATUS[str('status')]?.() ?? str('status')
			});
		default:
			return m.activity_other({ actor, action: entry.action });
	}
}
