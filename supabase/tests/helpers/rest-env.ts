/**
 * Test support for the REST API: a fresh stack from `startTestStack()` (PGlite from the run's
 * template, or a clone on native PostgreSQL when SUPABASE_DB_URL is set) with a fixture schema of
 * the test's own, plus supabase-js clients and raw fetch. The whole runtime is in the path: the
 * HTTP front, JWT checks and the REST handler, exactly as an app meets them.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { signJwt } from '../../local/jwt.ts';
import type { Database, RuntimeConfig } from '../../local/types.ts';
import { startTestStack } from './stack.ts';

export interface RestTestEnv {
	url: string;
	db: Database;
	config: RuntimeConfig;
	anonKey: string;
	serviceRoleKey: string;
	anon(): SupabaseClient;
	service(): SupabaseClient;
	/** A client whose bearer token is an `authenticated` JWT for `sub`. */
	user(sub?: string): Promise<{ client: SupabaseClient; userId: string; token: string }>;
	/** Raw fetch against `/rest/v1` with the anon key unless headers say otherwise. */
	fetch(path: string, init?: RequestInit): Promise<Response>;
	stop(): Promise<void>;
}

export async function startRestEnv(
	schemaSql: string,
	opts: { schemas?: string[] } = {}
): Promise<RestTestEnv> {
	const stack = await startTestStack();
	const { config } = stack;
	if (opts.schemas) config.api.schemas = opts.schemas;
	await stack.db.exec(schemaSql);
	await stack.reloadSchema();
	const url = stack.apiUrl;
	const clientOptions = {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		realtime: { transport: ws as never }
	};
	const client = (key: string, token?: string): SupabaseClient =>
		createClient(
			url,
			key,
			token
				? { ...clientOptions, global: { headers: { Authorization: `Bearer ${token}` } } }
				: clientOptions
		);

	return {
		url,
		db: stack.db,
		config,
		anonKey: config.anonKey,
		serviceRoleKey: config.serviceRoleKey,
		anon: () => client(config.anonKey),
		service: () => client(config.serviceRoleKey),
		async user(sub = randomUUID()) {
			const token = await signJwt(
				{ sub, role: 'authenticated', aud: 'authenticated', email: `${sub}@example.test` },
				config.jwtSecret,
				3600
			);
			return { client: client(config.anonKey, token), userId: sub, token };
		},
		fetch(path, init = {}) {
			const headers = new Headers(init.headers);
			if (!headers.has('apikey')) headers.set('apikey', config.anonKey);
			return fetch(`${url}/rest/v1${path}`, { ...init, headers });
		},
		stop: () => stack.stop()
	};
}

/** A small schema covering every relationship kind and column type the REST tests need. */
export const restFixtureSql = `
create table clients (id int primary key, name text not null unique);
create table projects (
  id int primary key, name text not null, client_id int references clients(id),
  data jsonb, tags text[], budget numeric(10,2), period int4range,
  created_at timestamptz not null default '2024-01-01T00:00:00Z',
  search tsvector generated always as (to_tsvector('english', name)) stored);
create table jobs (
  id serial primary key, project_id int references projects(id) on delete cascade,
  title text not null, done boolean not null default false, priority int default 3);
create table users (id int primary key, name text not null);
create table users_projects (
  user_id int references users(id), project_id int references projects(id),
  primary key (user_id, project_id));
create table messages (
  id int primary key, body text,
  sender_id int references users(id), receiver_id int references users(id));
create table docs (id int primary key, body text);
create view client_projects as select p.id, p.name, p.client_id from projects p;

insert into clients values (1, 'Acme'), (2, 'Globex'), (3, 'Initech');
insert into projects (id, name, client_id, data, tags, budget, period) values
  (1, 'Alpha', 1, '{"a":{"b":"x"},"n":1}', '{a,b}', 100.50, '[1,5)'),
  (2, 'Beta', 1, null, '{c}', 20, '[5,10)'),
  (3, 'Gamma', 2, '{"a":{"b":"y"},"n":2}', null, null, '[10,20)'),
  (4, 'Delta', null, '{"n":3}', '{a}', 7, null);
insert into jobs (project_id, title, done, priority) values
  (1, 't1', true, 1), (1, 't2', false, 2), (2, 't3', false, null), (4, 't4', true, 5);
insert into users values (1, 'Ann'), (2, 'Bob');
insert into users_projects values (1, 1), (1, 2), (2, 1);
insert into messages values (1, 'hi', 1, 2), (2, 'yo', 2, 1);
insert into docs values (1, 'The fat cats ate the rats'), (2, 'A dog barks'), (3, 'Cats and dogs');
`;
