/**
 * The process under test for `bench/api.ts`: the full local runtime (startStack) and, on the same
 * database, the baseline: a bare Node HTTP server that verifies the same JWT, runs the equivalent
 * hand-written SQL in the same kind of request transaction (withRequestTx: role and claims set,
 * so it pays the same RLS cost) and returns JSON. Both in one process, so on PGlite they share the
 * one engine; the load generator runs in another process.
 *
 *   node --import tsx bench/lib/server.ts [--db-url URL]
 *
 * Prints one JSON line (urls, tokens) when ready; stops on SIGTERM or when stdin closes.
 * For the profile pass the baseline server also answers `POST /__trace/reset`, `GET /__trace`
 * (queries per database transaction and time spent in them) and `POST /__profile/start|stop`
 * (a V8 CPU profile of this process between the two).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStack } from '../../supabase/local/stack.ts';
import { signJwt, verifyJwt } from '../../supabase/local/jwt.ts';
import { withRequestTx } from '../../supabase/local/request-tx.ts';
import type { Database, RequestAuth, Tx } from '../../supabase/local/types.ts';
import { schema, seedSql, USERS } from './fixture.ts';

const { values } = parseArgs({ options: { 'db-url': { type: 'string' } } });
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// PGlite persisted to a folder, as `npm run supabase -- start` runs it (not the tests' in-memory one).
const workdir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
const stack = await startStack({
	supabaseDir: join(root, 'supabase'),
	workdir,
	memory: false,
	dbUrl: values['db-url'] ?? null,
	apiPort: 0,
	dbPort: 0,
	mailPort: 0,
	wire: false,
	seed: false
});
const { db, config } = stack;
const userIds = Array.from({ length: USERS }, () => randomUUID());
await db.exec(schema);
await db.exec(seedSql(userIds));
await db.exec(`notify pgrst, 'reload schema'`);
const tokens = await Promise.all(
	userIds.map((sub, i) =>
		signJwt(
			{
				sub,
				role: 'authenticated',
				aud: 'authenticated',
				email: `bench${i}@example.test`,
				aal: 'aal1',
				session_id: randomUUID()
			},
			stack.jwtSecret,
			3600
		)
	)
);

/** Counts what every request does in the database: transactions, statements, time in them. */
const trace = { tx: 0, queries: 0, dbMs: 0, txMs: 0, sql: new Map<string, number>() };

function traced(d: Database): void {
	const transaction = d.transaction.bind(d);
	const query = d.query.bind(d);
	const count = (sql: string, ms: number) => {
		trace.queries++;
		trace.dbMs += ms;
		const key = sql.replace(/\s+/g, ' ').trim().slice(0, 110);
		trace.sql.set(key, (trace.sql.get(key) ?? 0) + 1);
	};
	d.transaction = <T>(fn: (tx: Tx) => Promise<T>) =>
		transaction(async (tx) => {
			const t0 = performance.now();
			trace.tx++;
			const wrapped: Tx = {
				query: async (sql, params) => {
					const q0 = performance.now();
					try {
						return await tx.query(sql, params);
					} finally {
						count(sql, performance.now() - q0);
					}
				},
				exec: async (sql) => {
					const q0 = performance.now();
					try {
						await tx.exec(sql);
					} finally {
						count(sql, performance.now() - q0);
					}
				}
			};
			try {
				return await fn(wrapped);
			} finally {
				trace.txMs += performance.now() - t0;
			}
		});
	d.query = async (sql, params) => {
		const q0 = performance.now();
		try {
			return await query(sql, params);
		} finally {
			count(`(outside a transaction) ${sql}`, performance.now() - q0);
		}
	};
}
traced(db);

const inspector = new Session();
inspector.connect();

async function control(path: string, res: ServerResponse): Promise<void> {
	let out: unknown = {};
	if (path === '/__trace/reset') {
		trace.tx = trace.queries = trace.dbMs = trace.txMs = 0;
		trace.sql.clear();
	} else if (path === '/__trace') {
		out = { ...trace, sql: [...trace.sql].sort((a, b) => b[1] - a[1]) };
	} else if (path === '/__profile/start') {
		await inspector.post('Profiler.enable');
		await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
		await inspector.post('Profiler.start');
	} else if (path === '/__profile/stop') {
		out = (await inspector.post('Profiler.stop')).profile;
	}
	res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
}

type Route = (
	auth: RequestAuth,
	url: URL,
	body: Buffer
) => Promise<{ status: number; body?: string }>;

const json = (v: unknown) => ({ status: 200, body: JSON.stringify(v) });

/** The hand-written equivalent of each benchmarked request. */
const routes: Record<string, Route> = {
	'GET /embed': (auth) =>
		withRequestTx(db, config, auth, async (tx) => {
			const r = await tx.query(
				`select c.id, c.value, c.label, case when p.id is null then null
					else json_build_object('id', p.id, 'name', p.name) end as parent
				 from public.bench_children c
				 left join lateral (select id, name from public.bench_parents where id = c.parent_id) p on true
				 order by c.id limit 100`
			);
			return json(r.rows);
		}),
	'GET /count': (auth, url) =>
		withRequestTx(db, config, auth, async (tx) => {
			const r = await tx.query<{ n: string }>(
				'select count(*) as n from public.bench_children where value > $1',
				[Number(url.searchParams.get('gt'))]
			);
			return json({ count: Number(r.rows[0].n) });
		}),
	'POST /insert': (auth, _url, body) =>
		withRequestTx(db, config, auth, async (tx) => {
			const { kind } = JSON.parse(body.toString()) as { kind: string };
			await tx.query('insert into public.bench_events (kind) values ($1)', [kind]);
			return { status: 201 };
		}),
	'POST /rpc': (auth, _url, body) =>
		withRequestTx(db, config, auth, async (tx) => {
			const { p_parent } = JSON.parse(body.toString()) as { p_parent: number };
			const r = await tx.query('select public.bench_parent_total($1) as v', [p_parent]);
			return json(r.rows[0].v);
		}),
	'GET /one': (auth, url) =>
		withRequestTx(db, config, auth, async (tx) => {
			const r = await tx.query('select * from public.bench_parents where id = $1', [
				Number(url.searchParams.get('id'))
			]);
			return r.rows.length === 1 ? json(r.rows[0]) : { status: 406 };
		})
};

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((res, rej) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => res(Buffer.concat(chunks)));
		req.on('error', rej);
	});
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const body = await readBody(req);
	if (url.pathname.startsWith('/__')) return control(url.pathname, res);
	const route = routes[`${req.method} ${url.pathname}`];
	if (!route) return void res.writeHead(404).end();
	const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
	const check = await verifyJwt(token, stack.jwtSecret);
	if (!check.ok) return void res.writeHead(401).end();
	const auth: RequestAuth = { role: String(check.claims.role), claims: check.claims, token };
	const out = await route(auth, url, body);
	res.writeHead(out.status, out.body ? { 'content-type': 'application/json' } : {});
	res.end(out.body);
}

const baseline = createServer((req, res) => {
	handle(req, res).catch((e: unknown) => {
		console.error(e);
		if (!res.headersSent) res.writeHead(500);
		res.end();
	});
});
await new Promise<void>((r) => baseline.listen(0, '127.0.0.1', r));

let stopping = false;
async function stop(): Promise<void> {
	if (stopping) return;
	stopping = true;
	await new Promise<void>((r) => {
		baseline.close(() => r());
		baseline.closeAllConnections();
	});
	await stack.stop();
	rmSync(workdir, { recursive: true, force: true });
	process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

console.log(
	JSON.stringify({
		ready: {
			engine: db.kind,
			apiUrl: stack.apiUrl,
			baselineUrl: `http://127.0.0.1:${(baseline.address() as AddressInfo).port}`,
			anonKey: stack.anonKey,
			tokens
		}
	})
);
