-- The dialogue channel helpers cast the realtime topic to a uuid. In a plain `and` PostgreSQL may
-- evaluate the cast before the pattern test, so joining any other private channel ("team:<id>")
-- failed with an invalid uuid instead of being decided by its own policies. The cast now happens
-- only for a topic that is "dialogue:<uuid>".

create or replace function private.dialogue_topic_id()
returns uuid
language sql
stable
set search_path = ''
as $$
	select case
		when realtime.topic() ~ '^dialogue:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		then substr(realtime.topic(), 10)::uuid
	end
$$;
comment on function private.dialogue_topic_id() is
	'The dialogue id named by the realtime topic "dialogue:<id>", or null for any other topic (never an error).';

create or replace function private.dialogue_topic_team()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
	select d.team_id from public.dialogues d where d.id = private.dialogue_topic_id()
$$;
comment on function private.dialogue_topic_team() is
	'Security definer (the channel policies run as the joining user): the team of the dialogue named by the realtime topic "dialogue:<id>", or null.';

create or replace function private.is_topic_facilitator()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select exists (
		select 1 from public.dialogues d
		where d.id = private.dialogue_topic_id() and d.facilitator_id = (select auth.uid())
	)
$$;
comment on function private.is_topic_facilitator() is
	'Security definer: true when the current user holds the facilitator lock of the topic''s dialogue.';

revoke all on function private.dialogue_topic_id() from public, anon;
grant execute on function private.dialogue_topic_id() to authenticated;
