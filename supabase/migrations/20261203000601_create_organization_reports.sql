-- Host organization reports: aggregate figures about a team's work for its host organization's
-- admins, member and client feedback forms whose results reach the organization in aggregate, and
-- reports a team's leader chooses to share.
--
-- Security model:
-- - Org admins still get no rows from any team table. Everything they see of a team's work comes
--   from the security definer functions below, which check private.is_org_admin and return numbers
--   only: no names, no titles, no notes, no member ids.
-- - Figures that could identify a person are suppressed: feedback and pulse averages are null below
--   three answers (the count alone is returned, so the page can say "too few answers to show").
-- - feedback_responses has no read policy at all: answers are read only as averages, through
--   functions. Client answers arrive through a secret link whose SHA-256 alone is stored.
-- - shared_reports hold a frozen snapshot a team leader chose to share; the team's leaders and the
--   admins of the organization it was shared with read it, until it is revoked.

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.feedback_audience as enum ('member', 'client');
comment on type public.feedback_audience is
	'member: the team''s own members answer in the app; client: people the team serves answer through a secret link, without an account.';

-- ---------------------------------------------------------------------------------------------
-- Feedback rounds and their answers
-- ---------------------------------------------------------------------------------------------
create table public.feedback_rounds (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	audience public.feedback_audience not null,
	title text not null check (char_length(title) between 1 and 120),
	closes_on date,
	closed_at timestamptz,
	client_token_hash text unique,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	constraint feedback_rounds_client_link check ((audience = 'client') = (client_token_hash is not null))
);
comment on table public.feedback_rounds is
	'A feedback form for one team: three questions answered 1–5 by its members or by the people it serves. Created by the team''s leaders or its organization''s admins through create_feedback_round; members read the rounds (not the token hash).';
comment on column public.feedback_rounds.team_id is 'The team the feedback is about.';
comment on column public.feedback_rounds.audience is 'member or client (which questions, and who may answer).';
comment on column public.feedback_rounds.title is 'What the round is called on the form, 1–120 characters.';
comment on column public.feedback_rounds.closes_on is 'Last day answers are taken, if set.';
comment on column public.feedback_rounds.closed_at is 'When it was closed early; no answers after that.';
comment on column public.feedback_rounds.client_token_hash is 'Client rounds: hex SHA-256 of the secret link''s token (the token is shown once). Never granted to API roles.';
comment on column public.feedback_rounds.created_by is 'Who opened it (a leader or an org admin).';
comment on column public.feedback_rounds.created_at is 'When it was opened.';
comment on column public.feedback_rounds.updated_at is 'Last change, stamped by public.set_updated_at().';
create index feedback_rounds_team_id_created_at_idx on public.feedback_rounds (team_id, created_at desc);
create index feedback_rounds_created_by_idx on public.feedback_rounds (created_by);

create trigger feedback_rounds_set_updated_at
	before update on public.feedback_rounds
	for each row execute function public.set_updated_at();
comment on trigger feedback_rounds_set_updated_at on public.feedback_rounds is 'Keeps updated_at current.';

create table public.feedback_responses (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	round_id uuid not null,
	user_id uuid references auth.users (id) on delete cascade,
	q1 smallint not null check (q1 between 1 and 5),
	q2 smallint not null check (q2 between 1 and 5),
	q3 smallint not null check (q3 between 1 and 5),
	submitted_at timestamptz not null default now(),
	unique (round_id, user_id),
	foreign key (round_id, team_id) references public.feedback_rounds (id, team_id) on delete cascade
);
comment on table public.feedback_responses is
	'One answer to a feedback round. Nobody reads rows through the API (no policy): feedback_round_results and organization_feedback_results return averages once three people answered. user_id (members only) just stops a second answer.';
comment on column public.feedback_responses.team_id is 'The round''s team.';
comment on column public.feedback_responses.round_id is 'The round answered.';
comment on column public.feedback_responses.user_id is 'The member who answered (never exposed); null for client answers.';
comment on column public.feedback_responses.q1 is 'First question, 1–5.';
comment on column public.feedback_responses.q2 is 'Second question, 1–5.';
comment on column public.feedback_responses.q3 is 'Third question, 1–5.';
comment on column public.feedback_responses.submitted_at is 'When it was given (for the per-minute limit of client links).';
create index feedback_responses_round_id_team_id_idx on public.feedback_responses (round_id, team_id, submitted_at);
create index feedback_responses_team_id_idx on public.feedback_responses (team_id);
create index feedback_responses_user_id_idx on public.feedback_responses (user_id);

-- ---------------------------------------------------------------------------------------------
-- Reports a leader shares with the host organization
-- ---------------------------------------------------------------------------------------------
create table public.shared_reports (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	organization_id uuid not null references public.organizations (id) on delete cascade,
	title text not null check (char_length(title) between 1 and 120),
	period_from date not null,
	period_to date not null check (period_to >= period_from),
	sections text[] not null,
	content jsonb not null check (jsonb_typeof(content) = 'object'),
	shared_by uuid default auth.uid() references auth.users (id) on delete set null,
	shared_at timestamptz not null default now(),
	revoked_at timestamptz
);
comment on table public.shared_reports is
	'A frozen snapshot a team leader chose to share with the team''s host organization (share_report); read by the team''s leaders and, until revoked, by that organization''s admins.';
comment on column public.shared_reports.team_id is 'The team that shared it.';
comment on column public.shared_reports.organization_id is 'The organization it was shared with (the team''s host at the time).';
comment on column public.shared_reports.title is 'The leader''s name for it, 1–120 characters.';
comment on column public.shared_reports.period_from is 'First day the report covers.';
comment on column public.shared_reports.period_to is 'Last day the report covers.';
comment on column public.shared_reports.sections is 'What the leader chose to include: figures, friction_points, initiatives, feedback.';
comment on column public.shared_reports.content is 'Exactly what the organization sees, frozen when shared (the preview the leader saw).';
comment on column public.shared_reports.shared_by is 'The leader who shared it.';
comment on column public.shared_reports.shared_at is 'When.';
comment on column public.shared_reports.revoked_at is 'When a leader took it back; the organization no longer sees it.';
create index shared_reports_team_id_idx on public.shared_reports (team_id, shared_at desc);
create index shared_reports_organization_id_idx on public.shared_reports (organization_id, shared_at desc);
create index shared_reports_shared_by_idx on public.shared_reports (shared_by);

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
-- Definer rights: an org admin cannot read teams, yet the policies below must know a team's host.
create or replace function private.team_organization(team_id uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
	select t.organization_id from public.teams t where t.id = $1
$$;
comment on function private.team_organization(uuid) is
	'Security definer (org admins cannot read teams): the team''s host organization, or null.';

-- Leaders of the team, or admins of its host organization: who may open and close feedback rounds.
create or replace function private.can_run_feedback(team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select private.has_team_role($1, array['leader']::public.team_role[])
		or coalesce(private.is_org_admin(private.team_organization($1)), false)
$$;
comment on function private.can_run_feedback(uuid) is
	'Security definer: true for the team''s leaders and the admins of its host organization.';

-- The figures of one team over [from_at, to_at): counts and averages only. Not executable by API
-- roles; callers check who may see them. Definer so it reads every table whatever the caller.
create or replace function private.team_figures(team_id uuid, from_at timestamptz, to_at timestamptz)
returns table (
	activity int,
	dialogues_held int,
	average_attendance numeric,
	friction_found int,
	friction_resolved int,
	commitments_kept int,
	commitments_broken int,
	initiatives_won int,
	pulse_responses int,
	pulse_safe numeric,
	pulse_heard numeric,
	pulse_useful numeric
)
language sql
stable
security definer
set search_path = ''
as $$
	with held as (
		select d.id from public.dialogues d
		where d.team_id = $1 and d.status = 'closed' and d.closed_at >= $2 and d.closed_at < $3
	),
	pulse as (
		select count(*)::int as n, avg(p.safe) as safe, avg(p.heard) as heard, avg(p.useful) as useful
		from public.pulse_checks p where p.team_id = $1 and p.dialogue_id in (select id from held)
	)
	select
		(select count(*)::int from public.activity_log l
			where l.team_id = $1 and l.created_at >= $2 and l.created_at < $3),
		(select count(*)::int from held),
		(select round(avg(c.n), 1) from (
			select (select count(*) from public.attendance a where a.team_id = $1 and a.dialogue_id = h.id) as n
			from held h
		) c),
		(select count(*)::int from public.friction_points f
			where f.team_id = $1 and f.created_at >= $2 and f.created_at < $3),
		(select count(distinct s.friction_point_id)::int from public.friction_point_status_changes s
			where s.team_id = $1 and s.to_status = 'resolved' and s.changed_at >= $2 and s.changed_at < $3),
		(select count(*)::int from public.commitments c
			where c.team_id = $1 and c.status in ('kept', 'partly_kept')
				and c.status_changed_at >= $2 and c.status_changed_at < $3),
		(select count(*)::int from public.commitments c
			where c.team_id = $1 and c.status = 'broken'
				and c.status_changed_at >= $2 and c.status_changed_at < $3),
		(select count(distinct s.initiative_id)::int from public.initiative_status_changes s
			join public.initiatives i on i.id = s.initiative_id and i.team_id = s.team_id
			where s.team_id = $1 and s.to_status = 'won' and i.deleted_at is null
				and s.changed_at >= $2 and s.changed_at < $3),
		pulse.n,
		-- Below three answers only the count: averages of one or two would tell who said what.
		case when pulse.n >= 3 then round(pulse.safe, 1) end,
		case when pulse.n >= 3 then round(pulse.heard, 1) end,
		case when pulse.n >= 3 then round(pulse.useful, 1) end
	from pulse
$$;
comment on function private.team_figures(uuid, timestamptz, timestamptz) is
	'Security definer (reads team tables for aggregate-only callers), not executable by API roles: a team''s activity, dialogues held and their average attendance, friction points found and resolved, commitments kept and broken, initiatives won and pulse averages (null below three answers) over [from_at, to_at).';

-- A report period: refuses bad ranges with a message the page shows beside the period fields.
create or replace function private.check_period(period_from date, period_to date, granularity text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
	if $1 is null or $2 is null then
		raise exception using errcode = 'P0001', message = 'choose the first and last day of the period';
	end if;
	if $2 < $1 then
		raise exception using errcode = 'P0001', message = 'the period must end on or after the day it starts';
	end if;
	if $2 - $1 > 3660 then
		raise exception using errcode = 'P0001', message = 'a report covers at most ten years';
	end if;
	if $3 is null or $3 not in ('month', 'quarter', 'year') then
		raise exception using errcode = 'P0001', message = 'group the report by month, quarter or year';
	end if;
end;
$$;
comment on function private.check_period(date, date, text) is
	'Raises a plain message for a missing or reversed period, one longer than ten years, or a grouping other than month, quarter or year.';

-- ---------------------------------------------------------------------------------------------
-- Reports for org admins
-- ---------------------------------------------------------------------------------------------
-- Definer: org admins read no team table; this returns only numbers, per team and period.
create or replace function public.organization_report(
	organization_id uuid,
	period_from date,
	period_to date,
	granularity text default 'month',
	only_team_id uuid default null
)
returns table (
	team_id uuid,
	team_name text,
	archived boolean,
	member_count int,
	size_status text,
	period_start date,
	activity int,
	dialogues_held int,
	average_attendance numeric,
	friction_found int,
	friction_resolved int,
	commitments_kept int,
	commitments_broken int,
	initiatives_won int,
	pulse_responses int,
	pulse_safe numeric,
	pulse_heard numeric,
	pulse_useful numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	step interval;
begin
	perform private.require_user();
	if not private.is_org_admin(organization_report.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can see its reports';
	end if;
	perform private.check_period(organization_report.period_from, organization_report.period_to, organization_report.granularity);
	step := case organization_report.granularity
		when 'month' then interval '1 month' when 'quarter' then interval '3 months' else interval '1 year' end;
	return query
	select
		t.id,
		t.name,
		t.archived_at is not null,
		private.team_size(t.id),
		private.size_status(private.team_size(t.id)),
		b.start::date,
		f.*
	from public.teams t
	cross join lateral generate_series(
		date_trunc(organization_report.granularity, organization_report.period_from::timestamp),
		organization_report.period_to::timestamp,
		step
	) as b (start)
	cross join lateral private.team_figures(
		t.id,
		greatest(b.start, organization_report.period_from::timestamp)::timestamptz,
		least(b.start + step, organization_report.period_to::timestamp + interval '1 day')::timestamptz
	) f
	where t.organization_id = organization_report.organization_id
		and (organization_report.only_team_id is null or t.id = organization_report.only_team_id)
	order by t.name, t.id, b.start;
end;
$$;
comment on function public.organization_report(uuid, date, date, text, uuid) is
	'Security definer (org admins read no team table), org admins only: per attached team (or the one given) and per month, quarter or year of the period, counts and averages only: activity, dialogues held, average attendance, friction points found and resolved, commitments kept and broken, initiatives won, pulse averages (null below three answers), and the team''s size now. No names, titles, notes or member ids.';

-- Definer: feedback answers have no read policy; org admins get averages of three or more only.
create or replace function public.organization_feedback_results(
	organization_id uuid,
	period_from date,
	period_to date,
	only_team_id uuid default null
)
returns table (
	team_id uuid,
	team_name text,
	round_id uuid,
	audience public.feedback_audience,
	opened_on date,
	open boolean,
	responses int,
	q1 numeric,
	q2 numeric,
	q3 numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	if not private.is_org_admin(organization_feedback_results.organization_id) then
		raise exception using errcode = 'P0001', message = 'only an organization admin can see its reports';
	end if;
	perform private.check_period(organization_feedback_results.period_from, organization_feedback_results.period_to, 'month');
	return query
	select t.id, t.name, r.id, r.audience, r.created_at::date,
		r.closed_at is null and (r.closes_on is null or r.closes_on >= current_date),
		a.n,
		case when a.n >= 3 then round(a.q1, 1) end,
		case when a.n >= 3 then round(a.q2, 1) end,
		case when a.n >= 3 then round(a.q3, 1) end
	from public.feedback_rounds r
	join public.teams t on t.id = r.team_id
	cross join lateral (
		select count(*)::int as n, avg(x.q1) as q1, avg(x.q2) as q2, avg(x.q3) as q3
		from public.feedback_responses x where x.round_id = r.id and x.team_id = r.team_id
	) a
	where t.organization_id = organization_feedback_results.organization_id
		and (organization_feedback_results.only_team_id is null or t.id = organization_feedback_results.only_team_id)
		and r.created_at >= organization_feedback_results.period_from::timestamp
		and r.created_at < organization_feedback_results.period_to::timestamp + interval '1 day'
	order by t.name, t.id, r.created_at, r.id;
end;
$$;
comment on function public.organization_feedback_results(uuid, date, date, uuid) is
	'Security definer (no one reads feedback answers), org admins only: per feedback round opened in the period, its team, audience, date, whether it is open, the number of answers and the average of each question once three people answered (null below). Never the round''s title or any answer.';

-- ---------------------------------------------------------------------------------------------
-- Feedback rounds: open, close, answer, results
-- ---------------------------------------------------------------------------------------------
-- Definer: org admins open rounds for teams whose rows they cannot read, and the token's hash is
-- written here only, never chosen or read by a client.
create or replace function public.create_feedback_round(
	team_id uuid,
	audience public.feedback_audience,
	title text,
	closes_on date default null
)
returns table (id uuid, token text)
language plpgsql
security definer
set search_path = ''
as $$
declare
	new_id uuid;
	secret text;
	clean_title text;
begin
	perform private.require_user();
	if not private.can_run_feedback(create_feedback_round.team_id) then
		raise exception using errcode = 'P0001', message = 'only a team leader or an admin of its organization can ask for feedback';
	end if;
	if exists (select 1 from public.teams t where t.id = create_feedback_round.team_id and t.archived_at is not null) then
		raise exception using errcode = 'P0001', message = 'this team is archived: unarchive it before changing its data';
	end if;
	if create_feedback_round.audience is null then
		raise exception using errcode = 'P0001', message = 'choose who answers: the team''s members or the people it serves';
	end if;
	clean_title := private.clean_text(create_feedback_round.title, 'the title', 120, true);
	if create_feedback_round.closes_on is not null and create_feedback_round.closes_on < current_date then
		raise exception using errcode = 'P0001', message = 'the closing day cannot be in the past';
	end if;
	if create_feedback_round.audience = 'client' then
		secret := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
	end if;
	insert into public.feedback_rounds (team_id, audience, title, closes_on, client_token_hash)
	values (
		create_feedback_round.team_id, create_feedback_round.audience, clean_title, create_feedback_round.closes_on,
		case when secret is not null then encode(sha256(convert_to(secret, 'UTF8')), 'hex') end
	)
	returning feedback_rounds.id into new_id;
	perform private.log_activity(create_feedback_round.team_id, 'feedback.round_opened', null,
		jsonb_build_object('round_id', new_id, 'audience', create_feedback_round.audience));
	return query select new_id, secret;
end;
$$;
comment on function public.create_feedback_round(uuid, public.feedback_audience, text, date) is
	'Security definer (org admins cannot write team tables; the token hash is set here only): a leader of an active team, or an admin of its organization, opens a member or client feedback round; client rounds return their secret token once (64 hex characters), of which only the SHA-256 is kept.';

-- Definer: org admins may close the rounds they can open; they still read nothing of the team.
create or replace function public.close_feedback_round(round_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	r public.feedback_rounds;
begin
	perform private.require_user();
	select * into r from public.feedback_rounds x where x.id = close_feedback_round.round_id for update;
	if r.id is null or not private.can_run_feedback(r.team_id) then
		raise exception using errcode = 'P0001', message = 'only a team leader or an admin of its organization can close a feedback round';
	end if;
	update public.feedback_rounds x set closed_at = now() where x.id = r.id and x.closed_at is null;
end;
$$;
comment on function public.close_feedback_round(uuid) is
	'Security definer (org admins cannot write team tables): the team''s leaders or its organization''s admins stop a round taking answers.';

-- Shared by both answer paths: validates the three ratings with one message per bad answer.
create or replace function private.check_ratings(q1 int, q2 int, q3 int)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
	if $1 is null or $1 not between 1 and 5 then
		raise exception using errcode = 'P0001', message = 'answer the first question with a number from 1 to 5';
	end if;
	if $2 is null or $2 not between 1 and 5 then
		raise exception using errcode = 'P0001', message = 'answer the second question with a number from 1 to 5';
	end if;
	if $3 is null or $3 not between 1 and 5 then
		raise exception using errcode = 'P0001', message = 'answer the third question with a number from 1 to 5';
	end if;
end;
$$;
comment on function private.check_ratings(int, int, int) is
	'Raises "answer the first|second|third question with a number from 1 to 5" for a missing or out-of-range rating.';

create or replace function private.round_is_open(r public.feedback_rounds)
returns boolean
language sql
stable
set search_path = ''
as $$
	select r.closed_at is null and (r.closes_on is null or r.closes_on >= current_date)
$$;
comment on function private.round_is_open(public.feedback_rounds) is
	'True while a round takes answers: not closed, and its closing day (if any) not passed.';

-- Definer: feedback_responses takes no API writes (and has no read policy), so a member's one answer
-- goes in here.
create or replace function public.submit_member_feedback(round_id uuid, q1 int, q2 int, q3 int)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	r public.feedback_rounds;
begin
	select * into r from public.feedback_rounds x where x.id = submit_member_feedback.round_id;
	if r.id is null or r.audience <> 'member' or not private.is_team_member(r.team_id) then
		raise exception using errcode = 'P0001', message = 'this feedback form is not for you';
	end if;
	if not private.round_is_open(r) then
		raise exception using errcode = 'P0001', message = 'this feedback form is closed';
	end if;
	perform private.check_ratings(submit_member_feedback.q1, submit_member_feedback.q2, submit_member_feedback.q3);
	insert into public.feedback_responses (team_id, round_id, user_id, q1, q2, q3)
	values (r.team_id, r.id, uid, submit_member_feedback.q1, submit_member_feedback.q2, submit_member_feedback.q3)
	on conflict on constraint feedback_responses_round_id_user_id_key do nothing;
	if not found then
		raise exception using errcode = 'P0001', message = 'you have already answered this feedback form';
	end if;
end;
$$;
comment on function public.submit_member_feedback(uuid, int, int, int) is
	'Security definer (feedback_responses takes no API writes): a member of the team answers an open member round once; a second answer is refused.';

-- The round behind a client link, or null. Definer: the link is the only credential.
create or replace function private.round_by_token(token text)
returns public.feedback_rounds
language sql
stable
security definer
set search_path = ''
as $$
	select r.* from public.feedback_rounds r
	where $1 ~ '^[0-9a-f]{64}$'
		and r.client_token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')
$$;
comment on function private.round_by_token(text) is
	'Security definer: the client round whose secret token this is, or null for anything else.';

-- Definer, callable by anon: a client without an account sees what the form is for, never answers.
create or replace function public.client_feedback_form(token text)
returns table (team_name text, title text, open boolean)
language sql
stable
security definer
set search_path = ''
as $$
	select t.name, r.title, private.round_is_open(r)
	from private.round_by_token($1) r
	join public.teams t on t.id = r.team_id
	where r.id is not null
$$;
comment on function public.client_feedback_form(text) is
	'Security definer, callable by anon with the secret token alone: the team''s name, the round''s title and whether it takes answers; no row for an unknown token. Never returns answers.';

-- Definer, callable by anon: stores one client answer per call. A link can be passed around, so
-- answers are limited per round and minute, and in total.
create or replace function public.submit_client_feedback(token text, q1 int, q2 int, q3 int)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	r public.feedback_rounds := private.round_by_token(submit_client_feedback.token);
begin
	if r.id is null then
		raise exception using errcode = 'P0001', message = 'this feedback link is not valid: ask the team for a new one';
	end if;
	if not private.round_is_open(r) then
		raise exception using errcode = 'P0001', message = 'this feedback form is closed';
	end if;
	perform private.check_ratings(submit_client_feedback.q1, submit_client_feedback.q2, submit_client_feedback.q3);
	perform 1 from public.feedback_rounds x where x.id = r.id for update;
	if (select count(*) from public.feedback_responses x
		where x.round_id = r.id and x.submitted_at > now() - interval '1 minute') >= 20 then
		raise exception using errcode = 'P0001', message = 'many answers arrived at once: wait a minute and send yours again';
	end if;
	if (select count(*) from public.feedback_responses x where x.round_id = r.id) >= 2000 then
		raise exception using errcode = 'P0001', message = 'this feedback form is closed';
	end if;
	insert into public.feedback_responses (team_id, round_id, user_id, q1, q2, q3)
	values (r.team_id, r.id, null, submit_client_feedback.q1, submit_client_feedback.q2, submit_client_feedback.q3);
end;
$$;
comment on function public.submit_client_feedback(text, int, int, int) is
	'Security definer, callable by anon with the secret token: stores one answer to an open client round; at most 20 answers a minute and 2000 in all per round. Reads nothing back.';

-- Definer: no one reads answers; the team's members see the averages of their own team's rounds.
create or replace function public.feedback_round_results(round_id uuid)
returns table (responses int, q1 numeric, q2 numeric, q3 numeric, answered boolean)
language sql
stable
security definer
set search_path = ''
as $$
	select count(x.id)::int,
		case when count(x.id) >= 3 then round(avg(x.q1), 1) end,
		case when count(x.id) >= 3 then round(avg(x.q2), 1) end,
		case when count(x.id) >= 3 then round(avg(x.q3), 1) end,
		coalesce(bool_or(x.user_id = auth.uid()), false)
	from public.feedback_rounds r
	left join public.feedback_responses x on x.round_id = r.id and x.team_id = r.team_id
	where r.id = $1 and private.is_team_member(r.team_id)
	group by r.id
$$;
comment on function public.feedback_round_results(uuid) is
	'Security definer (feedback_responses has no read policy): for members of the round''s team, the number of answers, the averages once three people answered, and whether the caller answered; no row for anyone else.';

-- ---------------------------------------------------------------------------------------------
-- Shared reports
-- ---------------------------------------------------------------------------------------------
-- Definer: the same snapshot for the leader's preview and for what is stored, read from every
-- table the report may include. Not executable by API roles; callers check the leader.
create or replace function private.shared_report_content(
	team_id uuid,
	sections text[],
	period_from date,
	period_to date
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	result jsonb := '{}';
	bad text;
begin
	perform private.check_period($3, $4, 'month');
	if $2 is null or cardinality($2) = 0 then
		raise exception using errcode = 'P0001', message = 'choose at least one part to include';
	end if;
	select s into bad from unnest($2) s
	where s not in ('figures', 'friction_points', 'initiatives', 'feedback') limit 1;
	if bad is not null then
		raise exception using errcode = 'P0001', message = format('a report cannot include %s', bad);
	end if;
	if 'figures' = any ($2) then
		result := result || jsonb_build_object('figures', (
			select to_jsonb(f) from private.team_figures($1, $3::timestamp, $4::timestamp + interval '1 day') f
		) || jsonb_build_object('member_count', private.team_size($1)));
	end if;
	if 'friction_points' = any ($2) then
		result := result || jsonb_build_object('friction_points', coalesce((
			select jsonb_agg(jsonb_build_object('title', f.title, 'status', f.status) order by f.status, f.title)
			from public.friction_points f where f.team_id = $1
		), '[]'));
	end if;
	if 'initiatives' = any ($2) then
		result := result || jsonb_build_object('initiatives', coalesce((
			select jsonb_agg(jsonb_build_object('title', i.title, 'status', i.status) order by i.status, i.title)
			from public.initiatives i where i.team_id = $1 and i.deleted_at is null
		), '[]'));
	end if;
	if 'feedback' = any ($2) then
		result := result || jsonb_build_object('feedback', coalesce((
			select jsonb_agg(jsonb_build_object(
				'title', r.title, 'audience', r.audience, 'responses', a.n,
				'q1', case when a.n >= 3 then round(a.q1, 1) end,
				'q2', case when a.n >= 3 then round(a.q2, 1) end,
				'q3', case when a.n >= 3 then round(a.q3, 1) end
			) order by r.created_at)
			from public.feedback_rounds r
			cross join lateral (
				select count(*)::int as n, avg(x.q1) as q1, avg(x.q2) as q2, avg(x.q3) as q3
				from public.feedback_responses x where x.round_id = r.id
			) a
			where r.team_id = $1 and r.created_at >= $3::timestamp and r.created_at < $4::timestamp + interval '1 day'
		), '[]'));
	end if;
	return result;
end;
$$;
comment on function private.shared_report_content(uuid, text[], date, date) is
	'Security definer (reads the team tables a report may include), not executable by API roles: the figures, friction point titles and statuses, initiative titles and statuses and feedback averages (three answers or more) chosen, for the period. Never notes, evidence, names or member ids.';

-- Definer: the preview runs the same snapshot as share_report, which reads pulse and feedback
-- answers that have no read policy.
create or replace function public.preview_shared_report(
	team_id uuid,
	sections text[],
	period_from date,
	period_to date
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	perform private.require_leader(preview_shared_report.team_id, 'only a team leader can share a report with the organization');
	return private.shared_report_content(preview_shared_report.team_id, preview_shared_report.sections,
		preview_shared_report.period_from, preview_shared_report.period_to);
end;
$$;
comment on function public.preview_shared_report(uuid, text[], date, date) is
	'Security definer (reads aggregate-only tables), team leaders only: exactly what share_report would store.';

-- Definer: shared_reports takes no API writes, so the snapshot cannot be forged by a client.
create or replace function public.share_report(
	team_id uuid,
	title text,
	sections text[],
	period_from date,
	period_to date
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	org uuid;
	clean_title text;
	new_id uuid;
begin
	perform private.require_user();
	perform private.require_leader(share_report.team_id, 'only a team leader can share a report with the organization');
	select t.organization_id into org from public.teams t where t.id = share_report.team_id;
	if org is null then
		raise exception using errcode = 'P0001', message = 'this team does not belong to an organization to share with';
	end if;
	clean_title := private.clean_text(share_report.title, 'the title', 120, true);
	insert into public.shared_reports (team_id, organization_id, title, period_from, period_to, sections, content)
	values (
		share_report.team_id, org, clean_title, share_report.period_from, share_report.period_to,
		(select array_agg(distinct s order by s) from unnest(share_report.sections) s),
		private.shared_report_content(share_report.team_id, share_report.sections, share_report.period_from, share_report.period_to)
	)
	returning id into new_id;
	perform private.log_activity(share_report.team_id, 'report.shared', null, jsonb_build_object('report_id', new_id));
	return new_id;
end;
$$;
comment on function public.share_report(uuid, text, text[], date, date) is
	'Security definer (shared_reports takes no API writes), team leaders only: freezes the chosen parts of the report for the period and shares them with the team''s host organization; returns the report id.';

create or replace function public.revoke_shared_report(report_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	t uuid;
begin
	perform private.require_user();
	select s.team_id into t from public.shared_reports s where s.id = revoke_shared_report.report_id;
	perform private.require_leader(t, 'only a team leader can take back a shared report');
	update public.shared_reports s set revoked_at = now()
	where s.id = revoke_shared_report.report_id and s.revoked_at is null;
	perform private.log_activity(t, 'report.revoked', null, jsonb_build_object('report_id', revoke_shared_report.report_id));
end;
$$;
comment on function public.revoke_shared_report(uuid) is
	'Security definer (shared_reports takes no API writes), team leaders only: the organization no longer sees the report; the team keeps it, marked revoked.';

-- ---------------------------------------------------------------------------------------------
-- Row level security
-- ---------------------------------------------------------------------------------------------
alter table public.feedback_rounds enable row level security;
alter table public.feedback_responses enable row level security;
alter table public.shared_reports enable row level security;
alter table public.feedback_rounds force row level security;
alter table public.feedback_responses force row level security;
alter table public.shared_reports force row level security;

revoke all on public.feedback_rounds, public.feedback_responses, public.shared_reports from anon, authenticated;
-- Everything but the token's hash; writes go through the functions above.
grant select (id, team_id, audience, title, closes_on, closed_at, created_by, created_at, updated_at)
	on public.feedback_rounds to authenticated;
grant select on public.shared_reports to authenticated;

create policy "Members can read their team's feedback rounds"
	on public.feedback_rounds for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Members can read their team's feedback rounds" on public.feedback_rounds is
	'Members see which rounds exist and whether they are open (not the answers, not the token hash); org admins list them through organization_feedback_results.';

create policy "Leaders and the organization's admins can read shared reports"
	on public.shared_reports for select to authenticated
	using (
		(select private.has_team_role(team_id, array['leader']::public.team_role[]))
		or (
			revoked_at is null
			and (select private.is_org_admin(organization_id))
			and (select private.team_organization(team_id)) = organization_id
		)
	);
comment on policy "Leaders and the organization's admins can read shared reports" on public.shared_reports is
	'The team''s leaders see every report they shared (revoked ones too); the admins of the organization it was shared with see it until it is revoked or the team leaves the organization.';

-- feedback_responses: no policy, no grant. Answers are read as averages through functions only.

-- ---------------------------------------------------------------------------------------------
-- Function privileges
-- ---------------------------------------------------------------------------------------------
revoke all on function
	private.team_organization(uuid),
	private.can_run_feedback(uuid),
	private.team_figures(uuid, timestamptz, timestamptz),
	private.check_period(date, date, text),
	private.check_ratings(int, int, int),
	private.round_is_open(public.feedback_rounds),
	private.round_by_token(text),
	private.shared_report_content(uuid, text[], date, date)
	from public, anon, authenticated;
-- The shared_reports policy calls it as the querying role.
grant execute on function private.team_organization(uuid) to authenticated;

revoke all on function
	public.organization_report(uuid, date, date, text, uuid),
	public.organization_feedback_results(uuid, date, date, uuid),
	public.create_feedback_round(uuid, public.feedback_audience, text, date),
	public.close_feedback_round(uuid),
	public.submit_member_feedback(uuid, int, int, int),
	public.client_feedback_form(text),
	public.submit_client_feedback(text, int, int, int),
	public.feedback_round_results(uuid),
	public.preview_shared_report(uuid, text[], date, date),
	public.share_report(uuid, text, text[], date, date),
	public.revoke_shared_report(uuid)
	from public, anon;
grant execute on function
	public.organization_report(uuid, date, date, text, uuid),
	public.organization_feedback_results(uuid, date, date, uuid),
	public.create_feedback_round(uuid, public.feedback_audience, text, date),
	public.close_feedback_round(uuid),
	public.submit_member_feedback(uuid, int, int, int),
	public.client_feedback_form(text),
	public.submit_client_feedback(text, int, int, int),
	public.feedback_round_results(uuid),
	public.preview_shared_report(uuid, text[], date, date),
	public.share_report(uuid, text, text[], date, date),
	public.revoke_shared_report(uuid)
	to authenticated;
-- Clients answer without an account: the secret link is their only credential.
grant execute on function public.client_feedback_form(text), public.submit_client_feedback(text, int, int, int) to anon;
