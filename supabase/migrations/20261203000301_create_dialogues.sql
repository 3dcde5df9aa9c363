-- Diagnostic dialogues: the team's structured meetings, run live by a facilitator and closed into
-- a record (attendance, decisions, action items, frozen data snapshots, an anonymous pulse check).
--
-- Security model (as for agency data and the friction map):
-- - Deny by default: RLS enabled on every table, policies only `to authenticated`.
-- - Members (any role) read their team's dialogues; outsiders and organization admins get nothing.
--   Rows cannot point at another team's rows (composite foreign keys on (id, team_id)).
-- - Leaders and organizers schedule dialogues, edit agendas, templates and action items.
-- - The live state (phase, timer start, round, current speaker, decisions) changes only through the
--   security-definer functions below, which require the facilitator lock: one person facilitates a
--   live dialogue at a time; another leader or organizer takes over only when asking to.
-- - Anonymous input cards keep no author in any table the API can reach: the card row has only its
--   text; a per-dialogue salted hash of the author sits in the private schema, so a member can
--   change or withdraw their own cards (through functions) and nobody can tell whose a card is.
-- - Pulse checks are readable only in aggregate (public.dialogue_pulse) with at least three answers.
-- - A closed dialogue is a record: its agenda, decisions, notes and action items no longer change;
--   later corrections are added as amendments.

-- ---------------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------------
create type public.dialogue_status as enum ('scheduled', 'live', 'closed', 'cancelled');
comment on type public.dialogue_status is
	'scheduled (not started), live (being facilitated), closed (a record), cancelled.';

create type public.agenda_embed_kind as enum (
	'none', 'indicator', 'friction_point', 'pressure_ranking', 'follow_ups'
);
comment on type public.agenda_embed_kind is
	'What an agenda item shows from the team''s data: nothing, an indicator''s chart, a friction point, the pressure-point ranking or the open follow-ups.';

create type public.decision_method as enum ('consent', 'consensus', 'fist_to_five');
comment on type public.decision_method is
	'consent (no objection), consensus (everyone agrees), fist_to_five (0–5 each; passes with no 0 or 1 and an average of at least 3).';

create type public.rsvp_response as enum ('yes', 'maybe', 'no');
comment on type public.rsvp_response is 'Whether a member will come.';

-- ---------------------------------------------------------------------------------------------
-- Templates
-- ---------------------------------------------------------------------------------------------
create table public.dialogue_templates (
	id uuid primary key default gen_random_uuid(),
	team_id uuid references public.teams (id) on delete cascade,
	key text unique check (key ~ '^[a-z_]{1,40}$'),
	name text not null check (char_length(name) between 1 and 200),
	description text check (char_length(description) <= 2000),
	-- [{ "title": text, "minutes": int, "guidance": text, "embed_kind": agenda_embed_kind }]
	phases jsonb not null check (jsonb_typeof(phases) = 'array' and jsonb_array_length(phases) between 1 and 30),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint dialogue_templates_builtin_key check ((team_id is null) = (key is not null))
);
comment on table public.dialogue_templates is
	'Meeting formats: built-in ones (team_id null, a key, readable by every signed-in user) and teams'' own copies (leaders and organizers edit them).';
comment on column public.dialogue_templates.team_id is 'The team that owns this copy; null for a built-in template.';
comment on column public.dialogue_templates.key is 'A built-in template''s stable name (diagnostic_dialogue, …); null for a team''s copy.';
comment on column public.dialogue_templates.name is 'The name shown when scheduling, 1–200 characters.';
comment on column public.dialogue_templates.description is 'What the format is for, up to 2000 characters.';
comment on column public.dialogue_templates.phases is 'The phases in order: title, minutes (time box), guidance for the facilitator, and what data the phase shows.';
comment on column public.dialogue_templates.created_at is 'When it was added.';
comment on column public.dialogue_templates.updated_at is 'Last change, stamped by public.set_updated_at().';
create index dialogue_templates_team_id_idx on public.dialogue_templates (team_id);

-- ---------------------------------------------------------------------------------------------
-- Dialogues and their agenda
-- ---------------------------------------------------------------------------------------------
create table public.dialogues (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null references public.teams (id) on delete cascade,
	template_id uuid references public.dialogue_templates (id) on delete set null,
	title text not null check (char_length(title) between 1 and 200),
	starts_at timestamptz not null,
	duration_minutes int not null default 90 check (duration_minutes between 5 and 600),
	location text check (char_length(location) <= 300),
	call_link text check (char_length(call_link) <= 1000 and call_link ~* '^https?://'),
	status public.dialogue_status not null default 'scheduled',
	current_position int,
	phase_started_at timestamptz,
	round_order uuid[] not null default '{}',
	round_index int,
	speaker_id uuid,
	speaker_since timestamptz,
	facilitator_id uuid references auth.users (id) on delete set null,
	facilitator_seen_at timestamptz,
	started_at timestamptz,
	closed_at timestamptz,
	summary text check (char_length(summary) <= 8000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (id, team_id)
);
comment on table public.dialogues is
	'A team meeting: when and where, its live state while facilitated, and its record once closed. Team members read; leaders and organizers schedule; the live state changes through functions only.';
comment on column public.dialogues.team_id is 'The team meeting.';
comment on column public.dialogues.template_id is 'The template the agenda was built from, if any.';
comment on column public.dialogues.title is 'The meeting''s name, 1–200 characters.';
comment on column public.dialogues.starts_at is 'When it starts.';
comment on column public.dialogues.duration_minutes is 'How long it is planned to last (for the calendar invitation).';
comment on column public.dialogues.location is 'Where it happens, up to 300 characters.';
comment on column public.dialogues.call_link is 'The http(s) address of the call, for online meetings.';
comment on column public.dialogues.status is 'scheduled, live, closed or cancelled.';
comment on column public.dialogues.current_position is 'While live: the agenda position of the current phase.';
comment on column public.dialogues.phase_started_at is 'While live: when the current phase started, by the database clock (every screen computes the timer from it).';
comment on column public.dialogues.round_order is 'The members of the current round, in speaking order.';
comment on column public.dialogues.round_index is 'Whose turn it is in round_order; null when no round is running.';
comment on column public.dialogues.speaker_id is 'Who has the floor now, if anyone.';
comment on column public.dialogues.speaker_since is 'When the current speaker started.';
comment on column public.dialogues.facilitator_id is 'Who holds the facilitator role (one at a time).';
comment on column public.dialogues.facilitator_seen_at is 'The facilitator''s last action; a lock older than 90 seconds may be taken without asking.';
comment on column public.dialogues.started_at is 'When it went live.';
comment on column public.dialogues.closed_at is 'When it was closed.';
comment on column public.dialogues.summary is 'The facilitator''s summary, written at close, up to 8000 characters.';
comment on column public.dialogues.created_by is 'Who scheduled it.';
comment on column public.dialogues.created_at is 'When it was scheduled.';
comment on column public.dialogues.updated_at is 'Last change, stamped by public.set_updated_at().';
create index dialogues_team_id_starts_at_idx on public.dialogues (team_id, starts_at);
create index dialogues_template_id_idx on public.dialogues (template_id);
create index dialogues_facilitator_id_idx on public.dialogues (facilitator_id);
create index dialogues_created_by_idx on public.dialogues (created_by);

create table public.agenda_items (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	position int not null check (position >= 0),
	title text not null check (char_length(title) between 1 and 200),
	minutes int not null default 10 check (minutes between 1 and 240),
	guidance text check (char_length(guidance) <= 4000),
	embed_kind public.agenda_embed_kind not null default 'none',
	embed_ref uuid,
	snapshot jsonb,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (dialogue_id, position) deferrable initially deferred,
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade,
	constraint agenda_items_embed_ref check (
		(embed_kind in ('indicator', 'friction_point')) = (embed_ref is not null)
	)
);
comment on table public.agenda_items is
	'A dialogue''s phases in order, each with a time box, guidance for the facilitator and optionally live data, frozen into snapshot when the dialogue closes.';
comment on column public.agenda_items.team_id is 'The dialogue''s team.';
comment on column public.agenda_items.dialogue_id is 'The dialogue.';
comment on column public.agenda_items.position is 'Order on the agenda, from 0.';
comment on column public.agenda_items.title is 'The phase''s name, 1–200 characters.';
comment on column public.agenda_items.minutes is 'Its time box, 1–240 minutes.';
comment on column public.agenda_items.guidance is 'Prompts and tips shown to the facilitator, up to 4000 characters.';
comment on column public.agenda_items.embed_kind is 'What data it shows.';
comment on column public.agenda_items.embed_ref is 'The indicator or friction point shown (the team''s own; checked by the trigger).';
comment on column public.agenda_items.snapshot is 'The data as it stood when the dialogue closed (public.dialogue_embed), null before.';
comment on column public.agenda_items.created_at is 'When it was added.';
comment on column public.agenda_items.updated_at is 'Last change, stamped by public.set_updated_at().';
create index agenda_items_dialogue_id_team_id_idx on public.agenda_items (dialogue_id, team_id);
create index agenda_items_team_id_idx on public.agenda_items (team_id);

create table public.dialogue_rsvps (
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null default auth.uid(),
	response public.rsvp_response not null,
	updated_at timestamptz not null default now(),
	primary key (dialogue_id, user_id),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade,
	foreign key (team_id, user_id) references public.team_members (team_id, user_id) on delete cascade
);
comment on table public.dialogue_rsvps is 'Each member''s answer to a dialogue''s invitation. Members read all; each writes their own.';
comment on column public.dialogue_rsvps.team_id is 'The dialogue''s team.';
comment on column public.dialogue_rsvps.dialogue_id is 'The dialogue.';
comment on column public.dialogue_rsvps.user_id is 'The member answering.';
comment on column public.dialogue_rsvps.response is 'yes, maybe or no.';
comment on column public.dialogue_rsvps.updated_at is 'When they last answered.';
create index dialogue_rsvps_team_id_user_id_idx on public.dialogue_rsvps (team_id, user_id);
create index dialogue_rsvps_dialogue_id_team_id_idx on public.dialogue_rsvps (dialogue_id, team_id);

create table public.attendance (
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	recorded_at timestamptz not null default now(),
	primary key (dialogue_id, user_id),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.attendance is 'Who was at a closed dialogue, recorded by public.close_dialogue. Members read it.';
comment on column public.attendance.team_id is 'The dialogue''s team.';
comment on column public.attendance.dialogue_id is 'The dialogue.';
comment on column public.attendance.user_id is 'A member who attended.';
comment on column public.attendance.recorded_at is 'When the dialogue was closed.';
create index attendance_dialogue_id_team_id_idx on public.attendance (dialogue_id, team_id);
create index attendance_team_id_idx on public.attendance (team_id);
create index attendance_user_id_idx on public.attendance (user_id);

-- ---------------------------------------------------------------------------------------------
-- Live records: the speaking queue, turns, input cards, notes, decisions
-- ---------------------------------------------------------------------------------------------
create table public.speaking_queue (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
	raised_at timestamptz not null default now(),
	unique (dialogue_id, user_id),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.speaking_queue is 'Raised hands, oldest first. A member raises and lowers their own; the facilitator calls the next one.';
comment on column public.speaking_queue.team_id is 'The dialogue''s team.';
comment on column public.speaking_queue.dialogue_id is 'The dialogue.';
comment on column public.speaking_queue.user_id is 'Whose hand is up.';
comment on column public.speaking_queue.raised_at is 'When it went up (the queue''s order).';
create index speaking_queue_dialogue_id_team_id_idx on public.speaking_queue (dialogue_id, team_id);
create index speaking_queue_team_id_idx on public.speaking_queue (team_id);
create index speaking_queue_user_id_idx on public.speaking_queue (user_id);

create table public.turns (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	kind text not null check (kind in ('round', 'queue')),
	started_at timestamptz not null default now(),
	ended_at timestamptz,
	check (ended_at is null or ended_at >= started_at),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.turns is 'Who spoke and for how long (the participation balance), written by the facilitator functions only.';
comment on column public.turns.team_id is 'The dialogue''s team.';
comment on column public.turns.dialogue_id is 'The dialogue.';
comment on column public.turns.user_id is 'Who had the floor.';
comment on column public.turns.kind is 'round (their turn in a round) or queue (called from the raised hands).';
comment on column public.turns.started_at is 'When they got the floor.';
comment on column public.turns.ended_at is 'When it passed on; null while speaking.';
create index turns_dialogue_id_team_id_idx on public.turns (dialogue_id, team_id);
create index turns_team_id_idx on public.turns (team_id);
create index turns_user_id_idx on public.turns (user_id);

create table public.input_cards (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	body text not null check (char_length(body) between 1 and 1000),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.input_cards is
	'Anonymous input: the text only. Nothing here or anywhere the API reaches says who wrote it; written through public.add_input_card, change_input_card and remove_input_card.';
comment on column public.input_cards.team_id is 'The dialogue''s team.';
comment on column public.input_cards.dialogue_id is 'The dialogue.';
comment on column public.input_cards.body is 'The card''s text, 1–1000 characters.';
comment on column public.input_cards.created_at is 'When it was added (to the minute, so the order does not point at anyone).';
comment on column public.input_cards.updated_at is 'Last change (to the minute).';
create index input_cards_dialogue_id_team_id_idx on public.input_cards (dialogue_id, team_id);
create index input_cards_team_id_idx on public.input_cards (team_id);

-- Not exposed through the API: the per-dialogue salt and each card's salted author hash.
create table private.dialogue_salts (
	dialogue_id uuid primary key references public.dialogues (id) on delete cascade,
	salt text not null default gen_random_uuid()::text
);
comment on table private.dialogue_salts is 'A random salt per dialogue for the input cards'' author markers. Private: no API role can read it.';
create table private.input_card_markers (
	card_id uuid primary key references public.input_cards (id) on delete cascade,
	marker text not null
);
comment on table private.input_card_markers is 'sha256(salt || author id) per card, so the author can change their card. Private: no API role can read it.';
revoke all on private.dialogue_salts, private.input_card_markers from public, anon, authenticated;

create table public.dialogue_notes (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	body text not null check (char_length(body) between 1 and 4000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.dialogue_notes is 'Shared notes taken during a dialogue, one entry each, so concurrent writers never overwrite each other.';
comment on column public.dialogue_notes.team_id is 'The dialogue''s team.';
comment on column public.dialogue_notes.dialogue_id is 'The dialogue.';
comment on column public.dialogue_notes.body is 'The note, 1–4000 characters.';
comment on column public.dialogue_notes.created_by is 'Who wrote it.';
comment on column public.dialogue_notes.created_at is 'When.';
comment on column public.dialogue_notes.updated_at is 'Last change, stamped by public.set_updated_at().';
create index dialogue_notes_dialogue_id_team_id_idx on public.dialogue_notes (dialogue_id, team_id);
create index dialogue_notes_team_id_idx on public.dialogue_notes (team_id);
create index dialogue_notes_created_by_idx on public.dialogue_notes (created_by);

create table public.decisions (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	question text not null check (char_length(question) between 1 and 500),
	method public.decision_method not null,
	closed_at timestamptz,
	result jsonb,
	passed boolean,
	created_at timestamptz not null default now(),
	unique (id, team_id),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.decisions is 'A quick decision taken in a dialogue and its recorded result. Opened and closed by the facilitator functions.';
comment on column public.decisions.team_id is 'The dialogue''s team.';
comment on column public.decisions.dialogue_id is 'The dialogue.';
comment on column public.decisions.question is 'What is decided, 1–500 characters.';
comment on column public.decisions.method is 'consent, consensus or fist_to_five.';
comment on column public.decisions.closed_at is 'When voting closed; null while open.';
comment on column public.decisions.result is 'The tally at close: {"votes": n, "counts": {"0": n, …}, "average": x}.';
comment on column public.decisions.passed is 'Whether it passed by its method''s rule.';
comment on column public.decisions.created_at is 'When it was put to the group.';
create index decisions_dialogue_id_team_id_idx on public.decisions (dialogue_id, team_id);
create index decisions_team_id_idx on public.decisions (team_id);

create table public.decision_votes (
	team_id uuid not null,
	decision_id uuid not null,
	user_id uuid not null default auth.uid(),
	value smallint not null check (value between 0 and 5),
	updated_at timestamptz not null default now(),
	primary key (decision_id, user_id),
	foreign key (decision_id, team_id) references public.decisions (id, team_id) on delete cascade,
	foreign key (team_id, user_id) references public.team_members (team_id, user_id) on delete cascade
);
comment on table public.decision_votes is
	'Open votes on a decision (shown in the room, as a show of hands would be): consent and consensus use 1 (yes/agree) and 0 (object/disagree); fist-to-five uses 0–5.';
comment on column public.decision_votes.team_id is 'The decision''s team.';
comment on column public.decision_votes.decision_id is 'The decision.';
comment on column public.decision_votes.user_id is 'Who voted (their own row only).';
comment on column public.decision_votes.value is '0–5 (fist to five) or 0/1 (consent, consensus).';
comment on column public.decision_votes.updated_at is 'When they last voted.';
create index decision_votes_team_id_user_id_idx on public.decision_votes (team_id, user_id);
create index decision_votes_decision_id_team_id_idx on public.decision_votes (decision_id, team_id);

create table public.action_items (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	title text not null check (char_length(title) between 1 and 300),
	assignee_id uuid,
	due_on date,
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade,
	foreign key (team_id, assignee_id) references public.team_members (team_id, user_id)
		on delete set null (assignee_id)
);
comment on table public.action_items is 'What the dialogue committed to: a task, who does it and by when. Leaders and organizers add them until the dialogue closes.';
comment on column public.action_items.team_id is 'The dialogue''s team.';
comment on column public.action_items.dialogue_id is 'The dialogue.';
comment on column public.action_items.title is 'What is to be done, 1–300 characters.';
comment on column public.action_items.assignee_id is 'The member who does it (a member of the team; null when unassigned).';
comment on column public.action_items.due_on is 'When it is due, if set.';
comment on column public.action_items.created_by is 'Who added it.';
comment on column public.action_items.created_at is 'When.';
comment on column public.action_items.updated_at is 'Last change, stamped by public.set_updated_at().';
create index action_items_dialogue_id_team_id_idx on public.action_items (dialogue_id, team_id);
create index action_items_team_id_assignee_id_idx on public.action_items (team_id, assignee_id);
create index action_items_created_by_idx on public.action_items (created_by);

create table public.pulse_checks (
	team_id uuid not null,
	dialogue_id uuid not null,
	user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
	safe smallint not null check (safe between 1 and 5),
	heard smallint not null check (heard between 1 and 5),
	useful smallint not null check (useful between 1 and 5),
	primary key (dialogue_id, user_id),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.pulse_checks is
	'How safe, heard and useful the dialogue felt (1–5). Nobody reads rows through the API (no select policy); public.dialogue_pulse returns averages once three members have answered. user_id only stops a second answer.';
comment on column public.pulse_checks.team_id is 'The dialogue''s team.';
comment on column public.pulse_checks.dialogue_id is 'The dialogue.';
comment on column public.pulse_checks.user_id is 'Who answered (never exposed).';
comment on column public.pulse_checks.safe is 'How safe it felt to speak, 1–5.';
comment on column public.pulse_checks.heard is 'How heard they felt, 1–5.';
comment on column public.pulse_checks.useful is 'How useful it was, 1–5.';
create index pulse_checks_dialogue_id_team_id_idx on public.pulse_checks (dialogue_id, team_id);
create index pulse_checks_team_id_idx on public.pulse_checks (team_id);
create index pulse_checks_user_id_idx on public.pulse_checks (user_id);

create table public.dialogue_amendments (
	id uuid primary key default gen_random_uuid(),
	team_id uuid not null,
	dialogue_id uuid not null,
	body text not null check (char_length(body) between 1 and 4000),
	created_by uuid default auth.uid() references auth.users (id) on delete set null,
	created_at timestamptz not null default now(),
	foreign key (dialogue_id, team_id) references public.dialogues (id, team_id) on delete cascade
);
comment on table public.dialogue_amendments is 'Corrections and additions made after a dialogue closed: the record itself stays as it was; amendments are never changed or removed.';
comment on column public.dialogue_amendments.team_id is 'The dialogue''s team.';
comment on column public.dialogue_amendments.dialogue_id is 'The closed dialogue.';
comment on column public.dialogue_amendments.body is 'The correction, 1–4000 characters.';
comment on column public.dialogue_amendments.created_by is 'Who made it.';
comment on column public.dialogue_amendments.created_at is 'When.';
create index dialogue_amendments_dialogue_id_team_id_idx on public.dialogue_amendments (dialogue_id, team_id);
create index dialogue_amendments_team_id_idx on public.dialogue_amendments (team_id);
create index dialogue_amendments_created_by_idx on public.dialogue_amendments (created_by);

-- A DELETE through postgres_changes carries the key only; replica identity full lets a filter on
-- dialogue_id match it, as on hosted Supabase.
alter table public.speaking_queue replica identity full;
alter table public.input_cards replica identity full;
alter table public.dialogue_notes replica identity full;

-- ---------------------------------------------------------------------------------------------
-- Helpers and triggers
-- ---------------------------------------------------------------------------------------------
create or replace function private.can_lead_dialogues(team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
	select private.has_team_role($1, array['leader', 'organizer']::public.team_role[])
		and private.can_change_team_data($1)
$$;
comment on function private.can_lead_dialogues(uuid) is
	'Security definer: true for a leader or organizer of a team that is not archived. Used by policies and functions.';

create or replace function private.dialogue_status_of(dialogue_id uuid)
returns public.dialogue_status
language sql
stable
security definer
set search_path = ''
as $$
	select d.status from public.dialogues d where d.id = $1
$$;
comment on function private.dialogue_status_of(uuid) is
	'Security definer (policies and triggers of every role read it): the dialogue''s status.';

create or replace function private.dialogues_validate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	st public.dialogue_status;
begin
	if tg_table_name = 'dialogue_templates' then
		new.name := private.clean_text(new.name, 'the name', 200, true);
		new.description := private.clean_text(new.description, 'the description', 2000);
		return new;
	end if;
	if tg_table_name = 'dialogues' then
		new.title := private.clean_text(new.title, 'the title', 200, true);
		new.location := private.clean_text(new.location, 'the place', 300);
		new.call_link := private.clean_url(new.call_link, 'the call link', 1000);
		new.summary := private.clean_text(new.summary, 'the summary', 8000);
		if tg_op = 'UPDATE' and old.status = 'closed' then
			raise exception using errcode = 'P0001',
				message = 'this dialogue is closed: add an amendment instead';
		end if;
		return new;
	end if;
	if tg_table_name = 'decision_votes' then
		st := private.dialogue_status_of(
			(select x.dialogue_id from public.decisions x where x.id = new.decision_id)
		);
	else
		st := private.dialogue_status_of(
			case when tg_op = 'DELETE' then old.dialogue_id else new.dialogue_id end
		);
	end if;
	if tg_table_name = 'dialogue_amendments' then
		new.body := private.clean_text(new.body, 'the amendment', 4000, true);
		if st is distinct from 'closed' then
			raise exception using errcode = 'P0001',
				message = 'amendments are for closed dialogues: change the dialogue itself';
		end if;
		return new;
	end if;
	-- The record of a closed dialogue stays as it was (close_dialogue itself writes as the owner
	-- before the status changes).
	if st = 'closed' then
		raise exception using errcode = 'P0001', message = 'this dialogue is closed: add an amendment instead';
	end if;
	if tg_op = 'DELETE' then
		return old;
	end if;
	case tg_table_name
	when 'agenda_items' then
		new.title := private.clean_text(new.title, 'the phase title', 200, true);
		new.guidance := private.clean_text(new.guidance, 'the guidance', 4000);
		if new.embed_kind = 'indicator' and not exists (
			select 1 from public.indicators i where i.id = new.embed_ref and i.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that indicator does not exist';
		elsif new.embed_kind = 'friction_point' and not exists (
			select 1 from public.friction_points f where f.id = new.embed_ref and f.team_id = new.team_id
		) then
			raise exception using errcode = 'P0001', message = 'that friction point does not exist';
		end if;
	when 'dialogue_notes' then
		new.body := private.clean_text(new.body, 'the note', 4000, true);
	when 'action_items' then
		new.title := private.clean_text(new.title, 'the action item', 300, true);
		if new.assignee_id is not null and not exists (
			select 1 from public.team_members m where m.team_id = new.team_id and m.user_id = new.assignee_id
		) then
			raise exception using errcode = 'P0001', message = 'the assignee must be a member of the team';
		end if;
	when 'speaking_queue' then
		if st <> 'live' then
			raise exception using errcode = 'P0001', message = 'hands go up once the dialogue is live';
		end if;
	when 'decision_votes' then
		if exists (select 1 from public.decisions x where x.id = new.decision_id and x.closed_at is not null) then
			raise exception using errcode = 'P0001', message = 'voting on this decision has closed';
		end if;
		if (select x.method from public.decisions x where x.id = new.decision_id) <> 'fist_to_five'
			and new.value > 1 then
			raise exception using errcode = 'P0001', message = 'this decision takes yes (1) or no (0)';
		end if;
	else
		null;
	end case;
	return new;
end;
$$;
comment on function private.dialogues_validate() is
	'Trigger function (security definer, to read the dialogue''s status and the team''s data as any role): trims text, refuses changes to a closed dialogue''s record with a sentence, checks embedded data and assignees belong to the team.';

create trigger dialogue_templates_validate before insert or update on public.dialogue_templates
	for each row execute function private.dialogues_validate();
create trigger dialogues_validate before insert or update on public.dialogues
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.dialogues_validate();
create trigger agenda_items_validate before insert or update or delete on public.agenda_items
	for each row when (current_user in ('anon', 'authenticated'))
	execute function private.dialogues_validate();
create trigger dialogue_notes_validate before insert or update or delete on public.dialogue_notes
	for each row execute function private.dialogues_validate();
create trigger action_items_validate before insert or update or delete on public.action_items
	for each row execute function private.dialogues_validate();
create trigger speaking_queue_validate before insert on public.speaking_queue
	for each row execute function private.dialogues_validate();
create trigger decision_votes_validate before insert or update on public.decision_votes
	for each row execute function private.dialogues_validate();
create trigger dialogue_amendments_validate before insert on public.dialogue_amendments
	for each row execute function private.dialogues_validate();

create trigger dialogue_templates_set_updated_at before update on public.dialogue_templates
	for each row execute function public.set_updated_at();
create trigger dialogues_set_updated_at before update on public.dialogues
	for each row execute function public.set_updated_at();
create trigger agenda_items_set_updated_at before update on public.agenda_items
	for each row execute function public.set_updated_at();
create trigger dialogue_notes_set_updated_at before update on public.dialogue_notes
	for each row execute function public.set_updated_at();
create trigger action_items_set_updated_at before update on public.action_items
	for each row execute function public.set_updated_at();

do $$
declare
	t text;
begin
	foreach t in array array[
		'dialogue_templates', 'dialogues', 'agenda_items', 'dialogue_rsvps', 'speaking_queue',
		'dialogue_notes', 'decision_votes', 'action_items', 'pulse_checks', 'dialogue_amendments'
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
-- Row Level Security and grants
-- ---------------------------------------------------------------------------------------------
alter table public.dialogue_templates enable row level security;
alter table public.dialogues enable row level security;
alter table public.agenda_items enable row level security;
alter table public.dialogue_rsvps enable row level security;
alter table public.attendance enable row level security;
alter table public.speaking_queue enable row level security;
alter table public.turns enable row level security;
alter table public.input_cards enable row level security;
alter table public.dialogue_notes enable row level security;
alter table public.decisions enable row level security;
alter table public.decision_votes enable row level security;
alter table public.action_items enable row level security;
alter table public.pulse_checks enable row level security;
alter table public.dialogue_amendments enable row level security;
alter table public.dialogue_rsvps force row level security;
alter table public.dialogue_notes force row level security;
alter table public.decision_votes force row level security;
alter table public.dialogue_amendments force row level security;

revoke all on public.dialogue_templates, public.dialogues, public.agenda_items, public.dialogue_rsvps,
	public.attendance, public.speaking_queue, public.turns, public.input_cards, public.dialogue_notes,
	public.decisions, public.decision_votes, public.action_items, public.pulse_checks,
	public.dialogue_amendments
	from anon, authenticated;

grant select on public.dialogue_templates, public.dialogues, public.agenda_items, public.dialogue_rsvps,
	public.attendance, public.speaking_queue, public.turns, public.input_cards, public.dialogue_notes,
	public.decisions, public.decision_votes, public.action_items, public.dialogue_amendments
	to authenticated;
grant insert (team_id, name, description, phases), update (name, description, phases), delete
	on public.dialogue_templates to authenticated;
-- The live state and the record are the functions' to write.
grant insert (team_id, template_id, title, starts_at, duration_minutes, location, call_link),
	update (title, starts_at, duration_minutes, location, call_link)
	on public.dialogues to authenticated;
grant insert (team_id, dialogue_id, position, title, minutes, guidance, embed_kind, embed_ref),
	update (position, title, minutes, guidance, embed_kind, embed_ref), delete
	on public.agenda_items to authenticated;
grant insert (team_id, dialogue_id, user_id, response), update (response), delete
	on public.dialogue_rsvps to authenticated;
grant insert (team_id, dialogue_id), delete on public.speaking_queue to authenticated;
grant insert (team_id, dialogue_id, body), update (body), delete on public.dialogue_notes to authenticated;
grant insert (team_id, decision_id, user_id, value), update (value) on public.decision_votes to authenticated;
grant insert (team_id, dialogue_id, title, assignee_id, due_on), update (title, assignee_id, due_on), delete
	on public.action_items to authenticated;
grant insert (team_id, dialogue_id, body) on public.dialogue_amendments to authenticated;

-- Reads: any member of the team, for every table a member may read.
do $$
declare
	t text;
begin
	foreach t in array array[
		'dialogues', 'agenda_items', 'dialogue_rsvps', 'attendance', 'speaking_queue', 'turns',
		'input_cards', 'dialogue_notes', 'decisions', 'decision_votes', 'action_items',
		'dialogue_amendments'
	]
	loop
		execute format(
			'create policy "Members can read their team''s %1$s" on public.%1$I
				for select to authenticated using ((select private.is_team_member(team_id)))',
			t
		);
		execute format(
			'comment on policy "Members can read their team''s %1$s" on public.%1$I is %2$L',
			t, 'Any member, any role; outsiders and organization admins see nothing.'
		);
	end loop;
end;
$$;

create policy "Everyone signed in reads built-in templates, members their team's"
	on public.dialogue_templates for select to authenticated
	using (team_id is null or (select private.is_team_member(team_id)));
comment on policy "Everyone signed in reads built-in templates, members their team's"
	on public.dialogue_templates is 'Built-in formats are public to signed-in users; a team''s copies to its members.';
create policy "Leaders and organizers add their team's templates" on public.dialogue_templates
	for insert to authenticated with check (team_id is not null and (select private.can_lead_dialogues(team_id)));
comment on policy "Leaders and organizers add their team's templates" on public.dialogue_templates is
	'A team''s own copy; built-in templates (team_id null) come from migrations only.';
create policy "Leaders and organizers change their team's templates" on public.dialogue_templates
	for update to authenticated
	using (team_id is not null and (select private.can_lead_dialogues(team_id)))
	with check (team_id is not null and (select private.can_lead_dialogues(team_id)));
comment on policy "Leaders and organizers change their team's templates" on public.dialogue_templates is
	'Only the team''s copies; built-ins stay as shipped.';
create policy "Leaders and organizers delete their team's templates" on public.dialogue_templates
	for delete to authenticated using (team_id is not null and (select private.can_lead_dialogues(team_id)));
comment on policy "Leaders and organizers delete their team's templates" on public.dialogue_templates is
	'Only the team''s copies.';

-- Dialogues and agendas: leaders and organizers of an active team.
do $$
declare
	t text;
begin
	foreach t in array array['dialogues', 'agenda_items', 'action_items'] loop
		execute format(
			'create policy "Leaders and organizers add %1$s" on public.%1$I
				for insert to authenticated with check ((select private.can_lead_dialogues(team_id)))',
			t
		);
		execute format(
			'comment on policy "Leaders and organizers add %1$s" on public.%1$I is %2$L',
			t, 'Leaders and organizers of a team that is not archived; team_id pins the row.'
		);
		execute format(
			'create policy "Leaders and organizers change %1$s" on public.%1$I
				for update to authenticated
				using ((select private.has_team_role(team_id, array[''leader'', ''organizer'']::public.team_role[])))
				with check ((select private.can_lead_dialogues(team_id)))',
			t
		);
		execute format(
			'comment on policy "Leaders and organizers change %1$s" on public.%1$I is %2$L',
			t, 'Leaders and organizers; an archived team or a closed dialogue is refused with a sentence by the triggers.'
		);
	end loop;
	foreach t in array array['agenda_items', 'action_items'] loop
		execute format(
			'create policy "Leaders and organizers delete %1$s" on public.%1$I
				for delete to authenticated
				using ((select private.has_team_role(team_id, array[''leader'', ''organizer'']::public.team_role[])))',
			t
		);
		execute format(
			'comment on policy "Leaders and organizers delete %1$s" on public.%1$I is %2$L',
			t, 'Leaders and organizers; a closed dialogue''s record is kept (the trigger refuses).'
		);
	end loop;
end;
$$;

-- Each member's own rows: RSVPs, raised hands, votes.
create policy "Members answer for themselves" on public.dialogue_rsvps
	for insert to authenticated
	with check (user_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Members answer for themselves" on public.dialogue_rsvps is 'Their own answer, in their own team.';
create policy "Members change their own answer" on public.dialogue_rsvps
	for update to authenticated
	using (user_id = (select auth.uid()))
	with check (user_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Members change their own answer" on public.dialogue_rsvps is 'Their own answer only.';
create policy "Members withdraw their own answer" on public.dialogue_rsvps
	for delete to authenticated using (user_id = (select auth.uid()));
comment on policy "Members withdraw their own answer" on public.dialogue_rsvps is 'Their own answer only.';

create policy "Members raise their own hand" on public.speaking_queue
	for insert to authenticated
	with check (user_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Members raise their own hand" on public.speaking_queue is
	'Their own hand, in their own team; the trigger refuses unless the dialogue is live.';
create policy "Members lower their own hand" on public.speaking_queue
	for delete to authenticated using (user_id = (select auth.uid()));
comment on policy "Members lower their own hand" on public.speaking_queue is
	'Their own only; the facilitator calls on someone through public.call_speaker.';

create policy "Members vote for themselves on open decisions" on public.decision_votes
	for insert to authenticated
	with check (user_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Members vote for themselves on open decisions" on public.decision_votes is
	'Their own vote; the trigger refuses once voting closed.';
create policy "Members change their own vote" on public.decision_votes
	for update to authenticated
	using (user_id = (select auth.uid()))
	with check (user_id = (select auth.uid()) and (select private.can_change_team_data(team_id)));
comment on policy "Members change their own vote" on public.decision_votes is 'Their own vote, while open.';

create policy "Members add notes" on public.dialogue_notes
	for insert to authenticated with check ((select private.can_change_team_data(team_id)));
comment on policy "Members add notes" on public.dialogue_notes is 'Any member of an active team; the trigger refuses once closed.';
create policy "Members change their own notes" on public.dialogue_notes
	for update to authenticated
	using (created_by = (select auth.uid()))
	with check ((select private.can_change_team_data(team_id)));
comment on policy "Members change their own notes" on public.dialogue_notes is 'The writer only, until the dialogue closes.';
create policy "Members delete their own notes" on public.dialogue_notes
	for delete to authenticated using (created_by = (select auth.uid()));
comment on policy "Members delete their own notes" on public.dialogue_notes is 'The writer only, until the dialogue closes.';

create policy "Members amend closed dialogues" on public.dialogue_amendments
	for insert to authenticated with check ((select private.can_change_team_data(team_id)));
comment on policy "Members amend closed dialogues" on public.dialogue_amendments is
	'Any member of an active team; the trigger refuses unless the dialogue is closed. Amendments are never changed.';

-- pulse_checks, turns, attendance, decisions and input_cards have no write policies: only the
-- functions below (as their owner) write them. pulse_checks has no read policy at all.

-- Private channels "dialogue:<id>": the team's members receive broadcasts and share presence; only
-- the facilitator broadcasts.
create or replace function private.dialogue_topic_team()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
	select d.team_id from public.dialogues d
	where realtime.topic() ~ '^dialogue:[0-9a-f-]{36}$' and d.id = substr(realtime.topic(), 10)::uuid
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
		where realtime.topic() ~ '^dialogue:[0-9a-f-]{36}$' and d.id = substr(realtime.topic(), 10)::uuid
			and d.facilitator_id = (select auth.uid())
	)
$$;
comment on function private.is_topic_facilitator() is
	'Security definer: true when the current user holds the facilitator lock of the topic''s dialogue.';

create policy "Team members receive on their dialogue's channel" on realtime.messages
	for select to authenticated
	using ((select private.is_team_member(private.dialogue_topic_team())));
comment on policy "Team members receive on their dialogue's channel" on realtime.messages is
	'Channels dialogue:<id>: the dialogue''s team members join, see presence and receive broadcasts.';
create policy "Team members share presence, the facilitator broadcasts" on realtime.messages
	for insert to authenticated
	with check (
		case extension
			when 'presence' then (select private.is_team_member(private.dialogue_topic_team()))
			when 'broadcast' then (select private.is_topic_facilitator())
			else false
		end
	);
comment on policy "Team members share presence, the facilitator broadcasts" on realtime.messages is
	'Channels dialogue:<id>: members track their presence; only the facilitator sends broadcasts.';

alter publication supabase_realtime add table public.dialogues, public.agenda_items,
	public.speaking_queue, public.turns, public.input_cards, public.dialogue_notes, public.decisions,
	public.decision_votes, public.action_items;

-- ---------------------------------------------------------------------------------------------
-- Built-in templates
-- ---------------------------------------------------------------------------------------------
insert into public.dialogue_templates (key, name, description, phases) values
('diagnostic_dialogue', 'Diagnostic dialogue',
	'Turn the team''s data into shared understanding and commitments.',
	'[
		{"title": "Check-in round", "minutes": 10, "embed_kind": "none", "guidance": "Read the team agreement aloud. Then a round: everyone says in one sentence how they arrive today. No replies yet; thank each person."},
		{"title": "Data review", "minutes": 20, "embed_kind": "indicator", "guidance": "Show the chart. Ask: what do you notice? What surprises you? Separate what the data says from what we think it means."},
		{"title": "Friction points", "minutes": 20, "embed_kind": "friction_point", "guidance": "Where does the agency''s stated goal differ from what it does? Use cards so quieter members can add points anonymously."},
		{"title": "Pressure points", "minutes": 15, "embed_kind": "pressure_ranking", "guidance": "Look at the ranking. Where could we make a difference soonest? Invite those who have not spoken first."},
		{"title": "Commitments and next steps", "minutes": 15, "embed_kind": "follow_ups", "guidance": "Turn agreements into action items with a name and a date. Test agreement with fist-to-five when unsure."},
		{"title": "Check-out", "minutes": 5, "embed_kind": "none", "guidance": "A last round: one word on how you leave. Remind everyone of the pulse check."}
	]'::jsonb),
('planning_session', 'Planning session',
	'Plan the next weeks of an initiative together.',
	'[
		{"title": "Check-in round", "minutes": 10, "embed_kind": "none", "guidance": "Read the team agreement. One sentence each: what do you hope this session decides?"},
		{"title": "Where we stand", "minutes": 15, "embed_kind": "follow_ups", "guidance": "Go through open follow-ups. What is done, what is stuck, what needs help?"},
		{"title": "Options", "minutes": 20, "embed_kind": "pressure_ranking", "guidance": "Collect options on cards, then discuss. Keep the queue so everyone gets the floor."},
		{"title": "Decide and assign", "minutes": 15, "embed_kind": "none", "guidance": "Decide by consent: is there an objection we cannot live with? Record action items with owners."},
		{"title": "Check-out", "minutes": 5, "embed_kind": "none", "guidance": "One word each."}
	]'::jsonb),
('officials_debrief', 'Debrief after meeting officials',
	'Share what happened at a meeting with officials and agree the follow-ups.',
	'[
		{"title": "Check-in round", "minutes": 5, "embed_kind": "none", "guidance": "Read the team agreement. How did the meeting feel, in one sentence?"},
		{"title": "What was said and promised", "minutes": 15, "embed_kind": "follow_ups", "guidance": "Those who attended report first, then questions. Note every promise made."},
		{"title": "What it means", "minutes": 15, "embed_kind": "none", "guidance": "Cards: what did we learn about the agency? What would we do differently?"},
		{"title": "Follow-ups", "minutes": 10, "embed_kind": "none", "guidance": "Who follows up on which promise, by when? Record them as action items."},
		{"title": "Check-out", "minutes": 5, "embed_kind": "none", "guidance": "One word each."}
	]'::jsonb),
('team_health_check', 'Team health check',
	'Look after how the team works together.',
	'[
		{"title": "Check-in round", "minutes": 10, "embed_kind": "none", "guidance": "Read the team agreement aloud. How is being on this team for you?"},
		{"title": "What works, what does not", "minutes": 20, "embed_kind": "none", "guidance": "Anonymous cards first, then discuss them as a group. Thank people for honesty; do not guess authors."},
		{"title": "Agreement review", "minutes": 15, "embed_kind": "none", "guidance": "Does our agreement still fit? Propose changes and test them by consensus."},
		{"title": "Check-out", "minutes": 5, "embed_kind": "none", "guidance": "One word each, and the pulse check."}
	]'::jsonb);

-- ---------------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------------
-- Schedules a dialogue and builds its agenda from a template, in one transaction. Security invoker:
-- RLS decides (leaders and organizers), the triggers check every phase.
create or replace function public.schedule_dialogue(
	team_id uuid,
	template_id uuid,
	title text,
	starts_at timestamptz,
	duration_minutes int default 90,
	location text default null,
	call_link text default null,
	indicator_id uuid default null,
	friction_point_id uuid default null
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
	tpl public.dialogue_templates;
	new_id uuid;
	phase jsonb;
	pos int := 0;
	kind public.agenda_embed_kind;
begin
	if auth.uid() is null then
		raise exception using errcode = 'P0001', message = 'you need to sign in first';
	end if;
	if not private.can_lead_dialogues(schedule_dialogue.team_id) then
		raise exception using errcode = 'P0001', message = 'only leaders and organizers schedule dialogues';
	end if;
	select * into tpl from public.dialogue_templates t where t.id = schedule_dialogue.template_id;
	if tpl.id is null or (tpl.team_id is not null and tpl.team_id <> schedule_dialogue.team_id) then
		raise exception using errcode = 'P0001', message = 'that template does not exist';
	end if;
	insert into public.dialogues (team_id, template_id, title, starts_at, duration_minutes, location, call_link)
	values (schedule_dialogue.team_id, tpl.id, schedule_dialogue.title, schedule_dialogue.starts_at,
		coalesce(schedule_dialogue.duration_minutes, 90), schedule_dialogue.location, schedule_dialogue.call_link)
	returning id into new_id;
	for phase in select value from jsonb_array_elements(tpl.phases) loop
		kind := coalesce(phase ->> 'embed_kind', 'none')::public.agenda_embed_kind;
		-- A phase that shows one indicator or friction point without one chosen shows nothing.
		if kind = 'indicator' and schedule_dialogue.indicator_id is null
			or kind = 'friction_point' and schedule_dialogue.friction_point_id is null then
			kind := 'none';
		end if;
		insert into public.agenda_items (team_id, dialogue_id, position, title, minutes, guidance, embed_kind, embed_ref)
		values (schedule_dialogue.team_id, new_id, pos, phase ->> 'title',
			coalesce((phase ->> 'minutes')::int, 10), phase ->> 'guidance', kind,
			case kind when 'indicator' then schedule_dialogue.indicator_id
				when 'friction_point' then schedule_dialogue.friction_point_id end);
		pos := pos + 1;
	end loop;
	return new_id;
end;
$$;
comment on function public.schedule_dialogue(uuid, uuid, text, timestamptz, int, text, text, uuid, uuid) is
	'Security invoker (RLS applies): schedules a dialogue with the template''s phases as its agenda, the chosen indicator and friction point in the phases that show them; returns its id.';

-- What an agenda item shows, as it stands now. Security invoker: the caller sees only their team.
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
	case a.embed_kind
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
	else
		out := null;
	end case;
	return out;
end;
$$;
comment on function public.dialogue_embed(uuid) is
	'Security invoker (RLS applies): the data an agenda item shows as it stands now (an indicator''s last 24 periods, a friction point, the top 10 pressure points, the open follow-ups), as jsonb; close_dialogue freezes it into agenda_items.snapshot.';

-- The facilitator lock: refreshed by every facilitator action.
create or replace function private.require_facilitator(dialogue_id uuid)
returns public.dialogues
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues;
begin
	select * into d from public.dialogues x where x.id = $1 for update;
	if d.id is null or not private.is_team_member(d.team_id) then
		raise exception using errcode = 'P0001', message = 'that dialogue does not exist';
	end if;
	if d.status <> 'live' then
		raise exception using errcode = 'P0001', message = 'this dialogue is not live';
	end if;
	if d.facilitator_id is distinct from auth.uid() then
		raise exception using errcode = 'GW001', message = 'someone else is facilitating this dialogue';
	end if;
	update public.dialogues x set facilitator_seen_at = now() where x.id = d.id;
	return d;
end;
$$;
comment on function private.require_facilitator(uuid) is
	'Security definer: locks the dialogue row and returns it when the current user holds its facilitator lock and it is live; raises GW001 otherwise.';

-- Ends the open turn (if any) and hands the floor to user (or nobody).
create or replace function private.give_floor(d public.dialogues, speaker uuid, kind text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
	update public.turns t set ended_at = now()
	where t.dialogue_id = d.id and t.ended_at is null;
	if speaker is not null then
		insert into public.turns (team_id, dialogue_id, user_id, kind) values (d.team_id, d.id, speaker, kind);
	end if;
	update public.dialogues x
	set speaker_id = speaker, speaker_since = case when speaker is null then null else now() end
	where x.id = d.id;
end;
$$;
comment on function private.give_floor(public.dialogues, uuid, text) is
	'Security definer (turns have no write privileges): closes the open turn and opens one for the new speaker.';

-- Security definer throughout the live functions: the live state has no write privileges for API
-- roles, so the facilitator lock cannot be bypassed by a direct update.
create or replace function public.take_facilitation(dialogue_id uuid, take_over boolean default false)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	d public.dialogues;
begin
	select * into d from public.dialogues x where x.id = take_facilitation.dialogue_id for update;
	if d.id is null or not private.is_team_member(d.team_id) then
		raise exception using errcode = 'P0001', message = 'that dialogue does not exist';
	end if;
	if not private.can_lead_dialogues(d.team_id) then
		raise exception using errcode = 'P0001', message = 'only leaders and organizers facilitate';
	end if;
	if d.status in ('closed', 'cancelled') then
		raise exception using errcode = 'P0001', message = 'this dialogue is closed: add an amendment instead';
	end if;
	if d.facilitator_id is not null and d.facilitator_id <> uid
		and d.facilitator_seen_at > now() - interval '90 seconds' and not take_over then
		raise exception using errcode = 'GW001', message = 'someone else is facilitating this dialogue';
	end if;
	update public.dialogues x
	set facilitator_id = uid, facilitator_seen_at = now(),
		status = 'live',
		started_at = coalesce(x.started_at, now()),
		current_position = coalesce(x.current_position,
			(select min(a.position) from public.agenda_items a where a.dialogue_id = x.id)),
		phase_started_at = coalesce(x.phase_started_at, now())
	where x.id = d.id;
end;
$$;
comment on function public.take_facilitation(uuid, boolean) is
	'Security definer (writes the live state): a leader or organizer starts the dialogue or takes the facilitator role; refuses with GW001 while someone else acted within 90 seconds unless take_over is true.';

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
		round_order = '{}', round_index = null
	where x.id = d.id;
end;
$$;
comment on function public.set_dialogue_phase(uuid, int) is
	'Security definer (live state): the facilitator moves to a phase; its timer starts now by the database clock and any round ends.';

create or replace function public.start_dialogue_round(dialogue_id uuid, members uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(start_dialogue_round.dialogue_id);
	ordered uuid[];
begin
	-- Only the team's members, each once, in the order given.
	select coalesce(array_agg(u order by o), '{}') into ordered
	from (
		select distinct on (u) u, o from unnest(members) with ordinality as x (u, o)
		where exists (select 1 from public.team_members m where m.team_id = d.team_id and m.user_id = u)
		order by u, o
	) y;
	if cardinality(ordered) = 0 then
		raise exception using errcode = 'P0001', message = 'nobody is present for a round';
	end if;
	perform private.give_floor(d, ordered[1], 'round');
	update public.dialogues x set round_order = ordered, round_index = 0 where x.id = d.id;
end;
$$;
comment on function public.start_dialogue_round(uuid, uuid[]) is
	'Security definer (live state): starts a round through the given present members (team members only, each once) and gives the first the floor.';

-- Next in the round; present is who is connected now: an absent member is skipped, and one who
-- came back after being skipped gets a turn at the end of the round.
create or replace function public.next_round_turn(dialogue_id uuid, present uuid[] default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(next_round_turn.dialogue_id);
	i int;
	spoke uuid[];
	rejoined uuid[];
begin
	if d.round_index is null then
		raise exception using errcode = 'P0001', message = 'no round is running';
	end if;
	i := d.round_index + 2;
	while i <= cardinality(d.round_order) and present is not null
		and not (d.round_order[i] = any (present)) loop
		i := i + 1;
	end loop;
	if i > cardinality(d.round_order) and present is not null then
		-- Skipped members who are back: their turn now, at the end.
		select coalesce(array_agg(t.user_id), '{}') into spoke
		from (select distinct user_id from public.turns t
			where t.dialogue_id = d.id and t.kind = 'round' and t.started_at >= d.phase_started_at) t;
		select coalesce(array_agg(u order by o), '{}') into rejoined
		from unnest(d.round_order) with ordinality as x (u, o)
		where u = any (present) and not (u = any (spoke)) and u is distinct from d.speaker_id;
		if cardinality(rejoined) > 0 then
			update public.dialogues x set round_order = x.round_order || rejoined[1:1] where x.id = d.id;
			d.round_order := d.round_order || rejoined[1:1];
		end if;
	end if;
	if i > cardinality(d.round_order) then
		perform private.give_floor(d, null, 'round');
		update public.dialogues x set round_index = null, round_order = '{}' where x.id = d.id;
		return;
	end if;
	perform private.give_floor(d, d.round_order[i], 'round');
	update public.dialogues x set round_index = i - 1 where x.id = d.id;
end;
$$;
comment on function public.next_round_turn(uuid, uuid[]) is
	'Security definer (live state): passes the round to the next present member (absent ones are skipped; a skipped member who is back speaks at the end); ends the round after the last.';

create or replace function public.call_speaker(dialogue_id uuid, user_id uuid default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(call_speaker.dialogue_id);
	q public.speaking_queue;
begin
	if call_speaker.user_id is null then
		select * into q from public.speaking_queue s where s.dialogue_id = d.id order by s.raised_at, s.id limit 1;
	else
		select * into q from public.speaking_queue s where s.dialogue_id = d.id and s.user_id = call_speaker.user_id;
	end if;
	if q.id is null then
		if call_speaker.user_id is null then
			perform private.give_floor(d, null, 'queue');
			return;
		end if;
		raise exception using errcode = 'P0001', message = 'that hand is no longer raised';
	end if;
	delete from public.speaking_queue s where s.id = q.id;
	perform private.give_floor(d, q.user_id, 'queue');
end;
$$;
comment on function public.call_speaker(uuid, uuid) is
	'Security definer (turns and others'' raised hands): gives the floor to the given raised hand, or the oldest; with no hands up and none named, ends the current turn.';

create or replace function public.open_decision(dialogue_id uuid, question text, method public.decision_method)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues := private.require_facilitator(open_decision.dialogue_id);
	new_id uuid;
begin
	insert into public.decisions (team_id, dialogue_id, question, method)
	values (d.team_id, d.id, private.clean_text(open_decision.question, 'the question', 500, true), open_decision.method)
	returning id into new_id;
	return new_id;
end;
$$;
comment on function public.open_decision(uuid, text, public.decision_method) is
	'Security definer (decisions have no write privileges): the facilitator puts a question to the group.';

create or replace function public.close_decision(decision_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
	x public.decisions;
	n int;
	avg_value numeric;
	lows int;
	counts jsonb;
	ok boolean;
begin
	select * into x from public.decisions y where y.id = close_decision.decision_id;
	if x.id is null or not private.is_team_member(x.team_id) then
		raise exception using errcode = 'P0001', message = 'that decision does not exist';
	end if;
	perform private.require_facilitator(x.dialogue_id);
	if x.closed_at is not null then
		raise exception using errcode = 'P0001', message = 'voting on this decision has closed';
	end if;
	select count(*), avg(v.value),
		count(*) filter (where v.value = 0 or (x.method = 'fist_to_five' and v.value = 1))
	into n, avg_value, lows
	from public.decision_votes v where v.decision_id = x.id;
	select coalesce(jsonb_object_agg(c.value::text, c.n), '{}') into counts
	from (select v.value, count(*) as n from public.decision_votes v where v.decision_id = x.id
		group by v.value) c;
	-- The same rules as src/lib/dialogues/decisions.ts: nobody objects (0, or 0–1 on fist to five)
	-- and, for fist to five, an average of at least 3.
	ok := n > 0 and lows = 0 and (x.method <> 'fist_to_five' or avg_value >= 3);
	update public.decisions y
	set closed_at = now(), passed = ok,
		result = jsonb_build_object('votes', n, 'counts', counts, 'average', round(avg_value, 2))
	where y.id = x.id;
	return ok;
end;
$$;
comment on function public.close_decision(uuid) is
	'Security definer (decisions have no write privileges): the facilitator closes voting; records the tally and whether it passed.';

-- Anonymous cards. Security definer: the card row gets no author, and the salted marker lives in
-- the private schema where no API role can read it.
create or replace function private.card_marker(dialogue_id uuid)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
	s text;
begin
	insert into private.dialogue_salts (dialogue_id) values ($1) on conflict do nothing;
	select x.salt into s from private.dialogue_salts x where x.dialogue_id = $1;
	return encode(sha256(convert_to(s || ':' || auth.uid()::text, 'UTF8')), 'hex');
end;
$$;
comment on function private.card_marker(uuid) is
	'Security definer: the current user''s salted marker for the dialogue''s cards (a salt per dialogue, so markers cannot be matched across dialogues).';

create or replace function public.add_input_card(dialogue_id uuid, body text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
	d public.dialogues;
	new_id uuid;
begin
	perform private.require_user();
	select * into d from public.dialogues x where x.id = add_input_card.dialogue_id;
	if d.id is null or not private.is_team_member(d.team_id) then
		raise exception using errcode = 'P0001', message = 'that dialogue does not exist';
	end if;
	perform private.require_data_writer(d.team_id, 'that dialogue does not exist');
	if d.status <> 'live' then
		raise exception using errcode = 'P0001', message = 'cards can be added while the dialogue is live';
	end if;
	-- Times to the minute: the order of arrival must not point at whoever just typed.
	insert into public.input_cards (team_id, dialogue_id, body, created_at, updated_at)
	values (d.team_id, d.id, private.clean_text(add_input_card.body, 'the card', 1000, true),
		date_trunc('minute', now()), date_trunc('minute', now()))
	returning id into new_id;
	insert into private.input_card_markers (card_id, marker) values (new_id, private.card_marker(d.id));
	return new_id;
end;
$$;
comment on function public.add_input_card(uuid, text) is
	'Security definer (the author is recorded only as a private salted marker): adds an anonymous card to a live dialogue of the caller''s team.';

create or replace function private.my_card(card_id uuid)
returns public.input_cards
language plpgsql
security definer
set search_path = ''
as $$
declare
	c public.input_cards;
begin
	perform private.require_user();
	select * into c from public.input_cards x where x.id = $1;
	if c.id is null or not private.is_team_member(c.team_id) or not exists (
		select 1 from private.input_card_markers k where k.card_id = c.id and k.marker = private.card_marker(c.dialogue_id)
	) then
		-- The same sentence for someone else's card: it must not confirm who wrote it.
		raise exception using errcode = 'P0001', message = 'that card is not one of yours';
	end if;
	if private.dialogue_status_of(c.dialogue_id) <> 'live' then
		raise exception using errcode = 'P0001', message = 'cards can be changed while the dialogue is live';
	end if;
	return c;
end;
$$;
comment on function private.my_card(uuid) is
	'Security definer: the card when the current user wrote it and its dialogue is live; one sentence otherwise, whoever wrote it.';

create or replace function public.change_input_card(card_id uuid, body text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	c public.input_cards := private.my_card(change_input_card.card_id);
begin
	update public.input_cards x
	set body = private.clean_text(change_input_card.body, 'the card', 1000, true),
		updated_at = date_trunc('minute', now())
	where x.id = c.id;
end;
$$;
comment on function public.change_input_card(uuid, text) is
	'Security definer (cards have no write privileges): the author changes their own card while the dialogue is live.';

create or replace function public.remove_input_card(card_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	c public.input_cards := private.my_card(remove_input_card.card_id);
begin
	delete from public.input_cards x where x.id = c.id;
end;
$$;
comment on function public.remove_input_card(uuid) is
	'Security definer (cards have no write privileges): the author withdraws their own card while the dialogue is live.';

create or replace function public.my_input_cards(dialogue_id uuid)
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
	select k.card_id from private.input_card_markers k
	join public.input_cards c on c.id = k.card_id
	where c.dialogue_id = $1 and private.is_team_member(c.team_id)
		and k.marker = encode(sha256(convert_to(
			(select s.salt from private.dialogue_salts s where s.dialogue_id = $1) || ':' || auth.uid()::text,
			'UTF8')), 'hex')
$$;
comment on function public.my_input_cards(uuid) is
	'Security definer (reads the private markers): the ids of the current user''s own cards in the dialogue, so their screen can offer to change them. Never anyone else''s.';

create or replace function public.submit_pulse_check(dialogue_id uuid, safe int, heard int, useful int)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
	uid uuid := private.require_user();
	d public.dialogues;
begin
	select * into d from public.dialogues x where x.id = submit_pulse_check.dialogue_id;
	if d.id is null or not private.is_team_member(d.team_id) then
		raise exception using errcode = 'P0001', message = 'that dialogue does not exist';
	end if;
	if d.status <> 'closed' then
		raise exception using errcode = 'P0001', message = 'the pulse check opens when the dialogue closes';
	end if;
	perform private.check_score(safe, 'how safe it felt');
	perform private.check_score(heard, 'how heard you felt');
	perform private.check_score(useful, 'how useful it was');
	insert into public.pulse_checks (team_id, dialogue_id, user_id, safe, heard, useful)
	values (d.team_id, d.id, uid, safe, heard, useful)
	on conflict on constraint pulse_checks_pkey do update
		set safe = excluded.safe, heard = excluded.heard, useful = excluded.useful;
end;
$$;
comment on function public.submit_pulse_check(uuid, int, int, int) is
	'Security definer (pulse_checks has no privileges for API roles): records or replaces the member''s own pulse check of a closed dialogue.';

create or replace function public.dialogue_pulse(dialogue_id uuid)
returns table (responses int, safe numeric, heard numeric, useful numeric, answered boolean)
language sql
stable
security definer
set search_path = ''
as $$
	-- Below three answers only the count: averages of one or two would tell who said what.
	select count(*)::int,
		case when count(*) >= 3 then round(avg(p.safe), 1) end,
		case when count(*) >= 3 then round(avg(p.heard), 1) end,
		case when count(*) >= 3 then round(avg(p.useful), 1) end,
		coalesce(bool_or(p.user_id = auth.uid()), false)
	from public.pulse_checks p
	join public.dialogues d on d.id = p.dialogue_id
	where p.dialogue_id = $1 and private.is_team_member(d.team_id)
$$;
comment on function public.dialogue_pulse(uuid) is
	'Security definer (no one reads pulse_checks rows): the number of answers, the averages once at least three members answered, and whether the caller answered.';

-- Closing: attendance, frozen snapshots, the summary and the status, in one transaction.
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
begin
	select count(*) into unassigned from public.action_items a where a.dialogue_id = d.id and a.assignee_id is null;
	if unassigned > 0 and not confirm_unassigned then
		raise exception using errcode = 'GW002',
			message = format('%s action items have no one assigned', unassigned);
	end if;
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
	'Security definer (writes the record): the facilitator closes the dialogue: records who was present, freezes each agenda item''s data, ends open votes and turns; refuses with GW002 while action items are unassigned unless confirmed.';

revoke all on function private.can_lead_dialogues(uuid), private.dialogue_status_of(uuid),
	private.dialogues_validate(), private.require_facilitator(uuid), private.dialogue_topic_team(),
	private.is_topic_facilitator(),
	private.give_floor(public.dialogues, uuid, text), private.card_marker(uuid), private.my_card(uuid)
	from public, anon, authenticated;
grant execute on function private.can_lead_dialogues(uuid), private.dialogues_validate(),
	private.dialogue_topic_team(), private.is_topic_facilitator() to authenticated;
revoke all on function
	public.schedule_dialogue(uuid, uuid, text, timestamptz, int, text, text, uuid, uuid),
	public.dialogue_embed(uuid), public.take_facilitation(uuid, boolean),
	public.set_dialogue_phase(uuid, int), public.start_dialogue_round(uuid, uuid[]),
	public.next_round_turn(uuid, uuid[]), public.call_speaker(uuid, uuid),
	public.open_decision(uuid, text, public.decision_method), public.close_decision(uuid),
	public.add_input_card(uuid, text), public.change_input_card(uuid, text),
	public.remove_input_card(uuid), public.my_input_cards(uuid),
	public.submit_pulse_check(uuid, int, int, int), public.dialogue_pulse(uuid),
	public.close_dialogue(uuid, uuid[], text, boolean)
	from public, anon;
grant execute on function
	public.schedule_dialogue(uuid, uuid, text, timestamptz, int, text, text, uuid, uuid),
	public.dialogue_embed(uuid), public.take_facilitation(uuid, boolean),
	public.set_dialogue_phase(uuid, int), public.start_dialogue_round(uuid, uuid[]),
	public.next_round_turn(uuid, uuid[]), public.call_speaker(uuid, uuid),
	public.open_decision(uuid, text, public.decision_method), public.close_decision(uuid),
	public.add_input_card(uuid, text), public.change_input_card(uuid, text),
	public.remove_input_card(uuid), public.my_input_cards(uuid),
	public.submit_pulse_check(uuid, int, int, int), public.dialogue_pulse(uuid),
	public.close_dialogue(uuid, uuid[], text, boolean)
	to authenticated;
