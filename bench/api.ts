/**
 * `npm run bench:api`: throughput and latency of typical supabase-js requests through the local
 * runtime, against a baseline measured in the same run (a bare Node HTTP server running the
 * equivalent hand-written SQL on the same database, in the same per-request transaction with role
 * and claims, so it pays the same RLS cost), on PGlite and, when Debian's PostgreSQL 15 is
 * installed, on a throwaway native cluster. Then start-up times.
 *
 *   npm run bench:api [-- --seconds 3] [--slices 3] [--profile] [--only pglite|postgres|none] [--no-startup]
 *
 * Targets (issue 2): ≥ 0.7× the baseline's throughput; single-row GET at 10 clients p50 ≤ 5 ms,
 * p95 ≤ 15 ms and ≥ 500 req/s on PGlite; `supabase start` to healthy < 5 s on an existing data
 * folder; a fresh in-memory migrated database from a template < 1 s.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nativeAvailable, startCluster, type Cluster } from '../scripts/pg-cluster.ts';
import { freePorts } from '../supabase/tests/crash/runtime-process.ts';
import { openDatabase, dumpDataDir } from '../supabase/local/db/index.ts';
import { applyBaseline, migrate } from '../supabase/local/migrate.ts';
import { startStack } from '../supabase/local/stack.ts';
import { startReadyChild } from './lib/child.ts';
import { parentOf, USERS } from './lib/fixture.ts';
import { merge, runLoad, type LoadResult, type Req } from './lib/load.ts';
import { summarise, type CpuProfile } from './lib/profile.ts';

const { values } = parseArgs({
	options: {
		seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '3' },
		slices: { type: 'string', default: '3' },
		'max-requests': { type: 'string', default: '20000' },
		profile: { type: 'boolean', default: false },
		only: { type: 'string' },
		'no-startup': { type: 'boolean', default: false }
	}
});
const SECONDS = Number(values.seconds);
const MAX_REQUESTS = Number(values['max-requests']);
const SLICES = Math.max(1, Number(values.slices));
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Server {
	engine: string;
	apiUrl: string;
	baselineUrl: string;
	anonKey: string;
	tokens: string[];
	child: ChildProcess;
	stop(): Promise<void>;
}

/** The runtime and the baseline server, in a child process (see lib/server.ts). */
async function startServer(dbUrl?: string): Promise<Server> {
	const server = await startReadyChild<Omit<Server, 'child' | 'stop'>>(
		join(root, 'bench/lib/server.ts'),
		dbUrl ? ['--db-url', dbUrl] : [],
		root
	);
	return { ...server.ready, child: server.child, stop: server.stop };
}

type Side = 'runtime' | 'baseline';

interface Case {
	name: string;
	clients: number[];
	req(s: Server, side: Side, client: number, n: number): Req;
}

function userHeaders(s: Server, client: number, extra: Record<string, string> = {}) {
	return {
		apikey: s.anonKey,
		authorization: `Bearer ${s.tokens[client % USERS]}`,
		...extra
	};
}

const cases: Case[] = [
	{
		name: '100-row select, one embed',
		clients: [1, 20],
		req: (s, side, c) =>
			side === 'runtime'
				? {
						method: 'GET',
						path: '/rest/v1/bench_children?select=id,value,label,parent:bench_parents(id,name)&order=id.asc&limit=100',
						headers: userHeaders(s, c)
					}
				: { method: 'GET', path: '/embed', headers: userHeaders(s, c) }
	},
	{
		name: 'filtered count (exact, HEAD)',
		clients: [1, 20],
		req: (s, side, c) =>
			side === 'runtime'
				? {
						method: 'HEAD',
						path: '/rest/v1/bench_children?select=*&value=gt.500',
						headers: userHeaders(s, c, { prefer: 'count=exact' })
					}
				: { method: 'GET', path: '/count?gt=500', headers: userHeaders(s, c) }
	},
	{
		name: 'single-row insert',
		clients: [1, 20],
		req: (s, side, c, n) => ({
			method: 'POST',
			path: side === 'runtime' ? '/rest/v1/bench_events' : '/insert',
			headers: userHeaders(s, c, {
				'content-type': 'application/json',
				prefer: 'return=minimal'
			}),
			body: JSON.stringify({ kind: `k${n}` })
		})
	},
	{
		name: 'rpc',
		clients: [1, 20],
		req: (s, side, c, n) => ({
			method: 'POST',
			path: side === 'runtime' ? '/rest/v1/rpc/bench_parent_total' : '/rpc',
			headers: userHeaders(s, c, { 'content-type': 'application/json' }),
			body: JSON.stringify({ p_parent: parentOf(c % USERS, n) })
		})
	},
	{
		name: 'single-row GET',
		clients: [1, 10, 20],
		req: (s, side, c, n) =>
			side === 'runtime'
				? {
						method: 'GET',
						path: `/rest/v1/bench_parents?select=*&id=eq.${parentOf(c % USERS, n)}`,
						headers: userHeaders(s, c, { accept: 'application/vnd.pgrst.object+json' })
					}
				: { method: 'GET', path: `/one?id=${parentOf(c % USERS, n)}`, headers: userHeaders(s, c) }
	}
];

interface Row {
	engine: string;
	name: string;
	clients: number;
	runtime: LoadResult;
	baseline: LoadResult;
}

/** Checks that runtime and baseline answer alike before timing them. */
async function sanity(s: Server): Promise<void> {
	for (const c of cases) {
		for (const side of ['runtime', 'baseline'] as const) {
			const r = c.req(s, side, 0, 3);
			const url = (side === 'runtime' ? s.apiUrl : s.baselineUrl) + r.path;
			const res = await fetch(url, { method: r.method, headers: r.headers, body: r.body });
			const text = await res.text();
			if (res.status >= 300) throw new Error(`${c.name} (${side}): ${res.status} ${text}`);
			if (c.name.startsWith('100-row')) {
				const rows = JSON.parse(text) as Array<{ parent: unknown }>;
				if (rows.length !== 100 || !rows.every((x) => x.parent))
					throw new Error(`${c.name} (${side}): expected 100 rows with a parent`);
			}
			if (c.name.startsWith('filtered') && side === 'runtime') {
				const range = res.headers.get('content-range');
				if (!range || !/\/\d+$/.test(range)) throw new Error(`count: content-range ${range}`);
			}
		}
	}
}

async function benchEngine(engine: string, dbUrl?: string): Promise<Row[]> {
	const s = await startServer(dbUrl);
	const rows: Row[] = [];
	try {
		await sanity(s);
		for (const c of cases) {
			for (const clients of c.clients) {
				// Runtime and baseline take turns in short slices, so a burst of other work on the
				// machine lands on both alike rather than on whichever ran at that moment.
				const opts = {
					clients,
					seconds: SECONDS / SLICES,
					maxRequests: Math.ceil(MAX_REQUESTS / SLICES)
				};
				const parts: Record<Side, LoadResult[]> = { runtime: [], baseline: [] };
				for (let slice = 0; slice < SLICES; slice++) {
					const order: Side[] = slice % 2 ? ['baseline', 'runtime'] : ['runtime', 'baseline'];
					for (const side of order) {
						const base = side === 'runtime' ? s.apiUrl : s.baselineUrl;
						parts[side].push(
							await runLoad(base, (cl, n) => c.req(s, side, cl, n), {
								...opts,
								warmup: slice === 0 ? undefined : clients
							})
						);
					}
				}
				const row = {
					engine,
					name: c.name,
					clients,
					runtime: merge(parts.runtime),
					baseline: merge(parts.baseline)
				};
				rows.push(row);
				printRow(row);
			}
		}
	} finally {
		await s.stop();
	}
	return rows;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');

function printHeader(): void {
	console.log(
		'engine    case                          clients   req/s   p50 ms   p95 ms | baseline req/s  p50 ms | ratio  ≥0.7×'
	);
}

function printRow(r: Row): void {
	const ratio = r.runtime.rps / r.baseline.rps;
	const errs =
		r.runtime.errors || r.baseline.errors
			? `  ERRORS runtime ${r.runtime.errors} (${r.runtime.firstError ?? ''}) baseline ${r.baseline.errors} (${r.baseline.firstError ?? ''})`
			: '';
	console.log(
		`${r.engine.padEnd(9)} ${r.name.padEnd(29)} ${String(r.clients).padStart(7)} ${f0(r.runtime.rps).padStart(7)} ${f1(r.runtime.p50).padStart(8)} ${f1(r.runtime.p95).padStart(8)} | ${f0(r.baseline.rps).padStart(14)} ${f1(r.baseline.p50).padStart(7)} | ${ratio.toFixed(2).padStart(5)}  ${ratio >= 0.7 ? 'PASS' : 'MISS'}${errs}`
	);
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function printTargets(rows: Row[]): void {
	console.log('\nTargets (issue 2):');
	for (const engine of new Set(rows.map((r) => r.engine))) {
		const get10 = rows.find(
			(r) => r.engine === engine && r.name === 'single-row GET' && r.clients === 10
		);
		if (!get10) continue;
		const { p50, p95, rps } = get10.runtime;
		console.log(
			`  ${engine}: single-row GET at 10 clients: p50 ${f1(p50)} ms (≤ 5) ${verdict(p50 <= 5)}, ` +
				`p95 ${f1(p95)} ms (≤ 15) ${verdict(p95 <= 15)}, ${f0(rps)} req/s (≥ 500${engine === 'pglite' ? '' : ', PGlite target'}) ${verdict(rps >= 500)}`
		);
		const mine = rows.filter((r) => r.engine === engine);
		const passing = mine.filter((r) => r.runtime.rps / r.baseline.rps >= 0.7).length;
		console.log(`  ${engine}: throughput ≥ 0.7× baseline in ${passing} of ${mine.length} cases`);
	}
}

/** `npm run supabase -- start` on an existing data folder, timed until it returns healthy. */
async function startupExisting(): Promise<number[]> {
	const workdir = mkdtempSync(join(tmpdir(), 'gw-bench-start-'));
	const ports = async () => {
		const [api, db, mail] = await freePorts(3);
		return [
			'--workdir',
			workdir,
			'--api-port',
			`${api}`,
			'--db-port',
			`${db}`,
			'--mail-port',
			`${mail}`
		];
	};
	const npm = (args: string[]) => {
		const t0 = performance.now();
		const r = spawnSync('npm', ['run', '-s', 'supabase', '--', ...args], {
			cwd: root,
			encoding: 'utf8',
			env: { ...process.env, SUPABASE_DB_URL: '' }
		});
		if (r.status !== 0)
			throw new Error(`npm run supabase -- ${args.join(' ')}: ${r.stderr}${r.stdout}`);
		return performance.now() - t0;
	};
	const times: number[] = [];
	try {
		const first = npm(['start', ...(await ports())]);
		console.log(`  first start (initdb, baseline, migrations): ${f0(first)} ms`);
		npm(['stop', '--workdir', workdir]);
		for (let i = 0; i < 3; i++) {
			times.push(npm(['start', ...(await ports())]));
			npm(['stop', '--workdir', workdir]);
		}
	} finally {
		spawnSync('npm', ['run', '-s', 'supabase', '--', 'stop', '--workdir', workdir], { cwd: root });
		rmSync(workdir, { recursive: true, force: true });
	}
	return times;
}

/** A fresh in-memory stack from a prepared template (what each test file does), to healthy. */
async function startupTemplate(): Promise<number[]> {
	const db = await openDatabase({ memory: true });
	await applyBaseline(db);
	await migrate(db, join(root, 'supabase/migrations'));
	const tar = await dumpDataDir(db);
	await db.close();
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const t0 = performance.now();
		const stack = await startStack({
			supabaseDir: join(root, 'supabase'),
			memory: true,
			loadDataDir: tar,
			apiPort: 0,
			dbPort: 0,
			mailPort: 0,
			wire: false,
			seed: false
		});
		const ok = (
			await fetch(`${stack.apiUrl}/rest/v1/profiles?select=id&limit=1`, {
				headers: { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}` }
			})
		).ok;
		times.push(performance.now() - t0);
		await stack.stop();
		if (!ok) throw new Error('template stack did not answer');
	}
	return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Trace {
	tx: number;
	queries: number;
	dbMs: number;
	txMs: number;
	sql: Array<[string, number]>;
}

/**
 * Where the time goes, per case: at one client, the statements each request runs and the time
 * spent inside the database (runtime against baseline); at 10 clients, a CPU profile of the
 * server process while only the runtime is loaded.
 */
async function profile(dbUrl?: string): Promise<void> {
	const s = await startServer(dbUrl);
	const control = async (path: string, method = 'POST') =>
		(await fetch(s.baselineUrl + path, { method })).json();
	try {
		for (const c of cases) {
			const perSide: string[] = [];
			let sql: Array<[string, number]> = [];
			for (const side of ['runtime', 'baseline'] as const) {
				await control('/__trace/reset');
				const base = side === 'runtime' ? s.apiUrl : s.baselineUrl;
				const r = await runLoad(base, (cl, n) => c.req(s, side, cl, n), {
					clients: 1,
					seconds: Math.min(SECONDS, 2),
					maxRequests: 1000,
					warmup: 0
				});
				const t = (await control('/__trace', 'GET')) as Trace;
				const n = r.requests;
				if (side === 'runtime') sql = t.sql;
				perSide.push(
					`${side} p50 ${f1(r.p50)} ms, ${(t.queries / n).toFixed(1)} statements in ` +
						`${(t.tx / n).toFixed(1)} tx per request, ${(t.dbMs / n).toFixed(2)} ms in them ` +
						`(${(t.txMs / n).toFixed(2)} ms inside the tx callback)`
				);
			}
			console.log(`  ${c.name}, 1 client:\n    ${perSide.join('\n    ')}`);
			const total = sql.reduce((a, [, k]) => a + k, 0);
			for (const [text, k] of sql.slice(0, 4))
				console.log(`      ${((100 * k) / total).toFixed(0).padStart(3)}% of statements: ${text}`);

			await control('/__profile/start');
			const r = await runLoad(s.apiUrl, (cl, n) => c.req(s, 'runtime', cl, n), {
				clients: 10,
				seconds: SECONDS,
				maxRequests: MAX_REQUESTS
			});
			const p = summarise((await control('/__profile/stop')) as CpuProfile, 10);
			console.log(
				`    CPU profile at 10 clients (${f0(r.rps)} req/s): ${f0(p.busyMs)} ms busy of ${f0(p.totalMs)} ms`
			);
			console.log(
				'      areas: ' +
					p.areas
						.slice(0, 9)
						.map((a) => `${a.area} ${(a.share * 100).toFixed(0)}%`)
						.join(', ')
			);
			console.log(
				'      top functions: ' +
					p.functions
						.slice(0, 8)
						.map((fn) => `${fn.fn} ${(fn.share * 100).toFixed(1)}%`)
						.join('; ')
			);
		}
	} finally {
		await s.stop();
	}
}

console.log(
	`bench:api — ${cpus().length} cores, load average ${loadavg()
		.map((l) => l.toFixed(1))
		.join(
			' '
		)}, per case and side ${SECONDS} s or ${MAX_REQUESTS} requests in ${SLICES} alternating slices, node:http keep-alive clients`
);
console.log(
	'Fixture: 1,000 parents and 10,000 children over 10 users, RLS (select auth.uid()) = owner_id; requests as users.\n' +
		'PGlite persisted to a temporary folder (as `supabase start`); PostgreSQL 15: a throwaway cluster, fsync off.\n'
);
printHeader();
const rows: Row[] = [];
if (!values.only || values.only === 'pglite') rows.push(...(await benchEngine('pglite')));
if (!values.only || values.only === 'postgres') {
	if (nativeAvailable()) {
		let cluster: Cluster | undefined;
		try {
			cluster = await startCluster();
			rows.push(...(await benchEngine('postgres', cluster.url)));
		} finally {
			cluster?.stop();
		}
	} else console.log('postgres: skipped (no PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin)');
}
printTargets(rows);

if (!values['no-startup']) {
	console.log('\nStart-up:');
	const existing = await startupExisting();
	const e = median(existing);
	console.log(
		`  npm run supabase -- start, existing data folder, to healthy: median ${f0(e)} ms ` +
			`(runs ${existing.map(f0).join(', ')}) (< 5000) ${verdict(e < 5000)}`
	);
	const fresh = await startupTemplate();
	const t = median(fresh);
	console.log(
		`  fresh in-memory migrated stack from a template, to first answer: median ${f0(t)} ms ` +
			`(runs ${fresh.map(f0).join(', ')}) (< 1000) ${verdict(t < 1000)}`
	);
}

if (values.profile) {
	console.log('\nWhere the time goes (PGlite):');
	await profile();
}
