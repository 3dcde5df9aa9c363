-- What the invitation page needs before someone joins, which the teams migration lacks:
-- - the team agreement must be read and accepted as part of joining, but team_agreements is
--   members-only, so an invitee could not read it until after joining;
-- - the page should say up front when a signed-in visitor cannot use the link (sent to another
--   address, already a member — with a link to the team), rather than only after they press Join.

create or replace function public.invitation_agreement(token text)
returns table (
	team_id uuid,
	problem text,
	agreement_version int,
	agreement_purpose text,
	agreement_ground_rules text,
	agreement_published_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	inv public.invitations;
	t public.teams;
	my_email text;
	a public.team_agreements;
begin
	select * into inv from public.invitations i
	where i.token_hash = private.hash_token(invitation_agreement.token);
	if inv.id is null then
		return;
	end if;
	select * into t from public.teams x where x.id = inv.team_id;
	-- A member already sees the team; the id lets the page link to it.
	if exists (select 1 from public.team_members m where m.team_id = t.id and m.user_id = uid) then
		return query select t.id, 'you are already in this team'::text,
			null::int, null::text, null::text, null::timestamptz;
		return;
	end if;
	select lower(u.email) into my_email from auth.users u where u.id = uid;
	if inv.email is not null and inv.email is distinct from my_email then
		return query select null::uuid,
			format('this invitation was sent to %s; sign in with that address', private.mask_email(inv.email)),
			null::int, null::text, null::text, null::timestamptz;
		return;
	end if;
	-- The agreement is team content: shown only to someone who could join with this link now.
	if inv.status <> 'pending' or inv.expires_at <= now() or inv.use_count >= inv.max_uses
		or t.archived_at is not null then
		return;
	end if;
	select * into a from public.team_agreements x where x.team_id = t.id order by x.version desc limit 1;
	return query select null::uuid, null::text, a.version, a.purpose, a.ground_rules, a.created_at;
end;
$$;
comment on function public.invitation_agreement(text) is
	'Security definer (team_agreements is members-only), signed-in holders of a link only: the current team agreement for someone who can join with this invitation now; or, instead, why they cannot (sent to another address; already a member, with the team id). No row for unknown or unusable links (invitation_preview says why).';

revoke all on function public.invitation_agreement(text) from public, anon;
grant execute on function public.invitation_agreement(text) to authenticated;
