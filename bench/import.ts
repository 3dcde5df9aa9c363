/**
 * `npm run bench:import`: the CSV import end to end (issue 5), against `COPY` of the same rows into
 * the same database in the same run.
 *
 *   npm run bench:import [-- --rows 100000,1000000] [--native] [--chunk 5000] [--parse-only]
 *
 * For each size, a generated long-format file (agency, indicator, period, value, target; one row
 * per indicator and day) goes through what the app does, with the app's own code: the wizard's
 * `inspect`, then supabase-js `start_import` and the wizard's `run` (src/lib/import/core.ts: the
 * real `src/lib/csv` pipeline, streamed from the file by ranges; suggested mapping, typed values,
 * zod) staging the valid rows AS THEY ARE READ through `stage_import_rows` in the wizard's chunks
 * of 5,000 compact rows (one request in flight while the next chunk is gathered), through the
 * local runtime's HTTP API, signed in as a member created through the API; then check
 * (`check_import`) and commit (`commit_import` creating the missing agencies and indicators).
 * No record is kept: the importer's peak RSS is the figure for "memory bounded".
 * A separate parse-only pass shows how much of `run` is parsing. The runtime runs in a child
 * process (bench/lib/import-server.ts), as a server would, so the importer's memory is its own.
 * Baseline: `COPY` of the file into a table of the same shape (see the child), same database.
 *
 * Targets: ≥ 50,000 rows/s end to end and within 5× of COPY; memory bounded (streamed file, no
 * whole-file copies). PGlite in memory by default; `--native` (a throwaway PostgreSQL 15 cluster)
 * or SUPABASE_DB_URL (a fresh database on that server, dropped afterwards) for native PostgreSQL.
 * `--parse-only`: the pipeline alone, no database (what bench/import-parse.ts measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { parseCsv } from '../src/lib/csv/parse.ts';
import type { Mapping } from '../src/lib/csv/mapping.ts';
import type { Chunk } from '../src/lib/import/compact.ts';
import { inspect, run, type RunSummary } from '../src/lib/import/core.ts';
import { nativeAvailable, startCluster, type Cluster } from '../scripts/pg-cluster.ts';
import { openDatabase } from '../supabase/local/db/index.ts';
import { startReadyChild } from './lib/child.ts';
import { fileSource, generateFile, rssSampler, type GeneratedFile } from './lib/import-data.ts';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000,1000000' },
		native: { type: 'boolean', default: false },
		chunk: { type: 'string', default: '5000' },
		'parse-only': { type: 'boolean', default: false },
		'keep-files': { type: 'boolean', default: false }
	}
});
const SIZES = values.rows.split(',').map((s) => Number(s.replace(/[_,]/g, '')));
const CHUNK = Number(values.chunk);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = { rowsPerSecond: 50_000, copyRatio: 5 };

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const mib = (bytes: number) => bytes / 1024 / 1024;

/** The runtime in a child process, and a JSON-line channel to it (see lib/import-server.ts). */
interface Server {
	engine: string;
	apiUrl: string;
	anonKey: string;
	serviceRoleKey: string;
	call<T = Record<string, unknown>>(cmd: Record<string, unknown>): Promise<T>;
	stop(): Promise<void>;
}

async function startServer(dbUrl?: string): Promise<Server> {
	const pending = new Map<number, (v: Record<string, unknown>) => void>();
	const server = await startReadyChild<Omit<Server, 'call' | 'stop'>>(
		join(root, 'bench/lib/import-server.ts'),
		dbUrl ? ['--db-url', dbUrl] : [],
		root,
		(line) => {
			if (!line.startsWith('{')) return;
			const msg = JSON.parse(line) as Record<string, unknown>;
			pending.get(msg.id as number)?.(msg);
		}
	);
	server.child.once('exit', (code, signal) => {
		// Whatever was asked of it will never be answered: fail it rather than wait forever.
		for (const answer of [...pending.values()])
			answer({ error: `the runtime process exited (${signal ?? code})` });
	});
	let nextId = 1;
	return {
		...server.ready,
		call<T>(cmd: Record<string, unknown>) {
			const id = nextId++;
			return new Promise<T>((resolve, reject) => {
				pending.set(id, (msg) => {
					pending.delete(id);
					if (msg.error) reject(new Error(String(msg.error)));
					else resolve(msg as T);
				});
				server.child.stdin!.write(JSON.stringify({ id, ...cmd }) + '\n');
			});
		},
		stop: server.stop
	};
}

function client(s: Server, key: string): SupabaseClient {
	return createClient(s.apiUrl, key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		// Node 20 has no WebSocket of its own; supabase-js refuses to start without one.
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}

/** The data of a supabase-js answer, or the error thrown with what was being done. */
function ok(what: string, r: { data: unknown; error: unknown }): unknown {
	const e = r.error as { code?: string; message: string } | null;
	if (e) throw new Error(`${what}: ${e.code ?? ''} ${e.message}`);
	return r.data;
}

/** A member created through the API (admin createUser, password sign-in) who creates a team. */
async function signedInMember(s: Server): Promise<SupabaseClient> {
	const email = `bench-import-${Date.now()}@example.test`;
	const password = 'bench import password 2026';
	ok(
		'createUser',
		await client(s, s.serviceRoleKey).auth.admin.createUser({
			email,
			password,
			email_confirm: true,
			user_metadata: { display_name: 'Bench importer' }
		})
	);
	const c = client(s, s.anonKey);
	ok('sign in', await c.auth.signInWithPassword({ email, password }));
	return c;
}

/** Decode + papaparse alone, streamed from the file: how much of the run is parsing. */
async function parseOnlyPass(file: GeneratedFile): Promise<number> {
	const t0 = performance.now();
	let rows = 0;
	for await (const ev of parseCsv(await fileSource(file.path)))
		if (ev.type === 'rows') rows += ev.rows.length;
		else if (ev.type === 'error') throw new Error(`parse: ${ev.error.message}`);
	if (rows !== file.rows) throw new Error(`parse: ${rows} rows, expected ${file.rows}`);
	return performance.now() - t0;
}

interface Pipeline {
	runMs: number;
	mapping: Mapping;
	summary: RunSummary;
}

/** The wizard's inspect: the head of the file and the suggested mapping. */
async function suggested(file: GeneratedFile) {
	const source = await fileSource(file.path);
	const ins = await inspect(source);
	if (!ins.ok || !ins.suggestion) throw new Error(`inspect: ${ins.error?.message}`);
	return { source, mapping: ins.suggestion.mapping };
}

function expectAllValid(file: GeneratedFile, summary: RunSummary): void {
	if (summary.records !== file.rows || summary.rejectedRows !== 0) {
		throw new Error(
			`validation: ${summary.records} records, ${summary.rejectedRows} rejected ` +
				`(${JSON.stringify(summary.counts)}), expected ${file.rows}`
		);
	}
}

/**
 * The wizard's own code (src/lib/import/core.ts, what its Web Worker runs) without sending:
 * inspect the head and take the suggested mapping, then stream the whole file through
 * parse → map → validate (`--parse-only`).
 */
async function parseAndValidate(file: GeneratedFile): Promise<Pipeline> {
	const t0 = performance.now();
	const { source, mapping } = await suggested(file);
	const summary = await run(source, {}, mapping);
	const runMs = performance.now() - t0;
	expectAllValid(file, summary);
	return { runMs, mapping, summary };
}

interface Stages {
	/** inspect + start_import + run (parse, map, validate, staged as read) */
	runMs: number;
	/** Time the stage_import_rows calls were in flight (overlapping the reading). */
	sendBusyMs: number;
	checkMs: number;
	commitMs: number;
	totalMs: number;
	chunks: number;
	peakRssMiB: number;
	commit: Record<string, unknown>;
}

/**
 * The whole import as the app does it, stage by stage, for one file. Sending: the wizard's chunks
 * (compact.ts: 5,000 rows or ~400 KB) to `stage_import_rows` as `run` fills them, each after the
 * one before was answered; the app's server parses each chunk's JSON and hands it to supabase-js,
 * as here (minus the browser→SvelteKit hop). The wizard then records the counts and the error
 * report (its endpoint's `finish`); with no rejected rows here there is nothing to record.
 */
async function importFile(
	member: SupabaseClient,
	teamId: string,
	file: GeneratedFile
): Promise<Stages> {
	const rss = rssSampler();
	const t0 = performance.now();
	const { source, mapping } = await suggested(file);
	const importId = ok(
		'start_import',
		await member.rpc('start_import', {
			team_id: teamId,
			file_name: file.path.split('/').pop(),
			mapping
		})
	) as string;
	let chunks = 0;
	let sent = 0;
	let sendBusyMs = 0;
	const send = async (chunk: Chunk) => {
		const t = performance.now();
		const staged = ok(
			'stage_import_rows',
			await member.rpc('stage_import_rows', {
				import_id: importId,
				rows: JSON.parse(chunk.json) as unknown[]
			})
		) as number;
		sendBusyMs += performance.now() - t;
		chunks++;
		sent += chunk.rows;
		if (staged !== sent) throw new Error(`stage_import_rows: ${staged} rows staged after ${sent}`);
	};
	const summary = await run(source, {}, mapping, { send, chunkRows: CHUNK });
	const runMs = performance.now() - t0;
	expectAllValid(file, summary);
	if (summary.staged !== file.rows) throw new Error(`run: ${summary.staged} rows staged`);

	let t = performance.now();
	const check = ok('check_import', await member.rpc('check_import', { import_id: importId })) as {
		staged: number;
		missing_indicators: unknown[];
		missing_agencies: unknown[];
	};
	const checkMs = performance.now() - t;
	if (check.staged !== file.rows || check.missing_indicators.length !== file.indicators)
		throw new Error(`check_import: ${JSON.stringify(check).slice(0, 300)}`);

	t = performance.now();
	const commit = ok(
		'commit_import',
		await member.rpc('commit_import', { import_id: importId, create_missing: true })
	) as Record<string, unknown>;
	const commitMs = performance.now() - t;
	const totalMs = performance.now() - t0;
	if (commit.inserted !== file.rows || commit.created_indicators !== file.indicators)
		throw new Error(`commit_import: ${JSON.stringify(commit)}`);
	return {
		runMs,
		sendBusyMs,
		checkMs,
		commitMs,
		totalMs,
		chunks,
		peakRssMiB: rss.stop(),
		commit
	};
}

function line(name: string, ms: number, rows: number, extra = ''): void {
	console.log(
		`  ${name.padEnd(48)} ${s2(ms).padStart(9)} ${f0(rows / (ms / 1000)).padStart(11)} rows/s${extra}`
	);
}

interface Outcome {
	rows: number;
	copyMs: number;
	stages: Stages;
	fileMiB: number;
}

async function benchSize(
	s: Server,
	member: SupabaseClient,
	dir: string,
	rows: number
): Promise<Outcome> {
	const g0 = performance.now();
	const file = await generateFile(join(dir, `long-${rows}.csv`), rows);
	console.log(
		`\n${f0(rows)} rows: ${f1(mib(file.bytes))} MiB, ${file.agencies} agencies, ${file.indicators} indicators × up to 3,650 days (generated in ${s2(performance.now() - g0)})`
	);
	const copy = await s.call<{ ms: number; rows: number }>({ cmd: 'copy', file: file.path });
	if (copy.rows !== rows) throw new Error(`COPY loaded ${copy.rows} rows, expected ${rows}`);
	line('COPY into a same-shaped table (baseline)', copy.ms, rows);

	const teamId = ok(
		'create_team',
		await member.rpc('create_team', { name: `Bench import ${f0(rows)}` })
	) as string;
	const parseMs = await parseOnlyPass(file);
	const st = await importFile(member, teamId, file);
	line('parse + map + validate + send, streamed (run())', st.runMs, rows);
	line('  parse alone (decode + papaparse; own pass)', parseMs, rows);
	line(`  ${st.chunks} × stage_import_rows in flight (overlapped)`, st.sendBusyMs, rows);
	line('check_import', st.checkMs, rows);
	line('commit_import (create missing, upsert)', st.commitMs, rows);
	const rps = rows / (st.totalMs / 1000);
	const ratio = st.totalMs / copy.ms;
	line(
		'end to end',
		st.totalMs,
		rows,
		`  (≥ ${f0(TARGET.rowsPerSecond)}) ${verdict(rps >= TARGET.rowsPerSecond)}`
	);
	console.log(
		`  ratio: COPY ${f0(rows / (copy.ms / 1000))} rows/s ÷ ours ${f0(rps)} rows/s = ${ratio.toFixed(1)}× (≤ ${TARGET.copyRatio}×) ${verdict(ratio <= TARGET.copyRatio)}`
	);
	console.log(
		`  importer peak RSS ${f0(st.peakRssMiB)} MiB for a ${f1(mib(file.bytes))} MiB file (records staged as they are read, none kept, as the wizard does)`
	);
	if (!values['keep-files']) rmSync(file.path, { force: true });
	return { rows, copyMs: copy.ms, stages: st, fileMiB: mib(file.bytes) };
}

/** `--parse-only`: the pipeline in this process, no database (the old bench/import-parse.ts). */
async function parseOnly(dir: string): Promise<void> {
	for (const rows of SIZES) {
		const file = await generateFile(join(dir, `long-${rows}.csv`), rows);
		console.log(`\n${f0(rows)} rows, ${f1(mib(file.bytes))} MiB`);
		for (let i = 1; i <= 2; i++) {
			const parseMs = await parseOnlyPass(file);
			const rss = rssSampler();
			const p = await parseAndValidate(file);
			const peak = rss.stop();
			line(`run ${i}: parse alone`, parseMs, rows);
			line(`run ${i}: parse + map + validate`, p.runMs, rows, `  peak RSS ${f0(peak)} MiB`);
		}
		rmSync(file.path, { force: true });
	}
}

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'gw-bench-import-'));
let cluster: Cluster | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let server: Server | undefined;
const outcomes: Outcome[] = [];
try {
	console.log(
		`bench:import — ${cpus().length} cores, load average ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}, Node ${process.version}, sizes ${SIZES.map(f0).join(', ')}`
	);
	if (values['parse-only']) {
		await parseOnly(dir);
	} else {
		let dbUrl: string | undefined;
		let engineNote = 'PGlite in memory';
		if (process.env.SUPABASE_DB_URL) {
			const base = process.env.SUPABASE_DB_URL;
			const name = `gw_bench_import_${process.pid}`;
			const admin = await openDatabase({ dbUrl: base });
			await admin.exec(`create database ${name}`);
			await admin.close();
			const u = new URL(base);
			u.pathname = `/${name}`;
			dbUrl = u.toString();
			dropDatabase = async () => {
				const a = await openDatabase({ dbUrl: base });
				await a.exec(`drop database if exists ${name} with (force)`);
				await a.close();
			};
			engineNote = `PostgreSQL at SUPABASE_DB_URL (fresh database ${name})`;
		} else if (values.native) {
			if (!nativeAvailable()) throw new Error('--native: no PostgreSQL 15 binaries found');
			cluster = await startCluster();
			dbUrl = cluster.url;
			engineNote = 'native PostgreSQL 15 (throwaway cluster, fsync off)';
		}
		server = await startServer(dbUrl);
		console.log(
			`Engine: ${engineNote} (${server.engine}); the runtime in a child process, the importer here; ` +
				`send chunks of ${f0(CHUNK)} rows, one request at a time.`
		);
		const member = await signedInMember(server);
		console.log(
			`Importer RSS before the first file: ${f0(process.memoryUsage.rss() / 1024 / 1024)} MiB (Node, tsx, supabase-js).`
		);
		const failures: string[] = [];
		for (const rows of SIZES) {
			try {
				outcomes.push(await benchSize(server, member, dir, rows));
			} catch (e) {
				// Say which stage gave up (a statement timeout, say) and go on with the other sizes.
				const why = String(e).split('\n')[0];
				console.log(`  FAILED: ${why}`);
				failures.push(`  ${f0(rows).padStart(9)} rows: did not finish (${why}) MISS`);
			}
		}

		const srv = await server.call<{ maxRssMiB: number }>({ cmd: 'rss' });
		console.log(`\nTargets (issue 5), ${server.engine}:`);
		for (const o of outcomes) {
			const rps = o.rows / (o.stages.totalMs / 1000);
			const ratio = o.stages.totalMs / o.copyMs;
			console.log(
				`  ${f0(o.rows).padStart(9)} rows: ${f0(rps)} rows/s end to end (≥ ${f0(TARGET.rowsPerSecond)}) ${verdict(rps >= TARGET.rowsPerSecond)}; ` +
					`${ratio.toFixed(1)}× COPY's time (≤ ${TARGET.copyRatio}×) ${verdict(ratio <= TARGET.copyRatio)}; ` +
					`importer peak RSS ${f0(o.stages.peakRssMiB)} MiB (file ${f1(o.fileMiB)} MiB)`
			);
		}
		for (const f of failures) console.log(f);
		console.log(`  runtime process peak RSS ${f0(srv.maxRssMiB)} MiB (the database included)`);
	}
} finally {
	await server?.stop();
	cluster?.stop();
	await dropDatabase?.();
	rmSync(dir, { recursive: true, force: true });
}
console.log(`\nTotal ${s2(performance.now() - started)}.`);
