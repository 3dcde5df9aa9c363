-- Officials and outreach: the officials a team works with (and their staff), the team's contacts
-- with them, what they promised, the follow-ups those contacts call for, and per-member calendar
-- feeds.
--
-- Security model:
-- - Deny by default: RLS enabled on every table, policies only `to authenticated` (the calendar
--   feed alone is read by anon, through one security definer function that needs the secret token).
-- - Reading: every member of the team reads officials, staff, stance history, merges, interactions,
--   participants, commitments and follow-ups. Outsiders and organization admins get nothing.
-- - Writing officials, staff, imports and merges: leaders and organizers (private.can_manage_outreach).
-- - Interactions: any member may log one (as its author); its author, leaders and organizers change
--   it, its participants, its commitments. Follow-ups: leaders and organizers manage all; a member
--   manages those assigned to them or written by them.
-- - Confidential notes on an interaction live in their own table, readable and writable by the
--   team's leaders only, so they never leave the database for anyone else: not in reads, exports,
--   feeds or reports (none of the functions here reads that table).
-- - Rows cannot point at another team's rows: composite foreign keys on (id, team_id).
-- - Archived teams: readable, every write refused with a sentence.
--
-- Errors the UI shows are SQLSTATE P0001 with a plain lowercase sentence.

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.official_level as enum ('local', 'regional', 'state', 'national', 'international');
comment on type public.official_level is 'The level of government an official serves at.';

create type public.interaction_type as enum (
	'meeting', 'call', 'email', 'letter', 'testimony', 'event', 'site_visit'
);
comment on type public.interaction_type is
	'How the team met or reached an official: meeting, call, email, letter, public testimony, event, site visit.';

create type public.interaction_status as enum ('planned', 'held');
comment on type public.interaction_status is 'planned (in the future when written) or held (in the past).';

create type public.atmosphere as enum ('positive', 'neutral', 'negative');
comment on type public.atmosphere is 'How an interaction went.';

create type public.commitment_status as enum ('pending', 'kept', 'partly_kept', 'broken');
comment on type public.commitment_status is 'Whether an official kept a promise.';

-- ---------------------------------------------------------------------------------------------
-- Private helpers
-- ---------------------------------------------------------------------------------------------
-- Leaders and organizers manage the directory while the team is not archived. Used by policies.
create or replace function private.can_manage_outreach(team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1
		from public.team_members m
		join public.teams t on t.id = m.team_id
		where m.team_id = $1
			and m.user_id = (select auth.uid())
			and m.role in ('leader', 'organizer')
			and t.archived_at is null
	)
$$;
comment on function private.can_manage_outreach(uuid) is
	'Security definer (reads team_members past its RLS): true when the current user leads or organizes the team and the team is not archived. Used by policies and functions.';

-- The invoker functions' common start (they may not call the teams helpers themselves): a signed-in
-- member of an active team.
create or replace function private.require_outreach_member(team_id uuid, message text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
begin
	perform private.require_data_writer($1, $2);
	return uid;
end;
$$;
comment on function private.require_outreach_member(uuid, text) is
	'Security definer (calls the private teams helpers for security invoker functions): returns the caller''s id, or raises "you need to sign in first", the given message for a non-member, or the archived-team sentence.';

-- Email and phone checks shared by officials and staff.
create or replace function private.clean_email(value text, label text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	v text := private.clean_text(value, label, 320);
begin
	if v is not null and v !~ '^[^\s@]+@[^\s@]+\.[^\s@]+$' then
		raise exception using errcode = 'P0001', message = label || ' is not a valid email address';
	end if;
	return lower(v);
end;
$$;
comment on function private.clean_email(text, text) is
	'Trims an email address (lower case) or raises "<label> is not a valid email address".';

create or replace function private.clean_phone(value text, label text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	v text := private.clean_text(value, label, 40);
	digits int;
begin
	if v is null then
		return null;
	end if;
	digits := char_length(regexp_replace(v, '\D', '', 'g'));
	if v !~ '^\+?[0-9 ()\-.]+$' or digits < 7 or digits > 20 then
		raise exception using
			errcode = 'P0001',
			message = label || ' is not a valid phone number (7 to 20 digits, with spaces, +, - or parentheses)';
	end if;
	return v;
end;
$$;
comment on function private.clean_phone(text, text) is
	'Trims a phone number or raises "<label> is not a valid phone number (…)": digits, spaces, +, -, dots and parentheses, 7 to 20 digits.';

-- The key two officials are the same person by: name and office, case and spacing ignored.
create or replace function private.official_key(name text, office text)
returns text
language sql
immutable
set search_path = ''
as $$
	select lower(regexp_replace(btrim(coalesce($1, '')), '\s+', ' ', 'g'))
		|| '|' || lower(regexp_replace(btrim(coalesce($2, '')), '\s+', ' ', 'g'))
$$;
comment on function private.official_key(text, text) is
	'Name and office, trimmed, inner spaces folded and lower-cased, joined by |: the duplicate key of officials.';

-- ---------------------------------------------------------------------------------------------
-- Officials and staff
-- ---------------------------------------------------------------------------------------------
create table public.officials (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	name text not null check (char_length(name) between 1 and 200),
	title text check (char_length(title) <= 200),
	office text check (char_length(office) <= 200),
	agency_id uuid,
	jurisdiction text check (char_length(jurisdiction) <= 200),
	level public.official_level,
	party text check (char_length(party) <= 100),
	email text check (char_length(email) <= 320),
	phone text check (char_length(phone) <= 40),
	website text check (char_length(website) <= 500 and website ~* '^https?://'),
	term_start date,
	term_end date,
	point_person_id uuid,
	stance smallint check (stance between 1 and 5),
	influence smallint check (influence between 1 and 5),
	interest smallint check (interest between 1 and 5),
	cadence_days int check (cadence_days between 1 and 365),
	notes text check (char_length(notes) <= 4000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	constraint officials_term_order check (term_end is null or term_start is null or term_end >= term_start),
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete set null (agency_id),
	-- The point person must be in the team; leaving it clears the link.
	foreign key (team_id, point_person_id) references public.team_members (team_id, user_id)
		on delete set null (point_person_id)
);
comment on table public.officials is
	'Elected officials, agency administrators and other decision-makers the team works with. Read by team members; written by leaders and organizers.';
comment on column public.officials.team_id is 'The team whose directory this is.';
comment on column public.officials.name is '1–200 characters; with office, unique in the team (case and spacing ignored).';
comment on column public.officials.title is 'Their title (councillor, director), up to 200 characters.';
comment on column public.officials.office is 'The office or seat they hold, up to 200 characters.';
comment on column public.officials.agency_id is 'The team''s agency they work for or oversee, if any.';
comment on column public.officials.jurisdiction is 'Where they serve (a ward, a state), up to 200 characters.';
comment on column public.officials.level is 'local, regional, state, national or international.';
comment on column public.officials.party is 'Their party where relevant, up to 100 characters.';
comment on column public.officials.email is 'A valid email address, lower-cased.';
comment on column public.officials.phone is '7–20 digits with spaces, +, -, dots or parentheses.';
comment on column public.officials.website is 'An http(s) address, up to 500 characters.';
comment on column public.officials.term_start is 'When their term began.';
comment on column public.officials.term_end is 'When it ends (not before it began).';
comment on column public.officials.point_person_id is 'The team member who owns the relationship.';
comment on column public.officials.stance is 'Toward the team''s issue: 1 opposed, 2 leaning against, 3 neutral, 4 leaning in favour, 5 champion; history in official_stance_changes.';
comment on column public.officials.influence is 'Power over the decision, 1–5 (the power map''s vertical axis).';
comment on column public.officials.interest is 'Interest in the issue, 1–5 (the power map''s horizontal axis).';
comment on column public.officials.cadence_days is 'How often the team means to be in touch, in days (1–365).';
comment on column public.officials.notes is 'Shared notes (not confidential), up to 4000 characters.';
comment on column public.officials.created_by is 'Who added them; null once that account is deleted.';
comment on column public.officials.created_at is 'When they were added.';
comment on column public.officials.updated_at is 'Last change, stamped by public.set_updated_at().';
create unique index officials_team_id_key_key on public.officials (team_id, private.official_key(name, office));
create index officials_agency_id_team_id_idx on public.officials (agency_id, team_id);
create index officials_team_id_point_person_id_idx on public.officials (team_id, point_person_id);
create index officials_created_by_idx on public.officials (created_by);

create table public.official_staff (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	official_id uuid not null,
	name text not null check (char_length(name) between 1 and 200),
	role text check (char_length(role) <= 200),
	email text check (char_length(email) <= 320),
	phone text check (char_length(phone) <= 40),
	notes text check (char_length(notes) <= 2000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade
);
comment on table public.official_staff is 'An official''s staff (chief of staff, scheduler). Read by team members; written by leaders and organizers.';
comment on column public.official_staff.team_id is 'The team (the official''s).';
comment on column public.official_staff.official_id is 'Whose staff they are.';
comment on column public.official_staff.name is '1–200 characters.';
comment on column public.official_staff.role is 'Their role, up to 200 characters.';
comment on column public.official_staff.email is 'A valid email address.';
comment on column public.official_staff.phone is '7–20 digits.';
comment on column public.official_staff.notes is 'Up to 2000 characters.';
comment on column public.official_staff.created_at is 'When they were added.';
comment on column public.official_staff.updated_at is 'Last change, stamped by public.set_updated_at().';
create index official_staff_official_id_team_id_idx on public.official_staff (official_id, team_id);
create index official_staff_team_id_idx on public.official_staff (team_id);

create table public.official_stance_changes (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	official_id uuid not null,
	previous_stance smallint check (previous_stance between 1 and 5),
	stance smallint check (stance between 1 and 5),
	changed_by uuid default auth.uid() references auth.users (id) on delete set null,
	changed_at timestamptz not null default now(),
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade
);
comment on table public.official_stance_changes is
	'Every change of an official''s stance, written by a trigger on officials (no API writes). Read by team members.';
comment on column public.official_stance_changes.team_id is 'The team.';
comment on column public.official_stance_changes.official_id is 'The official (the kept one after a merge).';
comment on column public.official_stance_changes.previous_stance is 'Before the change (null: not assessed).';
comment on column public.official_stance_changes.stance is 'After the change (null: cleared).';
comment on column public.official_stance_changes.changed_by is 'Who changed it.';
comment on column public.official_stance_changes.changed_at is 'When.';
create index official_stance_changes_official_id_team_id_idx
	on public.official_stance_changes (official_id, team_id, changed_at);
create index official_stance_changes_team_id_idx on public.official_stance_changes (team_id);
create index official_stance_changes_changed_by_idx on public.official_stance_changes (changed_by);

create table public.official_merges (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	kept_official_id uuid not null,
	removed_official jsonb not null check (jsonb_typeof(removed_official) = 'object'),
	merged_by uuid default auth.uid() references auth.users (id) on delete set null,
	merged_at timestamptz not null default now(),
	foreign key (kept_official_id, team_id) references public.officials (id, team_id) on delete cascade
);
comment on table public.official_merges is
	'Duplicates merged into an official, with the removed record as it was, so nothing is lost. Written by merge_officials only; read by team members.';
comment on column public.official_merges.team_id is 'The team.';
comment on column public.official_merges.kept_official_id is 'The official that was kept.';
comment on column public.official_merges.removed_official is 'The removed record, every column as it was.';
comment on column public.official_merges.merged_by is 'Who merged.';
comment on column public.official_merges.merged_at is 'When.';
create index official_merges_kept_official_id_team_id_idx on public.official_merges (kept_official_id, team_id);
create index official_merges_team_id_idx on public.official_merges (team_id);
create index official_merges_merged_by_idx on public.official_merges (merged_by);

-- ---------------------------------------------------------------------------------------------
-- Interactions
-- ---------------------------------------------------------------------------------------------
create table public.interactions (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	type public.interaction_type not null,
	status public.interaction_status not null,
	occurred_at timestamptz not null,
	title text not null check (char_length(title) between 1 and 200),
	location text check (char_length(location) <= 300),
	purpose text check (char_length(purpose) <= 4000),
	asks text check (char_length(asks) <= 4000),
	response text check (char_length(response) <= 4000),
	next_steps text check (char_length(next_steps) <= 4000),
	atmosphere public.atmosphere,
	atmosphere_reason text check (char_length(atmosphere_reason) <= 1000),
	agency_id uuid,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete set null (agency_id)
);
comment on table public.interactions is
	'The team''s contacts with officials, held or planned. Read by team members; any member logs one, its author, leaders and organizers change it. Confidential notes are in interaction_confidential_notes.';
comment on column public.interactions.team_id is 'The team.';
comment on column public.interactions.type is 'meeting, call, email, letter, testimony, event or site_visit.';
comment on column public.interactions.status is 'held (not in the future when written) or planned (not in the past when written).';
comment on column public.interactions.occurred_at is 'When it happened or is to happen.';
comment on column public.interactions.title is 'A short subject, 1–200 characters.';
comment on column public.interactions.location is 'Where, up to 300 characters.';
comment on column public.interactions.purpose is 'Why the team sought it.';
comment on column public.interactions.asks is 'What the team asked for.';
comment on column public.interactions.response is 'What the official answered (null: no response yet).';
comment on column public.interactions.next_steps is 'What happens next.';
comment on column public.interactions.atmosphere is 'positive, neutral or negative.';
comment on column public.interactions.atmosphere_reason is 'Why it felt that way.';
comment on column public.interactions.agency_id is 'The team''s agency it concerned, if any.';
comment on column public.interactions.created_by is 'Who logged it.';
comment on column public.interactions.created_at is 'When it was logged.';
comment on column public.interactions.updated_at is 'Last change, stamped by public.set_updated_at().';
create index interactions_team_id_occurred_at_idx on public.interactions (team_id, occurred_at desc);
create index interactions_agency_id_team_id_idx on public.interactions (agency_id, team_id);
create index interactions_created_by_idx on public.interactions (created_by);

create table public.interaction_participants (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	interaction_id uuid not null,
	user_id uuid,
	official_id uuid,
	constraint interaction_participants_one_kind check ((user_id is null) <> (official_id is null)),
	foreign key (interaction_id, team_id) references public.interactions (id, team_id) on delete cascade,
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade,
	-- A member who leaves the team leaves the record of who was there.
	foreign key (team_id, user_id) references public.team_members (team_id, user_id) on delete cascade
);
comment on table public.interaction_participants is
	'Who was (or will be) present: team members (user_id) and officials (official_id), one per row. Read by team members; written with the interaction.';
comment on column public.interaction_participants.team_id is 'The team.';
comment on column public.interaction_participants.interaction_id is 'The interaction.';
comment on column public.interaction_participants.user_id is 'A team member present.';
comment on column public.interaction_participants.official_id is 'An official present.';
create unique index interaction_participants_member_key
	on public.interaction_participants (interaction_id, user_id) where user_id is not null;
create unique index interaction_participants_official_key
	on public.interaction_participants (interaction_id, official_id) where official_id is not null;
create index interaction_participants_interaction_id_team_id_idx
	on public.interaction_participants (interaction_id, team_id);
create index interaction_participants_official_id_team_id_idx
	on public.interaction_participants (official_id, team_id);
create index interaction_participants_team_id_user_id_idx
	on public.interaction_participants (team_id, user_id);

create table public.interaction_confidential_notes (
	interaction_id uuid primary key,
	team_id uuid not null references public.teams (id) on delete cascade,
	body text not null check (char_length(body) between 1 and 8000),
	written_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (interaction_id, team_id) references public.interactions (id, team_id) on delete cascade
);
comment on table public.interaction_confidential_notes is
	'The confidential section of an interaction. The team''s leaders only, for every operation; no function, export or feed reads it.';
comment on column public.interaction_confidential_notes.interaction_id is 'The interaction (one note each).';
comment on column public.interaction_confidential_notes.team_id is 'The team.';
comment on column public.interaction_confidential_notes.body is '1–8000 characters.';
comment on column public.interaction_confidential_notes.written_by is 'The leader who wrote it.';
comment on column public.interaction_confidential_notes.created_at is 'When it was written.';
comment on column public.interaction_confidential_notes.updated_at is 'Last change, stamped by public.set_updated_at().';
create index interaction_confidential_notes_team_id_idx on public.interaction_confidential_notes (team_id);
create index interaction_confidential_notes_written_by_idx on public.interaction_confidential_notes (written_by);

-- ---------------------------------------------------------------------------------------------
-- Commitments and follow-ups
-- ---------------------------------------------------------------------------------------------
create table public.commitments (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	official_id uuid not null,
	interaction_id uuid,
	description text not null check (char_length(description) between 1 and 2000),
	made_on date not null default current_date,
	due_on date,
	indicator_id uuid,
	goal_id uuid references public.goals (id) on delete set null,
	status public.commitment_status not null default 'pending',
	evidence text check (char_length(evidence) <= 4000),
	status_changed_at timestamptz,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint commitments_due_order check (due_on is null or due_on >= made_on),
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade,
	foreign key (interaction_id, team_id) references public.interactions (id, team_id)
		on delete set null (interaction_id),
	foreign key (indicator_id, team_id) references public.indicators (id, team_id)
		on delete set null (indicator_id)
);
comment on table public.commitments is
	'What an official promised, by when, and whether they kept it. Read by team members; written by leaders, organizers and the author of the interaction it came from.';
comment on column public.commitments.team_id is 'The team.';
comment on column public.commitments.official_id is 'Who promised.';
comment on column public.commitments.interaction_id is 'Where they promised it, if logged.';
comment on column public.commitments.description is 'The promise, 1–2000 characters.';
comment on column public.commitments.made_on is 'When it was made: the base of "did the indicator move afterwards".';
comment on column public.commitments.due_on is 'By when (not before it was made).';
comment on column public.commitments.indicator_id is 'The team''s indicator it should move, if any.';
comment on column public.commitments.goal_id is 'The stated goal it serves, if any (the same team''s; checked by a trigger, goals have no team key).';
comment on column public.commitments.status is 'pending, kept, partly_kept or broken.';
comment on column public.commitments.evidence is 'What shows the status, up to 4000 characters.';
comment on column public.commitments.status_changed_at is 'When the status last changed.';
comment on column public.commitments.created_by is 'Who recorded it.';
comment on column public.commitments.created_at is 'When it was recorded.';
comment on column public.commitments.updated_at is 'Last change, stamped by public.set_updated_at().';
create index commitments_official_id_team_id_idx on public.commitments (official_id, team_id);
create index commitments_interaction_id_team_id_idx on public.commitments (interaction_id, team_id);
create index commitments_indicator_id_team_id_idx on public.commitments (indicator_id, team_id);
create index commitments_goal_id_idx on public.commitments (goal_id);
create index commitments_team_id_idx on public.commitments (team_id);
create index commitments_created_by_idx on public.commitments (created_by);

create table public.follow_ups (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	interaction_id uuid,
	official_id uuid,
	title text not null check (char_length(title) between 1 and 300),
	due_on date not null,
	assignee_id uuid,
	done_at timestamptz,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (interaction_id, team_id) references public.interactions (id, team_id) on delete cascade,
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade,
	foreign key (team_id, assignee_id) references public.team_members (team_id, user_id)
		on delete set null (assignee_id)
);
comment on table public.follow_ups is
	'Tasks with a due date and an assignee, usually from an interaction. Read by team members; leaders and organizers manage all, a member those assigned to or written by them.';
comment on column public.follow_ups.team_id is 'The team.';
comment on column public.follow_ups.interaction_id is 'The interaction it follows up (due no earlier than its day).';
comment on column public.follow_ups.official_id is 'The official it concerns.';
comment on column public.follow_ups.title is 'What to do, 1–300 characters.';
comment on column public.follow_ups.due_on is 'When it is due; overdue once past and not done.';
comment on column public.follow_ups.assignee_id is 'The team member who does it.';
comment on column public.follow_ups.done_at is 'When it was done (null: open).';
comment on column public.follow_ups.created_by is 'Who wrote it.';
comment on column public.follow_ups.created_at is 'When.';
comment on column public.follow_ups.updated_at is 'Last change, stamped by public.set_updated_at().';
create index follow_ups_team_id_due_on_idx on public.follow_ups (team_id, due_on);
create index follow_ups_interaction_id_team_id_idx on public.follow_ups (interaction_id, team_id);
create index follow_ups_official_id_team_id_idx on public.follow_ups (official_id, team_id);
create index follow_ups_team_id_assignee_id_idx on public.follow_ups (team_id, assignee_id);
create index follow_ups_created_by_idx on public.follow_ups (created_by);

-- ---------------------------------------------------------------------------------------------
-- Calendar feeds
-- ---------------------------------------------------------------------------------------------
create table public.calendar_feeds (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	user_id uuid not null,
	token_hash text not null unique,
	created_at timestamptz not null default now(),
	revoked_at timestamptz,
	foreign key (team_id, user_id) references public.team_members (team_id, user_id) on delete cascade
);
comment on table public.calendar_feeds is
	'A member''s secret calendar feed URL for one team: only the SHA-256 of the token is kept. Created and revoked through create_calendar_feed and revoke_calendar_feed; the owner reads their own rows.';
comment on column public.calendar_feeds.team_id is 'The team whose events the feed carries.';
comment on column public.calendar_feeds.user_id is 'The member it belongs to.';
comment on column public.calendar_feeds.token_hash is 'Hex SHA-256 of the secret token (the token itself is shown once).';
comment on column public.calendar_feeds.created_at is 'When it was created.';
comment on column public.calendar_feeds.revoked_at is 'When it was revoked (the URL then answers 404).';
create unique index calendar_feeds_one_active_key on public.calendar_feeds (team_id, user_id)
	where revoked_at is null;
create index calendar_feeds_user_id_idx on public.calendar_feeds (user_id);

-- The author of an interaction, a leader or an organizer may change it (and its participants and
-- commitments), while the team is not archived.
create or replace function private.can_edit_interaction(interaction_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1
		from public.interactions i
		where i.id = $1
			and private.can_change_team_data(i.team_id)
			and (i.created_by = (select auth.uid()) or private.can_manage_outreach(i.team_id))
	)
$$;
comment on function private.can_edit_interaction(uuid) is
	'Security definer (reads interactions past their RLS): true when the current user wrote the interaction, or leads or organizes its team, and the team is not archived. Used by policies.';

-- ---------------------------------------------------------------------------------------------
-- Triggers: updated_at, clear messages, team consistency, stance history, archived teams
-- ---------------------------------------------------------------------------------------------
create trigger officials_set_updated_at before update on public.officials
	for each row execute function public.set_updated_at();
create trigger official_staff_set_updated_at before update on public.official_staff
	for each row execute function public.set_updated_at();
create trigger interactions_set_updated_at before update on public.interactions
	for each row execute function public.set_updated_at();
create trigger interaction_confidential_notes_set_updated_at
	before update on public.interaction_confidential_notes
	for each row execute function public.set_updated_at();
create trigger commitments_set_updated_at before update on public.commitments
	for each row execute function public.set_updated_at();
create trigger follow_ups_set_updated_at before update on public.follow_ups
	for each row execute function public.set_updated_at();

create or replace function private.outreach_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	happened date;
begin
	case tg_table_name
	when 'officials' then
		new.name := private.clean_text(new.name, 'the name', 200, true);
		new.title := private.clean_text(new.title, 'the title', 200);
		new.office := private.clean_text(new.office, 'the office', 200);
		new.jurisdiction := private.clean_text(new.jurisdiction, 'the jurisdiction', 200);
		new.party := private.clean_text(new.party, 'the party', 100);
		new.email := private.clean_email(new.email, 'the email');
		new.phone := private.clean_phone(new.phone, 'the phone number');
		new.website := private.clean_url(new.website, 'the website', 500);
		new.notes := private.clean_text(new.notes, 'the notes', 4000);
		if new.term_start is not null and new.term_end is not null and new.term_end < new.term_start then
			raise exception using errcode = 'P0001', message = 'the term cannot end before it starts';
		end if;
		if exists (
			select 1 from public.officials o
			where o.team_id = new.team_id
				and private.official_key(o.name, o.office) = private.official_key(new.name, new.office)
				and o.id <> new.id
		) then
			raise exception using
				errcode = 'P0001',
				message = 'the team already has an official with that name and office';
		end if;
	when 'official_staff' then
		new.name := private.clean_text(new.name, 'the name', 200, true);
		new.role := private.clean_text(new.role, 'the role', 200);
		new.email := private.clean_email(new.email, 'the email');
		new.phone := private.clean_phone(new.phone, 'the phone number');
		new.notes := private.clean_text(new.notes, 'the notes', 2000);
	when 'interactions' then
		new.title := private.clean_text(new.title, 'the subject', 200, true);
		new.location := private.clean_text(new.location, 'the place', 300);
		new.purpose := private.clean_text(new.purpose, 'the purpose', 4000);
		new.asks := private.clean_text(new.asks, 'the asks', 4000);
		new.response := private.clean_text(new.response, 'the response', 4000);
		new.next_steps := private.clean_text(new.next_steps, 'the next steps', 4000);
		new.atmosphere_reason := private.clean_text(new.atmosphere_reason, 'the reason', 1000);
		-- Judged when the date or status is written: a planned meeting stays planned once its day passes.
		if tg_op = 'INSERT' or new.occurred_at is distinct from old.occurred_at
			or new.status is distinct from old.status then
			if new.status = 'held' and new.occurred_at > now() + interval '5 minutes' then
				raise exception using
					errcode = 'P0001',
					message = 'a past interaction cannot be in the future: choose "planned" or an earlier date';
			end if;
			if new.status = 'planned' and new.occurred_at < now() - interval '5 minutes'
				and (tg_op = 'INSERT' or new.occurred_at is distinct from old.occurred_at) then
				raise exception using
					errcode = 'P0001',
					message = 'a planned interaction cannot be in the past: choose "held" or a later date';
			end if;
		end if;
	when 'interaction_confidential_notes' then
		new.body := private.clean_text(new.body, 'the confidential note', 8000, true);
	when 'commitments' then
		new.description := private.clean_text(new.description, 'the commitment', 2000, true);
		new.evidence := private.clean_text(new.evidence, 'the evidence', 4000);
		if new.due_on is not null and new.due_on < new.made_on then
			raise exception using errcode = 'P0001', message = 'a commitment cannot be due before it was made';
		end if;
		if new.goal_id is not null and not exists (
			select 1 from public.goals g where g.id = new.goal_id and g.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that goal does not exist';
		end if;
		if tg_op = 'INSERT' or new.status is distinct from old.status then
			new.status_changed_at := now();
		end if;
	when 'follow_ups' then
		new.title := private.clean_text(new.title, 'the follow-up', 300, true);
		if new.interaction_id is not null then
			select (i.occurred_at at time zone 'UTC')::date into happened
			from public.interactions i where i.id = new.interaction_id;
			if happened is not null and new.due_on < happened then
				raise exception using
					errcode = 'P0001',
					message = 'a follow-up cannot be due before the interaction it follows';
			end if;
		end if;
	end case;
	return new;
end;
$$;
comment on function private.outreach_validate() is
	'Trigger function (security definer, to call the private helpers and read the interaction''s date as any role): trims text and explains what is wrong with a row of the outreach tables.';

create trigger officials_validate before insert or update on public.officials
	for each row execute function private.outreach_validate();
create trigger official_staff_validate before insert or update on public.official_staff
	for each row execute function private.outreach_validate();
create trigger interactions_validate before insert or update on public.interactions
	for each row execute function private.outreach_validate();
create trigger interaction_confidential_notes_validate
	before insert or update on public.interaction_confidential_notes
	for each row execute function private.outreach_validate();
create trigger commitments_validate before insert or update on public.commitments
	for each row execute function private.outreach_validate();
create trigger follow_ups_validate before insert or update on public.follow_ups
	for each row execute function private.outreach_validate();

-- Every stance change is kept, whoever makes it.
create or replace function private.record_stance_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_op = 'INSERT' and new.stance is not null
		or tg_op = 'UPDATE' and new.stance is distinct from old.stance then
		insert into public.official_stance_changes (team_id, official_id, previous_stance, stance)
		values (new.team_id, new.id, case when tg_op = 'UPDATE' then old.stance end, new.stance);
	end if;
	return null;
end;
$$;
comment on function private.record_stance_change() is
	'Trigger function (security definer: official_stance_changes takes no API writes): records an official''s stance when it is set or changes.';

create trigger officials_record_stance after insert or update of stance on public.officials
	for each row execute function private.record_stance_change();

create trigger officials_refuse_archived before insert or update or delete on public.officials
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger official_staff_refuse_archived before insert or update or delete on public.official_staff
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger interactions_refuse_archived before insert or update or delete on public.interactions
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger interaction_participants_refuse_archived
	before insert or update or delete on public.interaction_participants
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger interaction_confidential_notes_refuse_archived
	before insert or update or delete on public.interaction_confidential_notes
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger commitments_refuse_archived before insert or update or delete on public.commitments
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger follow_ups_refuse_archived before insert or update or delete on public.follow_ups
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();

-- ---------------------------------------------------------------------------------------------
-- Row Level Security and grants: deny by default. Not forced, as in the agency-data migration: the
-- security-definer functions run as the tables' owner and must bypass it.
-- ---------------------------------------------------------------------------------------------
alter table public.officials enable row level security;
alter table public.official_staff enable row level security;
alter table public.official_stance_changes enable row level security;
alter table public.official_merges enable row level security;
alter table public.interactions enable row level security;
alter table public.interaction_participants enable row level security;
alter table public.interaction_confidential_notes enable row level security;
alter table public.commitments enable row level security;
alter table public.follow_ups enable row level security;
alter table public.calendar_feeds enable row level security;

revoke all on public.officials, public.official_staff, public.official_stance_changes,
	public.official_merges, public.interactions, public.interaction_participants,
	public.interaction_confidential_notes, public.commitments, public.follow_ups, public.calendar_feeds
	from anon, authenticated;

grant select, delete on public.officials, public.official_staff, public.interactions,
	public.interaction_participants, public.interaction_confidential_notes, public.commitments,
	public.follow_ups
	to authenticated;
grant select on public.official_stance_changes, public.official_merges to authenticated;
-- The owner sees when a feed was made and whether it is revoked, never the hash.
grant select (id, team_id, user_id, created_at, revoked_at) on public.calendar_feeds to authenticated;
grant insert (team_id, name, title, office, agency_id, jurisdiction, level, party, email, phone,
		website, term_start, term_end, point_person_id, stance, influence, interest, cadence_days, notes),
	update (name, title, office, agency_id, jurisdiction, level, party, email, phone, website,
		term_start, term_end, point_person_id, stance, influence, interest, cadence_days, notes)
	on public.officials to authenticated;
grant insert (team_id, official_id, name, role, email, phone, notes),
	update (name, role, email, phone, notes)
	on public.official_staff to authenticated;
grant insert (team_id, type, status, occurred_at, title, location, purpose, asks, response,
		next_steps, atmosphere, atmosphere_reason, agency_id),
	update (type, status, occurred_at, title, location, purpose, asks, response, next_steps,
		atmosphere, atmosphere_reason, agency_id)
	on public.interactions to authenticated;
grant insert (team_id, interaction_id, user_id, official_id) on public.interaction_participants to authenticated;
grant insert (interaction_id, team_id, body), update (body)
	on public.interaction_confidential_notes to authenticated;
grant insert (team_id, official_id, interaction_id, description, made_on, due_on, indicator_id,
		goal_id, status, evidence),
	update (description, made_on, due_on, indicator_id, goal_id, status, evidence)
	on public.commitments to authenticated;
grant insert (team_id, interaction_id, official_id, title, due_on, assignee_id),
	update (title, due_on, assignee_id, done_at)
	on public.follow_ups to authenticated;

-- Reading: every table but the confidential notes and the feeds, by every member.
do $$
declare
	t text;
begin
	foreach t in array array['officials', 'official_staff', 'official_stance_changes', 'official_merges',
		'interactions', 'interaction_participants', 'commitments', 'follow_ups']
	loop
		execute format(
			'create policy "Team members can read their team''s %1$s" on public.%1$I
				for select to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
	end loop;
	-- The directory: leaders and organizers write it.
	foreach t in array array['officials', 'official_staff']
	loop
		execute format(
			'create policy "Leaders and organizers can add %1$s" on public.%1$I
				for insert to authenticated with check ((select private.can_manage_outreach(team_id)))',
			t
		);
		execute format(
			'create policy "Leaders and organizers can change %1$s" on public.%1$I
				for update to authenticated
				using ((select private.has_team_role(team_id, array[''leader'', ''organizer'']::public.team_role[])))
				with check ((select private.can_manage_outreach(team_id)))',
			t
		);
		execute format(
			'create policy "Leaders and organizers can delete %1$s" on public.%1$I
				for delete to authenticated
				using ((select private.has_team_role(team_id, array[''leader'', ''organizer'']::public.team_role[])))',
			t
		);
	end loop;
end;
$$;

create policy "Team members can log interactions as themselves"
	on public.interactions for insert to authenticated
	with check ((select private.can_change_team_data(team_id)) and created_by = (select auth.uid()));
comment on policy "Team members can log interactions as themselves" on public.interactions is
	'Any member of an active team logs an interaction; created_by is the caller (its default), so it is theirs to edit.';
create policy "Authors, leaders and organizers can change interactions"
	on public.interactions for update to authenticated
	using (
		(select private.is_team_member(team_id))
		and (created_by = (select auth.uid()) or (select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[])))
	)
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Authors, leaders and organizers can change interactions" on public.interactions is
	'The member who logged it, or a leader or organizer; the archived-team trigger explains a refusal.';
create policy "Authors, leaders and organizers can delete interactions"
	on public.interactions for delete to authenticated
	using (
		(select private.is_team_member(team_id))
		and (created_by = (select auth.uid()) or (select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[])))
	);
comment on policy "Authors, leaders and organizers can delete interactions" on public.interactions is
	'The member who logged it, or a leader or organizer.';

create policy "Editors of an interaction can add its participants"
	on public.interaction_participants for insert to authenticated
	with check ((select private.can_edit_interaction(interaction_id)));
comment on policy "Editors of an interaction can add its participants" on public.interaction_participants is
	'Whoever may change the interaction (author, leader, organizer) records who was there.';
create policy "Editors of an interaction can remove its participants"
	on public.interaction_participants for delete to authenticated
	using ((select private.can_edit_interaction(interaction_id)));
comment on policy "Editors of an interaction can remove its participants" on public.interaction_participants is
	'Whoever may change the interaction.';

create policy "Leaders can read confidential notes"
	on public.interaction_confidential_notes for select to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])));
comment on policy "Leaders can read confidential notes" on public.interaction_confidential_notes is
	'Confidential sections reach the team''s leaders and nobody else: not organizers, members or admins.';
create policy "Leaders can write confidential notes"
	on public.interaction_confidential_notes for insert to authenticated
	with check (
		(select private.has_team_role(team_id, array['leader']::public.team_role[]))
		and (select private.can_change_team_data(team_id))
	);
comment on policy "Leaders can write confidential notes" on public.interaction_confidential_notes is
	'Only a leader of an active team writes one.';
create policy "Leaders can change confidential notes"
	on public.interaction_confidential_notes for update to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])))
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Leaders can change confidential notes" on public.interaction_confidential_notes is
	'Only leaders, while the team is active.';
create policy "Leaders can delete confidential notes"
	on public.interaction_confidential_notes for delete to authenticated
	using ((select private.has_team_role(team_id, array['leader']::public.team_role[])));
comment on policy "Leaders can delete confidential notes" on public.interaction_confidential_notes is
	'Only leaders.';

create policy "Editors can record commitments"
	on public.commitments for insert to authenticated
	with check (
		(select private.can_manage_outreach(team_id))
		or (interaction_id is not null and (select private.can_edit_interaction(interaction_id)))
	);
comment on policy "Editors can record commitments" on public.commitments is
	'Leaders and organizers, or the author of the interaction the promise was made in.';
create policy "Editors can change commitments"
	on public.commitments for update to authenticated
	using (
		(select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[]))
		or (interaction_id is not null and (select private.can_edit_interaction(interaction_id)))
	)
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Editors can change commitments" on public.commitments is
	'Leaders and organizers, or the author of the interaction it came from.';
create policy "Editors can delete commitments"
	on public.commitments for delete to authenticated
	using (
		(select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[]))
		or (interaction_id is not null and (select private.can_edit_interaction(interaction_id)))
	);
comment on policy "Editors can delete commitments" on public.commitments is
	'Leaders and organizers, or the author of the interaction it came from.';

create policy "Members add their own follow-ups, organizers anyone's"
	on public.follow_ups for insert to authenticated
	with check (
		(select private.can_manage_outreach(team_id))
		or ((select private.can_change_team_data(team_id)) and assignee_id = (select auth.uid()))
	);
comment on policy "Members add their own follow-ups, organizers anyone's" on public.follow_ups is
	'Leaders and organizers assign follow-ups to anyone in the team; a member writes their own.';
create policy "Assignees, authors and organizers can change follow-ups"
	on public.follow_ups for update to authenticated
	using (
		(select private.is_team_member(team_id))
		and (
			assignee_id = (select auth.uid()) or created_by = (select auth.uid())
			or (select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[]))
		)
	)
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Assignees, authors and organizers can change follow-ups" on public.follow_ups is
	'A member manages the follow-ups they were given or wrote; leaders and organizers all of them.';
create policy "Assignees, authors and organizers can delete follow-ups"
	on public.follow_ups for delete to authenticated
	using (
		(select private.is_team_member(team_id))
		and (
			assignee_id = (select auth.uid()) or created_by = (select auth.uid())
			or (select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[]))
		)
	);
comment on policy "Assignees, authors and organizers can delete follow-ups" on public.follow_ups is
	'The same people who may change it.';

create policy "Members can read their own calendar feeds"
	on public.calendar_feeds for select to authenticated
	using (user_id = (select auth.uid()) and (select private.is_team_member(team_id)));
comment on policy "Members can read their own calendar feeds" on public.calendar_feeds is
	'Whether one''s own feed exists and when it was made; feeds are written by the functions only.';

-- ---------------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------------
-- Logging an interaction writes up to three tables at once. Security invoker: every row passes the
-- policies above as the caller (a member who is not a leader cannot add a confidential note).
create or replace function public.log_interaction(
	team_id uuid,
	interaction jsonb,
	member_ids uuid[] default '{}',
	official_ids uuid[] default '{}',
	confidential text default null
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
	uid uuid := private.require_outreach_member(
		log_interaction.team_id, 'only a member of the team can log its interactions'
	);
	new_id uuid;
	note text := nullif(btrim(coalesce(log_interaction.confidential, '')), '');
begin
	if note is not null and not private.has_team_role(log_interaction.team_id, array['leader']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = 'only a leader can write a confidential note';
	end if;
	if jsonb_typeof(log_interaction.interaction) is distinct from 'object' then
		raise exception using errcode = 'P0001', message = 'the interaction must be a JSON object';
	end if;
	insert into public.interactions (
		team_id, type, status, occurred_at, title, location, purpose, asks, response, next_steps,
		atmosphere, atmosphere_reason, agency_id
	)
	select
		log_interaction.team_id, r.type, r.status, r.occurred_at, r.title, r.location, r.purpose, r.asks,
		r.response, r.next_steps, r.atmosphere, r.atmosphere_reason, r.agency_id
	from jsonb_populate_record(null::public.interactions, log_interaction.interaction) r
	returning id into new_id;
	insert into public.interaction_participants (team_id, interaction_id, user_id)
	select distinct log_interaction.team_id, new_id, u
	from unnest(coalesce(log_interaction.member_ids, '{}')) u;
	insert into public.interaction_participants (team_id, interaction_id, official_id)
	select distinct log_interaction.team_id, new_id, o
	from unnest(coalesce(log_interaction.official_ids, '{}')) o;
	if note is not null then
		insert into public.interaction_confidential_notes (interaction_id, team_id, body)
		values (new_id, log_interaction.team_id, note);
	end if;
	return new_id;
exception
	when foreign_key_violation then
		raise exception using
			errcode = 'P0001',
			message = 'a person, official or agency chosen is not in the team';
end;
$$;
comment on function public.log_interaction(uuid, jsonb, uuid[], uuid[], text) is
	'Security invoker (the policies decide): logs an interaction (fields as JSON), the members and officials present, and, for leaders only, its confidential note, in one transaction. Returns its id.';

-- Importing a list of officials: all rows or none. Rows are JSON objects with the officials
-- columns; a row with merge_into (an official's id) fills in that official's empty fields instead
-- of adding a new one (values already there are kept). Security invoker: the policies decide.
create or replace function public.import_officials(team_id uuid, rows jsonb)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
	r jsonb;
	o public.officials;
	added int := 0;
	merged int := 0;
	n int := 0;
	target uuid;
begin
	if not private.has_team_role(import_officials.team_id, array['leader', 'organizer']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = 'only leaders and organizers can import officials';
	end if;
	perform private.require_outreach_member(import_officials.team_id, 'only leaders and organizers can import officials');
	if jsonb_typeof(import_officials.rows) is distinct from 'array' then
		raise exception using errcode = 'P0001', message = 'the rows must be a list';
	end if;
	if jsonb_array_length(import_officials.rows) > 5000 then
		raise exception using errcode = 'P0001', message = 'a list can hold at most 5000 officials';
	end if;
	for r in select value from jsonb_array_elements(import_officials.rows)
	loop
		n := n + 1;
		o := jsonb_populate_record(null::public.officials, r);
		begin
			target := nullif(r ->> 'merge_into', '')::uuid;
			if target is null then
				insert into public.officials (
					team_id, name, title, office, jurisdiction, level, party, email, phone, website,
					term_start, term_end
				) values (
					import_officials.team_id, o.name, o.title, o.office, o.jurisdiction, o.level, o.party,
					o.email, o.phone, o.website, o.term_start, o.term_end
				);
				added := added + 1;
			else
				update public.officials x set
					title = coalesce(x.title, o.title),
					jurisdiction = coalesce(x.jurisdiction, o.jurisdiction),
					level = coalesce(x.level, o.level),
					party = coalesce(x.party, o.party),
					email = coalesce(x.email, o.email),
					phone = coalesce(x.phone, o.phone),
					website = coalesce(x.website, o.website),
					term_start = coalesce(x.term_start, o.term_start),
					term_end = coalesce(x.term_end, o.term_end)
				where x.id = target and x.team_id = import_officials.team_id;
				if not found then
					raise exception using errcode = 'P0001', message = 'the official to merge into does not exist';
				end if;
				merged := merged + 1;
			end if;
		exception
			when sqlstate 'P0001' then
				raise exception using errcode = 'P0001', message = format('row %s: %s', coalesce(r ->> 'row_no', n::text), sqlerrm);
		end;
	end loop;
	return jsonb_build_object('added', added, 'merged', merged);
end;
$$;
comment on function public.import_officials(uuid, jsonb) is
	'Security invoker, leaders and organizers: adds a list of officials (JSON objects) in one transaction, or merges a row into an existing official (merge_into: fills empty fields only). Raises "row N: <reason>" and imports nothing when a row is refused. Returns {added, merged}.';

-- Merging two records of the same person. Security definer: it moves stance history, which no
-- API role may write, and keeps the removed record in official_merges; it checks the caller first.
create or replace function public.merge_officials(keep_id uuid, remove_id uuid, chosen jsonb default '{}')
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	keep public.officials;
	gone public.officials;
	c jsonb := coalesce(merge_officials.chosen, '{}');
begin
	select * into keep from public.officials o where o.id = merge_officials.keep_id for update;
	select * into gone from public.officials o where o.id = merge_officials.remove_id for update;
	if keep.id is null or gone.id is null or keep.team_id <> gone.team_id
		or not private.is_team_member(keep.team_id) then
		raise exception using errcode = 'P0001', message = 'that official does not exist';
	end if;
	if keep.id = gone.id then
		raise exception using errcode = 'P0001', message = 'choose two different officials to merge';
	end if;
	if not private.can_manage_outreach(keep.team_id) then
		perform private.require_data_writer(keep.team_id, 'only leaders and organizers can merge officials');
		raise exception using errcode = 'P0001', message = 'only leaders and organizers can merge officials';
	end if;
	if jsonb_typeof(c) <> 'object' then
		raise exception using errcode = 'P0001', message = 'the chosen values must be a JSON object';
	end if;
	insert into public.official_merges (team_id, kept_official_id, removed_official, merged_by)
	values (keep.team_id, keep.id, to_jsonb(gone), uid);
	-- The removed record goes first, so the kept one can take its name and office.
	update public.interaction_participants p set official_id = keep.id
	where p.official_id = gone.id
		and not exists (
			select 1 from public.interaction_participants q
			where q.interaction_id = p.interaction_id and q.official_id = keep.id
		);
	delete from public.interaction_participants p where p.official_id = gone.id;
	update public.commitments x set official_id = keep.id where x.official_id = gone.id;
	update public.follow_ups x set official_id = keep.id where x.official_id = gone.id;
	update public.official_staff x set official_id = keep.id where x.official_id = gone.id;
	update public.official_stance_changes x set official_id = keep.id where x.official_id = gone.id;
	delete from public.officials o where o.id = gone.id;
	-- Each field: the removed record's value where chosen ("remove"), else the kept one's, and the
	-- removed one's where the kept one has none.
	update public.officials o set
		name = case when c ->> 'name' = 'remove' then gone.name else keep.name end,
		title = case when c ->> 'title' = 'remove' then gone.title else coalesce(keep.title, gone.title) end,
		office = case when c ->> 'office' = 'remove' then gone.office else coalesce(keep.office, gone.office) end,
		agency_id = case when c ->> 'agency_id' = 'remove' then gone.agency_id else coalesce(keep.agency_id, gone.agency_id) end,
		jurisdiction = case when c ->> 'jurisdiction' = 'remove' then gone.jurisdiction else coalesce(keep.jurisdiction, gone.jurisdiction) end,
		level = case when c ->> 'level' = 'remove' then gone.level else coalesce(keep.level, gone.level) end,
		party = case when c ->> 'party' = 'remove' then gone.party else coalesce(keep.party, gone.party) end,
		email = case when c ->> 'email' = 'remove' then gone.email else coalesce(keep.email, gone.email) end,
		phone = case when c ->> 'phone' = 'remove' then gone.phone else coalesce(keep.phone, gone.phone) end,
		website = case when c ->> 'website' = 'remove' then gone.website else coalesce(keep.website, gone.website) end,
		term_start = case when c ->> 'term_start' = 'remove' then gone.term_start else coalesce(keep.term_start, gone.term_start) end,
		term_end = case when c ->> 'term_end' = 'remove' then gone.term_end else coalesce(keep.term_end, gone.term_end) end,
		point_person_id = case when c ->> 'point_person_id' = 'remove' then gone.point_person_id else coalesce(keep.point_person_id, gone.point_person_id) end,
		stance = case when c ->> 'stance' = 'remove' then gone.stance else coalesce(keep.stance, gone.stance) end,
		influence = case when c ->> 'influence' = 'remove' then gone.influence else coalesce(keep.influence, gone.influence) end,
		interest = case when c ->> 'interest' = 'remove' then gone.interest else coalesce(keep.interest, gone.interest) end,
		cadence_days = case when c ->> 'cadence_days' = 'remove' then gone.cadence_days else coalesce(keep.cadence_days, gone.cadence_days) end,
		notes = case
			when keep.notes is null then gone.notes
			when gone.notes is null or gone.notes = keep.notes then keep.notes
			else left(keep.notes || E'\n\n' || gone.notes, 4000)
		end
	where o.id = keep.id;
end;
$$;
comment on function public.merge_officials(uuid, uuid, jsonb) is
	'Security definer (moves stance history, which takes no API writes), leaders and organizers of an active team: merges remove_id into keep_id in one transaction. chosen maps a field to "remove" to take the removed record''s value; otherwise the kept value wins and blanks are filled from the removed one; notes are joined. Interactions, commitments, follow-ups, staff and stance history move to the kept official; the removed record is kept in official_merges.';

-- A member's secret feed URL. Security definer: calendar_feeds takes no API writes, so the hash
-- is never chosen or read by a client.
create or replace function public.create_calendar_feed(team_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	token text := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
begin
	if not private.is_team_member(create_calendar_feed.team_id) then
		raise exception using errcode = 'P0001', message = 'only a member of the team can have its calendar feed';
	end if;
	update public.calendar_feeds f set revoked_at = now()
	where f.team_id = create_calendar_feed.team_id and f.user_id = uid and f.revoked_at is null;
	insert into public.calendar_feeds (team_id, user_id, token_hash)
	values (create_calendar_feed.team_id, uid, encode(sha256(convert_to(token, 'UTF8')), 'hex'));
	return token;
end;
$$;
comment on function public.create_calendar_feed(uuid) is
	'Security definer, team members: revokes the caller''s feed for the team, if any, and returns a new secret token (64 hex characters, from two random UUIDs); only its SHA-256 is stored.';

create or replace function public.revoke_calendar_feed(team_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
begin
	update public.calendar_feeds f set revoked_at = now()
	where f.team_id = revoke_calendar_feed.team_id and f.user_id = uid and f.revoked_at is null;
end;
$$;
comment on function public.revoke_calendar_feed(uuid) is
	'Security definer (calendar_feeds takes no API writes): revokes the caller''s feed for the team; its URL then answers 404.';

-- The feed itself, for calendar apps that carry no session: the token is the only credential.
-- Security definer, callable by anon: it returns only the feed owner's planned interactions and
-- open follow-ups in that team, and never reads interaction_confidential_notes.
create or replace function public.calendar_feed_events(token text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
	feed public.calendar_feeds;
begin
	if calendar_feed_events.token is null or calendar_feed_events.token !~ '^[0-9a-f]{64}$' then
		return null;
	end if;
	select f.* into feed
	from public.calendar_feeds f
	join public.team_members m on m.team_id = f.team_id and m.user_id = f.user_id
	where f.token_hash = encode(sha256(convert_to(calendar_feed_events.token, 'UTF8')), 'hex')
		and f.revoked_at is null;
	if feed.id is null then
		return null;
	end if;
	return jsonb_build_object(
		'team_name', (select t.name from public.teams t where t.id = feed.team_id),
		'interactions', coalesce((
			select jsonb_agg(jsonb_build_object(
				'id', i.id, 'type', i.type, 'title', i.title, 'occurred_at', i.occurred_at,
				'location', i.location, 'purpose', i.purpose, 'updated_at', i.updated_at,
				'officials', (
					select coalesce(jsonb_agg(o.name order by o.name), '[]')
					from public.interaction_participants p
					join public.officials o on o.id = p.official_id
					where p.interaction_id = i.id
				)
			) order by i.occurred_at)
			from public.interactions i
			where i.team_id = feed.team_id
				and i.status = 'planned'
				and (i.created_by = feed.user_id or exists (
					select 1 from public.interaction_participants p
					where p.interaction_id = i.id and p.user_id = feed.user_id
				))
		), '[]'),
		'follow_ups', coalesce((
			select jsonb_agg(jsonb_build_object(
				'id', f.id, 'title', f.title, 'due_on', f.due_on, 'updated_at', f.updated_at,
				'official', (select o.name from public.officials o where o.id = f.official_id),
				'interaction', (select i.title from public.interactions i where i.id = f.interaction_id)
			) order by f.due_on)
			from public.follow_ups f
			where f.team_id = feed.team_id and f.assignee_id = feed.user_id and f.done_at is null
		), '[]')
	);
end;
$$;
comment on function public.calendar_feed_events(text) is
	'Security definer, callable by anon with the secret token alone: the feed owner''s planned interactions (theirs or with them present) and open follow-ups assigned to them, as {team_name, interactions, follow_ups}; null for an unknown or revoked token. Never reads confidential notes.';

-- ---------------------------------------------------------------------------------------------
-- Function privileges
-- ---------------------------------------------------------------------------------------------
revoke all on function
	private.can_manage_outreach(uuid),
	private.require_outreach_member(uuid, text),
	private.can_edit_interaction(uuid),
	private.clean_email(text, text),
	private.clean_phone(text, text),
	private.official_key(text, text),
	private.outreach_validate(),
	private.record_stance_change()
	from public, anon, authenticated;
grant execute on function private.can_manage_outreach(uuid), private.can_edit_interaction(uuid),
	private.require_outreach_member(uuid, text)
	to authenticated;
-- The unique index on officials calls it as whoever writes a row.
grant execute on function private.official_key(text, text) to authenticated, service_role;

revoke all on function
	public.log_interaction(uuid, jsonb, uuid[], uuid[], text),
	public.import_officials(uuid, jsonb),
	public.merge_officials(uuid, uuid, jsonb),
	public.create_calendar_feed(uuid),
	public.revoke_calendar_feed(uuid),
	public.calendar_feed_events(text)
	from public, anon;
grant execute on function
	public.log_interaction(uuid, jsonb, uuid[], uuid[], text),
	public.import_officials(uuid, jsonb),
	public.merge_officials(uuid, uuid, jsonb),
	public.create_calendar_feed(uuid),
	public.revoke_calendar_feed(uuid)
	to authenticated;
grant execute on function public.calendar_feed_events(text) to anon, authenticated;
