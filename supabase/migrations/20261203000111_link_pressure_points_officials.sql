-- A pressure point can name an official from the team's directory (the person with power over the
-- outcome), so the ranking links to what the team knows of them: stance, contacts, commitments.
-- Optional: budgets, rules and public attention have no official. Only the team's own officials
-- (composite foreign key on (official_id, team_id)); deleting or merging away the official keeps
-- the pressure point with its own wording in `target`.

alter table public.pressure_points add column official_id uuid;
alter table public.pressure_points
	add constraint pressure_points_official_id_team_id_fkey foreign key (official_id, team_id)
	references public.officials (id, team_id) on delete set null (official_id);
comment on column public.pressure_points.official_id is
	'The official from the team''s directory this pressure point is about, if any; cleared when that official is deleted.';
create index pressure_points_official_id_team_id_idx on public.pressure_points (official_id, team_id);

-- Members choose or change it like the rest of the pressure point (RLS as for pressure_points).
grant insert (official_id), update (official_id) on public.pressure_points to authenticated;

-- Merging duplicates (merge_officials) records the removed official, then deletes it: its pressure
-- points follow it to the official that was kept instead of losing the link.
create or replace function private.pressure_points_follow_merge()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	update public.pressure_points p
	set official_id = new.kept_official_id
	where p.team_id = new.team_id and p.official_id = (new.removed_official ->> 'id')::uuid;
	return null;
end;
$$;
comment on function private.pressure_points_follow_merge() is
	'Trigger function (security definer, so the move does not depend on what the merging member may update): points the pressure points of a merged-away official at the official that was kept, within the same team.';

create trigger official_merges_move_pressure_points after insert on public.official_merges
	for each row execute function private.pressure_points_follow_merge();
