/**
 * The process under test for `bench/import.ts`: the full local runtime (startStack, PGlite in
 * memory or native PostgreSQL) and, on the same database, the baseline: `COPY` of the generated
 * file into a table shaped like the rows (identity key, text, date, numerics, and a unique key on
 * agency, indicator and period as measurements has). The importer runs in the parent process,
 * as a browser would, so each side's memory is measured apart.
 *
 *   node --import tsx bench/lib/import-server.ts [--db-url URL]
 *
 * Prints one JSON line (urls, keys) when ready, then answers JSON-line commands on stdin:
 * `{id, cmd: 'copy', file}` → `{id, ms, rows}`, `{id, cmd: 'rss'}` → `{id, maxRssMiB}`,
 * `{id, cmd: 'query', sql}` → `{id, rows}`. Stops when stdin closes.
 */
import { spawn } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isPglite } from '../../supabase/local/db/index.ts';
import { startStack } from '../../supabase/local/stack.ts';

const { values } = parseArgs({ options: { 'db-url': { type: 'string' } } });
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PSQL = join(process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin', 'psql');

const stack = await startStack({
	supabaseDir: join(root, 'supabase'),
	memory: !values['db-url'],
	dbUrl: values['db-url'] ?? null,
	apiPort: 0,
	dbPort: 0,
	mailPort: 0,
	wire: false,
	seed: false
});
const { db } = stack;

const TABLE = 'public.bench_copy';
const COLUMNS = '(agency, indicator, period, value, target)';

async function freshTable(): Promise<void> {
	await db.exec(`drop table if exists ${TABLE};
		create table ${TABLE} (
			id bigint generated always as identity primary key,
			agency text not null,
			indicator text not null,
			period date not null,
			value numeric not null,
			target numeric,
			unique (agency, indicator, period)
		);`);
}

function psqlCopy(url: string, file: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			PSQL,
			[
				url,
				'-X',
				'-q',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				`\\copy ${TABLE} ${COLUMNS} from '${file.replace(/'/g, "''")}' with (format csv, header true)`
			],
			{ stdio: ['ignore', 'ignore', 'pipe'] }
		);
		let err = '';
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql: ${err}`))));
	});
}

/**
 * COPY the file: on PGlite through its `/dev/blob` device (the file handed over as a Blob); on
 * PostgreSQL as psql's `\copy`, i.e. COPY FROM STDIN over the wire, as a DBA would load it.
 */
async function copy(file: string): Promise<{ ms: number; rows: number }> {
	await freshTable();
	const t0 = performance.now();
	if (isPglite(db)) {
		const blob = await openAsBlob(file);
		await db.arbiter.run('api', () =>
			db.pglite.query(
				`copy ${TABLE} ${COLUMNS} from '/dev/blob' with (format csv, header true)`,
				[],
				{ blob }
			)
		);
	} else {
		await psqlCopy(values['db-url']!, file);
	}
	const ms = performance.now() - t0;
	const n = await db.query<{ n: string }>(`select count(*) as n from ${TABLE}`);
	// The table is only the baseline: drop it so it does not weigh on the import that follows.
	await db.exec(`drop table ${TABLE}`);
	return { ms, rows: Number(n.rows[0].n) };
}

type Command =
	| { id: number; cmd: 'copy'; file: string }
	| { id: number; cmd: 'rss' }
	| {
			id: number;
			cmd: 'query';
			sql: string;
	  };

async function handle(c: Command): Promise<Record<string, unknown>> {
	if (c.cmd === 'copy') return copy(c.file);
	if (c.cmd === 'rss') return { maxRssMiB: process.resourceUsage().maxRSS / 1024 };
	if (c.cmd === 'query') return { rows: (await db.query(c.sql)).rows };
	throw new Error(`unknown command ${JSON.stringify(c)}`);
}

// One command at a time, in order (the benchmark never overlaps them).
let queue: Promise<unknown> = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
	if (!line.trim()) return;
	const c = JSON.parse(line) as Command;
	queue = queue.then(async () => {
		try {
			process.stdout.write(JSON.stringify({ id: c.id, ...(await handle(c)) }) + '\n');
		} catch (e) {
			process.stdout.write(JSON.stringify({ id: c.id, error: String(e) }) + '\n');
		}
	});
});
lines.on('close', () => {
	void queue.then(async () => {
		await stack.stop();
		process.exit(0);
	});
});
process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)));

console.log(
	JSON.stringify({
		ready: {
			engine: db.kind,
			apiUrl: stack.apiUrl,
			anonKey: stack.anonKey,
			serviceRoleKey: stack.serviceRoleKey
		}
	})
);
