-- Two read functions the organization and referral pages need and the teams migration lacks:
-- - organization_admin_list: an org admin may see organization_admins rows but not the profiles or
--   emails of fellow admins (they share no team), so the admin list would be bare ids.
-- - referral_link_preview: the public referral form must name the team the person agrees to be
--   referred to, and say when a link is dead, before anyone signs in; teams are members-only.

create or replace function public.organization_admin_list(organization_id uuid)
returns table (user_id uuid, display_name text, email text, created_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	if not private.is_org_admin(organization_admin_list.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can see its admins';
	end if;
	return query
	select a.user_id, p.display_name, u.email::text, a.created_at
	from public.organization_admins a
	join auth.users u on u.id = a.user_id
	left join public.profiles p on p.id = a.user_id
	where a.organization_id = organization_admin_list.organization_id
	order by a.created_at, a.user_id;
end;
$$;
comment on function public.organization_admin_list(uuid) is
	'Security definer (reads auth.users emails and profiles of people who share no team), org admins only: who administers the organization, with the email address they were added by.';

create or replace function public.referral_link_preview(referral_code text)
returns table (team_name text, valid boolean, reason text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	t public.teams;
begin
	select * into t from public.teams x
	where x.referral_code = btrim(coalesce(referral_link_preview.referral_code, ''));
	if t.id is null then
		return query select null::text, false, 'this referral link is not valid: ask the team for a new one';
	elsif t.archived_at is not null then
		-- The name stays hidden: a dead link should not keep telling strangers what the team is.
		return query select null::text, false, 'this team is archived and is not taking referrals';
	else
		return query select t.name, true, null::text;
	end if;
end;
$$;
comment on function public.referral_link_preview(text) is
	'Security definer (teams are members-only), anon too: for a referral code, only the open team''s name, or why the link does not work. Same messages as create_referral.';

revoke all on function public.organization_admin_list(uuid), public.referral_link_preview(text)
	from public, anon;
grant execute on function public.organization_admin_list(uuid) to authenticated;
grant execute on function public.referral_link_preview(text) to anon, authenticated;

-- A leader who suggests another team often knows of one they are not in (a team in another
-- organization, a group outside Groundwork): the team id they could pick from is only their own
-- teams, or teams_with_room for org admins. So 'redirected' now takes either a suggested team or a
-- note saying where the person could go. Everything else is as in create_teams.
create or replace function public.decide_referral(
	referral_id uuid,
	status public.referral_status,
	suggested_team_id uuid default null,
	note text default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	ref public.referrals;
	clean_note text := private.clean_text(decide_referral.note, 'the note', 500);
begin
	select * into ref from public.referrals r where r.id = decide_referral.referral_id for update;
	perform private.require_leader(ref.team_id, 'only a team leader can decide on referrals');
	if decide_referral.status is null or decide_referral.status = 'pending' then
		raise exception using errcode = 'P0001', message = 'choose to accept, waitlist, suggest another team or decline';
	end if;
	if decide_referral.status = 'redirected' then
		if decide_referral.suggested_team_id is null and clean_note is null then
			raise exception using errcode = 'P0001', message = 'choose the team to suggest';
		end if;
		if decide_referral.suggested_team_id is not null
			and not exists (select 1 from public.teams t where t.id = decide_referral.suggested_team_id) then
			raise exception using errcode = 'P0001', message = 'choose the team to suggest';
		end if;
		if decide_referral.suggested_team_id = ref.team_id then
			raise exception using errcode = 'P0001', message = 'suggest a team other than this one';
		end if;
	end if;
	update public.referrals r set
		status = decide_referral.status,
		suggested_team_id = case when decide_referral.status = 'redirected' then decide_referral.suggested_team_id end,
		decision_note = clean_note,
		decided_by = uid,
		decided_at = now()
	where r.id = ref.id;
	perform private.log_activity(ref.team_id, 'referral.decided', null, jsonb_build_object('referral_id', ref.id, 'status', decide_referral.status));
end;
$$;
comment on function public.decide_referral(uuid, public.referral_status, uuid, text) is
	'Security definer, leaders of the referral''s team only: accept, waitlist, redirect (with a suggested team or a note saying where) or decline.';
