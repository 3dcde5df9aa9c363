-- What a hosted Supabase project has before its first migration, for the parts Groundwork uses.
-- Sources (facts, not copies): supabase/postgres migrations/db/init-scripts (initial schema, auth
-- schema, post-setup) and migrations/db/migrations (API roles made INHERIT, authenticator timeouts,
-- the pgrst watch triggers as updated in 2026), supabase/auth migrations (the auth tables as GoTrue
-- leaves them today, auth.uid/role/email/jwt), and the Supabase CLI (supabase_migrations).
--
-- Idempotent: it runs on every start, on PGlite and on a native PostgreSQL cluster whose roles are
-- cluster-wide and may already exist (another database, another checkout). Role changes only
-- happen when something differs, so two databases baselined at once do not race on pg_authid.

-- ---------------------------------------------------------------------------------------------
-- Roles
-- ---------------------------------------------------------------------------------------------
do $$
declare
	r record;
begin
	-- Hosted Supabase creates the API roles NOINHERIT, then makes them INHERIT
	-- (20230529180330_alter_api_roles_for_inherit); a new project has the latter.
	for r in
		select * from (values
			('anon', 'nologin'),
			('authenticated', 'nologin'),
			('service_role', 'nologin bypassrls'),
			('authenticator', 'login noinherit'),
			('supabase_auth_admin', 'login noinherit noreplication'),
			-- A superuser on hosted Supabase; here only a name that migrations may mention
			-- (grants, owners), never something to log in as.
			('supabase_admin', 'nologin noinherit')
		) as roles(name, options)
	loop
		if not exists (select from pg_roles where rolname = r.name) then
			begin
				execute format('create role %I %s', r.name, r.options);
			exception when duplicate_object or unique_violation then
				null; -- created meanwhile by a baseline running in another database
			end;
		end if;
	end loop;

	-- The one attribute RLS depends on: service_role keys must see every row.
	if not (select rolbypassrls from pg_roles where rolname = 'service_role') then
		alter role service_role bypassrls;
	end if;

	-- PostgREST connects as authenticator and switches to the JWT's role.
	for r in select unnest(array['anon', 'authenticated', 'service_role']) as name loop
		if not pg_has_role('authenticator', r.name, 'member') then
			execute format('grant %I to authenticator', r.name);
		end if;
	end loop;
end
$$;

-- Role settings as hosted Supabase sets them. They apply to sessions that log in as these roles
-- (PostgREST's authenticator), not to SET ROLE; the local runtime sets its own statement timeout
-- per request (request-tx.ts).
do $$
declare
	s record;
begin
	for s in
		select * from (values
			('anon', 'statement_timeout', '3s'),
			('authenticated', 'statement_timeout', '8s'),
			('authenticator', 'statement_timeout', '8s'),
			('authenticator', 'lock_timeout', '8s'),
			-- The schemas PostgREST exposes; the local runtime reads them from config.toml instead.
			('authenticator', 'pgrst.db_schemas', 'public,graphql_public'),
			('supabase_auth_admin', 'search_path', 'auth')
		) as settings(role, name, value)
	loop
		if not exists (
			select from pg_db_role_setting d
			join pg_roles r on r.oid = d.setrole
			where r.rolname = s.role and d.setdatabase = 0
				and (s.name || '=' || s.value) = any (d.setconfig)
		) then
			execute format('alter role %I set %s = %L', s.role, s.name, s.value);
		end if;
	end loop;

	-- Hosted Supabase gives postgres `"$user", public, extensions` so migrations can call
	-- extension functions unqualified. Scoped to this database: other databases of a native
	-- cluster keep their own settings.
	if exists (select from pg_roles where rolname = 'postgres') and not exists (
		select from pg_db_role_setting d
		join pg_roles r on r.oid = d.setrole
		join pg_database db on db.oid = d.setdatabase
		where r.rolname = 'postgres' and db.datname = current_database()
			and d.setconfig @> array['search_path="$user", public, extensions']
	) then
		execute format(
			'alter role postgres in database %I set search_path = "$user", public, extensions',
			current_database()
		);
	end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Schemas, extensions and the privileges that make RLS the authority
-- ---------------------------------------------------------------------------------------------
create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

-- uuid-ossp and pgcrypto live in `extensions` on hosted Supabase. PGlite only offers them when
-- they are loaded in its constructor (extensions: { pgcrypto, uuid_ossp }); without that they are
-- skipped here, and gen_random_uuid() (core since PostgreSQL 13) still works.
do $$
begin
	if exists (select from pg_available_extensions where name = 'uuid-ossp') then
		create extension if not exists "uuid-ossp" with schema extensions;
	end if;
	if exists (select from pg_available_extensions where name = 'pgcrypto') then
		create extension if not exists pgcrypto with schema extensions;
	end if;
end
$$;

-- PostgreSQL 15 only grants USAGE on public to PUBLIC; the API roles get it explicitly, and every
-- table, sequence and function that postgres creates in public is granted to them, so that Row
-- Level Security (not missing grants) decides what each role sees.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges in schema public
	grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public
	grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public
	grant all on sequences to postgres, anon, authenticated, service_role;
do $$
begin
	-- The same for objects created by postgres when the baseline runs as another superuser.
	if current_user <> 'postgres' and exists (select from pg_roles where rolname = 'postgres') then
		alter default privileges for role postgres in schema public
			grant all on tables to postgres, anon, authenticated, service_role;
		alter default privileges for role postgres in schema public
			grant all on functions to postgres, anon, authenticated, service_role;
		alter default privileges for role postgres in schema public
			grant all on sequences to postgres, anon, authenticated, service_role;
	end if;
end
$$;

-- Listed in pgrst.db_schemas on hosted Supabase (pg_graphql's entry point); empty here.
create schema if not exists graphql_public;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;

-- Realtime's postgres_changes reads this publication; migrations add their tables to it.
do $$
begin
	if not exists (select from pg_publication where pubname = 'supabase_realtime') then
		create publication supabase_realtime;
	end if;
exception when duplicate_object then
	null;
end
$$;

-- Realtime Authorization: private channels are authorised by RLS policies that migrations write on
-- realtime.messages, with realtime.topic() naming the channel being joined (hosted partitions the
-- table by inserted_at; the runtime only inserts and reads it back inside rolled-back checks).
create schema if not exists realtime;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
create table if not exists realtime.messages (
	topic text not null,
	extension text not null,
	payload jsonb,
	event text,
	private boolean default false,
	updated_at timestamp not null default now(),
	inserted_at timestamp not null default now(),
	id uuid not null default gen_random_uuid(),
	primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant select, insert on realtime.messages to anon, authenticated, service_role;
create or replace function realtime.topic() returns text
language sql stable
as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;
grant execute on function realtime.topic() to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- auth: the tables GoTrue keeps, as they are today, for the parts the local runtime implements
-- ---------------------------------------------------------------------------------------------
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;
grant all on schema auth to supabase_auth_admin;

do $$
begin
	create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
exception when duplicate_object then
	null;
end
$$;
do $$
begin
	create type auth.code_challenge_method as enum ('s256', 'plain');
exception when duplicate_object then
	null;
end
$$;
do $$
begin
	create type auth.one_time_token_type as enum (
		'confirmation_token',
		'reauthentication_token',
		'recovery_token',
		'email_change_token_new',
		'email_change_token_current',
		'phone_change_token'
	);
exception when duplicate_object then
	null;
end
$$;

create table if not exists auth.users (
	instance_id uuid,
	id uuid not null,
	aud varchar(255),
	role varchar(255),
	email varchar(255),
	encrypted_password varchar(255),
	email_confirmed_at timestamptz,
	invited_at timestamptz,
	confirmation_token varchar(255),
	confirmation_sent_at timestamptz,
	recovery_token varchar(255),
	recovery_sent_at timestamptz,
	email_change_token_new varchar(255),
	email_change varchar(255),
	email_change_sent_at timestamptz,
	last_sign_in_at timestamptz,
	raw_app_meta_data jsonb,
	raw_user_meta_data jsonb,
	is_super_admin boolean,
	created_at timestamptz,
	updated_at timestamptz,
	phone text default null,
	phone_confirmed_at timestamptz,
	phone_change text default '',
	phone_change_token varchar(255) default '',
	phone_change_sent_at timestamptz,
	confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
	email_change_token_current varchar(255) default '',
	email_change_confirm_status smallint default 0,
	banned_until timestamptz,
	reauthentication_token varchar(255) default '',
	reauthentication_sent_at timestamptz,
	is_sso_user boolean not null default false,
	deleted_at timestamptz,
	is_anonymous boolean not null default false,
	constraint users_pkey primary key (id),
	constraint users_phone_key unique (phone),
	constraint users_email_change_confirm_status_check
		check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2)
);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
comment on column auth.users.is_sso_user is
	'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';
create unique index if not exists users_email_partial_key on auth.users (email)
	where (is_sso_user = false);
create index if not exists users_instance_id_idx on auth.users (instance_id);
create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower(email));
create index if not exists users_is_anonymous_idx on auth.users (is_anonymous);
create unique index if not exists confirmation_token_idx on auth.users (confirmation_token)
	where confirmation_token !~ '^[0-9 ]*$';
create unique index if not exists recovery_token_idx on auth.users (recovery_token)
	where recovery_token !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_current_idx
	on auth.users (email_change_token_current) where email_change_token_current !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_new_idx on auth.users (email_change_token_new)
	where email_change_token_new !~ '^[0-9 ]*$';
create unique index if not exists reauthentication_token_idx on auth.users (reauthentication_token)
	where reauthentication_token !~ '^[0-9 ]*$';

create table if not exists auth.identities (
	provider_id text not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	identity_data jsonb not null,
	provider text not null,
	last_sign_in_at timestamptz,
	created_at timestamptz,
	updated_at timestamptz,
	email text generated always as (lower(identity_data ->> 'email')) stored,
	id uuid not null default gen_random_uuid(),
	constraint identities_pkey primary key (id),
	constraint identities_provider_id_provider_unique unique (provider_id, provider)
);
comment on table auth.identities is 'Auth: Stores identities associated to a user.';
create index if not exists identities_user_id_idx on auth.identities (user_id);
create index if not exists identities_email_idx on auth.identities (email text_pattern_ops);

create table if not exists auth.sessions (
	id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	created_at timestamptz,
	updated_at timestamptz,
	factor_id uuid,
	aal auth.aal_level,
	not_after timestamptz,
	refreshed_at timestamp,
	user_agent text,
	ip inet,
	tag text,
	constraint sessions_pkey primary key (id)
);
comment on table auth.sessions is 'Auth: Stores session data associated to a user.';
create index if not exists sessions_user_id_idx on auth.sessions (user_id);
create index if not exists user_id_created_at_idx on auth.sessions (user_id, created_at);
create index if not exists sessions_not_after_idx on auth.sessions (not_after desc);

-- user_id is text on hosted Supabase too (a legacy of the first GoTrue schema).
create table if not exists auth.refresh_tokens (
	instance_id uuid,
	id bigserial not null,
	token varchar(255),
	user_id varchar(255),
	revoked boolean,
	created_at timestamptz,
	updated_at timestamptz,
	parent varchar(255),
	session_id uuid references auth.sessions (id) on delete cascade,
	constraint refresh_tokens_pkey primary key (id),
	constraint refresh_tokens_token_unique unique (token)
);
comment on table auth.refresh_tokens is
	'Auth: Store of tokens used to refresh JWT tokens once they expire.';
create index if not exists refresh_tokens_instance_id_idx on auth.refresh_tokens (instance_id);
create index if not exists refresh_tokens_instance_id_user_id_idx
	on auth.refresh_tokens (instance_id, user_id);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);
create index if not exists refresh_tokens_session_id_revoked_idx
	on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_updated_at_idx on auth.refresh_tokens (updated_at desc);

create table if not exists auth.mfa_amr_claims (
	session_id uuid not null references auth.sessions (id) on delete cascade,
	created_at timestamptz not null,
	updated_at timestamptz not null,
	authentication_method text not null,
	id uuid not null,
	constraint amr_id_pk primary key (id),
	constraint mfa_amr_claims_session_id_authentication_method_pkey
		unique (session_id, authentication_method)
);
comment on table auth.mfa_amr_claims is
	'auth: stores authenticator method reference claims for multi factor authentication';

create table if not exists auth.flow_state (
	id uuid not null,
	user_id uuid,
	auth_code text not null,
	code_challenge_method auth.code_challenge_method not null,
	code_challenge text not null,
	provider_type text not null,
	provider_access_token text,
	provider_refresh_token text,
	created_at timestamptz,
	updated_at timestamptz,
	authentication_method text not null,
	auth_code_issued_at timestamptz,
	constraint flow_state_pkey primary key (id)
);
comment on table auth.flow_state is 'stores metadata for pkce logins';
create index if not exists idx_auth_code on auth.flow_state (auth_code);
create index if not exists idx_user_id_auth_method on auth.flow_state (user_id, authentication_method);
create index if not exists flow_state_created_at_idx on auth.flow_state (created_at desc);

create table if not exists auth.one_time_tokens (
	id uuid not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	token_type auth.one_time_token_type not null,
	token_hash text not null,
	relates_to text not null,
	created_at timestamp not null default now(),
	updated_at timestamp not null default now(),
	constraint one_time_tokens_pkey primary key (id),
	constraint one_time_tokens_token_hash_check check (char_length(token_hash) > 0)
);
create index if not exists one_time_tokens_token_hash_hash_idx
	on auth.one_time_tokens using hash (token_hash);
create index if not exists one_time_tokens_relates_to_hash_idx
	on auth.one_time_tokens using hash (relates_to);
create unique index if not exists one_time_tokens_user_id_token_type_key
	on auth.one_time_tokens (user_id, token_type);

create table if not exists auth.audit_log_entries (
	instance_id uuid,
	id uuid not null,
	payload json,
	created_at timestamptz,
	ip_address varchar(64) not null default '',
	constraint audit_log_entries_pkey primary key (id)
);
comment on table auth.audit_log_entries is 'Auth: Audit trail for user actions.';
create index if not exists audit_logs_instance_id_idx on auth.audit_log_entries (instance_id);

-- GoTrue owns its tables and turns RLS on without policies: the API roles get no grants and no
-- rows; only the auth server (and superusers) read them.
do $$
declare
	t text;
begin
	foreach t in array array[
		'users', 'identities', 'sessions', 'refresh_tokens', 'mfa_amr_claims', 'flow_state',
		'one_time_tokens', 'audit_log_entries'
	] loop
		execute format('alter table auth.%I enable row level security', t);
		if (select tableowner from pg_tables where schemaname = 'auth' and tablename = t)
				<> 'supabase_auth_admin' then
			execute format('alter table auth.%I owner to supabase_auth_admin', t);
		end if;
	end loop;
end
$$;
grant all on all tables in schema auth to supabase_auth_admin;
grant all on all sequences in schema auth to supabase_auth_admin;

-- The helpers policies call. Each reads the legacy per-claim setting first, then the claims JSON
-- PostgREST sets (request.jwt.claims), exactly as GoTrue defines them.
create or replace function auth.uid() returns uuid
language sql stable
as $$
	select coalesce(
		nullif(current_setting('request.jwt.claim.sub', true), ''),
		(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
	)::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create or replace function auth.role() returns text
language sql stable
as $$
	select coalesce(
		nullif(current_setting('request.jwt.claim.role', true), ''),
		(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
	)::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create or replace function auth.email() returns text
language sql stable
as $$
	select coalesce(
		nullif(current_setting('request.jwt.claim.email', true), ''),
		(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
	)::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
	select coalesce(
		nullif(current_setting('request.jwt.claim', true), ''),
		nullif(current_setting('request.jwt.claims', true), '')
	)::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
	to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- PostgREST schema cache reloads: DDL outside Supabase's own schemas notifies `pgrst`
-- ---------------------------------------------------------------------------------------------
create or replace function extensions.pgrst_ddl_watch() returns event_trigger
language plpgsql
as $$
declare
	cmd record;
begin
	for cmd in select * from pg_event_trigger_ddl_commands()
	loop
		if cmd.command_tag in (
			'CREATE SCHEMA', 'ALTER SCHEMA',
			'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE',
			'CREATE FOREIGN TABLE', 'ALTER FOREIGN TABLE',
			'CREATE VIEW', 'ALTER VIEW',
			'CREATE MATERIALIZED VIEW', 'ALTER MATERIALIZED VIEW',
			'CREATE FUNCTION', 'ALTER FUNCTION',
			'CREATE TYPE', 'ALTER TYPE',
			'CREATE RULE',
			'COMMENT'
		)
		and coalesce(cmd.schema_name, '') not in ('pg_temp', 'auth', 'realtime', '_realtime', 'storage')
		or (cmd.command_tag = 'CREATE TRIGGER' and cmd.object_identity not like '% pg\_temp.%')
		then
			notify pgrst, 'reload schema';
		end if;
	end loop;
end;
$$;

create or replace function extensions.pgrst_drop_watch() returns event_trigger
language plpgsql
as $$
declare
	obj record;
begin
	for obj in select * from pg_event_trigger_dropped_objects()
	loop
		if obj.object_type in (
			'schema', 'table', 'foreign table', 'view', 'materialized view', 'function', 'type', 'rule'
		)
		and obj.is_temporary is false
		and coalesce(obj.schema_name, '') not in ('auth', 'realtime', '_realtime', 'storage')
		or (obj.object_type = 'trigger' and obj.object_identity not like '% pg\_temp.%')
		then
			notify pgrst, 'reload schema';
		end if;
	end loop;
end;
$$;

-- Event triggers need a superuser; without one the runtime still reloads after its own
-- migrations (migrate.ts notifies), only out-of-band DDL goes unnoticed.
do $$
begin
	if not (select rolsuper from pg_roles where rolname = current_user) then
		raise notice 'baseline: not a superuser, pgrst event triggers skipped';
		return;
	end if;
	if not exists (select from pg_event_trigger where evtname = 'pgrst_ddl_watch') then
		create event trigger pgrst_ddl_watch on ddl_command_end
			execute function extensions.pgrst_ddl_watch();
	end if;
	if not exists (select from pg_event_trigger where evtname = 'pgrst_drop_watch') then
		create event trigger pgrst_drop_watch on sql_drop
			execute function extensions.pgrst_drop_watch();
	end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- supabase_migrations: where the Supabase CLI records applied migrations
-- ---------------------------------------------------------------------------------------------
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
