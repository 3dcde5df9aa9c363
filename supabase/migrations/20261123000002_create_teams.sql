-- Teams: small change teams (six to eight people), their host organizations, roles, invitations,
-- agreements, referrals and an activity log. Everything a team records is private to the team.
--
-- Security model:
-- - Deny by default: RLS on every table, policies only `to authenticated`, anon gets nothing but
--   public.invitation_preview (the accept page before sign-in).
-- - Membership checks live in schema `private` (not exposed by the API), as security definer
--   functions so policies do not recurse through team_members' own policy.
-- - Writes that span tables or need a check RLS cannot express are public functions (supabase.rpc),
--   security definer with an empty search_path, each re-checking auth.uid() and the caller's role.
-- - Org admins never get rows from team tables; they call aggregate-only functions.
--
-- Errors the UI shows as they are: SQLSTATE P0001 with a plain message, or one of these custom
-- codes where the UI branches (PostgREST answers both with HTTP 400):
-- - GW001 the invitation cannot be used (unknown token, expired, revoked, declined, used up)
-- - GW002 the invitation was sent to another email address (the UI offers to switch account)
-- - GW003 the caller is already in the team (the UI goes to the team)
-- - GW004 the team is at its size cap

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.team_role as enum ('leader', 'organizer', 'member');
comment on type public.team_role is
	'leader: runs dialogues, manages members, sees confidential notes; organizer: outreach and plans; member.';

create type public.invitation_status as enum ('pending', 'accepted', 'declined', 'revoked', 'expired');
comment on type public.invitation_status is
	'pending until used up, declined, revoked or expired (expires_at passed; swept to expired lazily).';

create type public.referral_status as enum ('pending', 'accepted', 'waitlisted', 'redirected', 'declined');
comment on type public.referral_status is
	'A referral waits (pending), is accepted, waitlisted, redirected to another team or declined by a leader.';

-- ---------------------------------------------------------------------------------------------
-- Private schema: helpers for policies and functions, never exposed by the API
-- ---------------------------------------------------------------------------------------------
create schema if not exists private;
comment on schema private is
	'Helpers for RLS policies and functions. Not in the API''s exposed schemas; authenticated may only execute the policy helpers.';
revoke all on schema private from public, anon, authenticated;
-- Policies run their expressions as the querying role, which therefore needs to reach the helpers.
grant usage on schema private to authenticated;

-- Trims surrounding whitespace and enforces a length, with a message the UI can show as it is.
create or replace function private.clean_text(
	value text,
	label text,
	max_length int,
	required boolean default false
)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	v text := nullif(regexp_replace(coalesce(value, ''), '^\s+|\s+$', '', 'g'), '');
begin
	if v is null and required then
		raise exception using errcode = 'P0001', message = label || ' cannot be empty';
	end if;
	if char_length(v) > max_length then
		raise exception using
			errcode = 'P0001',
			message = format('%s can be at most %s characters', label, max_length);
	end if;
	return v;
end;
$$;
comment on function private.clean_text(text, text, int, boolean) is
	'Trims whitespace (null when nothing is left) and raises "<label> cannot be empty" or "<label> can be at most N characters".';

-- The signed-in user, or an error: every public function starts here.
create or replace function private.require_user()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
	uid uuid := auth.uid();
begin
	if uid is null then
		raise exception using errcode = 'P0001', message = 'you need to sign in first';
	end if;
	return uid;
end;
$$;
comment on function private.require_user() is
	'Returns auth.uid() or raises "you need to sign in first" (service-role calls have no user).';

create or replace function private.normalize_email(email text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	e text := nullif(lower(btrim(coalesce(email, ''))), '');
begin
	if e is null then
		return null;
	end if;
	if char_length(e) > 254 or e !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
		raise exception using errcode = 'P0001', message = 'enter a valid email address';
	end if;
	return e;
end;
$$;
comment on function private.normalize_email(text) is
	'Lower-cases and trims an email address; raises "enter a valid email address" for anything else.';

-- Shows enough of an address for its owner to recognise it: a***@example.org.
create or replace function private.mask_email(email text)
returns text
language sql
immutable
set search_path = ''
as $$
	select case
		when $1 is null then null
		else left($1, 1) || '***' || substr($1, strpos($1, '@'))
	end
$$;
comment on function private.mask_email(text) is 'a***@example.org: recognisable by its owner, useless to anyone else.';

-- 24 random bytes, URL-safe: the secret in an invitation link.
create or replace function private.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
	select translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_')
$$;
comment on function private.new_token() is 'A fresh 32-character URL-safe secret (192 bits).';

create or replace function private.hash_token(token text)
returns text
language sql
immutable
set search_path = ''
as $$
	select encode(extensions.digest(coalesce($1, ''), 'sha256'), 'hex')
$$;
comment on function private.hash_token(text) is
	'sha256 hex of an invitation token: only the hash is stored, so a database leak reveals no links.';

-- A short code people can type or paste (join codes, referral codes).
create or replace function private.new_code()
returns text
language sql
volatile
set search_path = ''
as $$
	select left(translate(encode(extensions.gen_random_bytes(8), 'base64'), '+/', '-_'), 10)
$$;
comment on function private.new_code() is 'A random 10-character URL-safe code (60 bits).';

-- ---------------------------------------------------------------------------------------------
-- Organizations
-- ---------------------------------------------------------------------------------------------
create table public.organizations (
	id uuid primary key default gen_random_uuid(),
	name text not null check (char_length(name) between 1 and 120 and name = btrim(name)),
	description text check (char_length(description) <= 2000),
	join_code text not null unique
		default left(translate(encode(extensions.gen_random_bytes(8), 'base64'), '+/', '-_'), 10),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
comment on table public.organizations is
	'Host organizations (a recovery house, a tenants'' association). Their admins see team health figures, never team content.';
comment on column public.organizations.name is 'Shown to the organization''s admins and to leaders of its teams; 1–120 characters.';
comment on column public.organizations.description is 'Optional, up to 2000 characters.';
comment on column public.organizations.join_code is 'Team leaders enter it to attach their team; admins rotate it with rotate_join_code().';
comment on column public.organizations.created_by is 'Who created it; null once that account is deleted.';
comment on column public.organizations.created_at is 'When it was created.';
comment on column public.organizations.updated_at is 'Last change, stamped by public.set_updated_at().';
create index organizations_created_by_idx on public.organizations (created_by);

create table public.organization_admins (
	organization_id uuid not null references public.organizations (id) on delete cascade,
	user_id uuid not null references auth.users (id) on delete cascade,
	created_at timestamptz not null default now(),
	primary key (organization_id, user_id)
);
comment on table public.organization_admins is
	'Who administers an organization. Managed through create_organization, add_organization_admin and remove_organization_admin.';
comment on column public.organization_admins.organization_id is 'The organization.';
comment on column public.organization_admins.user_id is 'The admin''s account.';
comment on column public.organization_admins.created_at is 'Since when.';
create index organization_admins_user_id_idx on public.organization_admins (user_id);

-- ---------------------------------------------------------------------------------------------
-- Teams and members
-- ---------------------------------------------------------------------------------------------
create table public.teams (
	id uuid primary key default gen_random_uuid(),
	organization_id uuid references public.organizations (id) on delete set null,
	name text not null check (char_length(name) between 1 and 80 and name = btrim(name)),
	purpose text check (char_length(purpose) <= 2000),
	focus_area text check (char_length(focus_area) <= 200),
	size_cap int not null default 12 check (size_cap between 2 and 50),
	archived_at timestamptz,
	referral_code text not null unique
		default left(translate(encode(extensions.gen_random_bytes(8), 'base64'), '+/', '-_'), 10),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
comment on table public.teams is
	'A change team: six to eight people work best; size_cap is the hard limit. Visible to its members only.';
comment on column public.teams.organization_id is 'The host organization, if any; set with attach_team_to_organization().';
comment on column public.teams.name is 'Trimmed, 1–80 characters.';
comment on column public.teams.purpose is 'What the team is for, up to 2000 characters.';
comment on column public.teams.focus_area is 'Focus area or jurisdiction, up to 200 characters.';
comment on column public.teams.size_cap is 'Joining stops at this many members (2–50, default 12).';
comment on column public.teams.archived_at is 'Set when archived (reversible); archived teams stay readable by their members but take no one new.';
comment on column public.teams.referral_code is 'Anyone with it can refer a person to the team (create_referral); leaders rotate it.';
comment on column public.teams.created_by is 'Who created it; null once that account is deleted.';
comment on column public.teams.created_at is 'When it was created.';
comment on column public.teams.updated_at is 'Last change, stamped by public.set_updated_at().';
create index teams_organization_id_idx on public.teams (organization_id);
create index teams_created_by_idx on public.teams (created_by);

create table public.team_members (
	team_id uuid not null references public.teams (id) on delete cascade,
	user_id uuid not null references auth.users (id) on delete cascade,
	role public.team_role not null default 'member',
	joined_at timestamptz not null default now(),
	primary key (team_id, user_id),
	-- A second key on the same column, so the API can embed profiles (display names) in member lists.
	constraint team_members_user_id_profiles_fkey
		foreign key (user_id) references public.profiles (id) on delete cascade
);
comment on table public.team_members is
	'Who is in which team with which role. Every team keeps at least one leader. Changed through functions only.';
comment on column public.team_members.team_id is 'The team.';
comment on column public.team_members.user_id is 'The member''s account (and profile, for display names).';
comment on column public.team_members.role is 'leader, organizer or member.';
comment on column public.team_members.joined_at is 'When they joined.';
create index team_members_user_id_idx on public.team_members (user_id);
create index team_members_team_id_role_idx on public.team_members (team_id, role);

-- ---------------------------------------------------------------------------------------------
-- Invitations
-- ---------------------------------------------------------------------------------------------
create table public.invitations (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	email text check (email is null or (email = lower(btrim(email)) and char_length(email) between 3 and 254)),
	role public.team_role not null default 'member',
	token_hash text not null unique,
	expires_at timestamptz not null,
	max_uses int not null default 1 check (max_uses between 1 and 50),
	use_count int not null default 0 check (use_count >= 0 and use_count <= max_uses),
	status public.invitation_status not null default 'pending',
	invited_by uuid references auth.users (id) on delete set null,
	last_sent_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint invitations_link_is_never_leader check (email is not null or role <> 'leader'),
	constraint invitations_email_is_single_use check (email is null or max_uses = 1)
);
comment on table public.invitations is
	'Email invitations (email set, single use) and shareable links (email null, up to 50 uses). Only a sha256 of the secret token is stored.';
comment on column public.invitations.team_id is 'The team the invitation is for.';
comment on column public.invitations.email is 'Lower-cased address it was sent to; null for a shareable link.';
comment on column public.invitations.role is 'Role given on joining; never leader through a link.';
comment on column public.invitations.token_hash is 'sha256 hex of the secret in the link; the token itself is returned once and never stored.';
comment on column public.invitations.expires_at is 'After this the invitation cannot be used.';
comment on column public.invitations.max_uses is 'How many people may join with it (1 for email invitations).';
comment on column public.invitations.use_count is 'How many have joined with it.';
comment on column public.invitations.status is 'pending, accepted (used up), declined, revoked or expired.';
comment on column public.invitations.invited_by is 'The leader who created it.';
comment on column public.invitations.last_sent_at is 'When the email was last sent (rate-limits resending); null for links.';
comment on column public.invitations.created_at is 'When it was created.';
comment on column public.invitations.updated_at is 'Last change, stamped by public.set_updated_at().';
create index invitations_team_id_idx on public.invitations (team_id, status);
create index invitations_invited_by_idx on public.invitations (invited_by);
create unique index invitations_one_pending_per_email
	on public.invitations (team_id, lower(email))
	where status = 'pending' and email is not null;

-- ---------------------------------------------------------------------------------------------
-- Agreements
-- ---------------------------------------------------------------------------------------------
create table public.team_agreements (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	version int not null check (version >= 1),
	purpose text check (char_length(purpose) <= 2000),
	ground_rules text not null check (char_length(ground_rules) between 1 and 5000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	unique (team_id, version)
);
comment on table public.team_agreements is
	'The team''s charter, versioned: each change is a new version that every member accepts again. Shown at the start of each dialogue.';
comment on column public.team_agreements.team_id is 'The team.';
comment on column public.team_agreements.version is '1, 2, …; the highest is current.';
comment on column public.team_agreements.purpose is 'Why the team exists, up to 2000 characters.';
comment on column public.team_agreements.ground_rules is 'Confidentiality, taking turns, …; 1–5000 characters.';
comment on column public.team_agreements.created_by is 'The leader who published it.';
comment on column public.team_agreements.created_at is 'When it was published.';
create index team_agreements_created_by_idx on public.team_agreements (created_by);

create table public.agreement_acceptances (
	team_id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	version int not null,
	accepted_at timestamptz not null default now(),
	primary key (team_id, user_id, version),
	foreign key (team_id, version) references public.team_agreements (team_id, version) on delete cascade,
	foreign key (team_id) references public.teams (id) on delete cascade
);
comment on table public.agreement_acceptances is 'Who accepted which version of their team''s agreement.';
comment on column public.agreement_acceptances.team_id is 'The team.';
comment on column public.agreement_acceptances.user_id is 'The member who accepted.';
comment on column public.agreement_acceptances.version is 'The agreement version accepted.';
comment on column public.agreement_acceptances.accepted_at is 'When.';
create index agreement_acceptances_user_id_idx on public.agreement_acceptances (user_id);
create index agreement_acceptances_team_id_version_idx on public.agreement_acceptances (team_id, version);

-- ---------------------------------------------------------------------------------------------
-- Referrals
-- ---------------------------------------------------------------------------------------------
create table public.referrals (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	person_name text not null check (char_length(person_name) between 1 and 120),
	person_email text check (person_email is null or char_length(person_email) <= 254),
	person_contact_note text check (char_length(person_contact_note) <= 500),
	consent boolean not null check (consent),
	referred_by uuid default auth.uid() references auth.users (id) on delete set null,
	referring_org_id uuid references public.organizations (id) on delete set null,
	status public.referral_status not null default 'pending',
	suggested_team_id uuid references public.teams (id) on delete set null,
	decision_note text check (char_length(decision_note) <= 500),
	decided_by uuid references auth.users (id) on delete set null,
	decided_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
comment on table public.referrals is
	'A person referred to a team with their consent. The team''s leaders decide; the referrer sees only the status (my_referrals).';
comment on column public.referrals.team_id is 'The team the person is referred to.';
comment on column public.referrals.person_name is 'How the person wants to be called, 1–120 characters.';
comment on column public.referrals.person_email is 'Optional address, so a leader can invite them.';
comment on column public.referrals.person_contact_note is 'Optional: how and when to reach them, up to 500 characters.';
comment on column public.referrals.consent is 'Always true: nobody is referred without agreeing to it.';
comment on column public.referrals.referred_by is 'The account that made the referral.';
comment on column public.referrals.referring_org_id is 'The host organization, when its admin made the referral.';
comment on column public.referrals.status is 'pending, accepted, waitlisted, redirected or declined.';
comment on column public.referrals.suggested_team_id is 'Another team suggested when redirected.';
comment on column public.referrals.decision_note is 'The leader''s note to go with the decision, up to 500 characters.';
comment on column public.referrals.decided_by is 'The leader who decided.';
comment on column public.referrals.decided_at is 'When it was decided.';
comment on column public.referrals.created_at is 'When it was made.';
comment on column public.referrals.updated_at is 'Last change, stamped by public.set_updated_at().';
create index referrals_team_id_idx on public.referrals (team_id, status);
create index referrals_referred_by_idx on public.referrals (referred_by);
create index referrals_referring_org_id_idx on public.referrals (referring_org_id);
create index referrals_suggested_team_id_idx on public.referrals (suggested_team_id);
create index referrals_decided_by_idx on public.referrals (decided_by);

-- ---------------------------------------------------------------------------------------------
-- Activity log
-- ---------------------------------------------------------------------------------------------
create table public.activity_log (
	id bigint generated always as identity primary key,
	team_id uuid not null references public.teams (id) on delete cascade,
	actor_id uuid references auth.users (id) on delete set null,
	action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
	subject_user_id uuid references auth.users (id) on delete set null,
	details jsonb not null default '{}',
	created_at timestamptz not null default now()
);
comment on table public.activity_log is
	'Membership, role, invitation, agreement, referral and settings changes, written by triggers and functions only; read by the team''s leaders.';
comment on column public.activity_log.team_id is 'The team.';
comment on column public.activity_log.actor_id is 'Who did it; null for the service role or a deleted account.';
comment on column public.activity_log.action is 'e.g. team.created, member.joined, member.role_changed, invitation.created, agreement.published, referral.decided.';
comment on column public.activity_log.subject_user_id is 'The member it was done to, if any.';
comment on column public.activity_log.details is 'Action-specific facts (old and new role, changed fields, …); never team content.';
comment on column public.activity_log.created_at is 'When.';
create index activity_log_team_id_created_at_idx on public.activity_log (team_id, created_at desc);
create index activity_log_actor_id_idx on public.activity_log (actor_id);
create index activity_log_subject_user_id_idx on public.activity_log (subject_user_id);

-- ---------------------------------------------------------------------------------------------
-- Private helpers used by policies (authenticated may execute them)
-- ---------------------------------------------------------------------------------------------
-- Definer rights: they read team_members without its policy, which would otherwise recurse.
create or replace function private.is_team_member(team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1 from public.team_members m
		where m.team_id = $1 and m.user_id = (select auth.uid())
	)
$$;
comment on function private.is_team_member(uuid) is
	'Security definer: true when the current user is a member of the team. Used by policies.';

create or replace function private.has_team_role(team_id uuid, roles public.team_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1 from public.team_members m
		where m.team_id = $1 and m.user_id = (select auth.uid()) and m.role = any ($2)
	)
$$;
comment on function private.has_team_role(uuid, public.team_role[]) is
	'Security definer: true when the current user holds one of the roles in the team. Used by policies and functions.';

create or replace function private.is_org_admin(organization_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1 from public.organization_admins a
		where a.organization_id = $1 and a.user_id = (select auth.uid())
	)
$$;
comment on function private.is_org_admin(uuid) is
	'Security definer: true when the current user administers the organization. Used by policies and functions.';

create or replace function private.team_size(team_id uuid)
returns int
language sql
stable
security definer
set search_path = ''
as $$
	select count(*)::int from public.team_members m where m.team_id = $1
$$;
comment on function private.team_size(uuid) is 'Security definer: the number of members of a team.';

create or replace function private.shares_team_with(user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1
		from public.team_members me
		join public.team_members them on them.team_id = me.team_id
		where me.user_id = (select auth.uid()) and them.user_id = $1
	)
$$;
comment on function private.shares_team_with(uuid) is
	'Security definer: true when the current user and the given user are in a team together (profiles policy).';

-- Members plus pending, unexpired email invitations: the places already promised.
create or replace function private.committed_size(team_id uuid)
returns int
language sql
stable
security definer
set search_path = ''
as $$
	select private.team_size($1) + (
		select count(*)::int from public.invitations i
		where i.team_id = $1 and i.status = 'pending' and i.email is not null and i.expires_at > now()
	)
$$;
comment on function private.committed_size(uuid) is
	'Security definer: members plus pending email invitations, the count the size guidance and cap use.';

create or replace function private.size_status(size int)
returns text
language sql
immutable
set search_path = ''
as $$
	select case when $1 < 6 then 'small' when $1 <= 8 then 'ideal' else 'large' end
$$;
comment on function private.size_status(int) is 'small (< 6), ideal (6–8) or large (> 8).';

-- Written from triggers and definer functions only; clients cannot insert log rows.
create or replace function private.log_activity(
	team_id uuid,
	action text,
	subject_user_id uuid default null,
	details jsonb default '{}'
)
returns void
language sql
security definer
set search_path = ''
as $$
	insert into public.activity_log (team_id, actor_id, action, subject_user_id, details)
	values ($1, auth.uid(), $2, $3, coalesce($4, '{}'))
$$;
comment on function private.log_activity(uuid, text, uuid, jsonb) is
	'Security definer: appends to the activity log as the current user. Not executable by API roles.';

-- Refuses with a message unless the caller is a leader of the team (or the team is not visible).
create or replace function private.require_leader(team_id uuid, message text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	if not private.has_team_role($1, array['leader']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = $2;
	end if;
end;
$$;
comment on function private.require_leader(uuid, text) is
	'Security definer: raises the given message unless the current user leads the team. The same message for a missing team, so ids reveal nothing.';

-- ---------------------------------------------------------------------------------------------
-- Triggers: validation, updated_at, the last-leader invariant and the activity log
-- ---------------------------------------------------------------------------------------------
create trigger organizations_set_updated_at
	before update on public.organizations
	for each row execute function public.set_updated_at();
comment on trigger organizations_set_updated_at on public.organizations is 'Keeps updated_at current.';

create trigger teams_set_updated_at
	before update on public.teams
	for each row execute function public.set_updated_at();
comment on trigger teams_set_updated_at on public.teams is 'Keeps updated_at current.';

create trigger invitations_set_updated_at
	before update on public.invitations
	for each row execute function public.set_updated_at();
comment on trigger invitations_set_updated_at on public.invitations is 'Keeps updated_at current.';

create trigger referrals_set_updated_at
	before update on public.referrals
	for each row execute function public.set_updated_at();
comment on trigger referrals_set_updated_at on public.referrals is 'Keeps updated_at current.';

create or replace function private.organizations_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	new.name := private.clean_text(new.name, 'the organization name', 120, true);
	new.description := private.clean_text(new.description, 'the description', 2000);
	return new;
end;
$$;
comment on function private.organizations_validate() is
	'Trigger function (security definer, to call the private helper as any role): trims name and description and explains what is wrong.';

create trigger organizations_validate
	before insert or update of name, description on public.organizations
	for each row execute function private.organizations_validate();
comment on trigger organizations_validate on public.organizations is 'Clear messages instead of check violations.';

create or replace function private.teams_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	size int;
begin
	new.name := private.clean_text(new.name, 'the team name', 80, true);
	new.purpose := private.clean_text(new.purpose, 'the purpose', 2000);
	new.focus_area := private.clean_text(new.focus_area, 'the focus area', 200);
	if new.size_cap is null or new.size_cap not between 2 and 50 then
		raise exception using errcode = 'P0001', message = 'the size cap must be between 2 and 50';
	end if;
	if tg_op = 'UPDATE' and new.size_cap < old.size_cap then
		size := private.team_size(new.id);
		if new.size_cap < size then
			raise exception using
				errcode = 'P0001',
				message = format('the size cap cannot be below the team''s current size of %s', size);
		end if;
	end if;
	return new;
end;
$$;
comment on function private.teams_validate() is
	'Trigger function (security definer, to count members): trims and checks the settings with messages the UI shows.';

create trigger teams_validate
	before insert or update of name, purpose, focus_area, size_cap on public.teams
	for each row execute function private.teams_validate();
comment on trigger teams_validate on public.teams is 'Clear messages instead of check violations.';

create or replace function private.teams_log()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	changed text[] := array[]::text[];
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.id, 'team.created', null, jsonb_build_object('name', new.name));
		return null;
	end if;
	if new.name is distinct from old.name then changed := array_append(changed, 'name'); end if;
	if new.purpose is distinct from old.purpose then changed := array_append(changed, 'purpose'); end if;
	if new.focus_area is distinct from old.focus_area then changed := array_append(changed, 'focus_area'); end if;
	if new.size_cap is distinct from old.size_cap then changed := array_append(changed, 'size_cap'); end if;
	if new.referral_code is distinct from old.referral_code then changed := array_append(changed, 'referral_code'); end if;
	if cardinality(changed) > 0 then
		perform private.log_activity(new.id, 'team.settings_changed', null, jsonb_build_object('fields', changed));
	end if;
	if old.archived_at is null and new.archived_at is not null then
		perform private.log_activity(new.id, 'team.archived');
	elsif old.archived_at is not null and new.archived_at is null then
		perform private.log_activity(new.id, 'team.unarchived');
	end if;
	if new.organization_id is distinct from old.organization_id then
		perform private.log_activity(
			new.id,
			'team.organization_changed',
			null,
			jsonb_build_object('from', old.organization_id, 'to', new.organization_id)
		);
	end if;
	return null;
end;
$$;
comment on function private.teams_log() is
	'Trigger function (security definer, writes the log): team.created, team.settings_changed (field names only), team.archived/unarchived, team.organization_changed.';

create trigger teams_log
	after insert or update on public.teams
	for each row execute function private.teams_log();
comment on trigger teams_log on public.teams is 'Records team changes in the activity log.';

-- The invariant: a team always has a leader. Checked after each row change, so a hand-over done
-- in one statement, or promote-then-demote in a function, passes.
create or replace function private.team_members_keep_a_leader()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	heir uuid;
begin
	if old.role <> 'leader' then
		return null;
	end if;
	if tg_op = 'UPDATE' and new.role = 'leader' and new.team_id = old.team_id then
		return null;
	end if;
	-- Serialises concurrent role changes in one team (two leaders demoting each other at once),
	-- so the count below sees the other's committed change. No team: it is being deleted.
	perform 1 from public.teams t where t.id = old.team_id for no key update;
	if not found then
		return null;
	end if;
	if exists (
		select 1 from public.team_members m where m.team_id = old.team_id and m.role = 'leader'
	) then
		return null;
	end if;
	-- The last leader deleted their account: rather than block the deletion, the longest-standing
	-- organizer (else member) takes over.
	if tg_op = 'DELETE' and not exists (select 1 from auth.users u where u.id = old.user_id) then
		select m.user_id into heir
		from public.team_members m
		where m.team_id = old.team_id
		order by (m.role = 'organizer') desc, m.joined_at, m.user_id
		limit 1;
		if heir is not null then
			update public.team_members m set role = 'leader'
			where m.team_id = old.team_id and m.user_id = heir;
		end if;
		return null;
	end if;
	raise exception using
		errcode = 'P0001',
		message = 'a team needs at least one leader: hand over leadership first',
		hint = 'Make another member a leader, then change your own role or leave.';
end;
$$;
comment on function private.team_members_keep_a_leader() is
	'Trigger function (security definer, sees all members): refuses to remove or demote a team''s last leader; when the last leader''s account is deleted, promotes the longest-standing organizer or member instead.';

create trigger team_members_keep_a_leader
	after update or delete on public.team_members
	for each row execute function private.team_members_keep_a_leader();
comment on trigger team_members_keep_a_leader on public.team_members is 'At least one leader per team, whoever makes the change.';

create or replace function private.team_members_log()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(new.team_id, 'member.joined', new.user_id, jsonb_build_object('role', new.role));
	elsif tg_op = 'UPDATE' then
		if new.role is distinct from old.role then
			perform private.log_activity(
				new.team_id,
				'member.role_changed',
				new.user_id,
				jsonb_build_object('from', old.role, 'to', new.role)
			);
		end if;
	elsif not exists (select 1 from public.teams t where t.id = old.team_id) then
		null; -- the team itself is being deleted
	elsif not exists (select 1 from auth.users u where u.id = old.user_id) then
		-- The account was deleted: nobody left to name as the subject.
		perform private.log_activity(
			old.team_id, 'member.left', null, jsonb_build_object('role', old.role, 'account_deleted', true)
		);
	else
		perform private.log_activity(
			old.team_id,
			case when old.user_id = auth.uid() then 'member.left' else 'member.removed' end,
			old.user_id,
			jsonb_build_object('role', old.role)
		);
	end if;
	return null;
end;
$$;
comment on function private.team_members_log() is
	'Trigger function (security definer, writes the log): member.joined, member.role_changed, member.left, member.removed.';

create trigger team_members_log
	after insert or update or delete on public.team_members
	for each row execute function private.team_members_log();
comment on trigger team_members_log on public.team_members is 'Records membership and role changes.';

-- Leaders may revoke through a plain update; every other status change goes through functions
-- (which run as the table owner, so current_user tells the two apart).
create or replace function private.invitations_guard_update()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
	if current_user in ('anon', 'authenticated')
		and not (old.status = 'pending' and new.status = 'revoked') then
		raise exception using
			errcode = 'P0001',
			message = 'only a pending invitation can be revoked';
	end if;
	return new;
end;
$$;
comment on function private.invitations_guard_update() is
	'Trigger function (security invoker, on purpose: it checks the calling role): API clients may only move an invitation from pending to revoked.';

create trigger invitations_guard_update
	before update on public.invitations
	for each row execute function private.invitations_guard_update();
comment on trigger invitations_guard_update on public.invitations is 'Direct updates may only revoke.';

create or replace function private.invitations_log()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_op = 'INSERT' then
		perform private.log_activity(
			new.team_id,
			'invitation.created',
			null,
			jsonb_build_object('invitation_id', new.id, 'email', new.email, 'role', new.role, 'max_uses', new.max_uses)
		);
	elsif new.status is distinct from old.status and new.status in ('revoked', 'declined') then
		perform private.log_activity(
			new.team_id,
			'invitation.' || new.status::text,
			null,
			jsonb_build_object('invitation_id', new.id, 'email', new.email)
		);
	end if;
	return null;
end;
$$;
comment on function private.invitations_log() is
	'Trigger function (security definer, writes the log): invitation.created, invitation.revoked, invitation.declined (accepted is logged by accept_invitation, once per use).';

create trigger invitations_log
	after insert or update of status on public.invitations
	for each row execute function private.invitations_log();
comment on trigger invitations_log on public.invitations is 'Records invitation changes.';

create or replace function private.agreements_log()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_table_name = 'team_agreements' then
		perform private.log_activity(new.team_id, 'agreement.published', null, jsonb_build_object('version', new.version));
	else
		perform private.log_activity(new.team_id, 'agreement.accepted', new.user_id, jsonb_build_object('version', new.version));
	end if;
	return null;
end;
$$;
comment on function private.agreements_log() is
	'Trigger function (security definer, writes the log): agreement.published and agreement.accepted.';

create trigger team_agreements_log
	after insert on public.team_agreements
	for each row execute function private.agreements_log();
comment on trigger team_agreements_log on public.team_agreements is 'Records new agreement versions.';

create trigger agreement_acceptances_log
	after insert on public.agreement_acceptances
	for each row execute function private.agreements_log();
comment on trigger agreement_acceptances_log on public.agreement_acceptances is 'Records acceptances.';

-- ---------------------------------------------------------------------------------------------
-- Row Level Security and grants: deny by default
-- ---------------------------------------------------------------------------------------------
alter table public.organizations enable row level security;
alter table public.organization_admins enable row level security;
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.invitations enable row level security;
alter table public.team_agreements enable row level security;
alter table public.agreement_acceptances enable row level security;
alter table public.referrals enable row level security;
alter table public.activity_log enable row level security;

-- Supabase's default privileges grant everything to the API roles; take it back and grant only
-- what the policies below are for. Inserts and deletes happen in functions (table owner).
revoke all on public.organizations, public.organization_admins, public.teams, public.team_members,
	public.invitations, public.team_agreements, public.agreement_acceptances, public.referrals,
	public.activity_log
	from anon, authenticated;
grant select on public.organizations, public.organization_admins, public.teams, public.team_members,
	public.invitations, public.team_agreements, public.agreement_acceptances, public.referrals,
	public.activity_log
	to authenticated;
grant update (name, description) on public.organizations to authenticated;
grant delete on public.organizations to authenticated;
grant update (name, purpose, focus_area, size_cap, archived_at) on public.teams to authenticated;
grant update (status) on public.invitations to authenticated;

-- organizations
create policy "Organization admins can read their organizations"
	on public.organizations for select to authenticated
	using ((select private.is_org_admin(id)));
comment on policy "Organization admins can read their organizations" on public.organizations is
	'Admins see name, description and join code. Team leaders get only the name, through team_overview().';

create policy "Organization admins can update their organizations"
	on public.organizations for update to authenticated
	using ((select private.is_org_admin(id)))
	with check ((select private.is_org_admin(id)));
comment on policy "Organization admins can update their organizations" on public.organizations is
	'Name and description only (column grants); the join code changes through rotate_join_code().';

create policy "Organization admins can delete their organizations"
	on public.organizations for delete to authenticated
	using ((select private.is_org_admin(id)));
comment on policy "Organization admins can delete their organizations" on public.organizations is
	'Deleting an organization detaches its teams (organization_id set null); the teams themselves stay.';

-- organization_admins
create policy "Organization admins can see their fellow admins"
	on public.organization_admins for select to authenticated
	using ((select private.is_org_admin(organization_id)));
comment on policy "Organization admins can see their fellow admins" on public.organization_admins is
	'Admins of an organization see who else administers it; changes go through functions.';

-- teams
create policy "Team members can read their teams"
	on public.teams for select to authenticated
	using ((select private.is_team_member(id)));
comment on policy "Team members can read their teams" on public.teams is
	'Members (archived teams included); org admins get aggregates from organization_team_summaries() instead.';

create policy "Team leaders can update their team's settings"
	on public.teams for update to authenticated
	using ((select private.has_team_role(id, array['leader']::public.team_role[])))
	with check ((select private.has_team_role(id, array['leader']::public.team_role[])));
comment on policy "Team leaders can update their team's settings" on public.teams is
	'Name, purpose, focus area, size cap and archived_at (column grants); changes are logged by a trigger.';

-- team_members
create policy "Team members can see who is in their team"
	on public.team_members for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can see who is in their team" on public.team_members is
	'Members see each other and their roles; joining, role changes and removals go through functions.';

-- invitations
create policy "Team leaders and organizers can see their team's invitations"
	on public.invitations for select to authenticated
	using ((select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[])));
comment on policy "Team leaders and organizers can see their team's invitations" on public.invitations is
	'Organizers see invitations read-only; only leaders create, resend or revoke them.';

create policy "Team leaders can revoke their team's invitations"
	on public.invitations for update to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])))
	with check ((select private.has_team_role(team_id, array['leader']::public.team_role[])));
comment on policy "Team leaders can revoke their team's invitations" on public.invitations is
	'Only the status column, and a trigger allows only pending → revoked.';

-- team_agreements
create policy "Team members can read their team's agreements"
	on public.team_agreements for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can read their team's agreements" on public.team_agreements is
	'Every version, so members can see what changed; leaders publish through publish_agreement().';

-- agreement_acceptances
create policy "Team members can see who accepted their team's agreement"
	on public.agreement_acceptances for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can see who accepted their team's agreement" on public.agreement_acceptances is
	'Members accept through accept_agreement().';

-- referrals
create policy "Team leaders can read referrals to their team"
	on public.referrals for select to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])));
comment on policy "Team leaders can read referrals to their team" on public.referrals is
	'Leaders decide on referrals; referrers see only status through my_referrals().';

-- activity_log
create policy "Team leaders can read their team's activity"
	on public.activity_log for select to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])));
comment on policy "Team leaders can read their team's activity" on public.activity_log is
	'Leaders only; rows are written by triggers and functions, never by clients.';

-- profiles: teammates' display names
create policy "Team members can read their teammates' profiles"
	on public.profiles for select to authenticated
	using ((select private.shares_team_with(id)));
comment on policy "Team members can read their teammates' profiles" on public.profiles is
	'Anyone sharing a team with the profile''s owner reads their name and language; nobody else.';

-- ---------------------------------------------------------------------------------------------
-- Functions: teams
-- ---------------------------------------------------------------------------------------------
create or replace function public.create_team(
	name text,
	purpose text default null,
	focus_area text default null,
	organization_join_code text default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	org_id uuid;
	new_id uuid;
begin
	if nullif(btrim(coalesce(create_team.organization_join_code, '')), '') is not null then
		select o.id into org_id from public.organizations o
		where o.join_code = btrim(create_team.organization_join_code);
		if org_id is null then
			raise exception using errcode = 'P0001', message = 'that join code does not match any organization';
		end if;
	end if;
	insert into public.teams (name, purpose, focus_area, organization_id, created_by)
	values (create_team.name, create_team.purpose, create_team.focus_area, org_id, uid)
	returning id into new_id;
	insert into public.team_members (team_id, user_id, role) values (new_id, uid, 'leader');
	return new_id;
end;
$$;
comment on function public.create_team(text, text, text, text) is
	'Security definer (inserts the team and its first leader together): any signed-in user creates a team and becomes its leader; an optional organization join code attaches it to a host organization.';

create or replace function public.archive_team(team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	perform private.require_leader(archive_team.team_id, 'only a team leader can archive the team');
	update public.teams t set archived_at = coalesce(t.archived_at, now()) where t.id = archive_team.team_id;
end;
$$;
comment on function public.archive_team(uuid) is
	'Security definer, leaders only: archives the team (reversible). Members still read it; nobody new joins.';

create or replace function public.unarchive_team(team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	perform private.require_leader(unarchive_team.team_id, 'only a team leader can unarchive the team');
	update public.teams t set archived_at = null where t.id = unarchive_team.team_id;
end;
$$;
comment on function public.unarchive_team(uuid) is 'Security definer, leaders only: brings an archived team back.';

create or replace function public.delete_team(team_id uuid, confirm_name text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	team_name text;
begin
	perform private.require_user();
	perform private.require_leader(delete_team.team_id, 'only a team leader can delete the team');
	select t.name into team_name from public.teams t where t.id = delete_team.team_id for update;
	if btrim(coalesce(delete_team.confirm_name, '')) is distinct from team_name then
		raise exception using
			errcode = 'P0001',
			message = 'type the team''s name exactly to confirm the deletion',
			hint = 'Nothing was deleted.';
	end if;
	delete from public.teams t where t.id = delete_team.team_id;
end;
$$;
comment on function public.delete_team(uuid, text) is
	'Security definer, leaders only: deletes the team and everything it recorded once confirm_name matches its name.';

create or replace function public.rotate_referral_code(team_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
	code text := private.new_code();
begin
	perform private.require_user();
	perform private.require_leader(rotate_referral_code.team_id, 'only a team leader can change the referral link');
	update public.teams t set referral_code = code where t.id = rotate_referral_code.team_id;
	return code;
end;
$$;
comment on function public.rotate_referral_code(uuid) is
	'Security definer, leaders only: replaces the referral code (old links stop working) and returns the new one.';

create or replace function public.change_member_role(team_id uuid, user_id uuid, role public.team_role)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	perform private.require_leader(change_member_role.team_id, 'only a team leader can change roles');
	if change_member_role.role is null then
		raise exception using errcode = 'P0001', message = 'choose a role';
	end if;
	update public.team_members m set role = change_member_role.role
	where m.team_id = change_member_role.team_id and m.user_id = change_member_role.user_id
		and m.role is distinct from change_member_role.role;
	if not found and not exists (
		select 1 from public.team_members m
		where m.team_id = change_member_role.team_id and m.user_id = change_member_role.user_id
	) then
		raise exception using errcode = 'P0001', message = 'that person is not a member of this team';
	end if;
end;
$$;
comment on function public.change_member_role(uuid, uuid, public.team_role) is
	'Security definer, leaders only: sets a member''s role. Hand over leadership by promoting someone first; demoting the last leader is refused by a trigger.';

create or replace function public.remove_member(team_id uuid, user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
begin
	if remove_member.user_id is distinct from uid then
		perform private.require_leader(remove_member.team_id, 'only a team leader can remove members');
	end if;
	delete from public.team_members m
	where m.team_id = remove_member.team_id and m.user_id = remove_member.user_id;
	if not found then
		raise exception using errcode = 'P0001', message = 'that person is not a member of this team';
	end if;
end;
$$;
comment on function public.remove_member(uuid, uuid) is
	'Security definer: leaders remove members, anyone leaves (user_id = self). The last leader cannot go (trigger).';

create or replace function public.team_overview(team_id uuid)
returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	t public.teams;
	my_role public.team_role;
	size int;
	current_version int;
begin
	select m.role into my_role from public.team_members m
	where m.team_id = team_overview.team_id and m.user_id = uid;
	if my_role is null then
		return null;
	end if;
	select * into t from public.teams x where x.id = team_overview.team_id;
	size := private.team_size(t.id);
	select max(a.version) into current_version from public.team_agreements a where a.team_id = t.id;
	return json_build_object(
		'team_id', t.id,
		'name', t.name,
		'archived', t.archived_at is not null,
		'size', size,
		'size_status', private.size_status(size),
		'size_cap', t.size_cap,
		'pending_invitations', (
			select count(*) from public.invitations i
			where i.team_id = t.id and i.status = 'pending' and i.expires_at > now()
		),
		'agreement_version', current_version,
		'agreement_accepted', current_version is not null and exists (
			select 1 from public.agreement_acceptances aa
			where aa.team_id = t.id and aa.user_id = uid and aa.version = current_version
		),
		'role', my_role,
		'organization_id', t.organization_id,
		'organization_name', (select o.name from public.organizations o where o.id = t.organization_id)
	);
end;
$$;
comment on function public.team_overview(uuid) is
	'Security definer (reads the host organization''s name, which members cannot select): the team home''s figures for a member; null for anyone else.';

-- ---------------------------------------------------------------------------------------------
-- Functions: invitations
-- ---------------------------------------------------------------------------------------------
create or replace function public.create_invitation(
	team_id uuid,
	email text default null,
	role public.team_role default 'member',
	max_uses int default 1,
	expires_in interval default '7 days'
)
returns table (id uuid, token text, warning text)
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	t public.teams;
	clean_email text;
	uses int := coalesce(create_invitation.max_uses, 1);
	committed int;
	secret text := private.new_token();
	new_id uuid;
	warn text;
begin
	perform private.require_leader(create_invitation.team_id, 'only a team leader can invite people');
	select * into t from public.teams x where x.id = create_invitation.team_id for update;
	if t.archived_at is not null then
		raise exception using errcode = 'P0001', message = 'this team is archived: unarchive it before inviting anyone';
	end if;
	clean_email := private.normalize_email(create_invitation.email);
	if create_invitation.role is null then
		raise exception using errcode = 'P0001', message = 'choose a role';
	end if;
	if clean_email is null and create_invitation.role = 'leader' then
		raise exception using
			errcode = 'P0001',
			message = 'a shared link cannot make someone a leader: invite them by email instead';
	end if;
	if clean_email is not null then
		uses := 1;
	elsif uses not between 1 and 50 then
		raise exception using errcode = 'P0001', message = 'a link can be used between 1 and 50 times';
	end if;
	if create_invitation.expires_in is null
		or create_invitation.expires_in < interval '1 hour'
		or create_invitation.expires_in > interval '30 days' then
		raise exception using errcode = 'P0001', message = 'an invitation can last between one hour and 30 days';
	end if;

	-- Expired invitations stop blocking a new one to the same address.
	update public.invitations i set status = 'expired'
	where i.team_id = t.id and i.status = 'pending' and i.expires_at <= now();

	if clean_email is not null then
		if exists (
			select 1 from public.team_members m join auth.users u on u.id = m.user_id
			where m.team_id = t.id and lower(u.email) = clean_email
		) then
			raise exception using errcode = 'P0001', message = 'that person is already a member of this team';
		end if;
		if exists (
			select 1 from public.invitations i
			where i.team_id = t.id and i.status = 'pending' and lower(i.email) = clean_email
		) then
			raise exception using
				errcode = 'P0001',
				message = format('an invitation to %s is already pending: resend it instead', clean_email);
		end if;
	end if;

	committed := private.committed_size(t.id);
	if committed >= t.size_cap then
		raise exception using
			errcode = 'GW004',
			message = format('the team is at its cap of %s members', t.size_cap),
			hint = 'Raise the size cap in the team settings, or consider splitting the team.';
	end if;
	if committed + uses > 8 then
		warn := format(
			'this will make the team %s people: teams work best at six to eight; consider splitting',
			least(committed + uses, t.size_cap)
		);
	end if;

	insert into public.invitations (team_id, email, role, token_hash, expires_at, max_uses, invited_by, last_sent_at)
	values (
		t.id,
		clean_email,
		create_invitation.role,
		private.hash_token(secret),
		now() + create_invitation.expires_in,
		uses,
		uid,
		case when clean_email is not null then now() end
	)
	returning invitations.id into new_id;

	return query select new_id, secret, warn;
end;
$$;
comment on function public.create_invitation(uuid, text, public.team_role, int, interval) is
	'Security definer, leaders only: creates an email invitation (email set) or a shareable link (email null) and returns its id, the secret token (shown once, only its hash is kept) and a size warning past eight people. Refuses duplicates, existing members, leader links and a full team.';

create or replace function public.resend_invitation(invitation_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
	inv public.invitations;
	secret text := private.new_token();
begin
	perform private.require_user();
	select * into inv from public.invitations i where i.id = resend_invitation.invitation_id for update;
	perform private.require_leader(inv.team_id, 'only a team leader can resend invitations');
	if inv.status not in ('pending', 'expired') then
		raise exception using errcode = 'P0001', message = 'only a pending or expired invitation can be resent';
	end if;
	if inv.last_sent_at > now() - interval '60 seconds' then
		raise exception using
			errcode = 'P0001',
			message = 'this invitation was sent less than a minute ago: wait a moment before resending';
	end if;
	begin
		update public.invitations i set
			token_hash = private.hash_token(secret),
			status = 'pending',
			expires_at = now() + greatest(inv.expires_at - coalesce(inv.last_sent_at, inv.created_at), interval '1 hour'),
			last_sent_at = now()
		where i.id = inv.id;
	exception when unique_violation then
		raise exception using
			errcode = 'P0001',
			message = format('an invitation to %s is already pending: resend it instead', inv.email);
	end;
	perform private.log_activity(inv.team_id, 'invitation.resent', null, jsonb_build_object('invitation_id', inv.id, 'email', inv.email));
	return secret;
end;
$$;
comment on function public.resend_invitation(uuid) is
	'Security definer, leaders only: issues a new token for a pending or expired invitation (the old link stops working), restarts its validity period and returns the token; at most once a minute.';

create or replace function public.revoke_invitation(invitation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	inv public.invitations;
begin
	perform private.require_user();
	select * into inv from public.invitations i where i.id = revoke_invitation.invitation_id for update;
	perform private.require_leader(inv.team_id, 'only a team leader can revoke invitations');
	if inv.status <> 'pending' then
		raise exception using errcode = 'P0001', message = 'only a pending invitation can be revoked';
	end if;
	update public.invitations i set status = 'revoked' where i.id = inv.id;
end;
$$;
comment on function public.revoke_invitation(uuid) is
	'Security definer, leaders only: revokes a pending invitation so its link stops working.';

create or replace function public.invitation_preview(token text)
returns table (
	team_name text,
	inviter_name text,
	role public.team_role,
	email text,
	status public.invitation_status,
	expires_at timestamptz,
	valid boolean,
	reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	inv public.invitations;
	t public.teams;
	effective public.invitation_status;
	why text;
begin
	select * into inv from public.invitations i where i.token_hash = private.hash_token(invitation_preview.token);
	if inv.id is null then
		return query select null::text, null::text, null::public.team_role, null::text,
			null::public.invitation_status, null::timestamptz, false,
			'this invitation link is not valid: ask the team for a new one'::text;
		return;
	end if;
	select * into t from public.teams x where x.id = inv.team_id;
	effective := case when inv.status = 'pending' and inv.expires_at <= now() then 'expired' else inv.status end;
	why := case
		when effective = 'expired' then 'this invitation has expired: ask the team for a new one'
		when effective = 'revoked' then 'this invitation was withdrawn: ask the team for a new one'
		when effective = 'declined' then 'this invitation was declined'
		when effective = 'accepted' then 'this invitation has already been used'
		when t.archived_at is not null then 'this team is archived and is not taking new members'
		when private.team_size(t.id) >= t.size_cap then format('the team is at its cap of %s members', t.size_cap)
	end;
	return query select
		t.name,
		(select p.display_name from public.profiles p where p.id = inv.invited_by),
		inv.role,
		private.mask_email(inv.email),
		effective,
		inv.expires_at,
		why is null,
		why;
end;
$$;
comment on function public.invitation_preview(text) is
	'Security definer, callable by anon: for the holder of a link, the team name, inviter''s display name, role, masked email, status and whether it can be used (reason when not). Reveals no other team data.';

create or replace function public.accept_invitation(token text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	inv public.invitations;
	t public.teams;
	my_email text;
begin
	select * into inv from public.invitations i
	where i.token_hash = private.hash_token(accept_invitation.token);
	if inv.id is null then
		raise exception using errcode = 'GW001', message = 'this invitation link is not valid: ask the team for a new one';
	end if;
	-- Team first, then the invitation, as create_invitation does: joins to one team queue here,
	-- so the cap holds under concurrent accepts.
	select * into t from public.teams x where x.id = inv.team_id for update;
	select * into inv from public.invitations i where i.id = inv.id for update;
	select lower(u.email) into my_email from auth.users u where u.id = uid;

	if inv.email is not null and inv.email is distinct from my_email then
		raise exception using
			errcode = 'GW002',
			message = format('this invitation was sent to %s; sign in with that address', private.mask_email(inv.email));
	end if;
	if exists (select 1 from public.team_members m where m.team_id = t.id and m.user_id = uid) then
		raise exception using errcode = 'GW003', message = 'you are already in this team';
	end if;
	if inv.status = 'revoked' then
		raise exception using errcode = 'GW001', message = 'this invitation was withdrawn: ask the team for a new one';
	elsif inv.status = 'declined' then
		raise exception using errcode = 'GW001', message = 'this invitation was declined';
	elsif inv.status = 'accepted' or inv.use_count >= inv.max_uses then
		raise exception using errcode = 'GW001', message = 'this invitation has already been used';
	elsif inv.status = 'expired' or inv.expires_at <= now() then
		raise exception using errcode = 'GW001', message = 'this invitation has expired: ask the team for a new one';
	end if;
	if t.archived_at is not null then
		raise exception using errcode = 'P0001', message = 'this team is archived and is not taking new members';
	end if;
	if private.team_size(t.id) >= t.size_cap then
		raise exception using
			errcode = 'GW004',
			message = format('the team is at its cap of %s members', t.size_cap),
			hint = 'Ask the team''s leader to raise the size cap.';
	end if;

	insert into public.team_members (team_id, user_id, role) values (t.id, uid, inv.role);
	update public.invitations i set
		use_count = i.use_count + 1,
		status = case when i.use_count + 1 >= i.max_uses then 'accepted'::public.invitation_status else i.status end
	where i.id = inv.id;
	-- A pending email invitation to someone who joined another way no longer holds a place.
	update public.invitations i set status = 'accepted'
	where i.team_id = t.id and i.status = 'pending' and i.email = my_email and i.id <> inv.id;
	perform private.log_activity(t.id, 'invitation.accepted', uid, jsonb_build_object('invitation_id', inv.id, 'role', inv.role));
	return t.id;
end;
$$;
comment on function public.accept_invitation(text) is
	'Security definer: the signed-in holder of a valid token joins the team with the invitation''s role. Email invitations only for the address they were sent to. Returns the team id. Errors GW001–GW004 (see the top of this migration).';

create or replace function public.decline_invitation(token text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	inv public.invitations;
	my_email text;
begin
	select * into inv from public.invitations i
	where i.token_hash = private.hash_token(decline_invitation.token) for update;
	if inv.id is null then
		raise exception using errcode = 'GW001', message = 'this invitation link is not valid: ask the team for a new one';
	end if;
	if inv.email is null then
		raise exception using errcode = 'P0001', message = 'a shared link cannot be declined: simply do not use it';
	end if;
	select lower(u.email) into my_email from auth.users u where u.id = uid;
	if inv.email is distinct from my_email then
		raise exception using
			errcode = 'GW002',
			message = format('this invitation was sent to %s; sign in with that address', private.mask_email(inv.email));
	end if;
	if inv.status <> 'pending' or inv.expires_at <= now() then
		raise exception using errcode = 'GW001', message = 'this invitation is no longer open';
	end if;
	update public.invitations i set status = 'declined' where i.id = inv.id;
end;
$$;
comment on function public.decline_invitation(text) is
	'Security definer: the person an email invitation was sent to declines it (links cannot be declined).';

-- ---------------------------------------------------------------------------------------------
-- Functions: agreements
-- ---------------------------------------------------------------------------------------------
create or replace function public.publish_agreement(team_id uuid, purpose text, ground_rules text)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	next_version int;
	clean_purpose text := private.clean_text(publish_agreement.purpose, 'the purpose', 2000);
	clean_rules text := private.clean_text(publish_agreement.ground_rules, 'the ground rules', 5000, true);
begin
	perform private.require_leader(publish_agreement.team_id, 'only a team leader can publish the agreement');
	perform 1 from public.teams t where t.id = publish_agreement.team_id for update;
	select coalesce(max(a.version), 0) + 1 into next_version
	from public.team_agreements a where a.team_id = publish_agreement.team_id;
	insert into public.team_agreements (team_id, version, purpose, ground_rules, created_by)
	values (publish_agreement.team_id, next_version, clean_purpose, clean_rules, uid);
	-- The leader who wrote it has accepted it.
	insert into public.agreement_acceptances (team_id, user_id, version)
	values (publish_agreement.team_id, uid, next_version);
	return next_version;
end;
$$;
comment on function public.publish_agreement(uuid, text, text) is
	'Security definer, leaders only: publishes the next version of the team agreement (accepted by its author); every other member accepts it again.';

create or replace function public.accept_agreement(team_id uuid, version int)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	current_version int;
begin
	if not private.is_team_member(accept_agreement.team_id) then
		raise exception using errcode = 'P0001', message = 'only a member of the team can accept its agreement';
	end if;
	select max(a.version) into current_version from public.team_agreements a where a.team_id = accept_agreement.team_id;
	if current_version is null or accept_agreement.version is distinct from current_version then
		raise exception using
			errcode = 'P0001',
			message = 'this is not the current version of the agreement: read the latest one and accept it';
	end if;
	insert into public.agreement_acceptances (team_id, user_id, version)
	values (accept_agreement.team_id, uid, current_version)
	on conflict do nothing;
end;
$$;
comment on function public.accept_agreement(uuid, int) is
	'Security definer, members only: records that the caller accepts the current agreement version (idempotent).';

-- ---------------------------------------------------------------------------------------------
-- Functions: organizations
-- ---------------------------------------------------------------------------------------------
create or replace function public.create_organization(name text, description text default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	new_id uuid;
begin
	insert into public.organizations (name, description, created_by)
	values (create_organization.name, create_organization.description, uid)
	returning id into new_id;
	insert into public.organization_admins (organization_id, user_id) values (new_id, uid);
	return new_id;
end;
$$;
comment on function public.create_organization(text, text) is
	'Security definer (creates the organization and its first admin together): the caller becomes its admin.';

create or replace function public.add_organization_admin(organization_id uuid, email text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	new_admin uuid;
	clean_email text;
begin
	perform private.require_user();
	if not private.is_org_admin(add_organization_admin.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can add admins';
	end if;
	clean_email := private.normalize_email(add_organization_admin.email);
	if clean_email is null then
		raise exception using errcode = 'P0001', message = 'enter a valid email address';
	end if;
	select u.id into new_admin from auth.users u where lower(u.email) = clean_email;
	if new_admin is null then
		raise exception using errcode = 'P0001', message = 'no account uses that email address: ask them to sign up first';
	end if;
	insert into public.organization_admins (organization_id, user_id)
	values (add_organization_admin.organization_id, new_admin)
	on conflict do nothing;
	if not found then
		raise exception using errcode = 'P0001', message = 'that person is already an admin of this organization';
	end if;
	return new_admin;
end;
$$;
comment on function public.add_organization_admin(uuid, text) is
	'Security definer, org admins only: makes the account with that email an admin; returns its user id.';

create or replace function public.remove_organization_admin(organization_id uuid, user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
begin
	if not private.is_org_admin(remove_organization_admin.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can remove admins';
	end if;
	perform 1 from public.organizations o where o.id = remove_organization_admin.organization_id for update;
	if not exists (
		select 1 from public.organization_admins a
		where a.organization_id = remove_organization_admin.organization_id and a.user_id = remove_organization_admin.user_id
	) then
		raise exception using errcode = 'P0001', message = 'that person is not an admin of this organization';
	end if;
	if (select count(*) from public.organization_admins a where a.organization_id = remove_organization_admin.organization_id) = 1 then
		raise exception using
			errcode = 'P0001',
			message = 'an organization needs at least one admin: add another admin first';
	end if;
	delete from public.organization_admins a
	where a.organization_id = remove_organization_admin.organization_id and a.user_id = remove_organization_admin.user_id;
end;
$$;
comment on function public.remove_organization_admin(uuid, uuid) is
	'Security definer, org admins only (themselves included): removes an admin, never the last one.';

create or replace function public.rotate_join_code(organization_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
	code text := private.new_code();
begin
	perform private.require_user();
	if not private.is_org_admin(rotate_join_code.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can change the join code';
	end if;
	update public.organizations o set join_code = code where o.id = rotate_join_code.organization_id;
	return code;
end;
$$;
comment on function public.rotate_join_code(uuid) is
	'Security definer, org admins only: replaces the join code and returns the new one; attached teams stay attached.';

create or replace function public.attach_team_to_organization(team_id uuid, join_code text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	org_id uuid;
begin
	perform private.require_user();
	perform private.require_leader(attach_team_to_organization.team_id, 'only a team leader can change the team''s organization');
	select o.id into org_id from public.organizations o
	where o.join_code = btrim(coalesce(attach_team_to_organization.join_code, ''));
	if org_id is null then
		raise exception using errcode = 'P0001', message = 'that join code does not match any organization';
	end if;
	update public.teams t set organization_id = org_id
	where t.id = attach_team_to_organization.team_id and t.organization_id is distinct from org_id;
	return org_id;
end;
$$;
comment on function public.attach_team_to_organization(uuid, text) is
	'Security definer, team leaders only: attaches the team to the organization whose join code is given; returns the organization id.';

create or replace function public.detach_team_from_organization(team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	perform private.require_leader(detach_team_from_organization.team_id, 'only a team leader can change the team''s organization');
	update public.teams t set organization_id = null
	where t.id = detach_team_from_organization.team_id and t.organization_id is not null;
end;
$$;
comment on function public.detach_team_from_organization(uuid) is
	'Security definer, team leaders only: detaches the team from its organization.';

create or replace function public.organization_team_summaries(organization_id uuid)
returns table (
	team_id uuid,
	team_name text,
	member_count int,
	size_status text,
	archived boolean,
	created_at timestamptz,
	last_activity_at timestamptz,
	pending_referrals int,
	waitlisted_referrals int,
	has_room boolean
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	if not private.is_org_admin(organization_team_summaries.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can see its teams';
	end if;
	return query
	select
		t.id,
		t.name,
		private.team_size(t.id),
		private.size_status(private.team_size(t.id)),
		t.archived_at is not null,
		t.created_at,
		(select max(l.created_at) from public.activity_log l where l.team_id = t.id),
		(select count(*)::int from public.referrals r where r.team_id = t.id and r.status = 'pending'),
		(select count(*)::int from public.referrals r where r.team_id = t.id and r.status = 'waitlisted'),
		t.archived_at is null and private.committed_size(t.id) < least(8, t.size_cap)
	from public.teams t
	where t.organization_id = organization_team_summaries.organization_id
	order by t.name, t.id;
end;
$$;
comment on function public.organization_team_summaries(uuid) is
	'Security definer, org admins only: per attached team, counts and health figures only; no member identities, no content.';

-- ---------------------------------------------------------------------------------------------
-- Functions: referrals
-- ---------------------------------------------------------------------------------------------
create or replace function public.teams_with_room(organization_id uuid)
returns table (team_id uuid, team_name text, free_places int, referral_code text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	if not private.is_org_admin(teams_with_room.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can see its teams';
	end if;
	return query
	select t.id, t.name, least(8, t.size_cap) - private.committed_size(t.id), t.referral_code
	from public.teams t
	where t.organization_id = teams_with_room.organization_id
		and t.archived_at is null
		and private.committed_size(t.id) < least(8, t.size_cap)
	order by least(8, t.size_cap) - private.committed_size(t.id) desc, t.name;
end;
$$;
comment on function public.teams_with_room(uuid) is
	'Security definer, org admins only: the organization''s open teams below eight people (or their cap), with free places and the referral code staff use to refer someone.';

create or replace function public.create_referral(
	referral_code text,
	person_name text,
	person_email text default null,
	person_contact_note text default null,
	consent boolean default false
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	t public.teams;
	clean_name text;
	clean_email text;
	clean_note text;
	new_id uuid;
begin
	select * into t from public.teams x where x.referral_code = btrim(coalesce(create_referral.referral_code, ''));
	if t.id is null then
		raise exception using errcode = 'P0001', message = 'this referral link is not valid: ask the team for a new one';
	end if;
	if t.archived_at is not null then
		raise exception using errcode = 'P0001', message = 'this team is archived and is not taking referrals';
	end if;
	if create_referral.consent is not true then
		raise exception using errcode = 'P0001', message = 'the person must agree to be referred';
	end if;
	clean_name := private.clean_text(create_referral.person_name, 'the person''s name', 120, true);
	clean_email := private.normalize_email(create_referral.person_email);
	clean_note := private.clean_text(create_referral.person_contact_note, 'the contact note', 500);
	insert into public.referrals (team_id, person_name, person_email, person_contact_note, consent, referred_by, referring_org_id)
	values (
		t.id, clean_name, clean_email, clean_note, true, uid,
		case when t.organization_id is not null and private.is_org_admin(t.organization_id) then t.organization_id end
	)
	returning id into new_id;
	perform private.log_activity(t.id, 'referral.received', null, jsonb_build_object('referral_id', new_id));
	return new_id;
end;
$$;
comment on function public.create_referral(text, text, text, text, boolean) is
	'Security definer (the referrer is usually not a member): anyone signed in with the team''s referral code refers a consenting person; returns the referral id.';

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
		if decide_referral.suggested_team_id is null
			or not exists (select 1 from public.teams t where t.id = decide_referral.suggested_team_id) then
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
	'Security definer, leaders of the referral''s team only: accept, waitlist, redirect (with a suggested team) or decline.';

create or replace function public.my_referrals()
returns table (
	id uuid,
	team_name text,
	person_name text,
	status public.referral_status,
	created_at timestamptz,
	decided_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
begin
	return query
	select r.id, t.name, r.person_name, r.status, r.created_at, r.decided_at
	from public.referrals r
	join public.teams t on t.id = r.team_id
	where r.referred_by = uid
	order by r.created_at desc, r.id;
end;
$$;
comment on function public.my_referrals() is
	'Security definer (referrers cannot read referrals or teams): the caller''s own referrals with status only, never team content or the leader''s note.';

-- ---------------------------------------------------------------------------------------------
-- Function privileges: authenticated only (invitation_preview also anon); helpers stay private
-- ---------------------------------------------------------------------------------------------
revoke all on all functions in schema private from public, anon, authenticated;
grant execute on function
	private.is_team_member(uuid),
	private.has_team_role(uuid, public.team_role[]),
	private.is_org_admin(uuid),
	private.team_size(uuid),
	private.shares_team_with(uuid)
	to authenticated;

revoke all on function
	public.create_team(text, text, text, text),
	public.archive_team(uuid),
	public.unarchive_team(uuid),
	public.delete_team(uuid, text),
	public.rotate_referral_code(uuid),
	public.change_member_role(uuid, uuid, public.team_role),
	public.remove_member(uuid, uuid),
	public.team_overview(uuid),
	public.create_invitation(uuid, text, public.team_role, int, interval),
	public.resend_invitation(uuid),
	public.revoke_invitation(uuid),
	public.invitation_preview(text),
	public.accept_invitation(text),
	public.decline_invitation(text),
	public.publish_agreement(uuid, text, text),
	public.accept_agreement(uuid, int),
	public.create_organization(text, text),
	public.add_organization_admin(uuid, text),
	public.remove_organization_admin(uuid, uuid),
	public.rotate_join_code(uuid),
	public.attach_team_to_organization(uuid, text),
	public.detach_team_from_organization(uuid),
	public.organization_team_summaries(uuid),
	public.teams_with_room(uuid),
	public.create_referral(text, text, text, text, boolean),
	public.decide_referral(uuid, public.referral_status, uuid, text),
	public.my_referrals()
	from public, anon;
grant execute on function
	public.create_team(text, text, text, text),
	public.archive_team(uuid),
	public.unarchive_team(uuid),
	public.delete_team(uuid, text),
	public.rotate_referral_code(uuid),
	public.change_member_role(uuid, uuid, public.team_role),
	public.remove_member(uuid, uuid),
	public.team_overview(uuid),
	public.create_invitation(uuid, text, public.team_role, int, interval),
	public.resend_invitation(uuid),
	public.revoke_invitation(uuid),
	public.invitation_preview(text),
	public.accept_invitation(text),
	public.decline_invitation(text),
	public.publish_agreement(uuid, text, text),
	public.accept_agreement(uuid, int),
	public.create_organization(text, text),
	public.add_organization_admin(uuid, text),
	public.remove_organization_admin(uuid, uuid),
	public.rotate_join_code(uuid),
	public.attach_team_to_organization(uuid, text),
	public.detach_team_from_organization(uuid),
	public.organization_team_summaries(uuid),
	public.teams_with_room(uuid),
	public.create_referral(text, text, text, text, boolean),
	public.decide_referral(uuid, public.referral_status, uuid, text),
	public.my_referrals()
	to authenticated;
-- The accept page shows what a link is for before the visitor signs in or up.
grant execute on function public.invitation_preview(text) to anon;
