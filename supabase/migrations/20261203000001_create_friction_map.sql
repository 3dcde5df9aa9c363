-- The friction map: where an agency's stated goals and its actions diverge (friction points, with
-- their evidence, status history and root causes), where pressure could change them (pressure
-- points) and what pushes for and against the change (force-field analysis), plus the team's
-- remembered dismissals of suggestions made from its data.
--
-- Security model (as for agency data):
-- - Deny by default: RLS enabled on every table, policies only `to authenticated`.
-- - Team members (any role) read the team's friction map and change it while the team is not
--   archived; outsiders and organization admins get nothing. Rows cannot point at another team's
--   rows (composite foreign keys on (id, team_id)), so evidence cannot cite an indicator the team
--   cannot see, and a root cause cannot hang under another friction point's cause.
-- - The status history is written by a trigger only (who, when, from → to, note): nobody edits it.
-- - Deleting a goal leaves its friction points with a snapshot of the goal's statement and target.
--
-- Severity and the gap are computed live in the app from the measurements (src/lib/friction/);
-- the database keeps the team's inputs: its rating, the scores, the weights.

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.friction_status as enum (
	'noticed', 'investigating', 'confirmed', 'raised', 'improving', 'resolved', 'dropped'
);
comment on type public.friction_status is
	'Where a friction point stands: noticed, investigating, confirmed, raised (with the agency), improving, resolved, dropped.';

create type public.evidence_kind as enum ('indicator', 'document', 'observation');
comment on type public.evidence_kind is
	'indicator (live figures of one of the team''s indicators), document (title, address, date) or observation (text).';

create type public.pressure_kind as enum (
	'official', 'office', 'budget', 'rule', 'public_attention', 'other'
);
comment on type public.pressure_kind is 'Where pressure could be applied.';

create type public.force_direction as enum ('driving', 'restraining');
comment on type public.force_direction is 'driving: pushes toward the change; restraining: holds it back.';

-- Goals get a key on (id, team_id) so friction points can point at them within their team only.
alter table public.goals add constraint goals_id_team_id_key unique (id, team_id);

-- ---------------------------------------------------------------------------------------------
-- Friction points and their status history
-- ---------------------------------------------------------------------------------------------
create table public.friction_points (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	agency_id uuid not null,
	indicator_id uuid,
	goal_id uuid,
	goal_statement text check (char_length(goal_statement) <= 2000),
	goal_target numeric,
	title text not null check (char_length(title) between 1 and 200),
	observed text check (char_length(observed) <= 4000),
	affected_who text check (char_length(affected_who) <= 1000),
	affected_how text check (char_length(affected_how) <= 2000),
	people_affected int check (people_affected >= 0),
	team_rating smallint not null default 3 check (team_rating between 1 and 5),
	status public.friction_status not null default 'noticed',
	status_note text check (char_length(status_note) <= 1000),
	owner_id uuid,
	private_notes text check (char_length(private_notes) <= 4000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete cascade,
	foreign key (indicator_id, team_id) references public.indicators (id, team_id)
		on delete set null (indicator_id),
	foreign key (goal_id, team_id) references public.goals (id, team_id) on delete set null (goal_id),
	-- The owner is one of the team's members; leaving the team leaves the point without one.
	foreign key (team_id, owner_id) references public.team_members (team_id, user_id)
		on delete set null (owner_id)
);
comment on table public.friction_points is
	'A stated goal of an agency against what it is observed to do, with who is affected, the team''s rating, status and owner. Team members only.';
comment on column public.friction_points.team_id is 'The team whose friction map this is.';
comment on column public.friction_points.agency_id is 'The agency whose goal and action diverge.';
comment on column public.friction_points.indicator_id is 'The indicator whose figures measure the gap, if any (null once it is deleted).';
comment on column public.friction_points.goal_id is 'The stated goal, if any (null once it is deleted; the snapshot stays).';
comment on column public.friction_points.goal_statement is 'The goal''s statement as last seen, kept when the goal is deleted.';
comment on column public.friction_points.goal_target is 'The goal''s target as last seen, kept when the goal is deleted.';
comment on column public.friction_points.title is 'A short name, 1–200 characters.';
comment on column public.friction_points.observed is 'The observed action or outcome, up to 4000 characters.';
comment on column public.friction_points.affected_who is 'Who is affected, up to 1000 characters.';
comment on column public.friction_points.affected_how is 'How they are affected, up to 2000 characters.';
comment on column public.friction_points.people_affected is 'About how many people are affected (the bubble size on the map).';
comment on column public.friction_points.team_rating is 'The team''s own severity rating, 1 (minor) to 5 (grave).';
comment on column public.friction_points.status is 'Where it stands; every change is kept in friction_point_status_changes.';
comment on column public.friction_points.status_note is 'Why the status last changed; copied into the history by the trigger.';
comment on column public.friction_points.owner_id is 'The team member who looks after it.';
comment on column public.friction_points.private_notes is 'Sensitive notes, left out of the printed report unless chosen; up to 4000 characters.';
comment on column public.friction_points.created_by is 'Who added it; null once that account is deleted.';
comment on column public.friction_points.created_at is 'When it was added.';
comment on column public.friction_points.updated_at is 'Last change, stamped by public.set_updated_at().';
create index friction_points_team_id_idx on public.friction_points (team_id);
create index friction_points_agency_id_team_id_idx on public.friction_points (agency_id, team_id);
create index friction_points_indicator_id_team_id_idx on public.friction_points (indicator_id, team_id);
create index friction_points_goal_id_team_id_idx on public.friction_points (goal_id, team_id);
create index friction_points_team_id_owner_id_idx on public.friction_points (team_id, owner_id);
create index friction_points_created_by_idx on public.friction_points (created_by);

create table public.friction_point_status_changes (
	id bigint generated always as identity primary key,
	team_id uuid not null,
	friction_point_id uuid not null,
	from_status public.friction_status,
	to_status public.friction_status not null,
	note text check (char_length(note) <= 1000),
	changed_by uuid default auth.uid(),
	changed_at timestamptz not null default now(),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade,
	-- A key on profiles, so the history can embed the display name.
	constraint friction_point_status_changes_changed_by_profiles_fkey
		foreign key (changed_by) references public.profiles (id) on delete set null
);
comment on table public.friction_point_status_changes is
	'Every status a friction point has had: who, when, from → to, why. Written by a trigger only; team members read it.';
comment on column public.friction_point_status_changes.team_id is 'The friction point''s team.';
comment on column public.friction_point_status_changes.friction_point_id is 'The friction point.';
comment on column public.friction_point_status_changes.from_status is 'The status before (null when the point was added).';
comment on column public.friction_point_status_changes.to_status is 'The status after.';
comment on column public.friction_point_status_changes.note is 'Why, as the member wrote it.';
comment on column public.friction_point_status_changes.changed_by is 'Who changed it; null once that account is deleted.';
comment on column public.friction_point_status_changes.changed_at is 'When.';
create index friction_point_status_changes_point_idx
	on public.friction_point_status_changes (friction_point_id, team_id, changed_at);
create index friction_point_status_changes_team_id_idx on public.friction_point_status_changes (team_id);
create index friction_point_status_changes_changed_by_idx on public.friction_point_status_changes (changed_by);

-- ---------------------------------------------------------------------------------------------
-- Evidence, root causes, pressure points, forces
-- ---------------------------------------------------------------------------------------------
create table public.evidence (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	friction_point_id uuid not null,
	kind public.evidence_kind not null,
	indicator_id uuid,
	title text check (char_length(title) <= 300),
	url text check (char_length(url) <= 1000 and url ~* '^https?://'),
	document_date date,
	body text check (char_length(body) <= 4000),
	sensitive boolean not null default false,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint evidence_kind_shape check (
		case kind
			when 'indicator' then indicator_id is not null
			when 'document' then title is not null and indicator_id is null
			else body is not null and indicator_id is null
		end
	),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade,
	-- Only the team's own indicators: another team's id fails this key.
	foreign key (indicator_id, team_id) references public.indicators (id, team_id) on delete cascade
);
comment on table public.evidence is
	'What shows a friction point: an indicator''s live figures, a document, or an observation. Team members only.';
comment on column public.evidence.team_id is 'The friction point''s team.';
comment on column public.evidence.friction_point_id is 'The friction point it supports.';
comment on column public.evidence.kind is 'indicator, document or observation.';
comment on column public.evidence.indicator_id is 'For indicator evidence: the team''s indicator whose recent periods are shown against the target.';
comment on column public.evidence.title is 'A document''s title (or a heading for other kinds), up to 300 characters.';
comment on column public.evidence.url is 'A document''s http(s) address, up to 1000 characters.';
comment on column public.evidence.document_date is 'A document''s date.';
comment on column public.evidence.body is 'An observation, or notes on the evidence, up to 4000 characters.';
comment on column public.evidence.sensitive is 'Left out of the printed report unless sensitive fields are chosen.';
comment on column public.evidence.created_by is 'Who added it; null once that account is deleted.';
comment on column public.evidence.created_at is 'When it was added.';
comment on column public.evidence.updated_at is 'Last change, stamped by public.set_updated_at().';
create index evidence_friction_point_id_team_id_idx on public.evidence (friction_point_id, team_id);
create index evidence_indicator_id_team_id_idx on public.evidence (indicator_id, team_id);
create index evidence_team_id_idx on public.evidence (team_id);
create index evidence_created_by_idx on public.evidence (created_by);

create table public.root_causes (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	friction_point_id uuid not null,
	parent_id uuid,
	statement text not null check (char_length(statement) between 1 and 1000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, friction_point_id),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade,
	-- The parent is a cause of the same friction point; deleting it deletes what hangs under it.
	foreign key (parent_id, friction_point_id) references public.root_causes (id, friction_point_id)
		on delete cascade
);
comment on table public.root_causes is
	'The "but why?" tree under a friction point: each cause answers why its parent (or the point itself) happens. Team members only.';
comment on column public.root_causes.team_id is 'The friction point''s team.';
comment on column public.root_causes.friction_point_id is 'The friction point.';
comment on column public.root_causes.parent_id is 'The cause this one explains; null for a direct cause of the friction point.';
comment on column public.root_causes.statement is 'The cause, 1–1000 characters.';
comment on column public.root_causes.created_at is 'When it was added.';
comment on column public.root_causes.updated_at is 'Last change, stamped by public.set_updated_at().';
create index root_causes_friction_point_id_team_id_idx on public.root_causes (friction_point_id, team_id);
create index root_causes_parent_id_friction_point_id_idx on public.root_causes (parent_id, friction_point_id);
create index root_causes_team_id_idx on public.root_causes (team_id);

create table public.pressure_points (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	friction_point_id uuid not null,
	kind public.pressure_kind not null default 'other',
	target text not null check (char_length(target) between 1 and 200),
	description text check (char_length(description) <= 2000),
	leverage smallint not null check (leverage between 1 and 5),
	achievability smallint not null check (achievability between 1 and 5),
	salience smallint not null check (salience between 1 and 5),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade
);
comment on table public.pressure_points is
	'Decision points and people where pressure could change a friction point, scored 1–5 for leverage, achievability and public salience. Team members only.';
comment on column public.pressure_points.team_id is 'The friction point''s team.';
comment on column public.pressure_points.friction_point_id is 'The friction point.';
comment on column public.pressure_points.kind is 'official, office, budget, rule, public_attention or other.';
comment on column public.pressure_points.target is 'Who or what (a name, an office, a budget line), 1–200 characters.';
comment on column public.pressure_points.description is 'Why pressure there could work, up to 2000 characters.';
comment on column public.pressure_points.leverage is 'Power over the outcome, 1–5.';
comment on column public.pressure_points.achievability is 'Team capacity, allies and timing, 1–5.';
comment on column public.pressure_points.salience is 'Public salience, 1–5.';
comment on column public.pressure_points.created_at is 'When it was added.';
comment on column public.pressure_points.updated_at is 'Last change, stamped by public.set_updated_at().';
create index pressure_points_friction_point_id_team_id_idx on public.pressure_points (friction_point_id, team_id);
create index pressure_points_team_id_idx on public.pressure_points (team_id);

create table public.forces (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	friction_point_id uuid not null,
	direction public.force_direction not null,
	description text not null check (char_length(description) between 1 and 300),
	weight smallint not null check (weight between 1 and 5),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade
);
comment on table public.forces is
	'Force-field analysis of a friction point: driving and restraining forces with weights 1–5. Team members only.';
comment on column public.forces.team_id is 'The friction point''s team.';
comment on column public.forces.friction_point_id is 'The friction point.';
comment on column public.forces.direction is 'driving or restraining.';
comment on column public.forces.description is 'The force, 1–300 characters.';
comment on column public.forces.weight is 'How strong, 1–5.';
comment on column public.forces.created_at is 'When it was added.';
comment on column public.forces.updated_at is 'Last change, stamped by public.set_updated_at().';
create index forces_friction_point_id_team_id_idx on public.forces (friction_point_id, team_id);
create index forces_team_id_idx on public.forces (team_id);

create table public.friction_dismissals (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	indicator_id uuid not null,
	run_started date,
	dismissed_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (team_id, indicator_id),
	foreign key (indicator_id, team_id) references public.indicators (id, team_id) on delete cascade
);
comment on table public.friction_dismissals is
	'Suggestions from data the team dismissed, per indicator: not proposed again until a new run of off-target periods starts. Team members only.';
comment on column public.friction_dismissals.team_id is 'The team.';
comment on column public.friction_dismissals.indicator_id is 'The indicator whose suggestion was dismissed.';
comment on column public.friction_dismissals.run_started is 'First period of the off-target run when dismissed (null when it was only trending away).';
comment on column public.friction_dismissals.dismissed_by is 'Who dismissed it; null once that account is deleted.';
comment on column public.friction_dismissals.created_at is 'When it was first dismissed.';
comment on column public.friction_dismissals.updated_at is 'Last change, stamped by public.set_updated_at().';
create index friction_dismissals_indicator_id_team_id_idx
	on public.friction_dismissals (indicator_id, team_id);
create index friction_dismissals_dismissed_by_idx
	on public.friction_dismissals (dismissed_by);

-- ---------------------------------------------------------------------------------------------
-- Triggers: updated_at, clear messages, goal snapshots, status history, cause trees, archived teams
-- ---------------------------------------------------------------------------------------------
create trigger friction_points_set_updated_at before update on public.friction_points
	for each row execute function public.set_updated_at();
create trigger evidence_set_updated_at before update on public.evidence
	for each row execute function public.set_updated_at();
create trigger root_causes_set_updated_at before update on public.root_causes
	for each row execute function public.set_updated_at();
create trigger pressure_points_set_updated_at before update on public.pressure_points
	for each row execute function public.set_updated_at();
create trigger forces_set_updated_at before update on public.forces
	for each row execute function public.set_updated_at();
create trigger friction_dismissals_set_updated_at
	before update on public.friction_dismissals
	for each row execute function public.set_updated_at();

-- A score outside 1–5 as a sentence rather than a check violation.
create or replace function private.check_score(value int, label text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
	if value is null or value < 1 or value > 5 then
		raise exception using errcode = 'P0001', message = label || ' must be a whole number from 1 to 5';
	end if;
end;
$$;
comment on function private.check_score(int, text) is
	'Raises "<label> must be a whole number from 1 to 5" unless 1 ≤ value ≤ 5.';

create or replace function private.friction_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	g public.goals;
	fp_team uuid;
	steps int := 0;
	cursor_id uuid;
begin
	case tg_table_name
	when 'friction_points' then
		new.title := private.clean_text(new.title, 'the title', 200, true);
		new.observed := private.clean_text(new.observed, 'the observed action', 4000);
		new.affected_who := private.clean_text(new.affected_who, 'who is affected', 1000);
		new.affected_how := private.clean_text(new.affected_how, 'how they are affected', 2000);
		new.status_note := private.clean_text(new.status_note, 'the status note', 1000);
		new.private_notes := private.clean_text(new.private_notes, 'the private notes', 4000);
		perform private.check_score(new.team_rating, 'the team''s rating');
		if new.people_affected is not null and new.people_affected < 0 then
			raise exception using errcode = 'P0001', message = 'the number of people affected cannot be negative';
		end if;
		-- A new status without a new note: the old note explained the old change, not this one.
		if tg_op = 'UPDATE' and new.status is distinct from old.status
			and new.status_note is not distinct from old.status_note then
			new.status_note := null;
		end if;
		if new.owner_id is not null and (tg_op = 'INSERT' or new.owner_id is distinct from old.owner_id)
			and not exists (
				select 1 from public.team_members m where m.team_id = new.team_id and m.user_id = new.owner_id
			) then
			raise exception using errcode = 'P0001', message = 'the owner must be a member of the team';
		end if;
		-- Only when the goal is chosen: a cascade that clears it (the goal deleted) keeps the snapshot.
		if new.goal_id is not null and (tg_op = 'INSERT' or new.goal_id is distinct from old.goal_id) then
			select * into g from public.goals x where x.id = new.goal_id and x.team_id = new.team_id;
			if g.id is null then
				raise exception using errcode = 'P0001', message = 'that goal does not exist';
			end if;
			if new.indicator_id is null then
				new.indicator_id := g.indicator_id;
			elsif new.indicator_id <> g.indicator_id then
				raise exception using errcode = 'P0001', message = 'the goal belongs to another indicator';
			end if;
			new.goal_statement := g.statement;
			new.goal_target := g.target_value;
		end if;
		if new.indicator_id is not null
			and (tg_op = 'INSERT' or new.indicator_id is distinct from old.indicator_id)
			and not exists (
				select 1 from public.indicators i
				where i.id = new.indicator_id and i.team_id = new.team_id and i.agency_id = new.agency_id
			) then
			raise exception using errcode = 'P0001', message = 'the indicator must be one of the agency''s';
		end if;
	when 'evidence' then
		new.title := private.clean_text(new.title, 'the title', 300);
		new.url := private.clean_url(new.url, 'the address', 1000);
		new.body := private.clean_text(new.body, 'the text', 4000);
		if new.kind = 'indicator' and new.indicator_id is null then
			raise exception using errcode = 'P0001', message = 'choose the indicator whose figures are the evidence';
		elsif new.kind = 'document' and new.title is null then
			raise exception using errcode = 'P0001', message = 'a document needs a title';
		elsif new.kind = 'observation' and new.body is null then
			raise exception using errcode = 'P0001', message = 'an observation needs its text';
		end if;
		if new.kind <> 'indicator' then
			new.indicator_id := null;
		elsif not exists (
			select 1 from public.indicators i where i.id = new.indicator_id and i.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that indicator does not exist';
		end if;
	when 'root_causes' then
		new.statement := private.clean_text(new.statement, 'the cause', 1000, true);
		if new.parent_id is not null then
			select r.team_id into fp_team
			from public.root_causes r
			where r.id = new.parent_id and r.friction_point_id = new.friction_point_id;
			if fp_team is null then
				if exists (select 1 from public.root_causes r where r.id = new.parent_id and r.team_id = new.team_id) then
					raise exception using errcode = 'P0001', message = 'the parent cause belongs to another friction point';
				end if;
				raise exception using errcode = 'P0001', message = 'that parent cause does not exist';
			end if;
			-- Walk up from the new parent: meeting this cause again would close a loop.
			cursor_id := new.parent_id;
			while cursor_id is not null loop
				if cursor_id = new.id then
					raise exception using
						errcode = 'P0001',
						message = 'a cause cannot sit under itself or under one of its own causes';
				end if;
				steps := steps + 1;
				if steps > 1000 then
					raise exception using errcode = 'P0001', message = 'the cause tree is too deep';
				end if;
				select r.parent_id into cursor_id from public.root_causes r where r.id = cursor_id;
			end loop;
		end if;
	when 'pressure_points' then
		new.target := private.clean_text(new.target, 'who or what', 200, true);
		new.description := private.clean_text(new.description, 'the description', 2000);
		perform private.check_score(new.leverage, 'leverage');
		perform private.check_score(new.achievability, 'achievability');
		perform private.check_score(new.salience, 'public salience');
	when 'forces' then
		new.description := private.clean_text(new.description, 'the force', 300, true);
		perform private.check_score(new.weight, 'the weight');
	end case;
	return new;
end;
$$;
comment on function private.friction_validate() is
	'Trigger function (security definer, to call the private helpers and read the goal as any role): trims text, explains bad scores, fills the goal snapshot, and refuses cause loops and parents from another friction point, with sentences.';

create trigger friction_points_validate before insert or update on public.friction_points
	for each row execute function private.friction_validate();
create trigger evidence_validate before insert or update on public.evidence
	for each row execute function private.friction_validate();
create trigger root_causes_validate before insert or update on public.root_causes
	for each row execute function private.friction_validate();
create trigger pressure_points_validate before insert or update on public.pressure_points
	for each row execute function private.friction_validate();
create trigger forces_validate before insert or update on public.forces
	for each row execute function private.friction_validate();

-- The history: one row when a point is added, one for every change of status.
create or replace function private.friction_status_history()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_op = 'INSERT' or new.status is distinct from old.status then
		insert into public.friction_point_status_changes (team_id, friction_point_id, from_status, to_status, note)
		values (
			new.team_id,
			new.id,
			case when tg_op = 'UPDATE' then old.status end,
			new.status,
			new.status_note
		);
	end if;
	return null;
end;
$$;
comment on function private.friction_status_history() is
	'Trigger function (security definer: the history has no insert privilege for API roles): records who changed a friction point''s status, when, from what, to what and why.';

create trigger friction_points_status_history after insert or update of status on public.friction_points
	for each row execute function private.friction_status_history();

-- The snapshot follows edits of the goal while it exists.
create or replace function private.friction_goal_snapshot()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	update public.friction_points f
	set goal_statement = new.statement, goal_target = new.target_value
	where f.goal_id = new.id and f.team_id = new.team_id
		and (f.goal_statement, f.goal_target) is distinct from (new.statement, new.target_value);
	return null;
end;
$$;
comment on function private.friction_goal_snapshot() is
	'Trigger function (security definer, so any member''s goal edit refreshes every friction point''s copy): keeps friction_points.goal_statement and goal_target equal to the goal''s.';

create trigger goals_friction_snapshot after update of statement, target_value on public.goals
	for each row execute function private.friction_goal_snapshot();

create trigger friction_points_refuse_archived before insert or update or delete on public.friction_points
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger evidence_refuse_archived before insert or update or delete on public.evidence
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger root_causes_refuse_archived before insert or update or delete on public.root_causes
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger pressure_points_refuse_archived before insert or update or delete on public.pressure_points
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger forces_refuse_archived before insert or update or delete on public.forces
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();
create trigger friction_dismissals_refuse_archived
	before insert or update or delete on public.friction_dismissals
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();

-- ---------------------------------------------------------------------------------------------
-- Row Level Security and grants: deny by default (not forced, as in the agency-data migration:
-- the security-definer triggers run as the tables' owner and must bypass it).
-- ---------------------------------------------------------------------------------------------
alter table public.friction_points enable row level security;
alter table public.friction_point_status_changes enable row level security;
alter table public.evidence enable row level security;
alter table public.root_causes enable row level security;
alter table public.pressure_points enable row level security;
alter table public.forces enable row level security;
alter table public.friction_dismissals enable row level security;

revoke all on public.friction_points, public.friction_point_status_changes, public.evidence,
	public.root_causes, public.pressure_points, public.forces, public.friction_dismissals
	from anon, authenticated;

grant select, delete on public.friction_points, public.evidence, public.root_causes,
	public.pressure_points, public.forces, public.friction_dismissals
	to authenticated;
grant select on public.friction_point_status_changes to authenticated;
-- The goal snapshot is the trigger's to write; team_id never changes.
grant insert (team_id, agency_id, indicator_id, goal_id, title, observed, affected_who, affected_how,
		people_affected, team_rating, status, status_note, owner_id, private_notes),
	update (goal_id, indicator_id, title, observed, affected_who, affected_how, people_affected,
		team_rating, status, status_note, owner_id, private_notes)
	on public.friction_points to authenticated;
grant insert (team_id, friction_point_id, kind, indicator_id, title, url, document_date, body, sensitive),
	update (title, url, document_date, body, sensitive)
	on public.evidence to authenticated;
grant insert (team_id, friction_point_id, parent_id, statement), update (parent_id, statement)
	on public.root_causes to authenticated;
grant insert (team_id, friction_point_id, kind, target, description, leverage, achievability, salience),
	update (kind, target, description, leverage, achievability, salience)
	on public.pressure_points to authenticated;
grant insert (team_id, friction_point_id, direction, description, weight),
	update (direction, description, weight)
	on public.forces to authenticated;
-- team_id and indicator_id too: an upsert (on_conflict) sets every column it sends.
grant insert (team_id, indicator_id, run_started), update (team_id, indicator_id, run_started)
	on public.friction_dismissals to authenticated;

do $$
declare
	t text;
begin
	foreach t in array array[
		'friction_points', 'evidence', 'root_causes', 'pressure_points', 'forces',
		'friction_dismissals'
	]
	loop
		execute format(
			'create policy "Members can read their team''s %1$s" on public.%1$I
				for select to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can read their team''s %1$s" on public.%1$I is %2$L',
			t, 'Any member, any role, also while archived; outsiders and organization admins see nothing.'
		);
		execute format(
			'create policy "Members can add %1$s while the team is active" on public.%1$I
				for insert to authenticated with check ((select private.can_change_team_data(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can add %1$s while the team is active" on public.%1$I is %2$L',
			t, 'Members of a team that is not archived; team_id pins the row to that team.'
		);
		-- using: members, so the archived-team trigger can explain; with check: not archived.
		execute format(
			'create policy "Members can change %1$s while the team is active" on public.%1$I
				for update to authenticated
				using ((select private.is_team_member(team_id)))
				with check ((select private.can_change_team_data(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can change %1$s while the team is active" on public.%1$I is %2$L',
			t, 'Members; an archived team is refused with a sentence by the refuse_archived trigger.'
		);
		execute format(
			'create policy "Members can delete %1$s while the team is active" on public.%1$I
				for delete to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can delete %1$s while the team is active" on public.%1$I is %2$L',
			t, 'Members; an archived team is refused with a sentence by the refuse_archived trigger.'
		);
	end loop;
end;
$$;

create policy "Team members can read their team's status history"
	on public.friction_point_status_changes for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can read their team's status history"
	on public.friction_point_status_changes is
	'The history is written by the friction_points trigger only; members read it.';

-- ---------------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------------
-- Accepting a suggestion from data: the friction point, its indicator evidence, and the end of any
-- dismissal, in one transaction. Security invoker: RLS and the triggers check every row.
create or replace function public.accept_friction_suggestion(
	team_id uuid,
	indicator_id uuid,
	title text,
	observed text default null,
	goal_id uuid default null
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
	ind public.indicators;
	new_id uuid;
begin
	if auth.uid() is null then
		raise exception using errcode = 'P0001', message = 'you need to sign in first';
	end if;
	-- RLS hides other teams' indicators: theirs read as missing. An archived team is refused by
	-- the friction_points trigger with its sentence.
	select * into ind from public.indicators i
	where i.id = accept_friction_suggestion.indicator_id and i.team_id = accept_friction_suggestion.team_id;
	if ind.id is null then
		raise exception using errcode = 'P0001', message = 'that indicator does not exist';
	end if;
	insert into public.friction_points (team_id, agency_id, indicator_id, goal_id, title, observed)
	values (ind.team_id, ind.agency_id, ind.id, accept_friction_suggestion.goal_id,
		accept_friction_suggestion.title, accept_friction_suggestion.observed)
	returning id into new_id;
	insert into public.evidence (team_id, friction_point_id, kind, indicator_id, title)
	values (ind.team_id, new_id, 'indicator', ind.id, ind.name);
	delete from public.friction_dismissals d
	where d.team_id = ind.team_id and d.indicator_id = ind.id;
	return new_id;
end;
$$;
comment on function public.accept_friction_suggestion(uuid, uuid, text, text, uuid) is
	'Security invoker (RLS applies): turns a suggestion from data into a friction point of the indicator''s agency with the indicator as evidence, and forgets any dismissal of it; returns the new friction point''s id.';

revoke all on function private.check_score(int, text), private.friction_validate(),
	private.friction_status_history(), private.friction_goal_snapshot()
	from public, anon, authenticated;
revoke all on function public.accept_friction_suggestion(uuid, uuid, text, text, uuid) from public, anon;
grant execute on function public.accept_friction_suggestion(uuid, uuid, text, text, uuid) to authenticated;
