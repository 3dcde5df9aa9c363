-- Profiles: the public face of an account (the name teammates see, the language for emails).
-- auth.users stays private to the auth server; the app reads and writes only this table.

-- One trigger function for every table's updated_at, shared by later migrations.
create or replace function public.set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
	new.updated_at := now();
	return new;
end;
$$;

comment on function public.set_updated_at() is
	'Trigger function: stamps updated_at on every update. Shared by all tables that have the column.';

create table public.profiles (
	id uuid primary key references auth.users (id) on delete cascade,
	display_name text check (display_name is null or char_length(display_name) between 1 and 80),
	preferred_language text not null default 'en'
		check (preferred_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

comment on table public.profiles is
	'One row per account, created by a trigger on auth.users. Readable and editable by its owner only (teammates get read access to display names in the teams migration).';
comment on column public.profiles.id is 'The auth.users id of the account; the profile goes when the account does.';
comment on column public.profiles.display_name is 'The name teammates see; null until the member sets one.';
comment on column public.profiles.preferred_language is 'BCP 47 language code for emails and, as translations arrive, the interface.';
comment on column public.profiles.created_at is 'When the account (and so the profile) was created.';
comment on column public.profiles.updated_at is 'Last change, stamped by public.set_updated_at().';

create trigger profiles_set_updated_at
	before update on public.profiles
	for each row execute function public.set_updated_at();

comment on trigger profiles_set_updated_at on public.profiles is 'Keeps updated_at current.';

-- Runs as the table owner because the inserting role (supabase_auth_admin on hosted Supabase) has no
-- rights on public.profiles; search_path is empty so every name below is schema-qualified.
create or replace function public.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
	name text := nullif(btrim(coalesce(new.raw_user_meta_data ->> 'display_name', '')), '');
begin
	insert into public.profiles (id, display_name)
	values (new.id, left(name, 80));
	return new;
end;
$$;

comment on function public.handle_new_user() is
	'Trigger function (security definer): creates the profile of a new account, taking display_name from the sign-up metadata. Definer rights because the auth server''s role cannot write public tables.';

-- Nobody calls it directly; only the trigger runs it.
revoke execute on function public.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created
	after insert on auth.users
	for each row execute function public.handle_new_user();

comment on trigger on_auth_user_created on auth.users is 'Gives every new account a profile row.';

-- Deny by default: with RLS on and no policy, no row is visible to anon or authenticated.
alter table public.profiles enable row level security;

-- Rows are created by the trigger and removed with the account, never by API clients.
revoke insert, delete, truncate on public.profiles from anon, authenticated;
revoke all on public.profiles from anon;

create policy "Users can read their own profile"
	on public.profiles
	for select
	to authenticated
	using ((select auth.uid()) = id);

comment on policy "Users can read their own profile" on public.profiles is
	'A signed-in user sees their own row. Teammates'' names come through a later, team-scoped policy.';

create policy "Users can update their own profile"
	on public.profiles
	for update
	to authenticated
	using ((select auth.uid()) = id)
	with check ((select auth.uid()) = id);

comment on policy "Users can update their own profile" on public.profiles is
	'A signed-in user edits their own name and language; with check stops moving a row to another id.';

-- The id is fixed for life; only these columns may change through the API.
revoke update on public.profiles from authenticated;
grant select on public.profiles to authenticated;
grant update (display_name, preferred_language) on public.profiles to authenticated;
