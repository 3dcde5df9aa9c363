-- Dialogues, part 4: the app's own mail (reminders and summaries), initiative progress as an
-- agenda item, agenda editing until the start, and a pausable phase timer.
--
-- Mail: the app sends over SMTP (src/lib/server/mail.ts); this table records each mail to each
-- member, once per dialogue, person and kind. Rows are claimed atomically by
-- public.claim_dialogue_mail (insert … on conflict do nothing, and update … for update skip locked
-- for retries), so any number of app processes may sweep at the same time without sending twice.
-- Only the service role claims and finishes rows; leaders and organizers read who was mailed when,
-- each member their own rows.

-- ---------------------------------------------------------------------------------------------
-- Mail
-- ---------------------------------------------------------------------------------------------
create type public.dialogue_mail_kind as enum ('reminder', 'summary');
comment on type public.dialogue_mail_kind is
	'reminder (24 hours before, with the invitation) or summary (after the close: decisions and action items).';

create table public.dialogue_mail (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	kind public.dialogue_mail_kind not null,
	status text not null default 'sending' check (status in ('sending', 'sent', 'failed')),
	attempts int not null default 1 check (attempts between 1 and 100),
	claimed_at timestamptz not null default now(),
	sent_at timestamptz,
	error text check (char_length(error) <= 500),
	created_at timestamptz not null default now(),
	unique (dialogue_id, user_id, kind),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.dialogue_mail is
	'Each reminder and summary email to each member, at most one row per dialogue, member and kind. Written by the service role only (public.claim_dialogue_mail, public.finish_dialogue_mail); leaders and organizers read their team''s rows, members their own.';
comment on column public.dialogue_mail.team_id is 'The dialogue''s team.';
comment on column public.dialogue_mail.dialogue_id is 'The dialogue the mail is about.';
comment on column public.dialogue_mail.user_id is 'The member it goes to.';
comment on column public.dialogue_mail.kind is 'reminder or summary.';
comment on column public.dialogue_mail.status is 'sending (claimed by a sender), sent, or failed (retried by the next sweep, up to 5 attempts).';
comment on column public.dialogue_mail.attempts is 'How many times a sender claimed it.';
comment on column public.dialogue_mail.claimed_at is 'When a sender last claimed it; a claim older than 10 minutes that never finished is taken again.';
comment on column public.dialogue_mail.sent_at is 'When the SMTP server accepted it (the last time, for a resent summary).';
comment on column public.dialogue_mail.error is 'Why the last attempt failed (the SMTP server''s answer), up to 500 characters.';
comment on column public.dialogue_mail.created_at is 'When it was first claimed.';
create index dialogue_mail_dialogue_id_team_id_idx on public.dialogue_mail (dialogue_id, team_id);
create index dialogue_mail_team_id_idx on public.dialogue_mail (team_id);
create index dialogue_mail_user_id_idx on public.dialogue_mail (user_id);
create index dialogue_mail_retry_idx on public.dialogue_mail (kind, status, claimed_at)
	where status <> 'sent';

alter table public.dialogue_mail enable row level security;
alter table public.dialogue_mail force row level security;
revoke all on public.dialogue_mail from anon, authenticated;
grant select on public.dialogue_mail to authenticated;

create policy "Leaders and organizers read their team's dialogue mail, members their own"
	on public.dialogue_mail for select to authenticated
	using (
		user_id = (select auth.uid())
		or (select private.has_team_role(team_id, array['leader', 'organizer']::public.team_role[]))
	);
comment on policy "Leaders and organizers read their team's dialogue mail, members their own"
	on public.dialogue_mail is
	'Who was mailed when: the whole team''s rows for those who run dialogues, a member''s own otherwise; outsiders nothing. No write policies: only the service role writes.';

-- Claims the mail that is due, atomically, and returns who to send it to.
-- Security definer: it reads the recipients' addresses from auth.users, which API roles cannot
-- read; it is granted to the service role only (the app's server), never to users.
create or replace function public.claim_dialogue_mail(
	kind public.dialogue_mail_kind,
	dialogue_id uuid default null,
	resend boolean default false,
	on_behalf_of uuid default null,
	max_rows int default 50
)
returns table (
	mail_id uuid,
	mail_dialogue_id uuid,
	mail_team_id uuid,
	mail_user_id uuid,
	email text,
	display_name text,
	preferred_language text
)
language plpgsql
security definer
set search_path = ''
as $$
declare
	k public.dialogue_mail_kind := claim_dialogue_mail.kind;
	one uuid := claim_dialogue_mail.dialogue_id;
	lim int := least(greatest(coalesce(claim_dialogue_mail.max_rows, 50), 1), 500);
begin
	if one is null and (resend or on_behalf_of is not null) then
		raise exception using errcode = 'P0001', message = 'name the dialogue to send its mail now';
	end if;
	if on_behalf_of is not null and not exists (
		select 1 from public.dialogues d
		join public.team_members m on m.team_id = d.team_id
		where d.id = one and m.user_id = on_behalf_of and m.role in ('leader', 'organizer')
	) then
		raise exception using errcode = 'P0001', message = 'only leaders and organizers send dialogue mail';
	end if;
	if one is not null and not exists (
		select 1 from public.dialogues d where d.id = one
			and d.status = case k when 'reminder' then 'scheduled'::public.dialogue_status
				else 'closed'::public.dialogue_status end
	) then
		raise exception using errcode = 'P0001', message = case k
			when 'reminder' then 'reminders go out before the dialogue starts'
			else 'the summary goes out once the dialogue is closed' end;
	end if;

	return query
	with due as (
		-- The dialogues whose mail is due: a named one, or (the sweep) reminders for dialogues
		-- starting within 24 hours and summaries of dialogues closed in the last 3 days.
		select d.id, d.team_id from public.dialogues d
		join public.teams t on t.id = d.team_id and t.archived_at is null
		where case
			when one is not null then d.id = one
			when k = 'reminder' then d.status = 'scheduled'
				and d.starts_at > now() and d.starts_at <= now() + interval '24 hours'
			else d.status = 'closed' and d.closed_at > now() - interval '3 days'
		end
	),
	recipients as (
		-- Reminders skip members who said no; summaries go to every member, present or not.
		select due.id as dialogue_id, due.team_id, m.user_id from due
		join public.team_members m on m.team_id = due.team_id
		where k = 'summary' or not exists (
			select 1 from public.dialogue_rsvps r
			where r.dialogue_id = due.id and r.user_id = m.user_id and r.response = 'no'
		)
	),
	fresh as (
		insert into public.dialogue_mail as x (team_id, dialogue_id, user_id, kind)
		select r.team_id, r.dialogue_id, r.user_id, k from recipients r limit lim
		on conflict on constraint dialogue_mail_dialogue_id_user_id_kind_key do nothing
		returning x.id, x.dialogue_id, x.team_id, x.user_id
	),
	again as (
		-- Failed attempts (up to 5), claims abandoned by a crashed sender, and explicit resends.
		update public.dialogue_mail x
		set status = 'sending', claimed_at = now(), attempts = least(x.attempts + 1, 100), error = null
		where x.id in (
			select y.id from public.dialogue_mail y
			join recipients r on r.dialogue_id = y.dialogue_id and r.user_id = y.user_id
			where y.kind = k and (
				(y.status = 'failed' and y.attempts < 5)
				or (y.status = 'sending' and y.claimed_at < now() - interval '10 minutes')
				or (resend and y.status <> 'sending')
			)
			limit lim
			for update of y skip locked
		)
		returning x.id, x.dialogue_id, x.team_id, x.user_id
	),
	claimed as (
		select * from fresh union all select * from again
	)
	select c.id, c.dialogue_id, c.team_id, c.user_id, u.email::text, p.display_name,
		coalesce(p.preferred_language, 'en')
	from claimed c
	join auth.users u on u.id = c.user_id
	left join public.profiles p on p.id = c.user_id
	where u.email is not null;
end;
$$;
comment on function public.claim_dialogue_mail(public.dialogue_mail_kind, uuid, boolean, uuid, int) is
	'Security definer (reads auth.users; service role only): claims the due reminders or summaries (all due dialogues, or one), at most once per dialogue, member and kind, and returns each recipient''s address, name and language. Concurrent callers never get the same row (on conflict do nothing, for update skip locked). resend re-claims a named dialogue''s mail already sent; on_behalf_of must be a leader or organizer of that dialogue''s team.';

-- Records the outcome of one claimed mail. Security invoker: the service role's own privileges.
create or replace function public.finish_dialogue_mail(mail_id uuid, error text default null)
returns void
language sql
security invoker
set search_path = ''
as $$
	update public.dialogue_mail x
	set status = case when finish_dialogue_mail.error is null then 'sent' else 'failed' end,
		sent_at = case when finish_dialogue_mail.error is null then now() else x.sent_at end,
		error = left(finish_dialogue_mail.error, 500)
	where x.id = finish_dialogue_mail.mail_id
$$;
comment on function public.finish_dialogue_mail(uuid, text) is
	'Security invoker (service role only): marks a claimed mail sent, or failed with the SMTP server''s answer (retried by a later sweep).';

revoke all on function public.claim_dialogue_mail(public.dialogue_mail_kind, uuid, boolean, uuid, int),
	public.finish_dialogue_mail(uuid, text)
	from public, anon, authenticated;
grant execute on function public.claim_dialogue_mail(public.dialogue_mail_kind, uuid, boolean, uuid, int),
	public.finish_dialogue_mail(uuid, text)
	to service_role;

-- ---------------------------------------------------------------------------------------------
-- Initiative progress as an agenda item
-- ---------------------------------------------------------------------------------------------
-- The new value is used only as text in this migration (an enum value added in a transaction
-- cannot be used as a literal of its type before the commit).
alter type public.agenda_embed_kind add value if not exists 'initiative';
comment on type public.agenda_embed_kind is
	'What an agenda item shows from the team''s data: nothing, an indicator''s chart, a friction point, the pressure-point ranking, the open follow-ups or an initiative''s progress.';

alter table public.agenda_items drop constraint agenda_items_embed_ref;
alter table public.agenda_items add constraint agenda_items_embed_ref check (
	(embed_kind::text in ('indicator', 'friction_point', 'initiative')) = (embed_ref is not null)
);
comment on column public.agenda_items.embed_ref is
	'The indicator, friction point or initiative shown (the team''s own; checked by the triggers).';

-- Agenda edits as any API role: an initiative must be the team's own. (The app offers agenda
-- editing until the start; a live facilitator may still adjust, as before; after the close the
-- record is kept and changes are amendments.)
create or replace function private.agenda_items_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
	if new.embed_kind::text = 'initiative' then
		-- A template phase that shows an initiative, scheduled without one, shows nothing.
		if new.embed_ref is null and tg_op = 'INSERT' then
			new.embed_kind := 'none';
		elsif not exists (
			select 1 from public.initiatives i where i.id = new.embed_ref and i.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that initiative does not exist';
		end if;
	end if;
	return new;
end;
$$;
comment on function private.agenda_items_guard() is
	'Trigger function (security definer, to read the team''s initiatives as any role): checks an embedded initiative is the team''s; a template phase showing an initiative, scheduled without one, shows nothing.';
create trigger agenda_items_guard before insert or update on public.agenda_items
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.agenda_items_guard();
revoke all on function private.agenda_items_guard() from public, anon;
grant execute on function private.agenda_items_guard() to authenticated;

-- Moves an agenda item one place up or down (swapping with its neighbour) in one transaction.
-- Security invoker: RLS and the triggers decide (leaders and organizers, before the start).
create or replace function public.move_agenda_item(agenda_item_id uuid, direction int)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
	a public.agenda_items;
	b public.agenda_items;
begin
	if direction not in (-1, 1) then
		raise exception using errcode = 'P0001', message = 'move an item up (-1) or down (1)';
	end if;
	select * into a from public.agenda_items x where x.id = move_agenda_item.agenda_item_id;
	if a.id is null then
		raise exception using errcode = 'P0001', message = 'that agenda item does not exist';
	end if;
	select * into b from public.agenda_items x
	where x.dialogue_id = a.dialogue_id
		and case when direction < 0 then x.position < a.position else x.position > a.position end
	order by case when direction < 0 then -x.position else x.position end
	limit 1;
	if b.id is null then
		return;
	end if;
	-- The (dialogue_id, position) key is checked at commit, so the swap may pass through a duplicate.
	update public.agenda_items x set position = b.position where x.id = a.id;
	update public.agenda_items x set position = a.position where x.id = b.id;
	if not found then
		raise exception using errcode = '42501', message = 'you cannot change this dialogue';
	end if;
end;
$$;
comment on function public.move_agenda_item(uuid, int) is
	'Security invoker (RLS applies): swaps an agenda item with the one before (-1) or after (1) it; nothing at either end.';
revoke all on function public.move_agenda_item(uuid, int) from public, anon;
grant execute on function public.move_agenda_item(uuid, int) to authenticated;

-- What an agenda item shows now: as before, plus an initiative's progress.
create or replace function public.dialogue_embed(agenda_item_id uuid)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
	a public.agenda_items;
	out jsonb;
begin
	select * into a from public.agenda_items x where x.id = dialogue_embed.agenda_item_id;
	if a.id is null then
		return null;
	end if;
	case a.embed_kind::text
	when 'indicator' then
		select jsonb_build_object(
			'kind', 'indicator', 'id', i.id, 'name', i.name, 'unit', i.unit, 'direction', i.direction,
			'points', coalesce((
				select jsonb_agg(jsonb_build_object('period_start', p.period_start, 'value', p.value,
					'target', p.target) order by p.period_start)
				from (
					select ms.period_start, ms.value, ms.target from public.measurements ms
					where ms.indicator_id = i.id and ms.team_id = a.team_id
					order by ms.period_start desc limit 24
				) p
			), '[]'::jsonb)
		) into out
		from public.indicators i where i.id = a.embed_ref and i.team_id = a.team_id;
	when 'friction_point' then
		select jsonb_build_object('kind', 'friction_point', 'id', f.id, 'title', f.title,
			'status', f.status, 'observed', f.observed, 'goal_statement', f.goal_statement)
		into out
		from public.friction_points f where f.id = a.embed_ref and f.team_id = a.team_id;
	when 'pressure_ranking' then
		select jsonb_build_object('kind', 'pressure_ranking', 'points', coalesce(jsonb_agg(r order by r.score desc, r.leverage desc, r.achievability desc, r.target), '[]'::jsonb))
		into out
		from (
			-- The combined score as src/lib/friction/pressure.ts weighs it.
			select p.target, f.title as friction_point, p.leverage, p.achievability, p.salience,
				round(0.5 * p.leverage + 0.3 * p.achievability + 0.2 * p.salience, 2) as score
			from public.pressure_points p
			join public.friction_points f on f.id = p.friction_point_id and f.team_id = p.team_id
			where p.team_id = a.team_id
			order by score desc, p.leverage desc, p.achievability desc, p.target
			limit 10
		) r;
	when 'follow_ups' then
		select jsonb_build_object('kind', 'follow_ups', 'items', coalesce(jsonb_agg(
			jsonb_build_object('title', u.title, 'due_on', u.due_on) order by u.due_on, u.title), '[]'::jsonb))
		into out
		from (
			select x.title, x.due_on from public.follow_ups x
			where x.team_id = a.team_id and x.done_at is null
			order by x.due_on, x.title limit 20
		) u;
	when 'initiative' then
		select jsonb_build_object(
			'kind', 'initiative', 'id', i.id, 'title', i.title, 'objective', i.objective,
			'status', i.status,
			'milestones_total', (select count(*) from public.milestones ms
				where ms.initiative_id = i.id and ms.team_id = a.team_id),
			'milestones_done', (select count(*) from public.milestones ms
				where ms.initiative_id = i.id and ms.team_id = a.team_id and ms.reached_on is not null),
			'tasks', (select jsonb_build_object(
					'todo', count(*) filter (where t.status = 'todo'),
					'doing', count(*) filter (where t.status = 'doing'),
					'blocked', count(*) filter (where t.status = 'blocked'),
					'done', count(*) filter (where t.status = 'done'))
				from public.tasks t where t.initiative_id = i.id and t.team_id = a.team_id)
		) into out
		from public.initiatives i where i.id = a.embed_ref and i.team_id = a.team_id;
	else
		out := null;
	end case;
	return out;
end;
$$;
comment on function public.dialogue_embed(uuid) is
	'Security invoker (RLS applies): the data an agenda item shows as it stands now (an indicator''s last 24 periods, a friction point, the top 10 pressure points, the open follow-ups, an initiative''s milestones and tasks), as jsonb; close_dialogue freezes it into agenda_items.snapshot.';

-- ---------------------------------------------------------------------------------------------
-- Pausing the phase timer
-- ---------------------------------------------------------------------------------------------
alter table public.dialogues add column phase_paused_at timestamptz;
comment on column public.dialogues.phase_paused_at is
	'While live: when the facilitator paused the phase timer (null: running). Every screen shows paused_at − phase_started_at; resuming moves phase_started_at forward by the pause.';

create or replace function public.pause_dialogue_timer(dialogue_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(pause_dialogue_timer.dialogue_id);
begin
	update public.dialogues x set phase_paused_at = coalesce(x.phase_paused_at, now())
	where x.id = d.id;
end;
$$;
comment on function public.pause_dialogue_timer(uuid) is
	'Security definer (live state): the facilitator pauses the phase timer, by the database clock; pausing twice keeps the first pause.';

create or replace function public.resume_dialogue_timer(dialogue_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(resume_dialogue_timer.dialogue_id);
begin
	update public.dialogues x
	set phase_started_at = x.phase_started_at + (now() - x.phase_paused_at), phase_paused_at = null
	where x.id = d.id and x.phase_paused_at is not null;
end;
$$;
comment on function public.resume_dialogue_timer(uuid) is
	'Security definer (live state): the facilitator resumes the timer; the pause does not count against the time box.';

-- Moving to a phase starts its timer running (as before), so a pause does not carry over.
create or replace function public.set_dialogue_phase(dialogue_id uuid, phase_position int)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(set_dialogue_phase.dialogue_id);
begin
	if not exists (select 1 from public.agenda_items a where a.dialogue_id = d.id and a.position = set_dialogue_phase.phase_position) then
		raise exception using errcode = 'P0001', message = 'that phase is not on the agenda';
	end if;
	perform private.give_floor(d, null, 'round');
	update public.dialogues x
	set current_position = set_dialogue_phase.phase_position, phase_started_at = now(),
		phase_paused_at = null, round_order = '{}', round_index = null
	where x.id = d.id;
end;
$$;
comment on function public.set_dialogue_phase(uuid, int) is
	'Security definer (live state): the facilitator moves to a phase; its timer starts now by the database clock (running, even if the last one was paused) and any round ends.';

revoke all on function public.pause_dialogue_timer(uuid), public.resume_dialogue_timer(uuid)
	from public, anon;
grant execute on function public.pause_dialogue_timer(uuid), public.resume_dialogue_timer(uuid)
	to authenticated;
