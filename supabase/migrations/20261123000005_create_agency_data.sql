-- Agency service data: the agencies a team studies, their programs, indicators and stated goals, the
-- measurements the team gathers (mostly from CSV files), and the record of every import so it can be
-- undone.
--
-- Security model (as for teams):
-- - Deny by default: RLS enabled and forced on every table, policies only `to authenticated`.
-- - Team members (any role) read the team's data and change it while the team is not archived;
--   outsiders and organization admins get nothing. Rows cannot point at another team's rows
--   (composite foreign keys on (id, team_id)).
-- - Imports go through functions: start_import, stage_import_rows (chunks of the file), check_import,
--   commit_import (all or nothing, in one transaction), cancel_import and undo_import. The staging
--   table and the change journal have no API access at all.
--
-- Errors the UI shows as they are: SQLSTATE P0001 with a plain message, or
-- - GW101 commit_import found agencies or indicators that do not exist yet (the wizard offers to
--   create them: commit again with create_missing).

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.indicator_direction as enum ('up', 'down', 'target');
comment on type public.indicator_direction is
	'Which way is better: up (higher is better), down (lower is better) or target (close to the target).';

create type public.indicator_frequency as enum (
	'day', 'week', 'month', 'quarter', 'year', 'fiscal_year', 'irregular'
);
comment on type public.indicator_frequency is 'How often the indicator is measured.';

-- ---------------------------------------------------------------------------------------------
-- Private helpers
-- ---------------------------------------------------------------------------------------------
-- Members may change their team's data while the team is not archived. Used by policies.
create or replace function private.can_change_team_data(team_id uuid)
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
		where m.team_id = $1 and m.user_id = (select auth.uid()) and t.archived_at is null
	)
$$;
comment on function private.can_change_team_data(uuid) is
	'Security definer: true when the current user is a member of the team and the team is not archived. Used by policies.';

-- The functions' common start: a member of a team that is not archived.
create or replace function private.require_data_writer(team_id uuid, message text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	if not private.is_team_member($1) then
		raise exception using errcode = 'P0001', message = $2;
	end if;
	if exists (select 1 from public.teams t where t.id = $1 and t.archived_at is not null) then
		raise exception using
			errcode = 'P0001',
			message = 'this team is archived: unarchive it before changing its data';
	end if;
end;
$$;
comment on function private.require_data_writer(uuid, text) is
	'Security definer: raises the given message unless the current user is a member of the team, and "this team is archived: unarchive it before changing its data" when it is archived.';

-- http(s) addresses only: a javascript: link on a page would run in teammates' browsers.
create or replace function private.clean_url(value text, label text, max_length int)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	v text := private.clean_text(value, label, max_length);
begin
	if v is not null and v !~* '^https?://[^\s/]+' then
		raise exception using
			errcode = 'P0001',
			message = label || ' must be a web address starting with http:// or https://';
	end if;
	return v;
end;
$$;
comment on function private.clean_url(text, text, int) is
	'clean_text for web addresses: also raises "<label> must be a web address starting with http:// or https://".';

-- ---------------------------------------------------------------------------------------------
-- Agencies, programs, indicators, goals
-- ---------------------------------------------------------------------------------------------
create table public.agencies (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	name text not null check (char_length(name) between 1 and 200),
	jurisdiction text check (char_length(jurisdiction) <= 200),
	type text check (char_length(type) <= 100),
	website text check (char_length(website) <= 500 and website ~* '^https?://'),
	notes text check (char_length(notes) <= 4000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id)
);
comment on table public.agencies is
	'The public agencies a team studies (a health board, a housing department). Team members only.';
comment on column public.agencies.team_id is 'The team whose data this is.';
comment on column public.agencies.name is '1–200 characters, unique in the team regardless of case.';
comment on column public.agencies.jurisdiction is 'Where it operates (a city, a country), up to 200 characters.';
comment on column public.agencies.type is 'What kind of agency, up to 100 characters.';
comment on column public.agencies.website is 'An http(s) address, up to 500 characters.';
comment on column public.agencies.notes is 'The team''s notes, data credits included; up to 4000 characters.';
comment on column public.agencies.created_by is 'Who added it; null once that account is deleted.';
comment on column public.agencies.created_at is 'When it was added.';
comment on column public.agencies.updated_at is 'Last change, stamped by public.set_updated_at().';
create unique index agencies_team_id_name_key on public.agencies (team_id, lower(name));
create index agencies_created_by_idx on public.agencies (created_by);

create table public.programs (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	agency_id uuid not null,
	name text not null check (char_length(name) between 1 and 200),
	description text check (char_length(description) <= 4000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, agency_id),
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete cascade
);
comment on table public.programs is 'Programs or services of an agency. Team members only.';
comment on column public.programs.team_id is 'The team whose data this is (the agency''s team).';
comment on column public.programs.agency_id is 'The agency that runs it.';
comment on column public.programs.name is '1–200 characters, unique in the agency regardless of case.';
comment on column public.programs.description is 'Up to 4000 characters.';
comment on column public.programs.created_at is 'When it was added.';
comment on column public.programs.updated_at is 'Last change, stamped by public.set_updated_at().';
create unique index programs_agency_id_name_key on public.programs (agency_id, lower(name));
create index programs_agency_id_team_id_idx on public.programs (agency_id, team_id);
create index programs_team_id_idx on public.programs (team_id);

create table public.indicators (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	agency_id uuid not null,
	program_id uuid,
	name text not null check (char_length(name) between 1 and 300),
	unit text check (char_length(unit) <= 50),
	direction public.indicator_direction not null default 'up',
	frequency public.indicator_frequency not null default 'irregular',
	description text check (char_length(description) <= 4000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete cascade,
	-- The program must be the same agency's; deleting it leaves the indicator without one.
	foreign key (program_id, agency_id) references public.programs (id, agency_id)
		on delete set null (program_id)
);
comment on table public.indicators is
	'What an agency''s service is measured by (attendances, share seen within four hours). Team members only.';
comment on column public.indicators.team_id is 'The team whose data this is (the agency''s team).';
comment on column public.indicators.agency_id is 'The agency it measures.';
comment on column public.indicators.program_id is 'The agency''s program it belongs to, if any.';
comment on column public.indicators.name is '1–300 characters, unique in the agency regardless of case.';
comment on column public.indicators.unit is 'Unit shown with values (%, people, days), up to 50 characters.';
comment on column public.indicators.direction is 'up: higher is better; down: lower is better; target: close to the target is better.';
comment on column public.indicators.frequency is 'How often it is measured.';
comment on column public.indicators.description is 'Definition and caveats, up to 4000 characters.';
comment on column public.indicators.created_at is 'When it was added.';
comment on column public.indicators.updated_at is 'Last change, stamped by public.set_updated_at().';
create unique index indicators_agency_id_name_key on public.indicators (agency_id, lower(name));
create index indicators_agency_id_team_id_idx on public.indicators (agency_id, team_id);
create index indicators_program_id_agency_id_idx on public.indicators (program_id, agency_id);
create index indicators_team_id_idx on public.indicators (team_id);

create table public.goals (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	indicator_id uuid not null,
	statement text not null check (char_length(statement) between 1 and 2000),
	target_value numeric,
	target_date date,
	period_label text check (char_length(period_label) <= 100),
	source_title text check (char_length(source_title) <= 300),
	source_url text check (char_length(source_url) <= 1000 and source_url ~* '^https?://'),
	source_date date,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (indicator_id, team_id) references public.indicators (id, team_id) on delete cascade
);
comment on table public.goals is
	'What the agency says it aims for, in its own words, with the source. Team members only.';
comment on column public.goals.team_id is 'The team whose data this is (the indicator''s team).';
comment on column public.goals.indicator_id is 'The indicator the goal is measured by.';
comment on column public.goals.statement is 'The goal as stated, 1–2000 characters.';
comment on column public.goals.target_value is 'The figure aimed for, if the goal has one.';
comment on column public.goals.target_date is 'By when, if stated.';
comment on column public.goals.period_label is 'The period the target applies to (each week, FY2024), up to 100 characters.';
comment on column public.goals.source_title is 'The document or page that states it, up to 300 characters.';
comment on column public.goals.source_url is 'Its http(s) address, up to 1000 characters.';
comment on column public.goals.source_date is 'The source''s date.';
comment on column public.goals.created_at is 'When it was added.';
comment on column public.goals.updated_at is 'Last change, stamped by public.set_updated_at().';
create index goals_indicator_id_team_id_idx on public.goals (indicator_id, team_id);
create index goals_team_id_idx on public.goals (team_id);

-- ---------------------------------------------------------------------------------------------
-- Imports and measurements
-- ---------------------------------------------------------------------------------------------
create table public.imports (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	file_name text not null check (char_length(file_name) between 1 and 255),
	imported_by uuid default auth.uid(),
	status text not null default 'staging' check (status in ('staging', 'committed', 'undone', 'cancelled')),
	mapping jsonb,
	total_rows int check (total_rows >= 0),
	inserted int,
	updated int,
	unchanged int,
	rejected int check (rejected >= 0),
	created_agencies int,
	created_indicators int,
	errors jsonb check (errors is null or jsonb_typeof(errors) = 'array'),
	-- What commit_import created, so undo_import can remove what is left empty.
	created_agency_ids uuid[] not null default '{}',
	created_program_ids uuid[] not null default '{}',
	created_indicator_ids uuid[] not null default '{}',
	committed_at timestamptz,
	undone_at timestamptz,
	undone_by uuid references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- A key on profiles, so the history can embed the importer's display name.
	constraint imports_imported_by_profiles_fkey
		foreign key (imported_by) references public.profiles (id) on delete set null
);
comment on table public.imports is
	'Every CSV import: who, when, which file, the mapping used, the counts and the rejected rows. Read by team members; written by the import functions only.';
comment on column public.imports.team_id is 'The team that imported.';
comment on column public.imports.file_name is 'The file''s name as uploaded, up to 255 characters.';
comment on column public.imports.imported_by is 'Who imported (their profile, for the display name); null once that account is deleted.';
comment on column public.imports.status is 'staging (rows being sent), committed, undone or cancelled.';
comment on column public.imports.mapping is 'The column mapping used, as the wizard sent it.';
comment on column public.imports.total_rows is 'Data rows in the file.';
comment on column public.imports.inserted is 'Measurements added by the commit.';
comment on column public.imports.updated is 'Measurements whose value, target or note the commit changed.';
comment on column public.imports.unchanged is 'Rows identical to what was already there.';
comment on column public.imports.rejected is 'Rows the wizard rejected (see errors).';
comment on column public.imports.created_agencies is 'Agencies created by the commit.';
comment on column public.imports.created_indicators is 'Indicators created by the commit.';
comment on column public.imports.errors is 'The rejected rows: [{row, column, reason, value, message}] (the app keeps at most 10,000).';
comment on column public.imports.created_agency_ids is 'Agencies the commit created (undo removes those left empty).';
comment on column public.imports.created_program_ids is 'Programs the commit created (undo removes those left empty).';
comment on column public.imports.created_indicator_ids is 'Indicators the commit created (undo removes those left without measurements).';
comment on column public.imports.committed_at is 'When it was committed.';
comment on column public.imports.undone_at is 'When it was undone.';
comment on column public.imports.undone_by is 'Who undid it.';
comment on column public.imports.created_at is 'When the import started.';
comment on column public.imports.updated_at is 'Last change, stamped by public.set_updated_at().';
create index imports_team_id_created_at_idx on public.imports (team_id, created_at desc);
create index imports_imported_by_idx on public.imports (imported_by);
create index imports_undone_by_idx on public.imports (undone_by);

create table public.measurements (
	id bigint generated always as identity primary key,
	-- No key of its own on teams: the one on (indicator_id, team_id) already ties it to the team and
	-- cascades from it, and a second check per row is a tenth of a million-row import.
	team_id uuid not null,
	indicator_id uuid not null,
	period_start date not null,
	period_end date not null,
	grain text not null check (grain in ('day', 'week', 'month', 'quarter', 'year', 'fiscal_year')),
	value numeric not null,
	target numeric,
	note text check (char_length(note) <= 2000),
	-- No foreign key on purpose: a million-row import would pay a check per row. Only the import
	-- functions write it, imports are deleted only with their team (and its measurements), and undo
	-- restores an id only if that import still exists.
	import_id uuid,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint measurements_period_order check (period_end >= period_start),
	constraint measurements_indicator_period_key unique (indicator_id, period_start, period_end),
	foreign key (indicator_id, team_id) references public.indicators (id, team_id) on delete cascade
);
comment on table public.measurements is
	'One value of an indicator for one period (a day, a week ending on a date, a fiscal year). Team members only.';
comment on column public.measurements.team_id is 'The team whose data this is (the indicator''s team).';
comment on column public.measurements.indicator_id is 'The indicator.';
comment on column public.measurements.period_start is 'First day of the period.';
comment on column public.measurements.period_end is 'Last day of the period (the same day for a daily figure).';
comment on column public.measurements.grain is 'day, week, month, quarter, year or fiscal_year.';
comment on column public.measurements.value is 'The figure.';
comment on column public.measurements.target is 'The target for this period, when the source gives one.';
comment on column public.measurements.note is 'The team''s note, shown on charts ("the story behind the curve"); up to 2000 characters.';
comment on column public.measurements.import_id is 'The import that last wrote the value (null when typed in).';
comment on column public.measurements.created_at is 'When it was added.';
comment on column public.measurements.updated_at is 'Last change, stamped by public.set_updated_at().';
create index measurements_import_id_idx on public.measurements (import_id);

-- Staging: the file's valid rows, sent in chunks, emptied on commit or cancel.
create table public.import_rows (
	import_id uuid not null references public.imports (id) on delete cascade,
	seq int not null,
	row_no int,
	agency text constraint import_rows_agency check (agency is not null and char_length(agency) between 1 and 200),
	program text constraint import_rows_program check (char_length(program) <= 200),
	indicator text constraint import_rows_indicator
		check (indicator is not null and char_length(indicator) between 1 and 300),
	period_start date constraint import_rows_period_start check (period_start is not null),
	period_end date constraint import_rows_period_end check (period_end is not null and period_end >= period_start),
	grain text constraint import_rows_grain
		check (grain in ('day', 'week', 'month', 'quarter', 'year', 'fiscal_year')),
	value numeric constraint import_rows_value check (value is not null),
	target numeric,
	unit text constraint import_rows_unit check (char_length(unit) <= 50),
	note text constraint import_rows_note check (char_length(note) <= 2000),
	primary key (import_id, seq)
);
comment on table public.import_rows is
	'Staged rows of an import in progress (stage_import_rows), in file order (seq). No API access; emptied on commit or cancel.';

-- The journal undo_import replays. Only updates are journalled: what an import inserted still
-- carries its import_id (an import that later changed it journals that id as previous.import_id),
-- so a million-row first import writes no million journal rows.
create table public.import_changes (
	import_id uuid not null references public.imports (id) on delete cascade,
	measurement_id bigint not null,
	previous jsonb not null
);
comment on table public.import_changes is
	'The values each commit replaced: previous = {value, target, note, import_id} per measurement it updated (inserted ones carry the import''s id instead). No API access; read by undo_import.';
create index import_changes_import_id_measurement_id_idx on public.import_changes (import_id, measurement_id);

create table public.import_mappings (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	signature text not null check (char_length(signature) between 1 and 2000),
	name text check (char_length(name) <= 200),
	mapping jsonb not null check (jsonb_typeof(mapping) = 'object'),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (team_id, signature)
);
comment on table public.import_mappings is
	'Column mappings saved per team, found again by the file''s header signature. Team members only.';
comment on column public.import_mappings.team_id is 'The team.';
comment on column public.import_mappings.signature is 'headerSignature() of the file''s header row.';
comment on column public.import_mappings.name is 'A name for the mapping, up to 200 characters.';
comment on column public.import_mappings.mapping is 'The mapping, as the wizard uses it.';
comment on column public.import_mappings.created_at is 'When it was first saved.';
comment on column public.import_mappings.updated_at is 'Last change, stamped by public.set_updated_at().';

-- ---------------------------------------------------------------------------------------------
-- Triggers: updated_at, clear messages, archived teams
-- ---------------------------------------------------------------------------------------------
create trigger agencies_set_updated_at before update on public.agencies
	for each row execute function public.set_updated_at();
create trigger programs_set_updated_at before update on public.programs
	for each row execute function public.set_updated_at();
create trigger indicators_set_updated_at before update on public.indicators
	for each row execute function public.set_updated_at();
create trigger goals_set_updated_at before update on public.goals
	for each row execute function public.set_updated_at();
create trigger measurements_set_updated_at before update on public.measurements
	for each row execute function public.set_updated_at();
create trigger imports_set_updated_at before update on public.imports
	for each row execute function public.set_updated_at();
create trigger import_mappings_set_updated_at before update on public.import_mappings
	for each row execute function public.set_updated_at();

create or replace function private.agency_data_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	case tg_table_name
	when 'agencies' then
		new.name := private.clean_text(new.name, 'the agency name', 200, true);
		new.jurisdiction := private.clean_text(new.jurisdiction, 'the jurisdiction', 200);
		new.type := private.clean_text(new.type, 'the agency type', 100);
		new.website := private.clean_url(new.website, 'the website', 500);
		new.notes := private.clean_text(new.notes, 'the notes', 4000);
		if exists (
			select 1 from public.agencies a
			where a.team_id = new.team_id and lower(a.name) = lower(new.name) and a.id <> new.id
		) then
			raise exception using errcode = 'P0001', message = 'the team already has an agency with that name';
		end if;
	when 'programs' then
		new.name := private.clean_text(new.name, 'the program name', 200, true);
		new.description := private.clean_text(new.description, 'the description', 4000);
		if exists (
			select 1 from public.programs p
			where p.agency_id = new.agency_id and lower(p.name) = lower(new.name) and p.id <> new.id
		) then
			raise exception using errcode = 'P0001', message = 'the agency already has a program with that name';
		end if;
	when 'indicators' then
		new.name := private.clean_text(new.name, 'the indicator name', 300, true);
		new.unit := private.clean_text(new.unit, 'the unit', 50);
		new.description := private.clean_text(new.description, 'the description', 4000);
		if exists (
			select 1 from public.indicators i
			where i.agency_id = new.agency_id and lower(i.name) = lower(new.name) and i.id <> new.id
		) then
			raise exception using errcode = 'P0001', message = 'the agency already has an indicator with that name';
		end if;
	when 'goals' then
		new.statement := private.clean_text(new.statement, 'the goal', 2000, true);
		new.period_label := private.clean_text(new.period_label, 'the period', 100);
		new.source_title := private.clean_text(new.source_title, 'the source title', 300);
		new.source_url := private.clean_url(new.source_url, 'the source address', 1000);
	when 'import_mappings' then
		new.name := private.clean_text(new.name, 'the mapping name', 200);
		new.signature := private.clean_text(new.signature, 'the header signature', 2000, true);
		if new.mapping is null or jsonb_typeof(new.mapping) <> 'object' then
			raise exception using errcode = 'P0001', message = 'the mapping must be a JSON object';
		end if;
	end case;
	return new;
end;
$$;
comment on function private.agency_data_validate() is
	'Trigger function (security definer, to call the private helpers as any role): trims text and explains what is wrong with a row of agencies, programs, indicators, goals or import_mappings.';

create trigger agencies_validate before insert or update on public.agencies
	for each row execute function private.agency_data_validate();
create trigger programs_validate before insert or update on public.programs
	for each row execute function private.agency_data_validate();
create trigger indicators_validate before insert or update on public.indicators
	for each row execute function private.agency_data_validate();
create trigger goals_validate before insert or update on public.goals
	for each row execute function private.agency_data_validate();
create trigger import_mappings_validate before insert or update on public.import_mappings
	for each row execute function private.agency_data_validate();

-- Measurements come by the million: the trigger runs only for a row its checks would refuse, to
-- say why in a sentence.
create or replace function private.measurements_explain()
returns trigger
language plpgsql
immutable
set search_path = ''
as $$
begin
	if new.period_end < new.period_start then
		raise exception using errcode = 'P0001', message = 'the period cannot end before it starts';
	end if;
	if new.grain is null or new.grain not in ('day', 'week', 'month', 'quarter', 'year', 'fiscal_year') then
		raise exception using
			errcode = 'P0001',
			message = 'the period must be a day, week, month, quarter, year or fiscal year';
	end if;
	if char_length(new.note) > 2000 then
		raise exception using errcode = 'P0001', message = 'the note can be at most 2000 characters';
	end if;
	return new;
end;
$$;
comment on function private.measurements_explain() is
	'Trigger function: the sentence for a measurement its check constraints would refuse.';

create trigger measurements_explain before insert or update on public.measurements
	for each row
	when (
		new.period_end < new.period_start
		or new.grain is null
		or new.grain not in ('day', 'week', 'month', 'quarter', 'year', 'fiscal_year')
		or char_length(new.note) > 2000
	)
	execute function private.measurements_explain();
comment on trigger measurements_explain on public.measurements is 'Clear messages instead of check violations.';

-- API clients writing an archived team's data get a sentence, not a bare RLS refusal. Security
-- invoker on purpose: it checks the calling role, so the import functions (table owner) and
-- cascades skip it; they check for themselves.
create or replace function private.refuse_archived_team()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
	tid uuid := case when tg_op = 'DELETE' then old.team_id else new.team_id end;
begin
	if exists (select 1 from public.teams t where t.id = tid and t.archived_at is not null) then
		raise exception using
			errcode = 'P0001',
			message = 'this team is archived: unarchive it before changing its data';
	end if;
	return case when tg_op = 'DELETE' then old else new end;
end;
$$;
comment on function private.refuse_archived_team() is
	'Trigger function (security invoker: it sees only teams the caller belongs to): raises "this team is archived: unarchive it before changing its data".';

create trigger agencies_refuse_archived before insert or update or delete on public.agencies
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger programs_refuse_archived before insert or update or delete on public.programs
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger indicators_refuse_archived before insert or update or delete on public.indicators
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger goals_refuse_archived before insert or update or delete on public.goals
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger measurements_refuse_archived before insert or update or delete on public.measurements
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger import_mappings_refuse_archived before insert or update or delete on public.import_mappings
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();

-- ---------------------------------------------------------------------------------------------
-- Row Level Security and grants: deny by default. Not forced: the security-definer functions run as
-- the tables' owner and must bypass it, as in the teams migration (hosted Supabase's postgres role is not
-- a superuser).
-- ---------------------------------------------------------------------------------------------
alter table public.agencies enable row level security;
alter table public.programs enable row level security;
alter table public.indicators enable row level security;
alter table public.goals enable row level security;
alter table public.measurements enable row level security;
alter table public.imports enable row level security;
alter table public.import_rows enable row level security;
alter table public.import_changes enable row level security;
alter table public.import_mappings enable row level security;

revoke all on public.agencies, public.programs, public.indicators, public.goals, public.measurements,
	public.imports, public.import_rows, public.import_changes, public.import_mappings
	from anon, authenticated;
-- The staging table and the journal are for the import functions alone.
revoke all on public.import_rows, public.import_changes from service_role;

grant select, delete on public.agencies, public.programs, public.indicators, public.goals,
	public.measurements, public.import_mappings
	to authenticated;
grant select on public.imports to authenticated;
grant insert (team_id, name, jurisdiction, type, website, notes),
	update (name, jurisdiction, type, website, notes)
	on public.agencies to authenticated;
grant insert (team_id, agency_id, name, description), update (name, description)
	on public.programs to authenticated;
grant insert (team_id, agency_id, program_id, name, unit, direction, frequency, description),
	update (program_id, name, unit, direction, frequency, description)
	on public.indicators to authenticated;
grant insert (team_id, indicator_id, statement, target_value, target_date, period_label, source_title,
		source_url, source_date),
	update (statement, target_value, target_date, period_label, source_title, source_url, source_date)
	on public.goals to authenticated;
-- import_id is written by the import functions only, so undo can trust it.
grant insert (team_id, indicator_id, period_start, period_end, grain, value, target, note),
	update (period_start, period_end, grain, value, target, note)
	on public.measurements to authenticated;
-- team_id and signature too: an upsert (on_conflict) sets every column it sends.
grant insert (team_id, signature, name, mapping), update (team_id, signature, name, mapping)
	on public.import_mappings to authenticated;

do $$
declare
	t text;
begin
	foreach t in array array['agencies', 'programs', 'indicators', 'goals', 'measurements', 'import_mappings']
	loop
		execute format(
			'create policy "Team members can read their team''s %1$s" on public.%1$I
				for select to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
		execute format(
			'create policy "Team members can add %1$s while the team is active" on public.%1$I
				for insert to authenticated with check ((select private.can_change_team_data(team_id)))',
			t
		);
		-- using: members, so the archived-team trigger can explain; with check: not archived.
		execute format(
			'create policy "Team members can change %1$s while the team is active" on public.%1$I
				for update to authenticated
				using ((select private.is_team_member(team_id)))
				with check ((select private.can_change_team_data(team_id)))',
			t
		);
		-- Members: the archived-team trigger refuses with its sentence (a policy would match no row).
		execute format(
			'create policy "Team members can delete %1$s while the team is active" on public.%1$I
				for delete to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
	end loop;
end;
$$;

create policy "Team members can read their team's imports"
	on public.imports for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can read their team's imports" on public.imports is
	'The history and error reports; imports are written by start_import … undo_import only.';

-- ---------------------------------------------------------------------------------------------
-- Functions: imports
--
-- stage, check, commit and undo carry `set statement_timeout = '10min'`: a million-row import runs
-- longer than the API roles' timeout (8 s for authenticated). PostgREST (12.1+, hosted Supabase and
-- the local runtime) hoists a function's statement_timeout into the request transaction before the
-- call; the SET clause alone would come too late for the timer of the statement already running.
-- ---------------------------------------------------------------------------------------------
-- The import row for the caller, locked; the same sentence for another team's import as for none.
create or replace function private.lock_import(import_id uuid)
returns public.imports
language plpgsql
security definer
set search_path = ''
as $$
declare
	imp public.imports;
begin
	select * into imp from public.imports i where i.id = $1 for update;
	if imp.id is null or not private.is_team_member(imp.team_id) then
		raise exception using errcode = 'P0001', message = 'that import does not exist';
	end if;
	perform private.require_data_writer(imp.team_id, 'that import does not exist');
	return imp;
end;
$$;
comment on function private.lock_import(uuid) is
	'Security definer: locks and returns the import, or raises "that import does not exist" (also for another team''s import) or the archived-team sentence.';

create or replace function private.import_status_problem(status text)
returns text
language sql
immutable
set search_path = ''
as $$
	select case $1
		when 'committed' then 'this import has already been committed'
		when 'cancelled' then 'this import was cancelled: start a new one'
		when 'undone' then 'this import was undone: start a new one'
	end
$$;
comment on function private.import_status_problem(text) is 'Why an import that is not staging cannot take rows or be committed.';

-- Only on the error path: the first element of a chunk that cannot be staged, as a sentence.
create or replace function private.staged_row_problem(e jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
	d1 date;
	d2 date;
	n numeric;
begin
	if jsonb_typeof(e) is distinct from 'array' then
		return 'is not a list of values';
	end if;
	if nullif(btrim(e ->> 0), '') is null then return 'has no agency'; end if;
	if char_length(btrim(e ->> 0)) > 200 then return 'has an agency name longer than 200 characters'; end if;
	if char_length(btrim(e ->> 1)) > 200 then return 'has a program name longer than 200 characters'; end if;
	if nullif(btrim(e ->> 2), '') is null then return 'has no indicator'; end if;
	if char_length(btrim(e ->> 2)) > 300 then return 'has an indicator name longer than 300 characters'; end if;
	begin
		d1 := (e ->> 3)::date;
		d2 := (e ->> 4)::date;
	exception when others then
		return 'has a period date the database cannot read';
	end;
	if d1 is null or d2 is null then return 'has no period'; end if;
	if d2 < d1 then return 'has a period that ends before it starts'; end if;
	if (e ->> 5) is null or (e ->> 5) not in ('day', 'week', 'month', 'quarter', 'year', 'fiscal_year') then
		return 'has no valid period grain (day, week, month, quarter, year or fiscal_year)';
	end if;
	begin
		n := (e ->> 6)::numeric;
		if n is null then return 'has no value'; end if;
		n := (e ->> 7)::numeric;
	exception when others then
		return 'has a value or target that is not a number';
	end;
	if char_length(btrim(e ->> 8)) > 50 then return 'has a unit longer than 50 characters'; end if;
	if char_length(btrim(e ->> 9)) > 2000 then return 'has a note longer than 2000 characters'; end if;
	begin
		perform (e ->> 10)::int;
	exception when others then
		return 'has a row number that is not a whole number';
	end;
	return null;
end;
$$;
comment on function private.staged_row_problem(jsonb) is
	'What is wrong with one staged row ([agency, program, indicator, period_start, period_end, grain, value, target, unit, note, row_no]), or null.';

create or replace function public.start_import(
	team_id uuid,
	file_name text,
	mapping jsonb default null,
	total_rows int default null,
	rejected int default 0,
	errors jsonb default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	clean_name text := private.clean_text(start_import.file_name, 'the file name', 255, true);
	new_id uuid;
begin
	perform private.require_data_writer(start_import.team_id, 'only a member of the team can import its data');
	if start_import.errors is not null and jsonb_typeof(start_import.errors) <> 'array' then
		raise exception using errcode = 'P0001', message = 'the error report must be a list';
	end if;
	if jsonb_array_length(coalesce(start_import.errors, '[]')) > 10000 then
		raise exception using errcode = 'P0001', message = 'the error report can hold at most 10000 rows';
	end if;
	if coalesce(start_import.total_rows, 0) < 0 or coalesce(start_import.rejected, 0) < 0 then
		raise exception using errcode = 'P0001', message = 'row counts cannot be negative';
	end if;
	insert into public.imports (team_id, file_name, imported_by, mapping, total_rows, rejected, errors)
	values (
		start_import.team_id, clean_name, uid, start_import.mapping, start_import.total_rows,
		coalesce(start_import.rejected, 0), start_import.errors
	)
	returning id into new_id;
	return new_id;
end;
$$;
comment on function public.start_import(uuid, text, jsonb, int, int, jsonb) is
	'Security definer, team members of an active team: opens an import in status staging and returns its id. errors are the rows the wizard rejected (at most 10,000).';

-- The wizard stages rows while it reads the file, so the file's row count and rejected rows are
-- only known at the end of the check: it records them here before the commit.
create or replace function public.finish_import(
	import_id uuid,
	total_rows int,
	rejected int,
	errors jsonb default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	imp public.imports := private.lock_import(finish_import.import_id);
begin
	if imp.imported_by is distinct from uid then
		raise exception using errcode = 'P0001', message = 'only the person who started an import can add rows to it';
	end if;
	if imp.status <> 'staging' then
		raise exception using errcode = 'P0001', message = private.import_status_problem(imp.status);
	end if;
	if finish_import.errors is not null and jsonb_typeof(finish_import.errors) <> 'array' then
		raise exception using errcode = 'P0001', message = 'the error report must be a list';
	end if;
	if jsonb_array_length(coalesce(finish_import.errors, '[]')) > 10000 then
		raise exception using errcode = 'P0001', message = 'the error report can hold at most 10000 rows';
	end if;
	if coalesce(finish_import.total_rows, 0) < 0 or coalesce(finish_import.rejected, 0) < 0 then
		raise exception using errcode = 'P0001', message = 'row counts cannot be negative';
	end if;
	update public.imports i
	set total_rows = finish_import.total_rows,
		rejected = coalesce(finish_import.rejected, 0),
		errors = finish_import.errors
	where i.id = imp.id;
end;
$$;
comment on function public.finish_import(uuid, int, int, jsonb) is
	'Security definer, the importer of a staging import: records the file''s row count and the rows the wizard rejected (at most 10,000).';

create or replace function public.stage_import_rows(import_id uuid, rows jsonb)
returns int
language plpgsql
security definer
set search_path = ''
set statement_timeout = '10min'
as $$
declare
	uid uuid := private.require_user();
	imp public.imports := private.lock_import(stage_import_rows.import_id);
	base int;
	n int;
	problem text;
begin
	if imp.imported_by is distinct from uid then
		raise exception using errcode = 'P0001', message = 'only the person who started an import can add rows to it';
	end if;
	if imp.status <> 'staging' then
		raise exception using errcode = 'P0001', message = private.import_status_problem(imp.status);
	end if;
	if stage_import_rows.rows is null or jsonb_typeof(stage_import_rows.rows) <> 'array' then
		raise exception using errcode = 'P0001', message = 'the rows must be a list';
	end if;
	n := jsonb_array_length(stage_import_rows.rows);
	if n > 20000 then
		raise exception using errcode = 'P0001', message = 'send at most 20000 rows at a time';
	end if;
	select coalesce(max(r.seq), 0) into base from public.import_rows r where r.import_id = imp.id;
	if n = 0 then
		return base;
	end if;
	begin
		insert into public.import_rows (
			import_id, seq, row_no, agency, program, indicator, period_start, period_end, grain, value,
			target, unit, note
		)
		select
			imp.id,
			base + e.ord::int,
			coalesce((e.v ->> 10)::int, base + e.ord::int),
			nullif(btrim(e.v ->> 0), ''),
			nullif(btrim(e.v ->> 1), ''),
			nullif(btrim(e.v ->> 2), ''),
			(e.v ->> 3)::date,
			(e.v ->> 4)::date,
			e.v ->> 5,
			(e.v ->> 6)::numeric,
			(e.v ->> 7)::numeric,
			nullif(btrim(e.v ->> 8), ''),
			nullif(btrim(e.v ->> 9), '')
		from jsonb_array_elements(stage_import_rows.rows) with ordinality as e (v, ord);
	exception when others then
		select format(
			'row %s %s',
			coalesce(case when jsonb_typeof(e.v) = 'array' then e.v ->> 10 end, (base + e.ord)::text),
			private.staged_row_problem(e.v)
		)
		into problem
		from jsonb_array_elements(stage_import_rows.rows) with ordinality as e (v, ord)
		where private.staged_row_problem(e.v) is not null
		order by e.ord
		limit 1;
		raise exception using errcode = 'P0001', message = coalesce(problem, 'the rows could not be staged: ' || sqlerrm);
	end;
	return base + n;
end;
$$;
comment on function public.stage_import_rows(uuid, jsonb) is
	'Security definer, the importer only, while staging: appends a chunk (at most 20,000) of rows [agency, program, indicator, period_start, period_end, grain, value, target, unit, note, row_no]; returns the rows staged so far.';

-- The staged rows, one per (indicator, period), the last in the file winning, with the agency and
-- indicator they resolve to (null while missing), in a temporary table dropped at commit: check and
-- commit read it several times, and the planner knows its size (a CTE's it would guess, and choose
-- nested loops that are quadratic on a million rows).
create or replace function private.resolve_import(import_id uuid, team_id uuid)
returns int
language plpgsql
security definer
set search_path = ''
-- Sorting a million staged rows in memory rather than in temporary files.
set work_mem = '64MB'
as $$
declare
	n int;
begin
	drop table if exists pg_temp.gw_import_src;
	-- Resolved first (hash joins on the team's few agencies and indicators), then one row kept per
	-- (indicator, period): sorting by a uuid is much cheaper than by lower-cased names. A missing
	-- indicator's key is derived from its names, compared trimmed and case-blind.
	create temporary table gw_import_src on commit drop as
	select distinct on (k.key, k.period_start, k.period_end) k.*
	from (
		select
			r.agency, r.program, r.indicator, r.period_start, r.period_end, r.grain, r.value, r.target,
			r.unit, r.note, r.seq, a.id as agency_id, i.id as indicator_id,
			coalesce(i.id, md5(lower(r.agency) || chr(1) || lower(r.indicator))::uuid) as key
		from public.import_rows r
		left join public.agencies a on a.team_id = $2 and lower(a.name) = lower(r.agency)
		left join public.indicators i on i.agency_id = a.id and lower(i.name) = lower(r.indicator)
		where r.import_id = $1
	) k
	order by k.key, k.period_start, k.period_end, k.seq desc;
	get diagnostics n = row_count;
	analyze pg_temp.gw_import_src;
	return n;
end;
$$;
comment on function private.resolve_import(uuid, uuid) is
	'Security definer: fills the temporary table gw_import_src with the import''s staged rows, one per (agency, indicator, period) compared trimmed and case-blind, the last staged winning, with agency_id and indicator_id (null while missing). Returns its row count.';

create or replace function public.check_import(import_id uuid)
returns json
language plpgsql
security definer
set search_path = ''
set statement_timeout = '10min'
as $$
declare
	imp public.imports;
	result json;
begin
	perform private.require_user();
	imp := private.lock_import(check_import.import_id);
	if imp.status <> 'staging' then
		raise exception using errcode = 'P0001', message = private.import_status_problem(imp.status);
	end if;
	perform private.resolve_import(imp.id, imp.team_id);
	with outcome as (
		select
			case
				when m.id is null then 'insert'
				when (m.value, m.target, m.note) is distinct from (s.value, s.target, coalesce(s.note, m.note))
					then 'update'
				else 'unchanged'
			end as what
		from pg_temp.gw_import_src s
		left join public.measurements m
			on m.indicator_id = s.indicator_id and m.period_start = s.period_start and m.period_end = s.period_end
	),
	counts as (
		select
			count(*) filter (where o.what = 'insert') as inserts,
			count(*) filter (where o.what = 'update') as updates,
			count(*) filter (where o.what = 'unchanged') as unchanged
		from outcome o
	),
	missing_agencies as (
		select min(s.agency) as name from pg_temp.gw_import_src s
		where s.agency_id is null group by lower(s.agency)
	),
	missing_indicators as (
		select min(s.agency) as agency, min(s.indicator) as indicator
		from pg_temp.gw_import_src s
		where s.indicator_id is null group by lower(s.agency), lower(s.indicator)
	)
	select json_build_object(
		'staged', (select coalesce(max(r.seq), 0) from public.import_rows r where r.import_id = imp.id),
		'missing_agencies', coalesce((select json_agg(x.name order by lower(x.name)) from missing_agencies x), '[]'),
		'missing_indicators', coalesce(
			(select json_agg(json_build_object('agency', x.agency, 'indicator', x.indicator)
				order by lower(x.agency), lower(x.indicator)) from missing_indicators x),
			'[]'
		),
		'inserts', c.inserts,
		'updates', c.updates,
		'unchanged', c.unchanged
	)
	into result
	from counts c;
	drop table pg_temp.gw_import_src;
	return result;
end;
$$;
comment on function public.check_import(uuid) is
	'Security definer, team members: what committing would do: {staged, missing_agencies, missing_indicators: [{agency, indicator}], inserts, updates, unchanged}.';

create or replace function public.commit_import(import_id uuid, create_missing boolean default false)
returns json
language plpgsql
security definer
set search_path = ''
set statement_timeout = '10min'
as $$
declare
	uid uuid := private.require_user();
	imp public.imports := private.lock_import(commit_import.import_id);
	n_missing int;
	missing_names text[];
	new_agencies uuid[] := '{}';
	new_programs uuid[] := '{}';
	new_indicators uuid[] := '{}';
	n_src int;
	n_inserted int;
	n_updated int;
begin
	if imp.imported_by is distinct from uid then
		raise exception using errcode = 'P0001', message = 'only the person who started an import can commit it';
	end if;
	if imp.status <> 'staging' then
		raise exception using errcode = 'P0001', message = private.import_status_problem(imp.status);
	end if;

	-- The distinct (agency, indicator) pairs first: a hash aggregate, far cheaper than resolving
	-- every row twice around creating what is missing.
	drop table if exists pg_temp.gw_import_pairs;
	create temporary table gw_import_pairs on commit drop as
	select p.*, a.id as agency_id
	from (
		select
			min(r.agency) as agency,
			min(r.indicator) as indicator,
			min(r.program) as program,
			min(r.unit) as unit,
			case when min(r.grain) = max(r.grain) then min(r.grain) else 'irregular' end as frequency
		from public.import_rows r
		where r.import_id = imp.id
		group by lower(r.agency), lower(r.indicator)
	) p
	left join public.agencies a on a.team_id = imp.team_id and lower(a.name) = lower(p.agency)
	where not exists (
		select 1 from public.indicators i where i.agency_id = a.id and lower(i.name) = lower(p.indicator)
	);

	select count(*)::int, (array_agg(p.indicator order by lower(p.indicator), lower(p.agency)))[1:5]
	into n_missing, missing_names
	from pg_temp.gw_import_pairs p;

	if n_missing > 0 and not coalesce(commit_import.create_missing, false) then
		raise exception using
			errcode = 'GW101',
			message = format(
				'%s %s not exist yet: %s%s',
				n_missing,
				case when n_missing = 1 then 'indicator does' else 'indicators do' end,
				array_to_string(missing_names, ', '),
				case when n_missing > 5 then ', …' else '' end
			),
			hint = 'Commit again with create_missing to create them.';
	end if;

	if n_missing > 0 then
		with k as (
			select min(p.agency) as name from pg_temp.gw_import_pairs p
			where p.agency_id is null group by lower(p.agency)
		),
		ins as (
			insert into public.agencies (team_id, name, created_by)
			select imp.team_id, k.name, uid from k
			returning id
		)
		select coalesce(array_agg(ins.id), '{}') into new_agencies from ins;

		with k as (
			select min(p.agency) as agency, min(p.program) as name
			from pg_temp.gw_import_pairs p
			where p.program is not null
			group by lower(p.agency), lower(p.program)
		),
		ins as (
			insert into public.programs (team_id, agency_id, name)
			select imp.team_id, a.id, k.name
			from k
			join public.agencies a on a.team_id = imp.team_id and lower(a.name) = lower(k.agency)
			where not exists (
				select 1 from public.programs p where p.agency_id = a.id and lower(p.name) = lower(k.name)
			)
			returning id
		)
		select coalesce(array_agg(ins.id), '{}') into new_programs from ins;

		-- Unit from the rows, frequency from their grain (irregular when it varies), direction up.
		with ins as (
			insert into public.indicators (team_id, agency_id, program_id, name, unit, direction, frequency)
			select imp.team_id, a.id, pr.id, k.indicator, k.unit, 'up', k.frequency::public.indicator_frequency
			from pg_temp.gw_import_pairs k
			join public.agencies a on a.team_id = imp.team_id and lower(a.name) = lower(k.agency)
			left join public.programs pr on pr.agency_id = a.id and lower(pr.name) = lower(k.program)
			returning id
		)
		select coalesce(array_agg(ins.id), '{}') into new_indicators from ins;
	end if;
	drop table pg_temp.gw_import_pairs;

	n_src := private.resolve_import(imp.id, imp.team_id);

	-- Journal what the upsert below will change, before it changes it (RETURNING cannot show the
	-- old values). The same condition as its do-update where clause.
	insert into public.import_changes (import_id, measurement_id, previous)
	select imp.id, m.id, jsonb_build_object('value', m.value, 'target', m.target, 'note', m.note, 'import_id', m.import_id)
	from pg_temp.gw_import_src s
	join public.measurements m
		on m.indicator_id = s.indicator_id and m.period_start = s.period_start and m.period_end = s.period_end
	where (m.value, m.target, m.note) is distinct from (s.value, s.target, coalesce(s.note, m.note));
	get diagnostics n_updated = row_count;

	with up as (
		insert into public.measurements as m (
			team_id, indicator_id, period_start, period_end, grain, value, target, note, import_id
		)
		select imp.team_id, s.indicator_id, s.period_start, s.period_end, s.grain, s.value, s.target, s.note, imp.id
		from pg_temp.gw_import_src s
		on conflict (indicator_id, period_start, period_end) do update set
			grain = excluded.grain,
			value = excluded.value,
			target = excluded.target,
			note = coalesce(excluded.note, m.note),
			import_id = excluded.import_id
		where (m.value, m.target, m.note)
			is distinct from (excluded.value, excluded.target, coalesce(excluded.note, m.note))
		returning (m.xmax = 0) as inserted
	)
	select count(*) filter (where up.inserted) into n_inserted from up;

	drop table pg_temp.gw_import_src;
	delete from public.import_rows r where r.import_id = imp.id;

	update public.imports i set
		status = 'committed',
		committed_at = now(),
		inserted = n_inserted,
		updated = n_updated,
		unchanged = n_src - n_inserted - n_updated,
		created_agencies = cardinality(new_agencies),
		created_indicators = cardinality(new_indicators),
		created_agency_ids = new_agencies,
		created_program_ids = new_programs,
		created_indicator_ids = new_indicators
	where i.id = imp.id;

	perform private.log_activity(
		imp.team_id,
		'import.committed',
		null,
		jsonb_build_object(
			'import_id', imp.id, 'file_name', imp.file_name, 'inserted', n_inserted, 'updated', n_updated,
			'unchanged', n_src - n_inserted - n_updated
		)
	);

	return json_build_object(
		'import_id', imp.id,
		'inserted', n_inserted,
		'updated', n_updated,
		'unchanged', n_src - n_inserted - n_updated,
		'rejected', coalesce(imp.rejected, 0),
		'created_agencies', cardinality(new_agencies),
		'created_indicators', cardinality(new_indicators)
	);
end;
$$;
comment on function public.commit_import(uuid, boolean) is
	'Security definer, the importer only: in one transaction, creates missing agencies and indicators (only with create_missing; else GW101 names them), upserts the staged rows by (indicator, period) — the last duplicate wins, a note is only replaced by a note — journals the changes for undo, and returns {import_id, inserted, updated, unchanged, rejected, created_agencies, created_indicators}.';

create or replace function public.cancel_import(import_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	imp public.imports := private.lock_import(cancel_import.import_id);
begin
	if imp.imported_by is distinct from uid
		and not private.has_team_role(imp.team_id, array['leader']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = 'only the person who started an import or a team leader can cancel it';
	end if;
	if imp.status <> 'staging' then
		raise exception using errcode = 'P0001', message = private.import_status_problem(imp.status);
	end if;
	delete from public.import_rows r where r.import_id = imp.id;
	update public.imports i set status = 'cancelled' where i.id = imp.id;
end;
$$;
comment on function public.cancel_import(uuid) is
	'Security definer, the importer or a leader: abandons an import that is still staging and drops its staged rows.';

create or replace function public.undo_import(import_id uuid)
returns json
language plpgsql
security definer
set search_path = ''
set statement_timeout = '10min'
as $$
declare
	uid uuid := private.require_user();
	imp public.imports := private.lock_import(undo_import.import_id);
	later public.imports;
	n_deleted int;
	n_restored int;
begin
	if imp.imported_by is distinct from uid
		and not private.has_team_role(imp.team_id, array['leader']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = 'only the person who made an import or a team leader can undo it';
	end if;
	if imp.status <> 'committed' then
		raise exception using errcode = 'P0001', message = case imp.status
			when 'undone' then 'this import has already been undone'
			else 'only a committed import can be undone'
		end;
	end if;

	-- A later import that changed the same measurements owns them now: undo that one first. Its
	-- journal names this import as the previous writer of what it changed.
	select i2.* into later
	from public.imports i2
	where i2.team_id = imp.team_id and i2.status = 'committed' and i2.id <> imp.id
		and i2.committed_at >= imp.committed_at
		and exists (
			select 1 from public.import_changes c
			where c.import_id = i2.id and c.previous ->> 'import_id' = imp.id::text
		)
	order by i2.committed_at desc
	limit 1;
	if later.id is not null then
		raise exception using
			errcode = 'P0001',
			message = format(
				'undo the later import of %s first: it changed the same measurements',
				later.file_name
			);
	end if;

	-- Still carrying this import's id and not in its journal: it inserted them.
	delete from public.measurements m
	where m.import_id = imp.id
		and not exists (
			select 1 from public.import_changes c where c.import_id = imp.id and c.measurement_id = m.id
		);
	get diagnostics n_deleted = row_count;

	update public.measurements m set
		value = (c.previous ->> 'value')::numeric,
		target = (c.previous ->> 'target')::numeric,
		note = c.previous ->> 'note',
		import_id = (select i.id from public.imports i where i.id = (c.previous ->> 'import_id')::uuid)
	from public.import_changes c
	where c.import_id = imp.id and m.id = c.measurement_id and m.import_id = imp.id;
	get diagnostics n_restored = row_count;

	-- What the import created and is now empty goes too; anything the team added to it keeps it.
	delete from public.indicators i
	where i.id = any (imp.created_indicator_ids)
		and not exists (select 1 from public.measurements m where m.indicator_id = i.id)
		and not exists (select 1 from public.goals g where g.indicator_id = i.id);
	delete from public.programs p
	where p.id = any (imp.created_program_ids)
		and not exists (select 1 from public.indicators i where i.program_id = p.id);
	delete from public.agencies a
	where a.id = any (imp.created_agency_ids)
		and not exists (select 1 from public.indicators i where i.agency_id = a.id)
		and not exists (select 1 from public.programs p where p.agency_id = a.id);

	delete from public.import_changes c where c.import_id = imp.id;
	update public.imports i set status = 'undone', undone_at = now(), undone_by = uid where i.id = imp.id;
	perform private.log_activity(
		imp.team_id,
		'import.undone',
		null,
		jsonb_build_object('import_id', imp.id, 'file_name', imp.file_name, 'deleted', n_deleted, 'restored', n_restored)
	);
	return json_build_object('deleted', n_deleted, 'restored', n_restored);
end;
$$;
comment on function public.undo_import(uuid) is
	'Security definer, the importer or a leader: reverses a committed import — deletes the measurements it inserted, restores those it updated, removes the agencies and indicators it created that are left empty — unless a later committed import changed the same measurements. Returns {deleted, restored}.';

-- ---------------------------------------------------------------------------------------------
-- Functions: charts
-- ---------------------------------------------------------------------------------------------
create or replace function public.indicator_series(
	indicator_ids uuid[],
	"from" date default null,
	"to" date default null
)
returns table (
	indicator_id uuid,
	period_start date,
	period_end date,
	value numeric,
	target numeric,
	note text
)
language sql
stable
security invoker
set search_path = ''
as $$
	select m.indicator_id, m.period_start, m.period_end, m.value, m.target, m.note
	from public.measurements m
	where m.indicator_id = any ($1)
		and ($2 is null or m.period_end >= $2)
		and ($3 is null or m.period_start <= $3)
	order by m.indicator_id, m.period_start, m.period_end
$$;
comment on function public.indicator_series(uuid[], date, date) is
	'Security invoker (RLS applies): the measurements of several indicators between two dates, for charts; no row limit of its own.';

-- One JSON value for every point, so a chart of many long series is one request and one execution:
-- the rows of indicator_series come back max_rows at a time, each page running the function again.
create or replace function public.indicator_series_json(
	indicator_ids uuid[],
	from_date date default null,
	to_date date default null
)
returns json
language sql
stable
security invoker
set search_path = ''
as $$
	select coalesce(
		json_agg(json_build_object('indicator_id', s.indicator_id, 'points', s.points)
			order by s.indicator_id),
		'[]'::json
	)
	from (
		select
			m.indicator_id,
			json_agg(json_build_array(m.period_start, m.period_end, m.value, m.target, m.note)
				order by m.period_start, m.period_end) as points
		from public.measurements m
		where m.indicator_id = any (indicator_series_json.indicator_ids)
			and (indicator_series_json.from_date is null or m.period_end >= indicator_series_json.from_date)
			and (indicator_series_json.to_date is null or m.period_start <= indicator_series_json.to_date)
		group by m.indicator_id
	) s
$$;
comment on function public.indicator_series_json(uuid[], date, date) is
	'Security invoker (RLS applies): the points of several indicators between two dates as one JSON array of {indicator_id, points: [[period_start, period_end, value, target, note], ...]} in period order; indicators without visible points are left out.';

create or replace function public.agency_target_summary(team_id uuid)
returns table (
	agency_id uuid,
	agency_name text,
	indicators int,
	on_target int,
	off_target int,
	no_target int,
	latest_period date
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
	perform private.require_user();
	if not private.is_team_member(agency_target_summary.team_id) then
		raise exception using errcode = 'P0001', message = 'only a member of the team can see its data';
	end if;
	return query
	with latest as (
		select
			i.agency_id,
			i.id,
			i.direction,
			lm.value,
			lm.period_end,
			coalesce(lm.target, g.target_value) as target
		from public.indicators i
		left join lateral (
			select m.value, m.target, m.period_end
			from public.measurements m
			where m.indicator_id = i.id
			order by m.period_start desc, m.period_end desc
			limit 1
		) lm on true
		left join lateral (
			select g.target_value
			from public.goals g
			where g.indicator_id = i.id and g.target_value is not null
			order by g.target_date desc nulls last, g.created_at desc
			limit 1
		) g on true
		where i.team_id = agency_target_summary.team_id
	),
	judged as (
		select
			l.*,
			case
				when l.value is null or l.target is null then null
				when l.direction = 'up' then l.value >= l.target
				when l.direction = 'down' then l.value <= l.target
				else abs(l.value - l.target) <= abs(l.target) * 0.05
			end as on_target
		from latest l
	)
	select
		a.id,
		a.name,
		count(j.id)::int,
		count(*) filter (where j.on_target)::int,
		count(*) filter (where not j.on_target)::int,
		count(*) filter (where j.id is not null and j.on_target is null)::int,
		max(j.period_end)
	from public.agencies a
	left join judged j on j.agency_id = a.id
	where a.team_id = agency_target_summary.team_id
	group by a.id, a.name
	order by lower(a.name), a.id;
end;
$$;
comment on function public.agency_target_summary(uuid) is
	'Security definer, team members: per agency, how many indicators'' latest measurement is on or off target (the measurement''s target, else the goal''s with the latest target date), how many have none, and the latest period end.';

-- ---------------------------------------------------------------------------------------------
-- Function privileges: authenticated only; helpers stay private
-- ---------------------------------------------------------------------------------------------
revoke all on function
	private.can_change_team_data(uuid),
	private.require_data_writer(uuid, text),
	private.clean_url(text, text, int),
	private.agency_data_validate(),
	private.measurements_explain(),
	private.refuse_archived_team(),
	private.lock_import(uuid),
	private.import_status_problem(text),
	private.staged_row_problem(jsonb),
	private.resolve_import(uuid, uuid)
	from public, anon, authenticated;
grant execute on function private.can_change_team_data(uuid) to authenticated;
-- Invoked as the calling role by the triggers above.
grant execute on function private.refuse_archived_team(), private.measurements_explain() to authenticated;

revoke all on function
	public.start_import(uuid, text, jsonb, int, int, jsonb),
	public.finish_import(uuid, int, int, jsonb),
	public.stage_import_rows(uuid, jsonb),
	public.check_import(uuid),
	public.commit_import(uuid, boolean),
	public.cancel_import(uuid),
	public.undo_import(uuid),
	public.indicator_series(uuid[], date, date),
	public.indicator_series_json(uuid[], date, date),
	public.agency_target_summary(uuid)
	from public, anon;
grant execute on function
	public.start_import(uuid, text, jsonb, int, int, jsonb),
	public.finish_import(uuid, int, int, jsonb),
	public.stage_import_rows(uuid, jsonb),
	public.check_import(uuid),
	public.commit_import(uuid, boolean),
	public.cancel_import(uuid),
	public.undo_import(uuid),
	public.indicator_series(uuid[], date, date),
	public.indicator_series_json(uuid[], date, date),
	public.agency_target_summary(uuid)
	to authenticated;
