-- Action items become tasks when their dialogue closes, now that tasks exist (initiatives
-- migration). An action item keeps a link to its task; deleting the task leaves the action item.

alter table public.action_items add column task_id uuid;
alter table public.action_items add constraint action_items_task_id_team_id_fkey
	foreign key (task_id, team_id) references public.tasks (id, team_id) on delete set null (task_id);
comment on column public.action_items.task_id is 'The task made from it when the dialogue closed (assigned items only); null before, or once the task is deleted.';
create index action_items_task_id_team_id_idx on public.action_items (task_id, team_id);

-- Closing now also turns every assigned action item into a task (unassigned ones, confirmed by the
-- facilitator, stay action items without a task). Same signature, so the app's call is unchanged.
-- Security definer: attendance and snapshots are the record, not writable by API roles.
create or replace function public.close_dialogue(
	dialogue_id uuid,
	present uuid[],
	summary text default null,
	confirm_unassigned boolean default false
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(close_dialogue.dialogue_id);
	unassigned int;
	item public.action_items;
	new_task uuid;
begin
	select count(*) into unassigned from public.action_items a where a.dialogue_id = d.id and a.assignee_id is null;
	if unassigned > 0 and not confirm_unassigned then
		raise exception using errcode = 'GW002',
			message = format('%s action items have no one assigned', unassigned);
	end if;
	for item in
		select a.* from public.action_items a
		where a.dialogue_id = d.id and a.assignee_id is not null and a.task_id is null
		order by a.created_at, a.id
	loop
		insert into public.tasks (team_id, title, description, assignee_id, due_on)
		values (item.team_id, item.title, format('From the dialogue "%s".', d.title), item.assignee_id,
			item.due_on)
		returning id into new_task;
		update public.action_items a set task_id = new_task where a.id = item.id;
	end loop;
	perform private.give_floor(d, null, 'round');
	delete from public.speaking_queue s where s.dialogue_id = d.id;
	update public.decisions x set closed_at = now() where x.dialogue_id = d.id and x.closed_at is null;
	insert into public.attendance (team_id, dialogue_id, user_id)
	select d.team_id, d.id, m.user_id from public.team_members m
	where m.team_id = d.team_id and m.user_id = any (present)
	on conflict do nothing;
	update public.agenda_items a set snapshot = public.dialogue_embed(a.id)
	where a.dialogue_id = d.id and a.embed_kind <> 'none';
	update public.dialogues x
	set status = 'closed', closed_at = now(), round_order = '{}', round_index = null,
		summary = private.clean_text(close_dialogue.summary, 'the summary', 8000)
	where x.id = d.id;
end;
$$;
comment on function public.close_dialogue(uuid, uuid[], text, boolean) is
	'Security definer (writes the record): the facilitator closes the dialogue: turns assigned action items into tasks, records who was present, freezes each agenda item''s data, ends open votes and turns; refuses with GW002 while action items are unassigned unless confirmed.';

