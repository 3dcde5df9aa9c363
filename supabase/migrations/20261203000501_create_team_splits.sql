-- Splitting a team that has outgrown its size ("multiply") into two, and undoing it for a week.
--
-- A leader chooses, in one plan, which members (and leaders) go to the new team and, for agencies,
-- officials, friction points, initiatives and open tasks outside an initiative, what stays, what
-- moves and (agencies and officials) what is shared. public.split_team() carries the plan out in
-- one transaction; public.undo_team_split() merges the new team back within seven days.
--
-- Rows move by changing their team_id, so their ids and their own history rows go with them.
-- Because related rows reference each other through composite keys (id, team_id), the keys that
-- include team_id are made deferrable here, so a whole dependency closure can change team within
-- one transaction and is checked as a whole at commit (they stay "initially immediate": nothing
-- changes for any other statement). Shared rows are copied into the new team with new ids; the
-- id mapping is kept in team_splits for the undo.

-- ---------------------------------------------------------------------------------------------
-- Composite keys that carry team_id become deferrable (still checked immediately by default)
-- ---------------------------------------------------------------------------------------------
create or replace function private.split_defer_team_keys()
returns void
language plpgsql
set search_path = ''
as $$
declare
	c record;
begin
	for c in
		select con.conname, con.conrelid::regclass as tbl
		from pg_constraint con
		where con.contype = 'f'
			and con.connamespace = 'public'::regnamespace
			and not con.condeferrable
			and exists (
				select 1 from pg_attribute a
				where a.attrelid = con.conrelid and a.attnum = any (con.conkey) and a.attname = 'team_id'
			)
			and con.confrelid <> 'public.teams'::regclass
	loop
		execute format('alter table %s alter constraint %I deferrable initially immediate', c.tbl, c.conname);
	end loop;
end;
$$;
comment on function private.split_defer_team_keys() is
	'Makes every foreign key that includes team_id deferrable (initially immediate), so a split or its undo can move a whole closure of rows between teams in one transaction. Later migrations that add such keys call it again.';
revoke all on function private.split_defer_team_keys() from public, anon, authenticated;
select private.split_defer_team_keys();

-- ---------------------------------------------------------------------------------------------
-- The split record
-- ---------------------------------------------------------------------------------------------
create table public.team_splits (
	id uuid primary key default gen_random_uuid(),
	source_team_id uuid not null references public.teams (id) on delete cascade,
	new_team_id uuid references public.teams (id) on delete set null,
	new_team_name text not null,
	plan jsonb not null,
	members jsonb not null,
	id_map jsonb not null default '{}',
	counts jsonb not null default '{}',
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	undone_at timestamptz,
	undone_by uuid references auth.users (id) on delete set null
);
comment on table public.team_splits is
	'One row per split of a team into two: the plan, who went where, the ids of shared copies and the counts. Written by split_team()/undo_team_split() only; read by leaders of either team.';
comment on column public.team_splits.source_team_id is 'The team that was split (it keeps its name and the members who stayed).';
comment on column public.team_splits.new_team_id is 'The team made by the split; null once it is merged back by an undo or deleted.';
comment on column public.team_splits.new_team_name is 'The new team''s name at the split, kept after an undo.';
comment on column public.team_splits.plan is 'The plan as confirmed: name, members with side and role, and per agency, official, friction point, initiative and open task: stays, moves or shared.';
comment on column public.team_splits.members is 'Every member at the split: user id, side and role before the split (the undo gives the role back).';
comment on column public.team_splits.id_map is 'For shared rows: per table, the original id and its copy''s id in the new team.';
comment on column public.team_splits.counts is 'How many rows of each kind moved or were copied (shown to both teams).';
comment on column public.team_splits.created_by is 'The leader who split the team.';
comment on column public.team_splits.created_at is 'When; the undo is open for seven days from here.';
comment on column public.team_splits.undone_at is 'When the split was undone, if it was.';
comment on column public.team_splits.undone_by is 'Who undid it.';
create index team_splits_source_team_id_idx on public.team_splits (source_team_id, created_at desc);
create index team_splits_new_team_id_idx on public.team_splits (new_team_id);
create index team_splits_created_by_idx on public.team_splits (created_by);
create index team_splits_undone_by_idx on public.team_splits (undone_by);

alter table public.team_splits enable row level security;
revoke all on public.team_splits from anon, authenticated;
grant select on public.team_splits to authenticated;

create policy "Leaders of either team can read its splits"
	on public.team_splits for select to authenticated
	using (
		(select private.has_team_role(source_team_id, array['leader']::public.team_role[]))
		or (select private.has_team_role(new_team_id, array['leader']::public.team_role[]))
	);
comment on policy "Leaders of either team can read its splits" on public.team_splits is
	'The plan names members and rows of both sides, so only leaders of the source or the new team read it; nobody writes it but the split functions.';

-- ---------------------------------------------------------------------------------------------
-- How the split treats every team table (the database test checks this covers them all)
-- ---------------------------------------------------------------------------------------------
create or replace function public.team_split_table_rules()
returns table (table_name text, handling text, reason text)
language sql
immutable
set search_path = ''
as $$
	values
		('team_members', 'members', 'each member goes to exactly one side, with the role chosen in the plan'),
		('invitations', 'stays', 'pending invitations were sent in the source team''s name'),
		('team_agreements', 'copies', 'the new team starts with the agreement its members already accepted'),
		('agreement_acceptances', 'copies', 'the acceptances of the members who move go with the copied agreement'),
		('referrals', 'stays', 'referrals were made to the source team'),
		('activity_log', 'stays', 'the log is the source team''s history; both logs record the split'),
		('agencies', 'moves', 'chosen in the plan: stays, moves or shared (copied)'),
		('programs', 'moves', 'with their agency'),
		('indicators', 'moves', 'with their agency'),
		('goals', 'moves', 'with their indicator''s agency'),
		('measurements', 'moves', 'with their indicator''s agency (the import that brought them stays in the history of the source team)'),
		('imports', 'stays', 'the import history (and its undo) belongs to the team that imported'),
		('import_mappings', 'copies', 'saved column mappings are useful to both teams'),
		('friction_dismissals', 'moves', 'with their indicator''s agency'),
		('friction_points', 'moves', 'chosen in the plan: stays or moves'),
		('friction_point_status_changes', 'moves', 'history, with its friction point'),
		('evidence', 'moves', 'with its friction point'),
		('root_causes', 'moves', 'with their friction point'),
		('pressure_points', 'moves', 'with their friction point'),
		('forces', 'moves', 'with their friction point or initiative'),
		('friction_point_interactions', 'moves', 'with the friction point (the interaction must go the same way)'),
		('officials', 'moves', 'chosen in the plan: stays, moves or shared (copied with staff and stance history)'),
		('official_staff', 'moves', 'with their official'),
		('official_stance_changes', 'moves', 'history, with their official'),
		('official_merges', 'moves', 'history, with the official that was kept'),
		('interactions', 'moves', 'with the officials met (all of them must go the same way)'),
		('interaction_participants', 'moves', 'with their interaction (members who stay are no longer listed)'),
		('interaction_confidential_notes', 'moves', 'with their interaction'),
		('commitments', 'moves', 'with their official'),
		('follow_ups', 'moves', 'with their interaction, else their official'),
		('calendar_feeds', 'members', 'a member''s feed is for one team: a member who moves makes a new one'),
		('initiatives', 'moves', 'chosen in the plan: stays or moves'),
		('initiative_friction_points', 'moves', 'with the initiative (the friction point must go the same way)'),
		('initiative_status_changes', 'moves', 'history, with their initiative'),
		('initiative_strategy_items', 'moves', 'with their initiative'),
		('initiative_targets', 'moves', 'with their initiative'),
		('tactics', 'moves', 'with their initiative'),
		('milestones', 'moves', 'with their initiative'),
		('tasks', 'moves', 'with their initiative; open tasks outside an initiative are chosen in the plan'),
		('task_comments', 'moves', 'with their task'),
		('interaction_initiatives', 'moves', 'with the initiative (the interaction must go the same way)'),
		('dialogue_templates', 'copies', 'the team''s own meeting formats are useful to both teams'),
		('dialogues', 'stays', 'past and planned dialogues are the source team''s history'),
		('agenda_items', 'stays', 'with their dialogue'),
		('dialogue_rsvps', 'stays', 'with their dialogue (answers of members who move are removed with their membership)'),
		('attendance', 'stays', 'with their dialogue: who attended is history'),
		('speaking_queue', 'stays', 'with their dialogue'),
		('turns', 'stays', 'with their dialogue: who spoke is history'),
		('input_cards', 'stays', 'with their dialogue'),
		('dialogue_notes', 'stays', 'with their dialogue'),
		('decisions', 'stays', 'with their dialogue'),
		('decision_votes', 'stays', 'with their decision (votes of members who move are removed with their membership)'),
		('action_items', 'stays', 'with their dialogue (the link to a task that moves is cleared)'),
		('pulse_checks', 'stays', 'with their dialogue'),
		('dialogue_amendments', 'stays', 'with their dialogue'),
		('dialogue_mail', 'stays', 'with their dialogue: the record of reminders and summaries sent'),
		('feedback_rounds', 'stays', 'feedback was asked for in the source team''s name, for its host organization'),
		('feedback_responses', 'stays', 'with their feedback round'),
		('shared_reports', 'stays', 'reports the source team''s leader shared with its organization')
$$;
comment on function public.team_split_table_rules() is
	'How a split treats each team table: members (by the plan), moves (with what), copies, or stays with the source team, with the reason. A team table missing here stays with the source team; the database test fails until it is listed, so every new table is decided deliberately.';

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

-- A row as jsonb with team_id replaced and every uuid found in id_map replaced by its copy.
create or replace function private.split_remap(row_data jsonb, id_map jsonb, team_id uuid)
returns jsonb
language sql
immutable
set search_path = ''
as $$
	select jsonb_object_agg(
		e.key,
		case
			when e.key = 'team_id' then to_jsonb($3)
			when jsonb_typeof(e.value) = 'string' and $2 ? (e.value #>> '{}') then $2 -> (e.value #>> '{}')
			else e.value
		end
	)
	from jsonb_each($1) e
$$;
comment on function private.split_remap(jsonb, jsonb, uuid) is
	'A row (as jsonb) for another team: team_id replaced, every id found in the map replaced by its copy.';

-- What a person reads for a row: its title, name or statement, else its kind.
create or replace function private.split_label(row_data jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
	select left(coalesce($1 ->> 'title', $1 ->> 'name', $1 ->> 'statement', $1 ->> 'description',
		$1 ->> 'body', $1 ->> 'question', 'untitled'), 80)
$$;
comment on function private.split_label(jsonb) is 'A short label for a row in a split''s messages.';

create or replace function private.split_kind(table_name text)
returns text
language sql
immutable
set search_path = ''
as $$
	select case $1
		when 'agencies' then 'agency'
		when 'programs' then 'program'
		when 'indicators' then 'indicator'
		when 'goals' then 'stated goal'
		when 'measurements' then 'measurement'
		when 'friction_points' then 'friction point'
		when 'evidence' then 'evidence'
		when 'pressure_points' then 'pressure point'
		when 'root_causes' then 'cause'
		when 'officials' then 'official'
		when 'interactions' then 'interaction'
		when 'interaction_participants' then 'participant of an interaction'
		when 'commitments' then 'commitment'
		when 'follow_ups' then 'follow-up'
		when 'initiatives' then 'initiative'
		when 'initiative_targets' then 'target of an initiative'
		when 'initiative_friction_points' then 'initiative''s link to a friction point'
		when 'friction_point_interactions' then 'friction point''s link to an interaction'
		when 'interaction_initiatives' then 'interaction''s link to an initiative'
		when 'tasks' then 'task'
		when 'forces' then 'force'
		else replace($1, '_', ' ')
	end
$$;
comment on function private.split_kind(text) is 'The reader''s word for a table in a split''s messages.';

-- Every reference from a row of either team to a row of the other one (a key that includes
-- team_id and no longer finds its row) is refused, naming both rows. Run after the rows moved,
-- inside the split's transaction, so the refusal undoes everything.
create or replace function private.split_check_references(source_team uuid, new_team uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
	fk record;
	bad jsonb;
	target jsonb;
	ref_col text;
	cond text;
	side_a text;
	side_b text;
begin
	for fk in
		select con.conrelid::regclass::text as tbl, con.confrelid::regclass::text as ref,
			array_agg(a.attname::text order by k.i) as cols,
			array_agg(b.attname::text order by k.i) as ref_cols
		from pg_constraint con
		cross join lateral unnest(con.conkey, con.confkey) with ordinality as k (col, ref_col, i)
		join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.col
		join pg_attribute b on b.attrelid = con.confrelid and b.attnum = k.ref_col
		where con.contype = 'f' and con.connamespace = 'public'::regnamespace
			and con.confrelid not in ('public.teams'::regclass, 'public.team_members'::regclass)
			and exists (
				select 1 from pg_attribute t
				where t.attrelid = con.conrelid and t.attnum = any (con.conkey) and t.attname = 'team_id'
			)
		group by con.oid, con.conrelid, con.confrelid
	loop
		select string_agg(format('p.%I = t.%I', fk.ref_cols[i], fk.cols[i]), ' and '),
			string_agg(format('t.%I is not null', fk.cols[i]), ' and ')
		into cond, ref_col
		from generate_subscripts(fk.cols, 1) i;
		execute format(
			'select to_jsonb(t) from %s t where t.team_id in ($1, $2) and %s
				and not exists (select 1 from %s p where %s) limit 1',
			fk.tbl, ref_col, fk.ref, cond
		) into bad using source_team, new_team;
		if bad is not null then
			ref_col := (select c from unnest(fk.cols) c where c <> 'team_id' limit 1);
			execute format('select to_jsonb(p) from %s p where p.id::text = $1', fk.ref)
				into target using bad ->> ref_col;
			select t.name into side_a from public.teams t where t.id = (bad ->> 'team_id')::uuid;
			select t.name into side_b from public.teams t where t.id = (target ->> 'team_id')::uuid;
			raise exception using
				errcode = 'P0001',
				message = format(
					'the %s “%s” would go to %s, but the %s “%s” it depends on would be in %s: move them together or share the %s',
					private.split_kind(split_part(fk.tbl, '.', 2)), private.split_label(bad), side_a,
					private.split_kind(split_part(fk.ref, '.', 2)), private.split_label(target), side_b,
					private.split_kind(split_part(fk.ref, '.', 2))
				),
				hint = 'Nothing was changed.';
		end if;
	end loop;
end;
$$;
comment on function private.split_check_references(uuid, uuid) is
	'Security invoker (called inside split_team): raises, naming both rows, when a row of one team still points at a row now in the other.';

-- Rows of the team that name a member of the other side: optional names are cleared, rows that
-- exist only for that member (a participant line) are removed.
create or replace function private.split_clear_other_members(team uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
	fk record;
begin
	-- A participant line names one member or one official: a member who is not on this side goes.
	delete from public.interaction_participants p
	where p.team_id = team and p.user_id is not null and not exists (
		select 1 from public.team_members m where m.team_id = team and m.user_id = p.user_id
	);
	for fk in
		select con.conrelid::regclass::text as tbl, a.attname::text as col, a.attnotnull as required
		from pg_constraint con
		join pg_attribute a on a.attrelid = con.conrelid and a.attnum = any (con.conkey) and a.attname <> 'team_id'
		where con.contype = 'f' and con.connamespace = 'public'::regnamespace
			and con.confrelid = 'public.team_members'::regclass
	loop
		if fk.required then
			execute format(
				'delete from %s t where t.team_id = $1 and not exists (
					select 1 from public.team_members m where m.team_id = $1 and m.user_id = t.%I)',
				fk.tbl, fk.col
			) using team;
		else
			execute format(
				'update %s t set %I = null where t.team_id = $1 and t.%I is not null and not exists (
					select 1 from public.team_members m where m.team_id = $1 and m.user_id = t.%I)',
				fk.tbl, fk.col, fk.col, fk.col
			) using team;
		end if;
	end loop;
end;
$$;
comment on function private.split_clear_other_members(uuid) is
	'Security invoker (called inside the split functions): clears or removes references to people who are not members of the team.';

-- Points every reference in the team's rows from one set of ids to another (shared copies and
-- their originals), except in the rows that are themselves copies.
create or replace function private.split_repoint(team uuid, id_map jsonb, skip jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
	fk record;
begin
	if id_map = '{}'::jsonb then
		return;
	end if;
	for fk in
		select distinct con.conrelid::regclass::text as tbl, a.attname::text as col
		from pg_constraint con
		join pg_attribute a on a.attrelid = con.conrelid and a.attnum = any (con.conkey)
		where con.contype = 'f' and con.connamespace = 'public'::regnamespace
			and con.confrelid in (
				'public.agencies'::regclass, 'public.programs'::regclass, 'public.indicators'::regclass,
				'public.goals'::regclass, 'public.officials'::regclass, 'public.official_staff'::regclass
			)
			and a.attname <> 'team_id'
			and exists (select 1 from pg_attribute t where t.attrelid = con.conrelid and t.attname = 'team_id')
			and format_type(a.atttypid, a.atttypmod) = 'uuid'
	loop
		execute format(
			'update %s t set %I = ($2 ->> t.%I::text)::uuid
			where t.team_id = $1 and $2 ? t.%I::text and not ($3 ? coalesce(to_jsonb(t) ->> ''id'', ''''))',
			fk.tbl, fk.col, fk.col, fk.col
		) using team, id_map, skip;
	end loop;
end;
$$;
comment on function private.split_repoint(uuid, jsonb, jsonb) is
	'Security invoker (called inside the split functions): in the team''s rows, replaces references found in id_map, leaving the rows listed in skip alone.';


-- The plan's first dependency that would be torn apart, as a sentence naming both rows, or null.
-- Computed before anything moves, from the sides the plan gives each row (new, source, or both
-- for a shared row): a row may depend only on a row on its own side or a shared one.
create or replace function private.split_conflict(team uuid, plan jsonb, source_name text, new_name text)
returns text
language sql
stable
set search_path = ''
as $$
	with
	choice as (
		select k.kind, e.key::uuid as id, e.value #>> '{}' as side
		from unnest(array['agencies', 'officials', 'friction_points', 'initiatives', 'tasks']) k (kind)
		cross join lateral jsonb_each(coalesce(plan -> k.kind, '{}')) e
	),
	ag as (
		select a.id, a.name, case c.side when 'moves' then 'new' when 'shared' then 'both' else 'source' end as side
		from public.agencies a left join choice c on c.kind = 'agencies' and c.id = a.id
		where a.team_id = team
	),
	ind as (select i.id, ag.name as agency, ag.side from public.indicators i join ag on ag.id = i.agency_id),
	gl as (select g.id, ind.agency, ind.side from public.goals g join ind on ind.id = g.indicator_id),
	off as (
		select o.id, o.name, o.agency_id, case c.side when 'moves' then 'new' when 'shared' then 'both' else 'source' end as side
		from public.officials o left join choice c on c.kind = 'officials' and c.id = o.id
		where o.team_id = team
	),
	fp as (
		select f.id, f.title, f.agency_id, f.indicator_id, f.goal_id,
			case when c.side = 'moves' then 'new' else 'source' end as side
		from public.friction_points f left join choice c on c.kind = 'friction_points' and c.id = f.id
		where f.team_id = team
	),
	inter as (
		select i.id, i.title, i.agency_id,
			case when exists (
				select 1 from public.interaction_participants p join off on off.id = p.official_id
				where p.interaction_id = i.id and off.side = 'new'
			) then 'new' else 'source' end as side
		from public.interactions i where i.team_id = team
	),
	ini as (
		select i.id, i.title, i.indicator_id, case when c.side = 'moves' then 'new' else 'source' end as side
		from public.initiatives i left join choice c on c.kind = 'initiatives' and c.id = i.id
		where i.team_id = team
	),
	fu as (
		select f.id, f.title, f.official_id,
			coalesce(inter.side, case when off.side = 'new' then 'new' else 'source' end) as side
		from public.follow_ups f
		left join inter on inter.id = f.interaction_id
		left join off on off.id = f.official_id
		where f.team_id = team
	),
	tk as (
		select t.id, t.title, t.interaction_id, t.follow_up_id,
			coalesce(ini.side, case when c.side = 'moves' then 'new' else 'source' end) as side
		from public.tasks t
		left join ini on ini.id = t.initiative_id
		left join choice c on c.kind = 'tasks' and c.id = t.id
		where t.team_id = team
	),
	cm as (
		select c.id, c.description, c.interaction_id, c.indicator_id, c.goal_id,
			case when off.side = 'new' then 'new' else 'source' end as side
		from public.commitments c join off on off.id = c.official_id
	),
	pairs (kind_a, label_a, side_a, kind_b, label_b, side_b) as (
		select 'friction point', fp.title, fp.side, 'agency', ag.name, ag.side from fp join ag on ag.id = fp.agency_id
		union all
		select 'friction point', fp.title, fp.side, 'agency', ind.agency, ind.side from fp join ind on ind.id = fp.indicator_id
		union all
		select 'friction point', fp.title, fp.side, 'agency', gl.agency, gl.side from fp join gl on gl.id = fp.goal_id
		union all
		select 'friction point', fp.title, fp.side, 'agency', ind.agency, ind.side
		from public.evidence e join fp on fp.id = e.friction_point_id join ind on ind.id = e.indicator_id
		union all
		select 'friction point', fp.title, fp.side, 'official', off.name, off.side
		from public.pressure_points p join fp on fp.id = p.friction_point_id join off on off.id = p.official_id
		union all
		select 'official', off.name, off.side, 'agency', ag.name, ag.side from off join ag on ag.id = off.agency_id
		union all
		select 'interaction', inter.title, inter.side, 'agency', ag.name, ag.side from inter join ag on ag.id = inter.agency_id
		union all
		select 'interaction', inter.title, inter.side, 'official', off.name, off.side
		from public.interaction_participants p join inter on inter.id = p.interaction_id join off on off.id = p.official_id
		union all
		select 'commitment', cm.description, cm.side, 'interaction', inter.title, inter.side
		from cm join inter on inter.id = cm.interaction_id
		union all
		select 'commitment', cm.description, cm.side, 'agency', ind.agency, ind.side from cm join ind on ind.id = cm.indicator_id
		union all
		select 'commitment', cm.description, cm.side, 'agency', gl.agency, gl.side from cm join gl on gl.id = cm.goal_id
		union all
		select 'follow-up', fu.title, fu.side, 'official', off.name, off.side from fu join off on off.id = fu.official_id
		union all
		select 'friction point', fp.title, fp.side, 'interaction', inter.title, inter.side
		from public.friction_point_interactions x join fp on fp.id = x.friction_point_id join inter on inter.id = x.interaction_id
		union all
		select 'initiative', ini.title, ini.side, 'agency', ind.agency, ind.side from ini join ind on ind.id = ini.indicator_id
		union all
		select 'initiative', ini.title, ini.side, 'friction point', fp.title, fp.side
		from public.initiative_friction_points x join ini on ini.id = x.initiative_id join fp on fp.id = x.friction_point_id
		union all
		select 'initiative', ini.title, ini.side, 'official', off.name, off.side
		from public.initiative_targets x join ini on ini.id = x.initiative_id join off on off.id = x.official_id
		union all
		select 'initiative', ini.title, ini.side, 'agency', ag.name, ag.side
		from public.initiative_targets x join ini on ini.id = x.initiative_id join ag on ag.id = x.agency_id
		union all
		select 'initiative', ini.title, ini.side, 'interaction', inter.title, inter.side
		from public.interaction_initiatives x join ini on ini.id = x.initiative_id join inter on inter.id = x.interaction_id
		union all
		select 'initiative', ini.title, ini.side, 'friction point', fp.title, fp.side
		from public.forces x join ini on ini.id = x.initiative_id join fp on fp.id = x.friction_point_id
		union all
		select 'task', tk.title, tk.side, 'interaction', inter.title, inter.side from tk join inter on inter.id = tk.interaction_id
		union all
		select 'task', tk.title, tk.side, 'follow-up', fu.title, fu.side from tk join fu on fu.id = tk.follow_up_id
	)
	select format(
		'the %s “%s” %s, but the %s “%s” it depends on %s: %s',
		p.kind_a, left(p.label_a, 80),
		case p.side_a when 'new' then 'moves to ' || new_name when 'both' then 'is shared' else 'stays in ' || source_name end,
		p.kind_b, left(p.label_b, 80),
		case p.side_b when 'new' then 'moves to ' || new_name else 'stays in ' || source_name end,
		case when p.kind_b in ('agency', 'official') then 'move them together, or share the ' || p.kind_b
			else 'move them together' end
	)
	from pairs p
	where not (p.side_b = 'both' or p.side_a = p.side_b)
	order by p.kind_a, p.label_a
	limit 1
$$;
comment on function private.split_conflict(uuid, jsonb, text, text) is
	'The first dependency a split plan would tear apart (a row on one side citing a row on the other that is not shared), as a sentence naming both; null when there is none.';

-- ---------------------------------------------------------------------------------------------
-- split_team
-- ---------------------------------------------------------------------------------------------
create or replace function public.split_team(team_id uuid, plan jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	src public.teams;
	new_id uuid;
	new_name text := btrim(coalesce(plan ->> 'name', ''));
	m jsonb;
	member_sides jsonb := '{}';
	members_before jsonb := '[]';
	n_source_leaders int := 0;
	n_new_leaders int := 0;
	n_new int := 0;
	missing text;
	bad_id text;
	kind text;
	choice text;
	move_agencies uuid[] := '{}';
	share_agencies uuid[] := '{}';
	move_officials uuid[] := '{}';
	share_officials uuid[] := '{}';
	move_friction uuid[] := '{}';
	move_initiatives uuid[] := '{}';
	move_tasks uuid[] := '{}';
	id_map jsonb := '{}';
	flat jsonb := '{}';
	part jsonb;
	counts jsonb;
	split_id uuid;
	ok boolean;
begin
	perform private.require_leader(split_team.team_id, 'only a team leader can split the team');
	select * into src from public.teams t where t.id = split_team.team_id for update;
	if src.archived_at is not null then
		raise exception using errcode = 'P0001', message = 'this team is archived: unarchive it before splitting it';
	end if;

	if jsonb_typeof(plan) is distinct from 'object' then
		raise exception using errcode = 'P0001', message = 'the split plan is missing';
	end if;
	if char_length(new_name) not between 1 and 80 then
		raise exception using errcode = 'P0001', message = 'give the new team a name of 1 to 80 characters',
			hint = 'name';
	end if;
	if lower(new_name) = lower(src.name) then
		raise exception using errcode = 'P0001', message = 'give the new team a name different from this team''s',
			hint = 'name';
	end if;

	-- Members: every current member exactly once, each side with a leader.
	if jsonb_typeof(plan -> 'members') is distinct from 'array' then
		raise exception using errcode = 'P0001', message = 'choose a side for every member', hint = 'members';
	end if;
	for m in select * from jsonb_array_elements(plan -> 'members') loop
		if not exists (
			select 1 from public.team_members tm
			where tm.team_id = split_team.team_id and tm.user_id::text = m ->> 'user_id'
		) then
			raise exception using errcode = 'P0001',
				message = 'someone in the plan is not a member of this team any more: reload the page', hint = 'members';
		end if;
		if member_sides ? (m ->> 'user_id') then
			raise exception using errcode = 'P0001', message = 'each member goes to exactly one team', hint = 'members';
		end if;
		if coalesce(m ->> 'side', '') not in ('source', 'new') then
			raise exception using errcode = 'P0001', message = 'choose a side for every member', hint = 'members';
		end if;
		if coalesce(m ->> 'role', '') not in ('leader', 'organizer', 'member') then
			raise exception using errcode = 'P0001', message = 'choose a role for every member', hint = 'members';
		end if;
		member_sides := member_sides || jsonb_build_object(m ->> 'user_id', m);
		if m ->> 'side' = 'new' then
			n_new := n_new + 1;
			if m ->> 'role' = 'leader' then n_new_leaders := n_new_leaders + 1; end if;
		elsif m ->> 'role' = 'leader' then
			n_source_leaders := n_source_leaders + 1;
		end if;
	end loop;
	select string_agg(coalesce(nullif(p.display_name, ''), 'a member'), ', ') into missing
	from public.team_members tm
	left join public.profiles p on p.id = tm.user_id
	where tm.team_id = split_team.team_id and not member_sides ? tm.user_id::text;
	if missing is not null then
		raise exception using errcode = 'P0001',
			message = format('choose a team for every member: %s has no side yet', missing), hint = 'members';
	end if;
	if n_new = 0 then
		raise exception using errcode = 'P0001', message = 'move at least one member to the new team', hint = 'members';
	end if;
	if n_new_leaders = 0 then
		raise exception using errcode = 'P0001', message = 'the new team needs at least one leader', hint = 'members';
	end if;
	if n_source_leaders = 0 then
		raise exception using errcode = 'P0001',
			message = format('%s needs at least one leader who stays', src.name), hint = 'members';
	end if;

	-- Items: each id must be this team's, each choice one the kind allows.
	foreach kind in array array['agencies', 'officials', 'friction_points', 'initiatives', 'tasks'] loop
		part := coalesce(plan -> kind, '{}');
		if jsonb_typeof(part) <> 'object' then
			raise exception using errcode = 'P0001', message = format('the plan for %s is not readable', replace(kind, '_', ' '));
		end if;
		for bad_id, choice in select e.key, e.value #>> '{}' from jsonb_each(part) e loop
			if choice not in ('stays', 'moves', 'shared')
				or (choice = 'shared' and kind not in ('agencies', 'officials')) then
				raise exception using errcode = 'P0001',
					message = format('choose stays, moves%s for every %s', case when kind in ('agencies', 'officials') then ' or shared' else ' or stays' end,
						private.split_kind(kind)), hint = kind;
			end if;
			if bad_id !~ '^[0-9a-f-]{36}$' then
				raise exception using errcode = 'P0001', message = format('one of the %s in the plan is not this team''s: reload the page', replace(kind, '_', ' ')), hint = kind;
			end if;
			execute format(
				'select exists (select 1 from public.%I x where x.id = $1::uuid and x.team_id = $2 %s)',
				kind, case when kind = 'tasks' then 'and x.initiative_id is null' else '' end
			) into ok using bad_id, split_team.team_id;
			if not ok then
				raise exception using errcode = 'P0001',
					message = format('one of the %s in the plan is not this team''s: reload the page', replace(kind, '_', ' ')), hint = kind;
			end if;
		end loop;
	end loop;
	select coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'moves'), '{}'),
		coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'shared'), '{}')
	into move_agencies, share_agencies from jsonb_each(coalesce(plan -> 'agencies', '{}')) e;
	select coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'moves'), '{}'),
		coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'shared'), '{}')
	into move_officials, share_officials from jsonb_each(coalesce(plan -> 'officials', '{}')) e;
	select coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'moves'), '{}')
	into move_friction from jsonb_each(coalesce(plan -> 'friction_points', '{}')) e;
	select coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'moves'), '{}')
	into move_initiatives from jsonb_each(coalesce(plan -> 'initiatives', '{}')) e;
	select coalesce(array_agg(e.key::uuid) filter (where e.value #>> '{}' = 'moves'), '{}')
	into move_tasks from jsonb_each(coalesce(plan -> 'tasks', '{}')) e;

	select coalesce(jsonb_agg(jsonb_build_object('user_id', tm.user_id, 'role', tm.role,
		'side', member_sides -> tm.user_id::text ->> 'side', 'new_role', member_sides -> tm.user_id::text ->> 'role')), '[]')
	into members_before
	from public.team_members tm where tm.team_id = split_team.team_id;

	missing := private.split_conflict(split_team.team_id, plan, src.name, new_name);
	if missing is not null then
		raise exception using errcode = 'P0001', message = missing, hint = 'Nothing was changed.';
	end if;

	-- The new team: same host organization and settings.
	insert into public.teams (name, purpose, focus_area, organization_id, size_cap, created_by)
	values (new_name, src.purpose, src.focus_area, src.organization_id, src.size_cap, uid)
	returning id into new_id;

	set constraints all deferred;

	-- Shared agencies and officials: copies with new ids (and their programs, indicators, goals,
	-- measurements; staff and stance history).
	select coalesce(jsonb_object_agg(x.id, gen_random_uuid()), '{}') into part
	from (
		select a.id from public.agencies a where a.id = any (share_agencies)
		union all select p.id from public.programs p where p.agency_id = any (share_agencies)
		union all select i.id from public.indicators i where i.agency_id = any (share_agencies)
		union all select g.id from public.goals g join public.indicators i on i.id = g.indicator_id
			where i.agency_id = any (share_agencies)
		union all select o.id from public.officials o where o.id = any (share_officials)
		union all select s.id from public.official_staff s where s.official_id = any (share_officials)
	) x;
	flat := part;
	insert into public.agencies select r.* from public.agencies a,
		jsonb_populate_record(null::public.agencies, private.split_remap(to_jsonb(a), flat, new_id)) r
		where a.id = any (share_agencies);
	insert into public.programs select r.* from public.programs a,
		jsonb_populate_record(null::public.programs, private.split_remap(to_jsonb(a), flat, new_id)) r
		where a.agency_id = any (share_agencies);
	insert into public.indicators select r.* from public.indicators a,
		jsonb_populate_record(null::public.indicators, private.split_remap(to_jsonb(a), flat, new_id)) r
		where a.agency_id = any (share_agencies);
	insert into public.goals select r.* from public.goals a
		join public.indicators i on i.id = a.indicator_id,
		jsonb_populate_record(null::public.goals, private.split_remap(to_jsonb(a), flat, new_id)) r
		where i.agency_id = any (share_agencies);
	insert into public.measurements (team_id, indicator_id, period_start, period_end, grain, value, target, note,
		created_at, updated_at)
	select new_id, (flat ->> m2.indicator_id::text)::uuid, m2.period_start, m2.period_end, m2.grain, m2.value,
		m2.target, m2.note, m2.created_at, m2.updated_at
	from public.measurements m2 join public.indicators i on i.id = m2.indicator_id
	where i.agency_id = any (share_agencies);
	insert into public.officials select r.* from public.officials a,
		jsonb_populate_record(null::public.officials, private.split_remap(to_jsonb(a), flat, new_id)) r
		where a.id = any (share_officials);
	-- The insert recorded the current stance as a change; the copied history replaces it.
	delete from public.official_stance_changes s
	where s.team_id = new_id and s.official_id in (select (flat ->> o::text)::uuid from unnest(share_officials) o);
	insert into public.official_staff select r.* from public.official_staff a,
		jsonb_populate_record(null::public.official_staff, private.split_remap(to_jsonb(a), flat, new_id)) r
		where a.official_id = any (share_officials);
	insert into public.official_stance_changes (team_id, official_id, previous_stance, stance, changed_by, changed_at)
	select new_id, (flat ->> s.official_id::text)::uuid, s.previous_stance, s.stance, s.changed_by, s.changed_at
	from public.official_stance_changes s where s.official_id = any (share_officials);
	id_map := jsonb_build_object(
		'agencies', (select coalesce(jsonb_object_agg(a, flat -> a::text), '{}') from unnest(share_agencies) a),
		'officials', (select coalesce(jsonb_object_agg(o, flat -> o::text), '{}') from unnest(share_officials) o),
		'all', flat
	);

	-- Moves: the chosen rows and everything that belongs to them.
	update public.agencies x set team_id = new_id where x.id = any (move_agencies);
	update public.programs x set team_id = new_id where x.agency_id = any (move_agencies);
	update public.indicators x set team_id = new_id where x.agency_id = any (move_agencies);
	update public.goals x set team_id = new_id
	from public.indicators i where i.id = x.indicator_id and i.agency_id = any (move_agencies);
	update public.measurements x set team_id = new_id, import_id = null
	from public.indicators i where i.id = x.indicator_id and i.agency_id = any (move_agencies);
	update public.friction_dismissals x set team_id = new_id
	from public.indicators i where i.id = x.indicator_id and i.agency_id = any (move_agencies);

	update public.officials x set team_id = new_id where x.id = any (move_officials);
	update public.official_staff x set team_id = new_id where x.official_id = any (move_officials);
	update public.official_stance_changes x set team_id = new_id where x.official_id = any (move_officials);
	update public.official_merges x set team_id = new_id where x.kept_official_id = any (move_officials);
	update public.commitments x set team_id = new_id where x.official_id = any (move_officials);
	update public.interactions x set team_id = new_id
	where x.team_id = split_team.team_id and exists (
		select 1 from public.interaction_participants p
		where p.interaction_id = x.id and p.official_id = any (move_officials)
	);
	update public.interaction_participants x set team_id = new_id
	from public.interactions i where i.id = x.interaction_id and i.team_id = new_id;
	update public.interaction_confidential_notes x set team_id = new_id
	from public.interactions i where i.id = x.interaction_id and i.team_id = new_id;
	update public.follow_ups x set team_id = new_id
	where x.team_id = split_team.team_id and (
		x.interaction_id in (select i.id from public.interactions i where i.team_id = new_id)
		or x.interaction_id is null and x.official_id = any (move_officials)
	);

	update public.friction_points x set team_id = new_id where x.id = any (move_friction);
	update public.friction_point_status_changes x set team_id = new_id where x.friction_point_id = any (move_friction);
	update public.evidence x set team_id = new_id where x.friction_point_id = any (move_friction);
	update public.root_causes x set team_id = new_id where x.friction_point_id = any (move_friction);
	update public.pressure_points x set team_id = new_id where x.friction_point_id = any (move_friction);
	update public.friction_point_interactions x set team_id = new_id where x.friction_point_id = any (move_friction);

	update public.initiatives x set team_id = new_id where x.id = any (move_initiatives);
	update public.initiative_friction_points x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.initiative_status_changes x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.initiative_strategy_items x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.initiative_targets x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.tactics x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.milestones x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.interaction_initiatives x set team_id = new_id where x.initiative_id = any (move_initiatives);
	update public.forces x set team_id = new_id
	where x.friction_point_id = any (move_friction)
		or x.friction_point_id is null and x.initiative_id = any (move_initiatives);
	update public.tasks x set team_id = new_id
	where x.initiative_id = any (move_initiatives) or x.id = any (move_tasks);
	update public.task_comments x set team_id = new_id
	from public.tasks t where t.id = x.task_id and t.team_id = new_id;
	-- Dialogues stay: an action item keeps its text, its link to a task that moved is cleared.
	update public.action_items x set task_id = null
	from public.tasks t where t.id = x.task_id and t.team_id = new_id;

	-- Moved rows that cited a shared row now cite its copy.
	perform private.split_repoint(new_id, flat, flat);

	-- Copies both teams keep: the agreement (and its acceptances by those who move), saved
	-- mappings, the team's own meeting formats.
	insert into public.team_agreements (team_id, version, purpose, ground_rules, created_by, created_at)
	select new_id, a.version, a.purpose, a.ground_rules, a.created_by, a.created_at
	from public.team_agreements a where a.team_id = split_team.team_id;
	insert into public.agreement_acceptances (team_id, user_id, version, accepted_at)
	select new_id, a.user_id, a.version, a.accepted_at
	from public.agreement_acceptances a
	where a.team_id = split_team.team_id and member_sides -> a.user_id::text ->> 'side' = 'new';
	insert into public.import_mappings (team_id, signature, name, mapping, created_at, updated_at)
	select new_id, x.signature, x.name, x.mapping, x.created_at, x.updated_at
	from public.import_mappings x where x.team_id = split_team.team_id;
	insert into public.dialogue_templates (team_id, name, description, phases, created_at, updated_at)
	select new_id, x.name, x.description, x.phases, x.created_at, x.updated_at
	from public.dialogue_templates x where x.team_id = split_team.team_id;

	-- Members: those who move join the new team with their chosen role, then leave this one
	-- (their answers to this team's dialogues go with their membership, as when anyone leaves).
	insert into public.team_members (team_id, user_id, role, joined_at)
	select new_id, (e ->> 'user_id')::uuid, (e ->> 'role')::public.team_role, now()
	from jsonb_array_elements(plan -> 'members') e where e ->> 'side' = 'new';
	update public.team_members tm set role = (member_sides -> tm.user_id::text ->> 'role')::public.team_role
	where tm.team_id = split_team.team_id and member_sides -> tm.user_id::text ->> 'side' = 'source'
		and tm.role::text <> member_sides -> tm.user_id::text ->> 'role'
		and member_sides -> tm.user_id::text ->> 'role' = 'leader';
	delete from public.team_members tm
	where tm.team_id = split_team.team_id and member_sides -> tm.user_id::text ->> 'side' = 'new';
	update public.team_members tm set role = (member_sides -> tm.user_id::text ->> 'role')::public.team_role
	where tm.team_id = split_team.team_id and member_sides -> tm.user_id::text ->> 'side' = 'source'
		and tm.role::text <> member_sides -> tm.user_id::text ->> 'role';
	perform private.split_clear_other_members(new_id);

	perform private.split_check_references(split_team.team_id, new_id);
	set constraints all immediate;

	select jsonb_build_object(
		'members', n_new,
		'agencies', cardinality(move_agencies),
		'shared_agencies', cardinality(share_agencies),
		'officials', cardinality(move_officials),
		'shared_officials', cardinality(share_officials),
		'friction_points', cardinality(move_friction),
		'initiatives', cardinality(move_initiatives),
		'tasks', (select count(*) from public.tasks t where t.team_id = new_id),
		'interactions', (select count(*) from public.interactions i where i.team_id = new_id),
		'indicators', (select count(*) from public.indicators i where i.team_id = new_id),
		'measurements', (select count(*) from public.measurements i where i.team_id = new_id)
	) into counts;

	insert into public.team_splits (source_team_id, new_team_id, new_team_name, plan, members, id_map, counts, created_by)
	values (split_team.team_id, new_id, new_name, plan, members_before, id_map, counts, uid)
	returning id into split_id;

	perform private.log_activity(split_team.team_id, 'team.split', null,
		jsonb_build_object('split_id', split_id, 'new_team_id', new_id, 'new_team_name', new_name, 'counts', counts));
	perform private.log_activity(new_id, 'team.split', null,
		jsonb_build_object('split_id', split_id, 'source_team_id', split_team.team_id, 'source_team_name', src.name,
			'counts', counts));
	return new_id;
end;
$$;
comment on function public.split_team(uuid, jsonb) is
	'Security definer: it creates a team and moves rows between two teams, which no policy allows a member to do (the caller may not even join the new team). So it checks itself that the caller leads the active source team, validates the whole plan (every member on exactly one side, a leader on each, ids of this team), moves, copies and refuses crossing references naming both rows, all in one transaction. Returns the new team''s id.';

-- ---------------------------------------------------------------------------------------------
-- undo_team_split
-- ---------------------------------------------------------------------------------------------
create or replace function public.undo_team_split(split_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	s public.team_splits;
	src_name text;
	back jsonb := '{}';
	copies jsonb := '{}';
	tbl text;
	conflict text;
begin
	select * into s from public.team_splits x where x.id = undo_team_split.split_id for update;
	if not found or not (
		private.has_team_role(s.source_team_id, array['leader']::public.team_role[])
		or private.has_team_role(s.new_team_id, array['leader']::public.team_role[])
	) then
		raise exception using errcode = 'P0001', message = 'only a leader of either team can undo this split';
	end if;
	if s.undone_at is not null then
		raise exception using errcode = 'P0001', message = 'this split was already undone';
	end if;
	if s.created_at < now() - interval '7 days' then
		raise exception using errcode = 'P0001',
			message = format('a split can be undone for seven days only; this one was made on %s',
				to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD')),
			hint = 'Move members and data by hand instead.';
	end if;
	if s.new_team_id is null then
		raise exception using errcode = 'P0001', message = 'the new team no longer exists, so the split cannot be undone';
	end if;
	if exists (select 1 from public.teams t where t.id in (s.source_team_id, s.new_team_id) and t.archived_at is not null) then
		raise exception using errcode = 'P0001', message = 'unarchive both teams before undoing the split';
	end if;
	select t.name into src_name from public.teams t where t.id = s.source_team_id for update;
	perform 1 from public.teams t where t.id = s.new_team_id for update;

	set constraints all deferred;

	-- Copies whose original is still there are folded back into it; a copy whose original the
	-- source team deleted since becomes the source team's own.
	select coalesce(jsonb_object_agg(e.value #>> '{}', e.key), '{}') into back
	from jsonb_each(s.id_map -> 'all') e
	where exists (select 1 from public.agencies a where a.id::text = e.key and a.team_id = s.source_team_id)
		or exists (select 1 from public.programs a where a.id::text = e.key and a.team_id = s.source_team_id)
		or exists (select 1 from public.indicators a where a.id::text = e.key and a.team_id = s.source_team_id)
		or exists (select 1 from public.goals a where a.id::text = e.key and a.team_id = s.source_team_id)
		or exists (select 1 from public.officials a where a.id::text = e.key and a.team_id = s.source_team_id)
		or exists (select 1 from public.official_staff a where a.id::text = e.key and a.team_id = s.source_team_id);
	select coalesce(jsonb_object_agg(e.value #>> '{}', true), '{}') into copies from jsonb_each(s.id_map -> 'all') e;
	-- Measurements on a copied indicator for a period the original also has: the original's value stays.
	delete from public.measurements m
	where m.team_id = s.new_team_id and back ? m.indicator_id::text and exists (
		select 1 from public.measurements o
		where o.indicator_id = (back ->> m.indicator_id::text)::uuid
			and o.period_start = m.period_start and o.period_end = m.period_end
	);
	delete from public.friction_dismissals d
	where d.team_id = s.new_team_id and back ? d.indicator_id::text and exists (
		select 1 from public.friction_dismissals o
		where o.team_id = s.source_team_id and o.indicator_id = (back ->> d.indicator_id::text)::uuid
	);
	-- Rows made in the new team that cite a copy now cite the original.
	perform private.split_repoint(s.new_team_id, back, copies);
	delete from public.agencies a where a.team_id = s.new_team_id and back ? a.id::text;
	delete from public.officials a where a.team_id = s.new_team_id and back ? a.id::text;
	-- The copies of the agreement, the mappings and the formats are the source team's already.
	delete from public.agreement_acceptances a where a.team_id = s.new_team_id
		and exists (select 1 from public.team_agreements x where x.team_id = s.source_team_id and x.version = a.version);
	delete from public.team_agreements a where a.team_id = s.new_team_id
		and exists (select 1 from public.team_agreements x where x.team_id = s.source_team_id and x.version = a.version);
	delete from public.import_mappings a where a.team_id = s.new_team_id
		and exists (select 1 from public.import_mappings x where x.team_id = s.source_team_id and x.signature = a.signature);
	delete from public.dialogue_templates a where a.team_id = s.new_team_id
		and exists (select 1 from public.dialogue_templates x where x.team_id = s.source_team_id and x.name = a.name
			and x.phases = a.phases);

	-- Members come back (with the role they had before the split; newcomers as members) ...
	insert into public.team_members (team_id, user_id, role, joined_at)
	select s.source_team_id, tm.user_id,
		coalesce((select (e ->> 'role')::public.team_role from jsonb_array_elements(s.members) e
			where e ->> 'user_id' = tm.user_id::text), 'member'),
		tm.joined_at
	from public.team_members tm where tm.team_id = s.new_team_id
	on conflict do nothing;

	-- ... and so does everything else in the new team, including what was made there since.
	begin
		for tbl in
			-- Every team table, also one without a rule yet: nothing made in the new team is lost.
			select c.table_name::text from information_schema.columns c
			join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
			where c.table_schema = 'public' and c.column_name = 'team_id' and t.table_type = 'BASE TABLE'
				and c.table_name not in ('team_members', 'team_splits')
		loop
			execute format('update public.%I set team_id = $1 where team_id = $2', tbl)
				using s.source_team_id, s.new_team_id;
		end loop;
	exception when unique_violation then
		get stacked diagnostics conflict = constraint_name;
		raise exception using errcode = 'P0001',
			message = format('%s already has something with the same name as the new team''s (%s): rename one of them, then undo again',
				src_name, conflict),
			hint = 'Nothing was changed.';
	end;

	update public.team_splits x set undone_at = now(), undone_by = uid where x.id = s.id;
	delete from public.teams t where t.id = s.new_team_id;
	set constraints all immediate;

	perform private.log_activity(s.source_team_id, 'team.split_undone', null,
		jsonb_build_object('split_id', s.id, 'new_team_name', s.new_team_name));
	return s.source_team_id;
end;
$$;
comment on function public.undo_team_split(uuid) is
	'Security definer: it moves rows between two teams and deletes one, which no policy allows. It checks itself that the caller leads either team and that the split is under seven days old and not undone; then members and every row of the new team (including what was made there since) return to the source team, shared copies fold back into their originals, and the new team is removed. Returns the source team''s id.';

revoke all on function
	private.split_remap(jsonb, jsonb, uuid),
	private.split_label(jsonb),
	private.split_kind(text),
	private.split_check_references(uuid, uuid),
	private.split_clear_other_members(uuid),
	private.split_repoint(uuid, jsonb, jsonb),
	private.split_conflict(uuid, jsonb, text, text)
	from public, anon, authenticated;
revoke all on function public.split_team(uuid, jsonb), public.undo_team_split(uuid), public.team_split_table_rules()
	from public, anon;
grant execute on function public.split_team(uuid, jsonb), public.undo_team_split(uuid), public.team_split_table_rules()
	to authenticated;
