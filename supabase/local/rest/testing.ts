/**
 * Test support for the REST part alone: an in-memory database with Supabase's roles and
 * `auth.uid()`, the REST handler behind a real HTTP server (`/rest/v1`), and supabase-js clients.
 * Used by supabase/tests/rest-*.test.ts; no mocks, only the parts the REST API needs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { signJwt, verifyJwt } from '../jwt.ts';
import type { ApiRequest, Database, RequestAuth, RuntimeConfig } from '../types.ts';
import { createRest, type Rest } from './index.ts';

export interface RestTestEnv {
	url: string;
	db: Database;
	config: RuntimeConfig;
	rest: Rest;
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

/** What hosted Supabase has before any migration, reduced to what REST tests use. */
const baseline = `
do $$ begin
  if not exists (select from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
end $$;
create schema if not exists auth;
create schema if not exists extensions;
create or replace function auth.uid() returns uuid language sql stable as $$
  select nullif(coalesce(current_setting('request.jwt.claim.sub', true),
    (current_setting('request.jwt.claims', true)::jsonb ->> 'sub')), '')::uuid $$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(current_setting('request.jwt.claims', true)::jsonb ->> 'role', 'anon') $$;
grant usage on schema public, auth, extensions to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
`;

export async function startRestEnv(
	schemaSql: string,
	opts: { schemas?: string[] } = {}
): Promise<RestTestEnv> {
	const config = await loadConfig({
		memory: true,
		jwtSecret: `test-secret-${randomUUID()}-0123456789`
	});
	if (opts.schemas) config.api.schemas = opts.schemas;
	const db = await openDatabase({ memory: true });
	await db.exec(baseline);
	await db.exec(schemaSql);
	const rest = await createRest({ db, config });

	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void (async () => {
				const url = new URL(req.url ?? '/', 'http://localhost');
				const m = /^\/rest\/v1(\/.*)?$/.exec(url.pathname);
				if (!m) {
					res.writeHead(404).end();
					return;
				}
				const h = req.headers.authorization;
				const token = h?.startsWith('Bearer ')
					? h.slice(7)
					: ((req.headers.apikey as string) ?? null);
				let auth: RequestAuth = { role: 'anon', claims: { role: 'anon' }, token: null };
				if (token) {
					const v = await verifyJwt(token, config.jwtSecret);
					if (!v.ok) {
						res.writeHead(401, { 'content-type': 'application/json' }).end(
							JSON.stringify({
								code: 'PGRST301',
								details: null,
								hint: null,
								message: 'JWT invalid'
							})
						);
						return;
					}
					auth = { role: String(v.claims.role ?? 'anon'), claims: v.claims, token };
				}
				const headers: Record<string, string | undefined> = {};
				for (const [k, v] of Object.entries(req.headers))
					headers[k] = Array.isArray(v) ? v.join(', ') : v;
				const apiReq: ApiRequest = {
					method: (req.method ?? 'GET').toUpperCase(),
					path: decodeURIComponent(m[1] ?? '/'),
					rawQuery: url.search.slice(1),
					query: url.searchParams,
					headers,
					body: Buffer.concat(chunks),
					auth,
					ip: req.socket.remoteAddress ?? ''
				};
				const out = await rest.handler(apiReq);
				const body =
					out.body === undefined
						? undefined
						: typeof out.body === 'string' || Buffer.isBuffer(out.body)
							? out.body
							: JSON.stringify(out.body);
				res.writeHead(out.status, out.headers ?? {});
				res.end(body);
			})().catch((e: unknown) => {
				res.writeHead(500).end(String(e));
			});
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const opts2 = {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		realtime: { transport: ws as never }
	};
	const client = (key: string, token?: string): SupabaseClient =>
		createClient(
			url,
			key,
			token ? { ...opts2, global: { headers: { Authorization: `Bearer ${token}` } } } : opts2
		);

	return {
		url,
		db,
		config,
		rest,
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
		async stop() {
			await new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			});
			await rest.close();
			await db.close();
		}
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
create table tasks (
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
insert into tasks (project_id, title, done, priority) values
  (1, 't1', true, 1), (1, 't2', false, 2), (2, 't3', false, null), (4, 't4', true, 5);
insert into users values (1, 'Ann'), (2, 'Bob');
insert into users_projects values (1, 1), (1, 2), (2, 1);
insert into messages values (1, 'hi', 1, 2), (2, 'yo', 2, 1);
insert into docs values (1, 'The fat cats ate the rats'), (2, 'A dog barks'), (3, 'Cats and dogs');
`;
