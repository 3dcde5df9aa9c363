-- The team review and group health: read-only aggregates a team walks through in a dialogue.
--
-- No new tables. Two functions, one round trip per page:
-- - public.team_review(team_id, period_from, period_to): indicators against goals per month, friction
--   points by status and rating at each month's end, outreach per month and commitments by status,
--   initiatives' milestones and tasks, what is overdue today, and the dialogues of the period with
--   attendance and turns.
-- - public.team_health(team_id, period_from, period_to): the dialogues of the period with attendance
--   and pulse-check averages, and (leaders and organizers only) the last dialogues member by member,
--   from which the app computes its gentle prompts.
--
-- Security model:
-- - Security invoker: every table is read as the caller, so RLS still decides; a non-member gets an
--   error before anything is read, and an organization admin (who is not in the team) is a
--   non-member here: host organizations get their aggregates from the organization reports.
-- - Named-member figures (turns, speaking time, attendance per person) are returned to the team's
--   leaders and organizers only, the people who hold the dialogues; members see team totals.
-- - Pulse checks are never read row by row: the averages come from public.dialogue_pulse (security
--   definer, three answers or more), as on the dialogue page.
-- - Whether a measurement is on target is decided in the app (src/lib/charts/target.ts), so the
--   rules live in one place; the database returns each indicator's latest value and target per month.
--
-- Errors the UI shows are SQLSTATE P0001 (or 22023 for a bad period) with a plain lowercase sentence.

-- ---------------------------------------------------------------------------------------------
-- Helpers (security invoker: they read as the caller, under RLS)
-- ---------------------------------------------------------------------------------------------
create or replace function private.review_role(team_id uuid)
returns public.team_role
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
	my_role public.team_role;
begin
	select m.role into my_role from public.team_members m
	where m.team_id = review_role.team_id and m.user_id = (select auth.uid());
	if my_role is null then
		raise exception using errcode = 'P0001', message = 'only a member of the team can see its review';
	end if;
	return my_role;
end;
$$;
comment on function private.review_role(uuid) is
	'Security invoker: the caller''s role in the team, or an error for anyone who is not a member (organization admins included).';

create or replace function private.review_period(team_id uuid, period_from date, period_to date)
returns daterange
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
	first_day date := period_from;
	last_day date := coalesce(period_to, current_date);
begin
	if first_day is null then
		-- All time: from the team's first figure, contact, friction point or dialogue.
		select least(
			(select min(m.period_end) from public.measurements m where m.team_id = review_period.team_id),
			(select min(i.occurred_at)::date from public.interactions i where i.team_id = review_period.team_id),
			(select min(f.created_at)::date from public.friction_points f where f.team_id = review_period.team_id),
			(select min(d.starts_at)::date from public.dialogues d where d.team_id = review_period.team_id),
			last_day
		) into first_day;
	end if;
	if first_day > last_day then
		raise exception using errcode = '22023', message = 'the period starts after it ends';
	end if;
	if last_day - first_day > 366 * 20 then
		raise exception using errcode = '22023', message = 'the period can be at most twenty years long';
	end if;
	return daterange(first_day, last_day, '[]');
end;
$$;
comment on function private.review_period(uuid, date, date) is
	'Security invoker: the review''s period as a closed date range; a null start means from the team''s first record. Refuses a period that starts after it ends.';

-- The closed dialogues of a period with who could come (members who had joined by then), who came,
-- and the turns taken: the attendance and participation charts of both pages.
create or replace function private.review_dialogues(team_id uuid, period daterange)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
	select coalesce(jsonb_agg(jsonb_build_object(
		'id', d.id,
		'title', d.title,
		'starts_at', d.starts_at,
		'invited', (
			select count(*) from public.team_members m
			where m.team_id = d.team_id and m.joined_at <= d.starts_at
		),
		'attended', (select count(*) from public.attendance a where a.dialogue_id = d.id and a.team_id = d.team_id),
		'turns', t.turns,
		'speakers', t.speakers,
		'seconds', t.seconds
	) order by d.starts_at, d.id), '[]'::jsonb)
	from public.dialogues d
	cross join lateral (
		select count(*) as turns, count(distinct x.user_id) as speakers,
			coalesce(round(sum(extract(epoch from (x.ended_at - x.started_at)))), 0) as seconds
		from public.turns x where x.dialogue_id = d.id and x.team_id = d.team_id
	) t
	where d.team_id = review_dialogues.team_id and d.status = 'closed'
		and d.starts_at::date <@ review_dialogues.period
$$;
comment on function private.review_dialogues(uuid, daterange) is
	'Security invoker: the team''s closed dialogues in the period with the members who could attend, those who did, and the turns taken (team totals, no names).';

-- Per current member across the period's closed dialogues: turns, speaking time, dialogues attended
-- and dialogues they could have attended. Named figures: the callers below return it to leaders
-- and organizers only.
create or replace function private.review_participation(team_id uuid, period daterange)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
	with held as (
		select d.id, d.starts_at from public.dialogues d
		where d.team_id = review_participation.team_id and d.status = 'closed'
			and d.starts_at::date <@ review_participation.period
	)
	select coalesce(jsonb_agg(jsonb_build_object(
		'user_id', m.user_id,
		'name', p.display_name,
		'role', m.role,
		'invited', (select count(*) from held h where h.starts_at >= m.joined_at),
		'attended', (
			select count(*) from public.attendance a join held h on h.id = a.dialogue_id
			where a.team_id = m.team_id and a.user_id = m.user_id
		),
		'turns', coalesce(t.turns, 0),
		'seconds', coalesce(t.seconds, 0)
	) order by lower(coalesce(p.display_name, '')), m.user_id), '[]'::jsonb)
	from public.team_members m
	left join public.profiles p on p.id = m.user_id
	left join lateral (
		select count(*) as turns,
			round(sum(extract(epoch from (x.ended_at - x.started_at)))) as seconds
		from public.turns x join held h on h.id = x.dialogue_id
		where x.team_id = m.team_id and x.user_id = m.user_id
	) t on true
	where m.team_id = review_participation.team_id
$$;
comment on function private.review_participation(uuid, daterange) is
	'Security invoker: per current member, turns, speaking seconds, dialogues attended and dialogues they could attend in the period. Named figures: returned to leaders and organizers only.';

-- ---------------------------------------------------------------------------------------------
-- The review page
-- ---------------------------------------------------------------------------------------------
create or replace function public.team_review(team_id uuid, period_from date default null, period_to date default null)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
	my_role public.team_role := private.review_role(team_review.team_id);
	period daterange := private.review_period(team_review.team_id, period_from, period_to);
	first_day date := lower(period);
	last_day date := upper(period) - 1;
	leads boolean := my_role in ('leader', 'organizer');
begin
	return jsonb_build_object(
		'role', my_role,
		'from', first_day,
		'to', last_day,
		'indicator_count', (select count(*) from public.indicators i where i.team_id = team_review.team_id),
		-- Each indicator's latest value in each month of the period, with the target that applies:
		-- the measurement's own, else the goal's with the latest target date (as agency_target_summary).
		'indicators', (
			select coalesce(jsonb_agg(jsonb_build_array(l.month, l.direction, l.value, coalesce(l.target, g.target_value))
				order by l.month), '[]'::jsonb)
			from (
				select distinct on (m.indicator_id, date_trunc('month', m.period_end))
					to_char(m.period_end, 'YYYY-MM') as month, m.indicator_id, i.direction, m.value, m.target
				from public.measurements m
				join public.indicators i on i.id = m.indicator_id and i.team_id = m.team_id
				where m.team_id = team_review.team_id and m.period_end between first_day and last_day
				order by m.indicator_id, date_trunc('month', m.period_end), m.period_end desc, m.period_start desc
			) l
			left join lateral (
				select g.target_value from public.goals g
				where g.indicator_id = l.indicator_id and g.team_id = team_review.team_id
					and g.target_value is not null
				order by g.target_date desc nulls last, g.created_at desc
				limit 1
			) g on l.target is null
		),
		-- How many friction points stood at each status, by the team's rating, at each month's end
		-- (or the period's end), from the status history.
		'friction', (
			select coalesce(jsonb_agg(jsonb_build_array(x.month, x.status, x.rating, x.points)
				order by x.month, x.status, x.rating), '[]'::jsonb)
			from (
				select to_char(mo.month, 'YYYY-MM') as month, s.to_status as status,
					fp.team_rating as rating, count(*) as points
				from generate_series(date_trunc('month', first_day), date_trunc('month', last_day), interval '1 month') mo (month)
				cross join public.friction_points fp
				cross join lateral (
					select c.to_status from public.friction_point_status_changes c
					where c.friction_point_id = fp.id and c.team_id = fp.team_id
						and c.changed_at < least(mo.month + interval '1 month', last_day + 1)
					order by c.changed_at desc, c.id desc
					limit 1
				) s
				where fp.team_id = team_review.team_id
				group by 1, 2, 3
			) x
		),
		'outreach', (
			select coalesce(jsonb_agg(jsonb_build_array(x.month, x.held, x.planned) order by x.month), '[]'::jsonb)
			from (
				select to_char(i.occurred_at, 'YYYY-MM') as month,
					count(*) filter (where i.status = 'held') as held,
					count(*) filter (where i.status = 'planned') as planned
				from public.interactions i
				where i.team_id = team_review.team_id
					and i.occurred_at >= first_day and i.occurred_at < last_day + 1
				group by 1
			) x
		),
		-- Commitments made in the period, by where they stand now.
		'commitments', (
			select jsonb_build_object(
				'kept', count(*) filter (where c.status = 'kept'),
				'partly_kept', count(*) filter (where c.status = 'partly_kept'),
				'broken', count(*) filter (where c.status = 'broken'),
				'pending', count(*) filter (where c.status = 'pending'),
				'overdue', count(*) filter (where c.status = 'pending' and c.due_on < current_date)
			)
			from public.commitments c
			where c.team_id = team_review.team_id and c.made_on between first_day and last_day
		),
		-- Initiatives under way by the period's end: milestones reached and tasks done against the plan.
		'initiatives', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', i.id, 'title', i.title, 'status', i.status, 'deadline', i.deadline,
				'milestones', (select count(*) from public.milestones x where x.initiative_id = i.id and x.team_id = i.team_id),
				'milestones_reached', (
					select count(*) from public.milestones x
					where x.initiative_id = i.id and x.team_id = i.team_id and x.reached_on <= last_day
				),
				'tasks', (select count(*) from public.tasks x where x.initiative_id = i.id and x.team_id = i.team_id),
				'tasks_done', (
					select count(*) from public.tasks x
					where x.initiative_id = i.id and x.team_id = i.team_id and x.status = 'done'
				)
			) order by lower(i.title), i.id), '[]'::jsonb)
			from public.initiatives i
			where i.team_id = team_review.team_id and i.deleted_at is null and i.start_date <= last_day
		),
		-- What is overdue today (whatever the period): the counts and the twenty most overdue of each.
		'overdue', jsonb_build_object(
			'tasks', (
				select count(*) from public.tasks t
				where t.team_id = team_review.team_id and t.status <> 'done' and t.due_on < current_date
			),
			'follow_ups', (
				select count(*) from public.follow_ups f
				where f.team_id = team_review.team_id and f.done_at is null and f.due_on < current_date
			),
			'items', (
				select coalesce(jsonb_agg(jsonb_build_object(
					'kind', o.kind, 'id', o.id, 'title', o.title, 'due_on', o.due_on,
					'initiative_id', o.initiative_id, 'interaction_id', o.interaction_id,
					'assignee', p.display_name
				) order by o.due_on, o.kind, o.id), '[]'::jsonb)
				from (
					(select 'task' as kind, t.id, t.title, t.due_on, t.initiative_id, t.interaction_id, t.assignee_id
					from public.tasks t
					where t.team_id = team_review.team_id and t.status <> 'done' and t.due_on < current_date
					order by t.due_on, t.id limit 20)
					union all
					(select 'follow_up', f.id, f.title, f.due_on, null::uuid, f.interaction_id, f.assignee_id
					from public.follow_ups f
					where f.team_id = team_review.team_id and f.done_at is null and f.due_on < current_date
					order by f.due_on, f.id limit 20)
				) o
				left join public.profiles p on p.id = o.assignee_id
			)
		),
		'dialogues', private.review_dialogues(team_review.team_id, period),
		'participation', case when leads then private.review_participation(team_review.team_id, period) end
	);
end;
$$;
comment on function public.team_review(uuid, date, date) is
	'Security invoker, team members: the review page''s figures for the period in one call (indicators'' latest value and target per month, friction points by status and rating at each month''s end, outreach per month, commitments by status, initiatives'' milestones and tasks, overdue items, dialogues with attendance and turns); per-member participation for leaders and organizers only.';

-- ---------------------------------------------------------------------------------------------
-- Group health
-- ---------------------------------------------------------------------------------------------
create or replace function public.team_health(team_id uuid, period_from date default null, period_to date default null)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
	my_role public.team_role := private.review_role(team_health.team_id);
	period daterange := private.review_period(team_health.team_id, period_from, period_to);
	leads boolean := my_role in ('leader', 'organizer');
begin
	return jsonb_build_object(
		'role', my_role,
		'from', lower(period),
		'to', upper(period) - 1,
		'size', (select count(*) from public.team_members m where m.team_id = team_health.team_id),
		'dialogues', private.review_dialogues(team_health.team_id, period),
		-- Averages only, and only once three members answered (public.dialogue_pulse decides).
		'pulse', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', d.id, 'starts_at', d.starts_at, 'responses', p.responses,
				'safe', p.safe, 'heard', p.heard, 'useful', p.useful
			) order by d.starts_at, d.id), '[]'::jsonb)
			from public.dialogues d
			cross join lateral public.dialogue_pulse(d.id) p
			where d.team_id = team_health.team_id and d.status = 'closed'
				and d.starts_at::date <@ period
		),
		'participation', case when leads then private.review_participation(team_health.team_id, period) end,
		-- For the prompts: the last six closed dialogues (whatever the period), member by member.
		'recent', case when leads then (
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', d.id,
				'starts_at', d.starts_at,
				'attended', (
					select coalesce(jsonb_agg(a.user_id), '[]'::jsonb) from public.attendance a
					where a.dialogue_id = d.id and a.team_id = d.team_id
				),
				'turns', (
					select coalesce(jsonb_object_agg(x.user_id, x.turns), '{}'::jsonb)
					from (
						select t.user_id, count(*) as turns from public.turns t
						where t.dialogue_id = d.id and t.team_id = d.team_id
						group by t.user_id
					) x
				)
			) order by d.starts_at desc, d.id), '[]'::jsonb)
			from (
				select x.id, x.team_id, x.starts_at from public.dialogues x
				where x.team_id = team_health.team_id and x.status = 'closed' and x.starts_at <= now()
				order by x.starts_at desc, x.id
				limit 6
			) d
		) end,
		'members', case when leads then (
			select coalesce(jsonb_agg(jsonb_build_object(
				'user_id', m.user_id, 'name', p.display_name, 'role', m.role, 'joined_at', m.joined_at
			) order by lower(coalesce(p.display_name, '')), m.user_id), '[]'::jsonb)
			from public.team_members m
			left join public.profiles p on p.id = m.user_id
			where m.team_id = team_health.team_id
		) end
	);
end;
$$;
comment on function public.team_health(uuid, date, date) is
	'Security invoker, team members: group health for the period in one call (attendance per dialogue, pulse-check averages through public.dialogue_pulse, team size); per-member participation, the last six dialogues member by member and the member list for leaders and organizers only (the app''s prompts).';

-- ---------------------------------------------------------------------------------------------
-- Indexes the review reads by
-- ---------------------------------------------------------------------------------------------
-- Closed dialogues by team and date, for both pages.
create index dialogues_team_id_status_starts_at_idx on public.dialogues (team_id, status, starts_at);
-- Turns and attendance per member of a team.
create index turns_team_id_user_id_idx on public.turns (team_id, user_id);
create index attendance_team_id_user_id_idx on public.attendance (team_id, user_id);

-- ---------------------------------------------------------------------------------------------
-- Function privileges: authenticated only
-- ---------------------------------------------------------------------------------------------
revoke all on function
	private.review_role(uuid),
	private.review_period(uuid, date, date),
	private.review_dialogues(uuid, daterange),
	private.review_participation(uuid, daterange),
	public.team_review(uuid, date, date),
	public.team_health(uuid, date, date)
	from public, anon;
grant execute on function
	private.review_role(uuid),
	private.review_period(uuid, date, date),
	private.review_dialogues(uuid, daterange),
	private.review_participation(uuid, daterange),
	public.team_review(uuid, date, date),
	public.team_health(uuid, date, date)
	to authenticated;
