/**
 * `npm run bench:realtime`: how long a facilitator's action takes to reach the members' screens
 * through Supabase Realtime on the local runtime, over loopback. Eight members (each its own
 * supabase-js client and WebSocket, signed in as a different user) join one meeting channel; the
 * facilitator then sends broadcasts and updates the meeting's row through the REST API, which the
 * members observe as `postgres_changes` under RLS (a membership policy). Latency is from just
 * before the facilitator's call to each member's callback, on one clock (this process).
 *
 *   npm run bench:realtime [-- --count 200] [--seconds 10] [--interval 20] [--only pglite|postgres]
 *
 * The runtime runs in a child process (this file with --serve), like `npm run supabase -- start`
 * with a persisted PGlite folder, so the clients' work does not share its event loop.
 *
 * A third case uses the dialogues schema itself (20261203000301_create_dialogues.sql): the
 * facilitator moves the phase with the `set_dialogue_phase` function (the facilitator lock, the
 * turn bookkeeping and the phase row in one transaction) and each member sees the dialogue row's
 * new phase through `postgres_changes` under the dialogues' RLS.
 *
 * After each engine the runtime prints where its postgres_changes' time went, stage by stage
 * (GW_REALTIME_TRACE=1, see supabase/local/realtime/trace.ts): capture (row changed → taken off
 * the queue, so a backlog shows here), conditions, authorisation (RLS for every subscriber), send.
 *
 * Target (issue 9): a facilitator action reaches 8 members within 200 ms p95.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { nativeAvailable, startCluster } from '../scripts/pg-cluster.ts';
import { startReadyChild, type ReadyChild } from './lib/child.ts';
import { signJwt } from '../supabase/local/jwt.ts';
import { startStack } from '../supabase/local/stack.ts';

const MEMBERS = 8;
const TARGET_P95_MS = 200;

const { values } = parseArgs({
	options: {
		serve: { type: 'boolean', default: false },
		'db-url': { type: 'string' },
		count: { type: 'string', default: '200' },
		seconds: { type: 'string', default: '10' },
		interval: { type: 'string', default: '20' },
		only: { type: 'string' }
	}
});
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The benchmark's own tables (never a migration): a meeting row its team's members may read and write. */
const SCHEMA = `
create table public.bench_rt_members (
	team_id uuid not null,
	user_id uuid not null,
	primary key (team_id, user_id)
);
alter table public.bench_rt_members enable row level security;
create function public.bench_rt_is_member(team uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select exists (select 1 from public.bench_rt_members m
                     where m.team_id = team and m.user_id = (select auth.uid())) $$;
create table public.bench_rt_meetings (
	id int primary key,
	team_id uuid not null,
	phase text not null,
	seq int not null,
	sent_at double precision not null
);
alter table public.bench_rt_meetings enable row level security;
create policy "members read their meeting" on public.bench_rt_meetings for select to authenticated
	using ((select public.bench_rt_is_member(team_id)));
create policy "members update their meeting" on public.bench_rt_meetings for update to authenticated
	using ((select public.bench_rt_is_member(team_id)));
grant select, update on public.bench_rt_meetings to authenticated;
alter publication supabase_realtime add table public.bench_rt_meetings;
`;

interface Ready {
	apiUrl: string;
	anonKey: string;
	teamId: string;
	/** A live dialogue (its id is also its team's), run by the facilitator. */
	dialogueId: string;
	/** The facilitator's token first, then one per member. */
	tokens: string[];
}

/** Child mode: a persisted stack with the benchmark's tables; one JSON line when ready. */
async function serve(): Promise<void> {
	const workdir = mkdtempSync(join(tmpdir(), 'gw-bench-rt-'));
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
	const teamId = randomUUID();
	const users = Array.from({ length: MEMBERS + 1 }, () => randomUUID());
	await stack.db.exec(SCHEMA);
	await stack.db.exec(
		`insert into public.bench_rt_members values ${users.map((u) => `('${teamId}', '${u}')`).join(', ')};
		 insert into public.bench_rt_meetings values (1, '${teamId}', 'gather', 0, 0);
		 notify pgrst, 'reload schema';`
	);
	// The dialogue case: the users, a team (the facilitator leads it) and a live dialogue.
	const dialogueTeamId = randomUUID();
	await stack.db.exec(
		`insert into auth.users (id, email, aud, role) values
			${users.map((u, i) => `('${u}', 'bench-${i}@example.test', 'authenticated', 'authenticated')`).join(', ')};
		 insert into public.teams (id, name) values ('${dialogueTeamId}', 'Bench team');
		 insert into public.team_members (team_id, user_id, role) values
			${users.map((u, i) => `('${dialogueTeamId}', '${u}', '${i === 0 ? 'leader' : 'member'}')`).join(', ')};
		 insert into public.dialogues (id, team_id, title, starts_at)
			values ('${dialogueTeamId}', '${dialogueTeamId}', 'Bench dialogue', now());
		 insert into public.agenda_items (team_id, dialogue_id, position, title)
			select '${dialogueTeamId}', '${dialogueTeamId}', g, 'Phase ' || g from generate_series(0, 5) g;`
	);
	await stack.reloadSchema();
	const tokens = await Promise.all(
		users.map((sub) =>
			signJwt({ sub, role: 'authenticated', aud: 'authenticated' }, stack.jwtSecret, 3600)
		)
	);
	const ready: Ready = {
		apiUrl: stack.apiUrl,
		anonKey: stack.anonKey,
		teamId,
		dialogueId: dialogueTeamId,
		tokens
	};
	console.log(JSON.stringify({ ready }));
	const stop = async () => {
		await stack.stop();
		rmSync(workdir, { recursive: true, force: true });
		process.exit(0);
	};
	process.stdin.on('end', () => void stop());
	process.stdin.resume();
	process.on('SIGTERM', () => void stop());
}

function startServer(dbUrl?: string): Promise<ReadyChild<Ready>> {
	const args = ['--serve', ...(dbUrl ? ['--db-url', dbUrl] : [])];
	// The runtime's stage timings, printed to its stderr when it stops.
	process.env.GW_REALTIME_TRACE = '1';
	return startReadyChild<Ready>(fileURLToPath(import.meta.url), args, root);
}

function clientFor(r: Ready, token: string): SupabaseClient {
	return createClient(r.apiUrl, r.anonKey, {
		accessToken: async () => token,
		// Node 20 has no WebSocket of its own.
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}

function subscribed(channel: RealtimeChannel): Promise<void> {
	return new Promise((resolve, reject) =>
		channel.subscribe((status, err) => {
			if (status === 'SUBSCRIBED') resolve();
			else if (status !== 'CLOSED') reject(new Error(`${status} ${err?.message ?? ''}`));
		})
	);
}

function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

interface Result {
	kind: string;
	sent: number;
	expected: number;
	delivered: number;
	p50: number;
	p95: number;
	max: number;
}

function summarise(kind: string, sent: number, latencies: number[]): Result {
	const s = [...latencies].sort((a, b) => a - b);
	return {
		kind,
		sent,
		expected: sent * MEMBERS,
		delivered: s.length,
		p50: quantile(s, 0.5),
		p95: quantile(s, 0.95),
		max: s[s.length - 1] ?? NaN
	};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends up to `count` actions, one every `interval` ms, for at most `seconds`; waits for stragglers. */
async function drive(
	count: number,
	act: (seq: number) => Promise<void>,
	received: () => number
): Promise<number> {
	const interval = Number(values.interval);
	const deadline = performance.now() + Number(values.seconds) * 1000;
	let sent = 0;
	while (sent < count && performance.now() < deadline) {
		const started = performance.now();
		await act(sent);
		sent++;
		await sleep(Math.max(0, interval - (performance.now() - started)));
	}
	const wait = performance.now() + 2000;
	while (received() < sent * MEMBERS && performance.now() < wait) await sleep(10);
	return sent;
}

async function benchEngine(engine: string, dbUrl?: string): Promise<Result[]> {
	const server = await startServer(dbUrl);
	const r = server.ready;
	const facilitator = clientFor(r, r.tokens[0]);
	const members = r.tokens.slice(1).map((t) => clientFor(r, t));
	// The token is set before joining: realtime-js computes the join payload before its
	// accessToken callback has answered, so a channel joined first would join as anon.
	await Promise.all([facilitator, ...members].map((c, i) => c.realtime.setAuth(r.tokens[i])));
	const topic = `meeting-${r.teamId}`;
	const broadcastLatency: number[] = [];
	const changeLatency: number[] = [];
	try {
		const channels = members.map((m) =>
			m
				.channel(topic)
				.on('broadcast', { event: 'phase' }, ({ payload }) => {
					broadcastLatency.push(performance.now() - (payload as { sentAt: number }).sentAt);
				})
				.on(
					'postgres_changes',
					{
						event: 'UPDATE',
						schema: 'public',
						table: 'bench_rt_meetings',
						filter: `team_id=eq.${r.teamId}`
					},
					({ new: row }) => {
						changeLatency.push(performance.now() - (row as { sent_at: number }).sent_at);
					}
				)
		);
		await Promise.all(channels.map(subscribed));
		const room = facilitator.channel(topic);
		await subscribed(room);

		const count = Number(values.count);
		const sentBroadcasts = await drive(
			count,
			async (seq) => {
				await room.send({
					type: 'broadcast',
					event: 'phase',
					payload: { seq, sentAt: performance.now() }
				});
			},
			() => broadcastLatency.length
		);
		const sentChanges = await drive(
			count,
			async (seq) => {
				const { error } = await facilitator
					.from('bench_rt_meetings')
					.update({ seq, phase: `phase ${seq % 5}`, sent_at: performance.now() })
					.eq('id', 1);
				if (error) throw new Error(`update failed: ${error.message}`);
			},
			() => changeLatency.length
		);
		const dialogue = await benchDialogue(r, facilitator, members, count);
		return [
			summarise(`${engine} broadcast`, sentBroadcasts, broadcastLatency),
			summarise(`${engine} postgres_changes`, sentChanges, changeLatency),
			summarise(`${engine} dialogue phase`, dialogue.sent, dialogue.latency)
		];
	} finally {
		for (const c of [facilitator, ...members]) await c.removeAllChannels();
		console.log(`${engine}: where the runtime spent a postgres_change's time (all three cases)`);
		await server.stop();
	}
}

/**
 * The facilitator moves through the dialogue's phases with set_dialogue_phase; a member has seen
 * action n when the dialogue row arrives with its phase (consecutive actions alternate phases, and
 * the function's other updates of the row still carry the old one).
 */
async function benchDialogue(
	r: Ready,
	facilitator: SupabaseClient,
	members: SupabaseClient[],
	count: number
): Promise<{ sent: number; latency: number[] }> {
	const phaseOf = (seq: number) => 1 + (seq % 5);
	const sentAt: number[] = [];
	const latency: number[] = [];
	const taken = await facilitator.rpc('take_facilitation', { dialogue_id: r.dialogueId });
	if (taken.error) throw new Error(`take_facilitation failed: ${taken.error.message}`);
	const channels = members.map((m) => {
		let next = 0;
		return m.channel(`dialogue-bench-${randomUUID()}`).on(
			'postgres_changes',
			{
				event: 'UPDATE',
				schema: 'public',
				table: 'dialogues',
				filter: `id=eq.${r.dialogueId}`
			},
			({ new: row }) => {
				if (
					next < sentAt.length &&
					(row as { current_position: number }).current_position === phaseOf(next)
				) {
					latency.push(performance.now() - sentAt[next]);
					next++;
				}
			}
		);
	});
	try {
		await Promise.all(channels.map(subscribed));
		const sent = await drive(
			count,
			async (seq) => {
				sentAt[seq] = performance.now();
				const { error } = await facilitator.rpc('set_dialogue_phase', {
					dialogue_id: r.dialogueId,
					phase_position: phaseOf(seq)
				});
				if (error) throw new Error(`set_dialogue_phase failed: ${error.message}`);
			},
			() => latency.length
		);
		return { sent, latency };
	} finally {
		for (const c of channels) await c.unsubscribe();
	}
}

async function main(): Promise<void> {
	const started = performance.now();
	console.log(
		`bench:realtime: ${MEMBERS} members, up to ${values.count} actions of each kind, one every ` +
			`${values.interval} ms (at most ${values.seconds} s each); ${cpus().length} cores, ` +
			`load ${loadavg()[0].toFixed(2)}`
	);
	const results: Result[] = [];
	if (!values.only || values.only === 'pglite') results.push(...(await benchEngine('PGlite')));
	if (!values.only || values.only === 'postgres') {
		if (nativeAvailable()) {
			const cluster = await startCluster();
			try {
				results.push(...(await benchEngine('PostgreSQL 15', cluster.url)));
			} finally {
				cluster.stop();
			}
		} else console.log('PostgreSQL 15 not installed: skipped');
	}
	const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
	console.log(
		`\n${'kind'.padEnd(30)} ${'sent'.padStart(5)} ${'delivered'.padStart(11)} ` +
			`${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}  p95 ÷ ${TARGET_P95_MS} ms`
	);
	let failed = false;
	for (const x of results) {
		const ratio = x.p95 / TARGET_P95_MS;
		const complete = x.delivered === x.expected && x.sent > 0;
		const ok = complete && ratio <= 1;
		failed ||= !ok;
		console.log(
			`${x.kind.padEnd(30)} ${String(x.sent).padStart(5)} ${`${x.delivered}/${x.expected}`.padStart(11)} ` +
				`${f1(x.p50).padStart(7)} ${f1(x.p95).padStart(7)} ${f1(x.max).padStart(7)}  ` +
				`${ratio.toFixed(3)}× ${ok ? 'PASS' : complete ? 'FAIL' : 'FAIL (deliveries missing)'}`
		);
	}
	console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s.`);
	if (failed) process.exitCode = 1;
}

if (values.serve) await serve();
else await main();
