-- Team archives: a leader downloads the whole team as CSV files in a zip (read through the
-- leader's own RLS by the app), and anyone signed in imports such an archive into a NEW team of
-- theirs. The import is one transaction: every row gets a new id, every reference follows it, and
-- nothing of another team (or another instance's people) can be pointed at.

-- Column names and types of the tables an archive holds, for the manifest and for checking an
-- archive's CSV headers. information_schema shows only what the caller may read.
create or replace function public.team_archive_columns(tables text[])
returns table (table_name text, column_name text, data_type text, is_nullable boolean)
language sql
stable
security invoker
set search_path = ''
as $$
	select c.table_name::text, c.column_name::text,
		case when c.data_type = 'ARRAY' then c.udt_name::text
			when c.data_type = 'USER-DEFINED' then c.udt_name::text
			else c.data_type::text end,
		c.is_nullable = 'YES'
	from information_schema.columns c
	where c.table_schema = 'public' and c.table_name = any (team_archive_columns.tables)
	order by c.table_name, c.ordinal_position;
$$;
comment on function public.team_archive_columns(text[]) is
	'Security invoker: the columns (name, type, nullable) of the named public tables, in table order, for a team archive''s manifest and its import checks.';

-- An archive too large for one request is uploaded in chunks first; import_team_archive then
-- reads and deletes them in the same transaction that creates the team.
create table public.team_archive_chunks (
	id bigint generated always as identity primary key,
	upload_id uuid not null,
	owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
	table_name text not null check (char_length(table_name) <= 63),
	rows jsonb not null check (jsonb_typeof(rows) = 'array'),
	created_at timestamptz not null default now()
);
create index team_archive_chunks_owner_upload_idx on public.team_archive_chunks (owner_id, upload_id, id);
comment on table public.team_archive_chunks is
	'Rows of a team archive being uploaded, in chunks, by its owner; consumed (and deleted) by import_team_archive, or removed after a day.';
comment on column public.team_archive_chunks.upload_id is 'Chosen by the uploader; groups the chunks of one import.';
comment on column public.team_archive_chunks.rows is 'A JSON array of rows of table_name, as decoded from the archive''s CSV file.';

-- Not forced: import_team_archive runs as the table's owner and consumes the chunks (of the caller
-- only, by its own where clause), as the agency data migration explains.
alter table public.team_archive_chunks enable row level security;

create policy "Users read their own archive chunks" on public.team_archive_chunks
	for select to authenticated using (owner_id = (select auth.uid()));
create policy "Users upload archive chunks as themselves" on public.team_archive_chunks
	for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "Users delete their own archive chunks" on public.team_archive_chunks
	for delete to authenticated using (owner_id = (select auth.uid()));
-- No update policy: a chunk is written once; a retry uploads again under a new upload id.

comment on policy "Users read their own archive chunks" on public.team_archive_chunks is
	'An upload is private to the person importing it.';
comment on policy "Users upload archive chunks as themselves" on public.team_archive_chunks is
	'Anyone signed in may stage an archive, only under their own id.';
comment on policy "Users delete their own archive chunks" on public.team_archive_chunks is
	'The uploader may abandon an upload.';

revoke all on public.team_archive_chunks from anon, authenticated;
grant select, delete on public.team_archive_chunks to authenticated;
grant insert (upload_id, table_name, rows) on public.team_archive_chunks to authenticated;

create or replace function public.import_team_archive(team_name text, archive jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	-- Import order: a table comes after every table it refers to. Only these tables are ever
	-- written, whatever the archive names.
	importable constant text[] := array[
		'team_agreements', 'import_mappings',
		'agencies', 'programs', 'indicators', 'goals', 'measurements', 'friction_dismissals',
		'officials', 'official_staff', 'official_stance_changes', 'official_merges',
		'interactions', 'interaction_confidential_notes', 'interaction_participants',
		'commitments', 'follow_ups',
		'friction_points', 'friction_point_status_changes', 'evidence', 'root_causes',
		'pressure_points', 'friction_point_interactions',
		'initiatives', 'initiative_status_changes', 'initiative_friction_points',
		'initiative_strategy_items', 'initiative_targets', 'tactics', 'milestones', 'forces',
		'interaction_initiatives', 'tasks', 'task_comments',
		'dialogue_templates', 'dialogues', 'agenda_items', 'dialogue_notes', 'decisions',
		'input_cards', 'action_items', 'dialogue_amendments',
		'activity_log'
	];
	new_team uuid;
	upload uuid := nullif(archive->>'upload_id', '')::uuid;
	tables jsonb := '{}'::jsonb;
	ids jsonb;
	t text;
	col record;
	cols text;
	exprs text;
	present text[];
	expr text;
begin
	if coalesce(archive->>'format', '') <> 'groundwork-team-archive' then
		raise exception using errcode = 'P0001', message = 'this is not a Groundwork team archive';
	end if;
	if coalesce((archive->>'version')::int, 0) <> 1 then
		raise exception using errcode = 'P0001',
			message = 'this archive was made by a newer version of Groundwork (format ' || coalesce(archive->>'version', '?') || ')';
	end if;

	-- The rows: given inline, plus any chunks this user staged under the upload id.
	select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) into tables
	from jsonb_each(coalesce(archive->'tables', '{}'::jsonb)) e
	where jsonb_typeof(e.value) = 'array';
	if upload is not null then
		for t in select distinct c.table_name from public.team_archive_chunks c
			where c.owner_id = uid and c.upload_id = upload loop
			tables := jsonb_set(tables, array[t], coalesce(tables->t, '[]'::jsonb) || (
				select coalesce(jsonb_agg(x.r order by c.id, x.n), '[]'::jsonb)
				from public.team_archive_chunks c,
					lateral jsonb_array_elements(c.rows) with ordinality x(r, n)
				where c.owner_id = uid and c.upload_id = upload and c.table_name = t
			));
		end loop;
		delete from public.team_archive_chunks c where c.owner_id = uid and c.upload_id = upload;
	end if;
	delete from public.team_archive_chunks c where c.owner_id = uid and c.created_at < now() - interval '1 day';
	for t in select jsonb_object_keys(tables) loop
		if not t = any (importable) then
			raise exception using errcode = 'P0001', message = 'an archive cannot import rows into ' || t;
		end if;
	end loop;

	new_team := public.create_team(team_name);
	update public.teams x set
		purpose = private.clean_text(archive->'team'->>'purpose', 'the purpose', 2000),
		focus_area = private.clean_text(archive->'team'->>'focus_area', 'the focus area', 200),
		size_cap = coalesce((archive->'team'->>'size_cap')::int, x.size_cap)
	where x.id = new_team;

	-- Every row with a uuid id gets a new one, before any insert, so references in any direction
	-- (and uuid columns without a foreign key, like an agenda item's embedded indicator) follow.
	select coalesce(jsonb_object_agg(r->>'id', gen_random_uuid()), '{}'::jsonb) into ids
	from jsonb_each(tables) e, lateral jsonb_array_elements(e.value) r
	where r->>'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

	foreach t in array importable loop
		if t = 'dialogue_amendments' then
			-- A closed dialogue refuses new agenda items, notes and action items, so dialogues went in
			-- as scheduled; they take their real status now that their record is in, before the
			-- amendments (which need the dialogue closed).
			update public.dialogues x set status = (r->>'status')::public.dialogue_status
			from jsonb_array_elements(coalesce(tables->'dialogues', '[]'::jsonb)) r
			where x.team_id = new_team and x.id = (ids->>(r->>'id'))::uuid
				and r->>'status' is distinct from 'scheduled';
		end if;
		continue when not tables ? t or jsonb_array_length(tables->t) = 0;
		-- What triggers wrote for the new team so far (status histories, activity) gives way to the
		-- archive's own history, so nothing is there twice.
		execute format('delete from public.%I x where x.team_id = $1', t) using new_team;
		cols := '';
		exprs := '';
		-- Columns the archive does not have (an older format) take their defaults.
		present := array(select jsonb_object_keys(tables->t->0));
		for col in
			select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type,
				a.attidentity <> '' or a.attgenerated <> '' or (a.attname = 'id' and a.atttypid = 'bigint'::regtype) as generated,
				exists (
					select 1 from pg_constraint k
					where k.conrelid = a.attrelid and k.contype = 'f' and a.attnum = any (k.conkey)
						and (k.confrelid in ('auth.users'::regclass, 'public.profiles'::regclass)
							or (k.confrelid = 'public.team_members'::regclass and a.attname <> 'team_id'))
				) as person
			from pg_attribute a
			where a.attrelid = format('public.%I', t)::regclass and a.attnum > 0 and not a.attisdropped
			order by a.attnum
		loop
			continue when col.generated or (col.name <> 'team_id' and not col.name = any (present));
			expr := case
				when col.name = 'team_id' then '$1'
				when col.person then 'null::uuid'
				when t = 'dialogues' and col.name = 'status' then '''scheduled''::public.dialogue_status'
				when t = 'root_causes' and col.name = 'parent_id' then 'null::uuid'
				when col.type = 'uuid' then '($2->>(p.' || quote_ident(col.name) || ')::text)::uuid'
				when col.type = 'uuid[]' then
					'coalesce(array(select ($2->>u::text)::uuid from unnest(p.' || quote_ident(col.name)
					|| ') u where $2 ? u::text), ''{}''::uuid[])'
				else 'p.' || quote_ident(col.name)
			end;
			cols := cols || case when cols = '' then '' else ', ' end || quote_ident(col.name);
			exprs := exprs || case when exprs = '' then '' else ', ' end || expr;
		end loop;
		execute format(
			'insert into public.%I (%s) select %s from jsonb_array_elements($3) with ordinality e(r, n), '
			|| 'lateral jsonb_populate_record(null::public.%I, e.r) p order by e.n',
			t, cols, exprs, t
		) using new_team, ids, tables->t;
		if t = 'root_causes' then
			-- A cause may be listed before its parent: parents are linked once all are in.
			update public.root_causes x set parent_id = (ids->>(r->>'parent_id'))::uuid
			from jsonb_array_elements(tables->'root_causes') r
			where x.team_id = new_team and x.id = (ids->>(r->>'id'))::uuid and r->>'parent_id' is not null;
		end if;
	end loop;
	return new_team;
end;
$$;
comment on function public.import_team_archive(text, jsonb) is
	'Security definer (it writes history tables no policy lets a member insert: status changes, stance changes, activity): creates a NEW team with the caller as leader (through create_team) and inserts the archive''s rows, inline or staged by the caller in team_archive_chunks, in one transaction. Only the listed tables are written, every row is pinned to the new team, every uuid gets a new value with references following it (unknown ones become null or fail), and people columns become null: user ids from another instance mean nothing here.';

revoke all on function public.team_archive_columns(text[]) from public, anon;
grant execute on function public.team_archive_columns(text[]) to authenticated;
revoke all on function public.import_team_archive(text, jsonb) from public, anon;
grant execute on function public.import_team_archive(text, jsonb) to authenticated;
