-- Advocacy initiatives: plans bound to the team's friction points, indicators, officials and
-- agencies. An initiative states the problem (its friction points), a vision and a mission, and a
-- SMART objective on one of the team's indicators (baseline, target, deadline: progress is computed
-- in the app from the measurements, never typed in). Around it: the strategy chart (goals by
-- horizon, organizational considerations, constituents, allies and opponents, primary and
-- secondary targets from the directory, tactics tied to a target), milestones, tasks on a board
-- with comments, links to the interactions that concern it, and its own force-field analysis (the
-- friction map's forces table, which now hangs off a friction point or an initiative).
--
-- Security model (as for agency data and the friction map):
-- - Deny by default: RLS enabled on every table, policies only `to authenticated`.
-- - Team members (any role) read the team's initiatives and change them while the team is not
--   archived; outsiders and organization admins get nothing. Rows cannot point at another team's
--   rows (composite foreign keys on (id, team_id)), so a target cannot be another team's official
--   and a task cannot follow up another team's interaction.
-- - Comments on tasks: any member adds one as its author; only its author changes or deletes it.
-- - The status history is written by a trigger only.
-- - Deleting an initiative is a soft delete (deleted_at) that the list offers to undo; nothing of
--   it is removed until the team itself is deleted.
-- - Nothing here reads interaction_confidential_notes (leaders only): no page, plan or export of an
--   initiative can show them.
--
-- Errors the UI shows are SQLSTATE P0001 with a plain lowercase sentence.

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.initiative_status as enum ('draft', 'active', 'paused', 'won', 'lost', 'closed');
comment on type public.initiative_status is
	'Where an initiative stands: draft, active, paused, won, lost, closed (the last three end it, with a reflection).';

create type public.strategy_item_kind as enum (
	'long_term_goal', 'intermediate_goal', 'short_term_goal', 'resource', 'gain', 'constituent',
	'ally', 'opponent'
);
comment on type public.strategy_item_kind is
	'A line of the strategy chart: goals by horizon, organizational considerations (resources the team puts in, what it wants to gain), constituents, allies and opponents.';

create type public.initiative_target_role as enum ('primary', 'secondary');
comment on type public.initiative_target_role is
	'primary: has the power to give the team what it wants; secondary: has power over a primary target.';

create type public.task_status as enum ('todo', 'doing', 'blocked', 'done');
comment on type public.task_status is 'The board''s columns: to do, doing, blocked, done.';

-- Follow-ups get a key on (id, team_id) so tasks can point at them within their team only.
alter table public.follow_ups add constraint follow_ups_id_team_id_key unique (id, team_id);

-- ---------------------------------------------------------------------------------------------
-- Initiatives, their friction points and status history
-- ---------------------------------------------------------------------------------------------
create table public.initiatives (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	title text not null check (char_length(title) between 1 and 200),
	problem text check (char_length(problem) <= 4000),
	vision text check (char_length(vision) <= 2000),
	mission text check (char_length(mission) <= 2000),
	objective text check (char_length(objective) <= 1000),
	indicator_id uuid,
	baseline_value numeric check (abs(baseline_value) < 1e15),
	baseline_date date,
	target_value numeric check (abs(target_value) < 1e15),
	start_date date not null default current_date,
	deadline date,
	status public.initiative_status not null default 'draft',
	status_note text check (char_length(status_note) <= 1000),
	reflection text check (char_length(reflection) <= 4000),
	sensitive_notes text check (char_length(sensitive_notes) <= 4000),
	deleted_at timestamptz,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	constraint initiatives_deadline_order check (deadline is null or deadline >= start_date),
	foreign key (indicator_id, team_id) references public.indicators (id, team_id)
		on delete set null (indicator_id)
);
comment on table public.initiatives is
	'A change initiative: the problem, vision, mission and a SMART objective on one of the team''s indicators, with its status. Soft-deleted with deleted_at. Team members only.';
comment on column public.initiatives.team_id is 'The team whose plan this is.';
comment on column public.initiatives.title is 'A short name, 1–200 characters.';
comment on column public.initiatives.problem is 'The problem it addresses, in the team''s words (its friction points are linked in initiative_friction_points).';
comment on column public.initiatives.vision is 'What the world looks like when it succeeds.';
comment on column public.initiatives.mission is 'What the team will do about it.';
comment on column public.initiatives.objective is 'The SMART objective: what will change, for whom, by when.';
comment on column public.initiatives.indicator_id is 'The team''s indicator that measures the objective (null once it is deleted).';
comment on column public.initiatives.baseline_value is 'The indicator''s value at the start, from which progress counts.';
comment on column public.initiatives.baseline_date is 'When the baseline was measured.';
comment on column public.initiatives.target_value is 'The value the objective aims for by the deadline.';
comment on column public.initiatives.start_date is 'When the initiative starts.';
comment on column public.initiatives.deadline is 'By when the target is to be reached (not before the start).';
comment on column public.initiatives.status is 'draft, active, paused, won, lost or closed; every change is kept in initiative_status_changes.';
comment on column public.initiatives.status_note is 'Why the status last changed; copied into the history by the trigger.';
comment on column public.initiatives.reflection is 'The closing reflection: what worked, what did not, what the team learned.';
comment on column public.initiatives.sensitive_notes is 'Notes left out of the one-page plan and the export unless chosen.';
comment on column public.initiatives.deleted_at is 'When it was deleted (null: live); the list offers undo for a while.';
comment on column public.initiatives.created_by is 'Who started it; null once that account is deleted.';
comment on column public.initiatives.created_at is 'When it was started.';
comment on column public.initiatives.updated_at is 'Last change, stamped by public.set_updated_at().';
create index initiatives_team_id_idx on public.initiatives (team_id);
create index initiatives_indicator_id_team_id_idx on public.initiatives (indicator_id, team_id);
create index initiatives_created_by_idx on public.initiatives (created_by);

create table public.initiative_friction_points (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	initiative_id uuid not null,
	friction_point_id uuid not null,
	created_at timestamptz not null default now(),
	unique (initiative_id, friction_point_id),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade,
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade
);
comment on table public.initiative_friction_points is
	'The friction points an initiative addresses (its problem). Team members only.';
comment on column public.initiative_friction_points.team_id is 'The team.';
comment on column public.initiative_friction_points.initiative_id is 'The initiative.';
comment on column public.initiative_friction_points.friction_point_id is 'A friction point of the same team.';
comment on column public.initiative_friction_points.created_at is 'When it was linked.';
create index initiative_friction_points_initiative_idx
	on public.initiative_friction_points (initiative_id, team_id);
create index initiative_friction_points_point_idx
	on public.initiative_friction_points (friction_point_id, team_id);
create index initiative_friction_points_team_id_idx on public.initiative_friction_points (team_id);

create table public.initiative_status_changes (
	id bigint generated always as identity primary key,
	team_id uuid not null,
	initiative_id uuid not null,
	from_status public.initiative_status,
	to_status public.initiative_status not null,
	note text check (char_length(note) <= 1000),
	changed_by uuid default auth.uid(),
	changed_at timestamptz not null default now(),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade,
	-- A key on profiles, so the history can embed the display name.
	constraint initiative_status_changes_changed_by_profiles_fkey
		foreign key (changed_by) references public.profiles (id) on delete set null
);
comment on table public.initiative_status_changes is
	'Every status an initiative has had: who, when, from → to, why. Written by a trigger only; team members read it.';
comment on column public.initiative_status_changes.team_id is 'The initiative''s team.';
comment on column public.initiative_status_changes.initiative_id is 'The initiative.';
comment on column public.initiative_status_changes.from_status is 'The status before (null when it was started).';
comment on column public.initiative_status_changes.to_status is 'The status after.';
comment on column public.initiative_status_changes.note is 'Why, as the member wrote it.';
comment on column public.initiative_status_changes.changed_by is 'Who changed it; null once that account is deleted.';
comment on column public.initiative_status_changes.changed_at is 'When.';
create index initiative_status_changes_initiative_idx
	on public.initiative_status_changes (initiative_id, team_id, changed_at);
create index initiative_status_changes_team_id_idx on public.initiative_status_changes (team_id);
create index initiative_status_changes_changed_by_idx on public.initiative_status_changes (changed_by);

-- ---------------------------------------------------------------------------------------------
-- The strategy chart
-- ---------------------------------------------------------------------------------------------
create table public.initiative_strategy_items (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	initiative_id uuid not null,
	kind public.strategy_item_kind not null,
	body text not null check (char_length(body) between 1 and 500),
	sensitive boolean not null default false,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade
);
comment on table public.initiative_strategy_items is
	'The strategy chart''s lines other than targets and tactics: goals by horizon, resources, what the team wants to gain, constituents, allies, opponents. Team members only.';
comment on column public.initiative_strategy_items.team_id is 'The initiative''s team.';
comment on column public.initiative_strategy_items.initiative_id is 'The initiative.';
comment on column public.initiative_strategy_items.kind is 'Which column and box of the chart it sits in.';
comment on column public.initiative_strategy_items.body is 'The line, 1–500 characters.';
comment on column public.initiative_strategy_items.sensitive is 'Left out of the one-page plan and the export unless chosen (an opponent named, a weakness).';
comment on column public.initiative_strategy_items.created_at is 'When it was added (the chart''s order).';
comment on column public.initiative_strategy_items.updated_at is 'Last change, stamped by public.set_updated_at().';
create index initiative_strategy_items_initiative_idx
	on public.initiative_strategy_items (initiative_id, team_id);
create index initiative_strategy_items_team_id_idx on public.initiative_strategy_items (team_id);

create table public.initiative_targets (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	initiative_id uuid not null,
	role public.initiative_target_role not null default 'primary',
	official_id uuid,
	agency_id uuid,
	note text check (char_length(note) <= 1000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, initiative_id),
	constraint initiative_targets_one_kind check ((official_id is null) <> (agency_id is null)),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade,
	-- Only the team's own directory: another team's official or agency fails these keys.
	foreign key (official_id, team_id) references public.officials (id, team_id) on delete cascade,
	foreign key (agency_id, team_id) references public.agencies (id, team_id) on delete cascade
);
comment on table public.initiative_targets is
	'Who has the power to give the team what it wants: an official (with the stance the directory keeps) or an agency of the team, primary or secondary. Team members only.';
comment on column public.initiative_targets.team_id is 'The initiative''s team.';
comment on column public.initiative_targets.initiative_id is 'The initiative.';
comment on column public.initiative_targets.role is 'primary or secondary.';
comment on column public.initiative_targets.official_id is 'The official, from the team''s directory (or agency_id).';
comment on column public.initiative_targets.agency_id is 'The agency, from the team''s data (or official_id).';
comment on column public.initiative_targets.note is 'What the team wants from them, up to 1000 characters.';
comment on column public.initiative_targets.created_at is 'When it was added.';
comment on column public.initiative_targets.updated_at is 'Last change, stamped by public.set_updated_at().';
create unique index initiative_targets_official_key
	on public.initiative_targets (initiative_id, official_id) where official_id is not null;
create unique index initiative_targets_agency_key
	on public.initiative_targets (initiative_id, agency_id) where agency_id is not null;
create index initiative_targets_initiative_idx on public.initiative_targets (initiative_id, team_id);
create index initiative_targets_official_idx on public.initiative_targets (official_id, team_id);
create index initiative_targets_agency_idx on public.initiative_targets (agency_id, team_id);
create index initiative_targets_team_id_idx on public.initiative_targets (team_id);

create table public.tactics (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	initiative_id uuid not null,
	target_id uuid not null,
	description text not null check (char_length(description) between 1 and 500),
	planned_on date not null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade,
	-- The target is one of the same initiative's; removing it removes its tactics.
	foreign key (target_id, initiative_id) references public.initiative_targets (id, initiative_id)
		on delete cascade
);
comment on table public.tactics is
	'What the team will do to move a target, and when (a meeting, a petition, testimony). Team members only.';
comment on column public.tactics.team_id is 'The initiative''s team.';
comment on column public.tactics.initiative_id is 'The initiative.';
comment on column public.tactics.target_id is 'The target it is aimed at (one of the initiative''s).';
comment on column public.tactics.description is 'The tactic, 1–500 characters.';
comment on column public.tactics.planned_on is 'When it is planned.';
comment on column public.tactics.created_at is 'When it was added.';
comment on column public.tactics.updated_at is 'Last change, stamped by public.set_updated_at().';
create index tactics_initiative_idx on public.tactics (initiative_id, team_id);
create index tactics_target_idx on public.tactics (target_id, initiative_id);
create index tactics_team_id_idx on public.tactics (team_id);

-- ---------------------------------------------------------------------------------------------
-- Milestones, tasks and comments
-- ---------------------------------------------------------------------------------------------
create table public.milestones (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	initiative_id uuid not null,
	title text not null check (char_length(title) between 1 and 200),
	due_on date not null,
	reached_on date,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, initiative_id),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade
);
comment on table public.milestones is
	'Dated steps of an initiative; their progress is the share of their tasks done (or reached). Team members only.';
comment on column public.milestones.team_id is 'The initiative''s team.';
comment on column public.milestones.initiative_id is 'The initiative.';
comment on column public.milestones.title is '1–200 characters.';
comment on column public.milestones.due_on is 'When it is due.';
comment on column public.milestones.reached_on is 'When the team marked it reached (null: not yet).';
comment on column public.milestones.created_at is 'When it was added.';
comment on column public.milestones.updated_at is 'Last change, stamped by public.set_updated_at().';
create index milestones_initiative_idx on public.milestones (initiative_id, team_id, due_on);
create index milestones_team_id_idx on public.milestones (team_id);

create table public.tasks (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	initiative_id uuid,
	milestone_id uuid,
	follow_up_id uuid,
	interaction_id uuid,
	title text not null check (char_length(title) between 1 and 300),
	description text check (char_length(description) <= 4000),
	assignee_id uuid,
	due_on date,
	status public.task_status not null default 'todo',
	position int not null default 0 check (position between 0 and 100000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id),
	constraint tasks_milestone_needs_initiative check (milestone_id is null or initiative_id is not null),
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade,
	-- The milestone is one of the same initiative's; deleting it leaves the task without one.
	foreign key (milestone_id, initiative_id) references public.milestones (id, initiative_id)
		on delete set null (milestone_id),
	foreign key (follow_up_id, team_id) references public.follow_ups (id, team_id)
		on delete set null (follow_up_id),
	foreign key (interaction_id, team_id) references public.interactions (id, team_id)
		on delete set null (interaction_id),
	-- The assignee is one of the team's members; leaving the team leaves the task unassigned.
	foreign key (team_id, assignee_id) references public.team_members (team_id, user_id)
		on delete set null (assignee_id)
);
comment on table public.tasks is
	'Who does what by when: a card on an initiative''s board (status and position), optionally under a milestone and arising from a follow-up or an interaction. Team members only.';
comment on column public.tasks.team_id is 'The team.';
comment on column public.tasks.initiative_id is 'The initiative it serves, if any.';
comment on column public.tasks.milestone_id is 'The initiative''s milestone it counts toward, if any.';
comment on column public.tasks.follow_up_id is 'The follow-up it arose from, if any.';
comment on column public.tasks.interaction_id is 'The interaction it arose from, if any.';
comment on column public.tasks.title is 'What to do, 1–300 characters.';
comment on column public.tasks.description is 'Details, up to 4000 characters.';
comment on column public.tasks.assignee_id is 'The team member who does it.';
comment on column public.tasks.due_on is 'When it is due.';
comment on column public.tasks.status is 'The board column: todo, doing, blocked, done.';
comment on column public.tasks.position is 'Order within its column on the board (0 first); set by public.move_task.';
comment on column public.tasks.created_by is 'Who wrote it; null once that account is deleted.';
comment on column public.tasks.created_at is 'When it was written.';
comment on column public.tasks.updated_at is 'Last change, stamped by public.set_updated_at().';
create index tasks_team_id_idx on public.tasks (team_id);
create index tasks_initiative_idx on public.tasks (initiative_id, team_id, status, position);
create index tasks_milestone_idx on public.tasks (milestone_id, initiative_id);
create index tasks_follow_up_idx on public.tasks (follow_up_id, team_id);
create index tasks_interaction_idx on public.tasks (interaction_id, team_id);
create index tasks_team_id_assignee_id_idx on public.tasks (team_id, assignee_id);
create index tasks_created_by_idx on public.tasks (created_by);

create table public.task_comments (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	task_id uuid not null,
	body text not null check (char_length(body) between 1 and 2000),
	author_id uuid default auth.uid(),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (task_id, team_id) references public.tasks (id, team_id) on delete cascade,
	-- A key on profiles, so the list can embed the display name.
	constraint task_comments_author_id_profiles_fkey
		foreign key (author_id) references public.profiles (id) on delete set null
);
comment on table public.task_comments is
	'Comments on a task. Team members read and add them; only the author changes or deletes one.';
comment on column public.task_comments.team_id is 'The task''s team.';
comment on column public.task_comments.task_id is 'The task.';
comment on column public.task_comments.body is '1–2000 characters.';
comment on column public.task_comments.author_id is 'Who wrote it (always the signed-in user); null once that account is deleted.';
comment on column public.task_comments.created_at is 'When it was written.';
comment on column public.task_comments.updated_at is 'Last change, stamped by public.set_updated_at().';
create index task_comments_task_idx on public.task_comments (task_id, team_id, created_at);
create index task_comments_team_id_idx on public.task_comments (team_id);
create index task_comments_author_id_idx on public.task_comments (author_id);

create table public.interaction_initiatives (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	interaction_id uuid not null,
	initiative_id uuid not null,
	created_at timestamptz not null default now(),
	unique (interaction_id, initiative_id),
	foreign key (interaction_id, team_id) references public.interactions (id, team_id) on delete cascade,
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade
);
comment on table public.interaction_initiatives is
	'Which of the team''s interactions (and so their commitments) concern which initiatives. Team members only.';
comment on column public.interaction_initiatives.team_id is 'The team.';
comment on column public.interaction_initiatives.interaction_id is 'The interaction.';
comment on column public.interaction_initiatives.initiative_id is 'The initiative.';
comment on column public.interaction_initiatives.created_at is 'When it was linked.';
create index interaction_initiatives_interaction_idx
	on public.interaction_initiatives (interaction_id, team_id);
create index interaction_initiatives_initiative_idx
	on public.interaction_initiatives (initiative_id, team_id);
create index interaction_initiatives_team_id_idx on public.interaction_initiatives (team_id);

-- ---------------------------------------------------------------------------------------------
-- Force-field analysis per initiative: the friction map's forces hang off either owner.
-- ---------------------------------------------------------------------------------------------
alter table public.forces alter column friction_point_id drop not null;
alter table public.forces add column initiative_id uuid;
alter table public.forces add constraint forces_initiative_id_team_id_fkey
	foreign key (initiative_id, team_id) references public.initiatives (id, team_id) on delete cascade;
alter table public.forces add constraint forces_one_owner
	check ((friction_point_id is null) <> (initiative_id is null));
comment on column public.forces.friction_point_id is 'The friction point (or initiative_id).';
comment on column public.forces.initiative_id is 'The initiative (or friction_point_id).';
comment on table public.forces is
	'Force-field analysis of a friction point or an initiative (exactly one): driving and restraining forces with weights 1–5. Team members only.';
create index forces_initiative_id_team_id_idx on public.forces (initiative_id, team_id);
grant insert (initiative_id) on public.forces to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Triggers: updated_at, clear messages, status history, archived teams
-- ---------------------------------------------------------------------------------------------
create trigger initiatives_set_updated_at before update on public.initiatives
	for each row execute function public.set_updated_at();
create trigger initiative_strategy_items_set_updated_at before update on public.initiative_strategy_items
	for each row execute function public.set_updated_at();
create trigger initiative_targets_set_updated_at before update on public.initiative_targets
	for each row execute function public.set_updated_at();
create trigger tactics_set_updated_at before update on public.tactics
	for each row execute function public.set_updated_at();
create trigger milestones_set_updated_at before update on public.milestones
	for each row execute function public.set_updated_at();
create trigger tasks_set_updated_at before update on public.tasks
	for each row execute function public.set_updated_at();
create trigger task_comments_set_updated_at before update on public.task_comments
	for each row execute function public.set_updated_at();

create or replace function private.initiative_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	initiative_start date;
begin
	case tg_table_name
	when 'initiatives' then
		new.title := private.clean_text(new.title, 'the title', 200, true);
		new.problem := private.clean_text(new.problem, 'the problem', 4000);
		new.vision := private.clean_text(new.vision, 'the vision', 2000);
		new.mission := private.clean_text(new.mission, 'the mission', 2000);
		new.objective := private.clean_text(new.objective, 'the objective', 1000);
		new.status_note := private.clean_text(new.status_note, 'the status note', 1000);
		new.reflection := private.clean_text(new.reflection, 'the reflection', 4000);
		new.sensitive_notes := private.clean_text(new.sensitive_notes, 'the sensitive notes', 4000);
		if new.start_date is null then
			raise exception using errcode = 'P0001', message = 'the start date cannot be empty';
		end if;
		if new.deadline is not null and new.deadline < new.start_date then
			raise exception using errcode = 'P0001', message = 'the deadline cannot be before the start';
		end if;
		if abs(new.baseline_value) >= 1e15 then
			raise exception using errcode = 'P0001', message = 'the baseline is too large';
		end if;
		if abs(new.target_value) >= 1e15 then
			raise exception using errcode = 'P0001', message = 'the target is too large';
		end if;
		if new.indicator_id is not null
			and (tg_op = 'INSERT' or new.indicator_id is distinct from old.indicator_id)
			and not exists (
				select 1 from public.indicators i where i.id = new.indicator_id and i.team_id = new.team_id
			) then
			raise exception using errcode = 'P0001', message = 'that indicator does not exist';
		end if;
		-- A new status without a new note: the old note explained the old change, not this one.
		if tg_op = 'UPDATE' and new.status is distinct from old.status
			and new.status_note is not distinct from old.status_note then
			new.status_note := null;
		end if;
	when 'initiative_friction_points' then
		if not exists (
			select 1 from public.friction_points f
			where f.id = new.friction_point_id and f.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that friction point does not exist';
		end if;
	when 'initiative_strategy_items' then
		new.body := private.clean_text(new.body, 'the line', 500, true);
	when 'initiative_targets' then
		new.note := private.clean_text(new.note, 'the note', 1000);
		if new.official_id is null and new.agency_id is null then
			raise exception using errcode = 'P0001', message = 'choose an official or an agency as the target';
		elsif new.official_id is not null and new.agency_id is not null then
			raise exception using errcode = 'P0001', message = 'a target is either an official or an agency, not both';
		end if;
		if new.official_id is not null and not exists (
			select 1 from public.officials o where o.id = new.official_id and o.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that official is not in the team''s directory';
		end if;
		if new.agency_id is not null and not exists (
			select 1 from public.agencies a where a.id = new.agency_id and a.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that agency is not one of the team''s';
		end if;
	when 'tactics' then
		new.description := private.clean_text(new.description, 'the tactic', 500, true);
		if new.planned_on is null then
			raise exception using errcode = 'P0001', message = 'the date of the tactic cannot be empty';
		end if;
		if not exists (
			select 1 from public.initiative_targets t
			where t.id = new.target_id and t.initiative_id = new.initiative_id
		) then
			raise exception using errcode = 'P0001', message = 'that target is not one of the initiative''s';
		end if;
	when 'milestones' then
		new.title := private.clean_text(new.title, 'the title', 200, true);
		if new.due_on is null then
			raise exception using errcode = 'P0001', message = 'the due date cannot be empty';
		end if;
		select i.start_date into initiative_start
		from public.initiatives i where i.id = new.initiative_id and i.team_id = new.team_id;
		if initiative_start is not null and new.due_on < initiative_start then
			raise exception using errcode = 'P0001', message = 'a milestone cannot be due before the initiative starts';
		end if;
	when 'tasks' then
		new.title := private.clean_text(new.title, 'the title', 300, true);
		new.description := private.clean_text(new.description, 'the description', 4000);
		if new.assignee_id is not null and (tg_op = 'INSERT' or new.assignee_id is distinct from old.assignee_id)
			and not exists (
				select 1 from public.team_members m where m.team_id = new.team_id and m.user_id = new.assignee_id
			) then
			raise exception using errcode = 'P0001', message = 'the assignee must be a member of the team';
		end if;
		if new.milestone_id is not null and not exists (
			select 1 from public.milestones x
			where x.id = new.milestone_id and x.initiative_id = new.initiative_id
		) then
			raise exception using errcode = 'P0001', message = 'that milestone is not one of the initiative''s';
		end if;
	when 'task_comments' then
		new.body := private.clean_text(new.body, 'the comment', 2000, true);
		-- The author is whoever writes it, never someone else's name.
		if tg_op = 'INSERT' and current_user in ('anon', 'authenticated') then
			new.author_id := auth.uid();
		end if;
	end case;
	return new;
end;
$$;
comment on function private.initiative_validate() is
	'Trigger function (security definer, to call the private helpers and see the referenced rows as any role): trims text, explains dates before the start, out-of-range values and rows from outside the team or the initiative, with sentences.';

create trigger initiatives_validate before insert or update on public.initiatives
	for each row execute function private.initiative_validate();
create trigger initiative_friction_points_validate before insert or update on public.initiative_friction_points
	for each row execute function private.initiative_validate();
create trigger initiative_strategy_items_validate before insert or update on public.initiative_strategy_items
	for each row execute function private.initiative_validate();
create trigger initiative_targets_validate before insert or update on public.initiative_targets
	for each row execute function private.initiative_validate();
create trigger tactics_validate before insert or update on public.tactics
	for each row execute function private.initiative_validate();
create trigger milestones_validate before insert or update on public.milestones
	for each row execute function private.initiative_validate();
create trigger tasks_validate before insert or update on public.tasks
	for each row execute function private.initiative_validate();
create trigger task_comments_validate before insert or update on public.task_comments
	for each row execute function private.initiative_validate();

create or replace function private.initiative_status_history()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if tg_op = 'INSERT' or new.status is distinct from old.status then
		insert into public.initiative_status_changes (team_id, initiative_id, from_status, to_status, note)
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
comment on function private.initiative_status_history() is
	'Trigger function (security definer: the history has no insert privilege for API roles): records who changed an initiative''s status, when, from what, to what and why.';

create trigger initiatives_status_history after insert or update of status on public.initiatives
	for each row execute function private.initiative_status_history();

do $$
declare
	t text;
begin
	foreach t in array array[
		'initiatives', 'initiative_friction_points', 'initiative_strategy_items', 'initiative_targets',
		'tactics', 'milestones', 'tasks', 'task_comments', 'interaction_initiatives'
	]
	loop
		execute format(
			'create trigger %1$s_refuse_archived before insert or update or delete on public.%1$I
				for each row when (current_user in (''anon'', ''authenticated''))
				execute function private.refuse_archived_team()',
			t
		);
	end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Row Level Security and grants: deny by default (not forced, as in the agency-data and friction
-- migrations: the security-definer triggers run as the tables' owner and must bypass it).
-- ---------------------------------------------------------------------------------------------
alter table public.initiatives enable row level security;
alter table public.initiative_friction_points enable row level security;
alter table public.initiative_status_changes enable row level security;
alter table public.initiative_strategy_items enable row level security;
alter table public.initiative_targets enable row level security;
alter table public.tactics enable row level security;
alter table public.milestones enable row level security;
alter table public.tasks enable row level security;
alter table public.task_comments enable row level security;
alter table public.interaction_initiatives enable row level security;

revoke all on public.initiatives, public.initiative_friction_points, public.initiative_status_changes,
	public.initiative_strategy_items, public.initiative_targets, public.tactics, public.milestones,
	public.tasks, public.task_comments, public.interaction_initiatives
	from anon, authenticated;

grant select, delete on public.initiatives, public.initiative_friction_points,
	public.initiative_strategy_items, public.initiative_targets, public.tactics, public.milestones,
	public.tasks, public.task_comments, public.interaction_initiatives
	to authenticated;
grant select on public.initiative_status_changes to authenticated;
grant insert (team_id, title, problem, vision, mission, objective, indicator_id, baseline_value,
		baseline_date, target_value, start_date, deadline, status, status_note, reflection,
		sensitive_notes),
	update (title, problem, vision, mission, objective, indicator_id, baseline_value, baseline_date,
		target_value, start_date, deadline, status, status_note, reflection, sensitive_notes, deleted_at)
	on public.initiatives to authenticated;
grant insert (team_id, initiative_id, friction_point_id) on public.initiative_friction_points
	to authenticated;
grant insert (team_id, initiative_id, kind, body, sensitive), update (kind, body, sensitive)
	on public.initiative_strategy_items to authenticated;
grant insert (team_id, initiative_id, role, official_id, agency_id, note), update (role, note)
	on public.initiative_targets to authenticated;
grant insert (team_id, initiative_id, target_id, description, planned_on),
	update (target_id, description, planned_on)
	on public.tactics to authenticated;
grant insert (team_id, initiative_id, title, due_on, reached_on), update (title, due_on, reached_on)
	on public.milestones to authenticated;
-- The board's order is public.move_task's to write, but a member may also set it directly.
grant insert (team_id, initiative_id, milestone_id, follow_up_id, interaction_id, title, description,
		assignee_id, due_on, status, position),
	update (milestone_id, title, description, assignee_id, due_on, status, position)
	on public.tasks to authenticated;
grant insert (team_id, task_id, body), update (body) on public.task_comments to authenticated;
grant insert (team_id, interaction_id, initiative_id) on public.interaction_initiatives
	to authenticated;

do $$
declare
	t text;
begin
	foreach t in array array[
		'initiatives', 'initiative_friction_points', 'initiative_strategy_items', 'initiative_targets',
		'tactics', 'milestones', 'tasks', 'task_comments', 'interaction_initiatives'
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
			'create policy "Members can add %1$s in an active team" on public.%1$I
				for insert to authenticated with check ((select private.can_change_team_data(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can add %1$s in an active team" on public.%1$I is %2$L',
			t, 'Members of a team that is not archived; team_id pins the row to that team.'
		);
	end loop;
	-- Comments are their authors'': everyone else reads them only.
	foreach t in array array[
		'initiatives', 'initiative_strategy_items', 'initiative_targets', 'tactics', 'milestones', 'tasks'
	]
	loop
		-- using: members, so the archived-team trigger can explain; with check: not archived.
		execute format(
			'create policy "Members can change %1$s in an active team" on public.%1$I
				for update to authenticated
				using ((select private.is_team_member(team_id)))
				with check ((select private.can_change_team_data(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can change %1$s in an active team" on public.%1$I is %2$L',
			t, 'Members; an archived team is refused with a sentence by the refuse_archived trigger.'
		);
	end loop;
	-- Links have nothing to change: they are added and removed.
	foreach t in array array[
		'initiatives', 'initiative_friction_points', 'initiative_strategy_items', 'initiative_targets',
		'tactics', 'milestones', 'tasks', 'interaction_initiatives'
	]
	loop
		execute format(
			'create policy "Members can delete %1$s in an active team" on public.%1$I
				for delete to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can delete %1$s in an active team" on public.%1$I is %2$L',
			t, 'Members; an archived team is refused with a sentence by the refuse_archived trigger.'
		);
	end loop;
end;
$$;

create policy "Authors can change their comments while the team is active"
	on public.task_comments for update to authenticated
	using (author_id = (select auth.uid()) and (select private.is_team_member(team_id)))
	with check (author_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Authors can change their comments while the team is active" on public.task_comments is
	'Only the author, while still a member; nobody rewrites a teammate''s words.';
create policy "Authors can delete their comments while the team is active"
	on public.task_comments for delete to authenticated
	using (author_id = (select auth.uid()) and (select private.is_team_member(team_id)));
comment on policy "Authors can delete their comments while the team is active" on public.task_comments is
	'Only the author, while still a member; an archived team is refused by the refuse_archived trigger.';

create policy "Team members can read their team's initiative history"
	on public.initiative_status_changes for select to authenticated
	using ((select private.is_team_member(team_id)));
comment on policy "Team members can read their team's initiative history"
	on public.initiative_status_changes is
	'The history is written by the initiatives trigger only; members read it.';

-- ---------------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------------
-- An initiative with the friction points it addresses, in one transaction. Security invoker: RLS
-- and the triggers check every row (another team's friction point reads as missing).
create or replace function public.create_initiative(
	team_id uuid,
	title text,
	friction_point_ids uuid[] default '{}',
	problem text default null,
	vision text default null,
	mission text default null,
	objective text default null,
	indicator_id uuid default null,
	baseline_value numeric default null,
	baseline_date date default null,
	target_value numeric default null,
	start_date date default null,
	deadline date default null
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
	new_id uuid;
	fp uuid;
begin
	if auth.uid() is null then
		raise exception using errcode = 'P0001', message = 'you need to sign in first';
	end if;
	if not exists (select 1 from public.teams t where t.id = create_initiative.team_id) then
		raise exception using errcode = 'P0001', message = 'you cannot change this team''s data';
	end if;
	insert into public.initiatives (team_id, title, problem, vision, mission, objective, indicator_id,
		baseline_value, baseline_date, target_value, start_date, deadline)
	values (create_initiative.team_id, create_initiative.title, create_initiative.problem,
		create_initiative.vision, create_initiative.mission, create_initiative.objective,
		create_initiative.indicator_id, create_initiative.baseline_value,
		create_initiative.baseline_date, create_initiative.target_value,
		coalesce(create_initiative.start_date, current_date), create_initiative.deadline)
	returning id into new_id;
	foreach fp in array coalesce(create_initiative.friction_point_ids, '{}')
	loop
		if not exists (
			select 1 from public.friction_points f where f.id = fp and f.team_id = create_initiative.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that friction point does not exist';
		end if;
		insert into public.initiative_friction_points (team_id, initiative_id, friction_point_id)
		values (create_initiative.team_id, new_id, fp)
		on conflict do nothing;
	end loop;
	return new_id;
end;
$$;
comment on function public.create_initiative(uuid, text, uuid[], text, text, text, text, uuid, numeric, date, numeric, date, date) is
	'Security invoker (RLS applies): starts an initiative (as a draft) with the friction points it addresses; returns its id.';

-- Moving a card on the board: its new column and place, and the order of both columns, in one
-- statement per column. Security invoker: RLS lets members of an active team move their cards.
create or replace function public.move_task(task_id uuid, to_status public.task_status, to_position int)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
	t public.tasks;
begin
	if auth.uid() is null then
		raise exception using errcode = 'P0001', message = 'you need to sign in first';
	end if;
	select * into t from public.tasks x where x.id = move_task.task_id for update;
	if t.id is null then
		raise exception using errcode = 'P0001', message = 'that task does not exist';
	end if;
	if move_task.to_position is null or move_task.to_position < 0 then
		raise exception using errcode = 'P0001', message = 'the position must be zero or more';
	end if;
	-- The other cards of the target column, in order, with the moved card slotted in at its place.
	with others as (
		select x.id, row_number() over (order by x.position, x.created_at, x.id) - 1 as n
		from public.tasks x
		where x.team_id = t.team_id
			and x.initiative_id is not distinct from t.initiative_id
			and x.status = move_task.to_status
			and x.id <> t.id
	)
	update public.tasks x
	set position = case when o.n >= move_task.to_position then o.n + 1 else o.n end
	from others o
	where x.id = o.id and x.position is distinct from
		(case when o.n >= move_task.to_position then o.n + 1 else o.n end);
	update public.tasks x
	set status = move_task.to_status,
		position = least(move_task.to_position, (
			select count(*) from public.tasks y
			where y.team_id = t.team_id and y.initiative_id is not distinct from t.initiative_id
				and y.status = move_task.to_status and y.id <> t.id
		))
	where x.id = t.id;
	-- Close the gap the card left in its old column.
	if t.status <> move_task.to_status then
		with rest as (
			select x.id, row_number() over (order by x.position, x.created_at, x.id) - 1 as n
			from public.tasks x
			where x.team_id = t.team_id
				and x.initiative_id is not distinct from t.initiative_id
				and x.status = t.status
		)
		update public.tasks x set position = r.n
		from rest r
		where x.id = r.id and x.position <> r.n;
	end if;
end;
$$;
comment on function public.move_task(uuid, public.task_status, int) is
	'Security invoker (RLS applies): moves a task to a column of its initiative''s board at a place (0 first), renumbering both columns.';

revoke all on function private.initiative_validate(), private.initiative_status_history()
	from public, anon, authenticated;
revoke all on function public.create_initiative(uuid, text, uuid[], text, text, text, text, uuid, numeric, date, numeric, date, date)
	from public, anon;
grant execute on function public.create_initiative(uuid, text, uuid[], text, text, text, text, uuid, numeric, date, numeric, date, date)
	to authenticated;
revoke all on function public.move_task(uuid, public.task_status, int) from public, anon;
grant execute on function public.move_task(uuid, public.task_status, int) to authenticated;
