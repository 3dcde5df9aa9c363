-- The officials import takes each row's agency too: the first version of import_officials (in
-- 20261203000002_create_officials_outreach.sql) left agency_id out of what it wrote, so an agency
-- column mapped in the wizard would have been dropped without a word. Same signature and
-- privileges; a row naming another team's agency is refused with its row number.

-- Importing a list of officials: all rows or none. Rows are JSON objects with the officials
-- columns; a row with merge_into (an official's id) fills in that official's empty fields instead
-- of adding a new one (values already there are kept). agency_id links the team's agency. Security invoker: the policies decide.
create or replace function public.import_officials(team_id uuid, rows jsonb)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
	r jsonb;
	o public.officials;
	added int := 0;
	merged int := 0;
	n int := 0;
	target uuid;
begin
	if not private.has_team_role(import_officials.team_id, array['leader', 'organizer']::public.team_role[]) then
		raise exception using errcode = 'P0001', message = 'only leaders and organizers can import officials';
	end if;
	perform private.require_outreach_member(import_officials.team_id, 'only leaders and organizers can import officials');
	if jsonb_typeof(import_officials.rows) is distinct from 'array' then
		raise exception using errcode = 'P0001', message = 'the rows must be a list';
	end if;
	if jsonb_array_length(import_officials.rows) > 5000 then
		raise exception using errcode = 'P0001', message = 'a list can hold at most 5000 officials';
	end if;
	for r in select value from jsonb_array_elements(import_officials.rows)
	loop
		n := n + 1;
		o := jsonb_populate_record(null::public.officials, r);
		begin
			target := nullif(r ->> 'merge_into', '')::uuid;
			if target is null then
				insert into public.officials (
					team_id, name, title, office, agency_id, jurisdiction, level, party, email, phone,
					website, term_start, term_end
				) values (
					import_officials.team_id, o.name, o.title, o.office, o.agency_id, o.jurisdiction, o.level,
					o.party, o.email, o.phone, o.website, o.term_start, o.term_end
				);
				added := added + 1;
			else
				update public.officials x set
					title = coalesce(x.title, o.title),
					agency_id = coalesce(x.agency_id, o.agency_id),
					jurisdiction = coalesce(x.jurisdiction, o.jurisdiction),
					level = coalesce(x.level, o.level),
					party = coalesce(x.party, o.party),
					email = coalesce(x.email, o.email),
					phone = coalesce(x.phone, o.phone),
					website = coalesce(x.website, o.website),
					term_start = coalesce(x.term_start, o.term_start),
					term_end = coalesce(x.term_end, o.term_end)
				where x.id = target and x.team_id = import_officials.team_id;
				if not found then
					raise exception using errcode = 'P0001', message = 'the official to merge into does not exist';
				end if;
				merged := merged + 1;
			end if;
		exception
			when foreign_key_violation then
				raise exception using errcode = 'P0001', message = format('row %s: that agency is not in the team', coalesce(r ->> 'row_no', n::text));
			when sqlstate 'P0001' then
				raise exception using errcode = 'P0001', message = format('row %s: %s', coalesce(r ->> 'row_no', n::text), sqlerrm);
		end;
	end loop;
	return jsonb_build_object('added', added, 'merged', merged);
end;
$$;
comment on function public.import_officials(uuid, jsonb) is
	'Security invoker, leaders and organizers: adds a list of officials (JSON objects, agency_id included) in one transaction, or merges a row into an existing official (merge_into: fills empty fields only). Raises "row N: <reason>" and imports nothing when a row is refused. Returns {added, merged}.';
