-- Contacts with officials as evidence for friction points: an interaction (a meeting, a letter, a
-- testimony) the team logged can be cited by any of the team's friction points, with a note on what
-- it shows. The friction point lists them among its evidence; the interaction lists the friction
-- points it bears on. Confidential notes stay in interaction_confidential_notes and never show here.
--
-- Security model (as for the friction map): RLS enabled, deny by default, policies only
-- `to authenticated`; any member reads, adds and removes links while the team is not archived;
-- outsiders and organization admins get nothing. Both ends must be the team's own rows (composite
-- foreign keys on (id, team_id)), so a link can never cite another team's interaction.

create table public.friction_point_interactions (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	friction_point_id uuid not null,
	interaction_id uuid not null,
	note text check (char_length(note) <= 2000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (friction_point_id, interaction_id),
	foreign key (friction_point_id, team_id) references public.friction_points (id, team_id)
		on delete cascade,
	-- Only the team's own interactions: another team's id fails this key.
	foreign key (interaction_id, team_id) references public.interactions (id, team_id)
		on delete cascade
);
comment on table public.friction_point_interactions is
	'Interactions with officials cited as evidence by a friction point. Team members only.';
comment on column public.friction_point_interactions.team_id is 'The team of both the friction point and the interaction.';
comment on column public.friction_point_interactions.friction_point_id is 'The friction point the contact bears on.';
comment on column public.friction_point_interactions.interaction_id is 'The interaction cited.';
comment on column public.friction_point_interactions.note is 'What the contact shows about the friction point, up to 2000 characters.';
comment on column public.friction_point_interactions.created_by is 'Who linked them; null once that account is deleted.';
comment on column public.friction_point_interactions.created_at is 'When they were linked.';
comment on column public.friction_point_interactions.updated_at is 'Last change, stamped by public.set_updated_at().';
create index friction_point_interactions_team_id_idx on public.friction_point_interactions (team_id);
create index friction_point_interactions_interaction_id_team_id_idx
	on public.friction_point_interactions (interaction_id, team_id);
create index friction_point_interactions_created_by_idx
	on public.friction_point_interactions (created_by);

create trigger friction_point_interactions_set_updated_at
	before update on public.friction_point_interactions
	for each row execute function public.set_updated_at();

-- Trims the note, and says in words why a link is refused (a foreign key error would only name a
-- constraint).
create or replace function private.friction_point_interactions_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	new.note := private.clean_text(new.note, 'the note', 2000);
	-- Sentences are for the team: anyone else learns nothing here and is refused by RLS (42501).
	if not private.is_team_member(new.team_id) then
		return new;
	end if;
	if not exists (
		select 1 from public.interactions i where i.id = new.interaction_id and i.team_id = new.team_id
	) then
		raise exception using errcode = 'P0001', message = 'that interaction does not exist';
	end if;
	if not exists (
		select 1 from public.friction_points f where f.id = new.friction_point_id and f.team_id = new.team_id
	) then
		raise exception using errcode = 'P0001', message = 'that friction point does not exist';
	end if;
	if exists (
		select 1 from public.friction_point_interactions x
		where x.friction_point_id = new.friction_point_id and x.interaction_id = new.interaction_id
			and x.id <> new.id
	) then
		raise exception using errcode = 'P0001', message = 'that interaction is already cited by this friction point';
	end if;
	return new;
end;
$$;
comment on function private.friction_point_interactions_validate() is
	'Trigger function (security definer, to look the two rows up within the row''s own team whatever the caller may read): trims the note and, for members of the team only, refuses with a sentence an interaction or friction point that is not the team''s, or a link made twice.';

create trigger friction_point_interactions_validate
	before insert or update on public.friction_point_interactions
	for each row execute function private.friction_point_interactions_validate();

create trigger friction_point_interactions_refuse_archived
	before insert or update or delete on public.friction_point_interactions
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.refuse_archived_team();

alter table public.friction_point_interactions enable row level security;
revoke all on public.friction_point_interactions from anon, authenticated;
grant select, delete on public.friction_point_interactions to authenticated;
grant insert (team_id, friction_point_id, interaction_id, note), update (note)
	on public.friction_point_interactions to authenticated;

create policy "Members can read their team's interaction evidence"
	on public.friction_point_interactions
	for select to authenticated using ((select private.is_team_member(team_id)));
comment on policy "Members can read their team's interaction evidence"
	on public.friction_point_interactions is
	'Any member, any role, also while archived; outsiders and organization admins see nothing.';

create policy "Members can cite interactions while the team is active"
	on public.friction_point_interactions
	for insert to authenticated with check ((select private.can_change_team_data(team_id)));
comment on policy "Members can cite interactions while the team is active"
	on public.friction_point_interactions is
	'Members of a team that is not archived; team_id pins the row (and, through the keys, both ends) to that team.';

create policy "Members can change interaction evidence while the team is active"
	on public.friction_point_interactions
	for update to authenticated
	using ((select private.is_team_member(team_id)))
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Members can change interaction evidence while the team is active"
	on public.friction_point_interactions is
	'Members change the note; an archived team is refused with a sentence by the refuse_archived trigger.';

create policy "Members can remove interaction evidence while the team is active"
	on public.friction_point_interactions
	for delete to authenticated using ((select private.is_team_member(team_id)))
;
comment on policy "Members can remove interaction evidence while the team is active"
	on public.friction_point_interactions is
	'Members; an archived team is refused with a sentence by the refuse_archived trigger.';
