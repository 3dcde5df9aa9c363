/**
 * What `npm run dev` and `npm start` share: find or start the local Supabase runtime through its
 * CLI (so its lock and state file stay the single source of truth), apply pending migrations, and
 * create the demo accounts. Hosted Supabase (PUBLIC_SUPABASE_URL on another host) skips all of it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import pg from 'pg';
import { loadEnv } from 'vite';

export interface AppEnv {
	PUBLIC_SUPABASE_URL: string;
	PUBLIC_SUPABASE_ANON_KEY: string;
	SUPABASE_SERVICE_ROLE_KEY?: string;
	/** The app's own mail (src/lib/server/mail.ts): the local runtime's SMTP receiver. */
	SMTP_URL?: string;
}

export interface Runtime {
	env: AppEnv;
	/** The local runtime's URLs, or null when a hosted project is used. */
	local: { apiUrl: string; dbUrl: string; mailUrl: string } | null;
	/** Stops the runtime if this process started it; a runtime started earlier keeps running. */
	stop(): Promise<void>;
}

export const DEMO_USERS = [
	{
		email: 'leader@demo.groundwork.test',
		password: 'demo-leader-2026',
		name: 'Dana Leader (demo)',
		role: 'team leader'
	},
	{
		email: 'member@demo.groundwork.test',
		password: 'demo-member-2026',
		name: 'Sam Member (demo)',
		role: 'team member'
	}
] as const;

export const DEMO_TEAM = {
	name: 'Emergency Care Watch',
	purpose:
		'Patients and carers who want emergency departments to meet the four-hour standard they are held to.',
	focus_area: 'NHS Scotland emergency departments (A&E)',
	ground_rules: [
		'What is said in the team stays in the team; we share findings, not who said what.',
		'Everyone speaks once before anyone speaks twice.',
		'We bring evidence: a date, a visit, a letter or the agency’s own figures.',
		'We disagree with ideas, never with people.'
	].join('\n')
} as const;

const CLI = join('supabase', 'local', 'cli.ts');
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: process.env
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
	});
}

/** Parses `KEY="value"` lines as printed by `status -o env`. */
export function parseEnvLines(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const m = /^([A-Z0-9_]+)="(.*)"$/.exec(line.trim());
		if (m) out[m[1]] = m[2];
	}
	return out;
}

async function pendingMigrations(dbUrl: string): Promise<string[]> {
	const files = readdirSync(join('supabase', 'migrations'))
		.filter((f) => f.endsWith('.sql'))
		.map((f) => f.split('_')[0]);
	const client = new pg.Client({ connectionString: dbUrl });
	await client.connect();
	try {
		const { rows } = await client.query<{ version: string }>(
			'select version from supabase_migrations.schema_migrations'
		);
		const applied = new Set(rows.map((r) => r.version));
		return files.filter((v) => !applied.has(v));
	} finally {
		await client.end();
	}
}

function workdirArgs(workdir: string): string[] {
	return ['--workdir', workdir];
}

async function startLocal(workdir: string, log: (line: string) => void): Promise<Runtime> {
	let startedHere = false;
	let status = await runCli(['status', '-o', 'env', ...workdirArgs(workdir)]);
	if (status.code === 0) {
		const env = parseEnvLines(status.stdout);
		// A runtime started before new migrations landed applies them only on start.
		const pending = env.DB_URL ? await pendingMigrations(env.DB_URL).catch(() => []) : [];
		if (pending.length > 0) {
			log(`Restarting local Supabase to apply ${pending.length} new migration(s)…`);
			await runCli(['stop', ...workdirArgs(workdir)]);
			status = { code: 1, stdout: '', stderr: '' };
		} else {
			log('Using the local Supabase that is already running.');
		}
	}
	if (status.code !== 0) {
		log('Starting local Supabase (first start takes a few seconds)…');
		const started = await runCli(['start', '-o', 'env', ...workdirArgs(workdir)]);
		if (started.code !== 0)
			throw new Error(`local Supabase did not start:\n${started.stderr || started.stdout}`);
		startedHere = true;
		status = started;
	}
	const env = parseEnvLines(status.stdout);
	if (!env.API_URL || !env.ANON_KEY) throw new Error(`unexpected status output:\n${status.stdout}`);
	return {
		env: {
			PUBLIC_SUPABASE_URL: env.API_URL,
			PUBLIC_SUPABASE_ANON_KEY: env.ANON_KEY,
			SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
			// A hosted SMTP_URL in the shell or .env wins over the local receiver.
			...(process.env.SMTP_URL || !env.SMTP_URL ? {} : { SMTP_URL: env.SMTP_URL })
		},
		local: {
			apiUrl: env.API_URL,
			dbUrl: env.DB_URL ?? '',
			mailUrl: env.INBUCKET_URL ?? env.MAILPIT_URL ?? ''
		},
		stop: async () => {
			if (startedHere) await runCli(['stop', ...workdirArgs(workdir)]);
		}
	};
}

/**
 * The env the app gets. `.env`/`.env.local` (read like Vite does) and the shell can point at hosted
 * Supabase; otherwise the local runtime in `workdir` is started.
 */
export async function ensureRuntime(
	opts: { mode: string; workdir?: string; log?: (line: string) => void } = { mode: 'development' }
): Promise<Runtime> {
	const log = opts.log ?? ((l: string) => console.log(l));
	const fileEnv = loadEnv(opts.mode, process.cwd(), '');
	const url = process.env.PUBLIC_SUPABASE_URL ?? fileEnv.PUBLIC_SUPABASE_URL;
	if (url && !LOCAL_HOSTS.has(new URL(url).hostname)) {
		const anonKey = process.env.PUBLIC_SUPABASE_ANON_KEY ?? fileEnv.PUBLIC_SUPABASE_ANON_KEY;
		if (!anonKey)
			throw new Error(
				'PUBLIC_SUPABASE_URL points at a hosted project: set PUBLIC_SUPABASE_ANON_KEY too.'
			);
		log(`Using the Supabase project at ${url} (no local runtime).`);
		const serviceKey = process.env.SUPABASE_SERVICE_ROLE_KEY ?? fileEnv.SUPABASE_SERVICE_ROLE_KEY;
		return {
			env: {
				PUBLIC_SUPABASE_URL: url,
				PUBLIC_SUPABASE_ANON_KEY: anonKey,
				...(serviceKey ? { SUPABASE_SERVICE_ROLE_KEY: serviceKey } : {})
			},
			local: null,
			stop: async () => {}
		};
	}
	return startLocal(opts.workdir ?? process.env.SUPABASE_WORKDIR ?? '.supabase', log);
}

/** Creates the demo accounts that are missing; returns the lines to print. */
export async function ensureDemoUsers(env: AppEnv): Promise<string[]> {
	if (!env.SUPABASE_SERVICE_ROLE_KEY) return [];
	const admin = createClient(env.PUBLIC_SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	const lines: string[] = [];
	for (const u of DEMO_USERS) {
		const { error } = await admin.auth.admin.createUser({
			email: u.email,
			password: u.password,
			email_confirm: true,
			user_metadata: { display_name: u.name }
		});
		const exists =
			error &&
			(error.code === 'email_exists' ||
				error.code === 'user_already_exists' ||
				error.status === 422);
		if (error && !exists)
			throw new Error(`could not create demo user ${u.email}: ${error.message}`);
		lines.push(
			`  ${u.role.padEnd(12)} ${u.email}  password: ${u.password}${exists ? '' : '  (created now)'}`
		);
	}
	lines.push(...(await ensureDemoTeam(env)));
	return lines;
}

function userClient(env: AppEnv) {
	return createClient(env.PUBLIC_SUPABASE_URL, env.PUBLIC_SUPABASE_ANON_KEY, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}

async function signedIn(env: AppEnv, u: (typeof DEMO_USERS)[number]) {
	const client = userClient(env);
	const { error } = await client.auth.signInWithPassword({ email: u.email, password: u.password });
	if (error) throw new Error(`could not sign in as demo user ${u.email}: ${error.message}`);
	return client;
}

/**
 * The demo team, made once through the same functions the app uses: the demo leader creates it and
 * publishes its agreement, the demo member joins by invitation (and has the agreement still to
 * accept, so the team home shows that prompt). A leader who already has the team is left alone.
 */
async function ensureDemoTeam(env: AppEnv): Promise<string[]> {
	const [leaderUser, memberUser] = DEMO_USERS;
	const label = `  ${'demo team'.padEnd(12)} ${DEMO_TEAM.name} (${leaderUser.name} leads, ${memberUser.name} is a member)`;
	const leader = await signedIn(env, leaderUser);
	const { data: existing, error: findError } = await leader
		.from('teams')
		.select('id')
		.eq('name', DEMO_TEAM.name)
		.limit(1);
	if (findError) throw new Error(`could not look for the demo team: ${findError.message}`);
	if (existing?.length) return [label, await ensureDemoAgencyData(leader, existing[0].id)];

	const { data: teamId, error: createError } = await leader.rpc('create_team', {
		name: DEMO_TEAM.name,
		purpose: DEMO_TEAM.purpose,
		focus_area: DEMO_TEAM.focus_area
	});
	if (createError) throw new Error(`could not create the demo team: ${createError.message}`);
	const { error: agreementError } = await leader.rpc('publish_agreement', {
		team_id: teamId,
		purpose: DEMO_TEAM.purpose,
		ground_rules: DEMO_TEAM.ground_rules
	});
	if (agreementError)
		throw new Error(`could not publish the demo agreement: ${agreementError.message}`);
	const { data: invitation, error: inviteError } = await leader
		.rpc('create_invitation', { team_id: teamId, email: memberUser.email, role: 'member' })
		.single<{ token: string }>();
	if (inviteError) throw new Error(`could not invite the demo member: ${inviteError.message}`);
	const member = await signedIn(env, memberUser);
	const { error: acceptError } = await member.rpc('accept_invitation', { token: invitation.token });
	if (acceptError) throw new Error(`the demo member could not join: ${acceptError.message}`);
	return [`${label}  (created now)`, await ensureDemoAgencyData(leader, teamId as string)];
}

export const DEMO_DATA = {
	file: join('supabase', 'seed-data', 'phs_scotland_ae_weekly.csv'),
	agency: 'NHS Scotland A&E services',
	share: 'Patients seen within 4 hours',
	attendances: 'Attendances',
	credit:
		'Figures: Public Health Scotland, opendata.nhs.scot, weekly A&E activity and waiting times (Scotland-wide weekly sums). Contains public sector information licensed under the Open Government Licence v3.0.'
} as const;

/**
 * The demo team's agency data, once (a team that has any agency is left alone): Public Health
 * Scotland's weekly A&E figures imported by the demo leader through the same functions as the import
 * wizard, then the four-hour standard as the stated goal.
 */
async function ensureDemoAgencyData(leader: SupabaseClient, teamId: string): Promise<string> {
	const label = `  ${'demo data'.padEnd(12)} ${DEMO_DATA.agency}: weekly A&E figures from Public Health Scotland (OGL v3.0)`;
	const fail = (what: string, error: { message: string }) =>
		new Error(`could not ${what} for the demo team: ${error.message}`);
	const { data: agencies, error: findError } = await leader
		.from('agencies')
		.select('id')
		.eq('team_id', teamId)
		.limit(1);
	if (findError) throw fail('look for agencies', findError);
	if (agencies.length) return label;

	// agency,indicator,week_ending,value,target,unit: no quoting in this file.
	const lines = readFileSync(DEMO_DATA.file, 'utf8').trim().split('\n').slice(1);
	const rows = lines.map((line, i) => {
		const [agency, indicator, weekEnding, value, target, unit] = line.split(',');
		const start = new Date(Date.parse(`${weekEnding}T00:00:00Z`) - 6 * 86_400_000);
		return [
			agency,
			null,
			indicator,
			start.toISOString().slice(0, 10),
			weekEnding,
			'week',
			Number(value),
			target ? Number(target) : null,
			unit || null,
			null,
			i + 2
		];
	});
	const { data: importId, error: startError } = await leader.rpc('start_import', {
		team_id: teamId,
		file_name: 'phs_scotland_ae_weekly.csv',
		mapping: { format: 'long', source: 'demo seed' },
		total_rows: rows.length,
		rejected: 0,
		errors: []
	});
	if (startError) throw fail('start the demo import', startError);
	for (let i = 0; i < rows.length; i += 5000) {
		const { error } = await leader.rpc('stage_import_rows', {
			import_id: importId,
			rows: rows.slice(i, i + 5000)
		});
		if (error) throw fail('stage the demo rows', error);
	}
	const { error: commitError } = await leader.rpc('commit_import', {
		import_id: importId,
		create_missing: true
	});
	if (commitError) throw fail('commit the demo import', commitError);

	const { data: agency, error: agencyError } = await leader
		.from('agencies')
		.update({
			jurisdiction: 'Scotland',
			type: 'Public health service',
			website:
				'https://www.opendata.nhs.scot/dataset/weekly-accident-and-emergency-activity-and-waiting-times',
			notes: DEMO_DATA.credit
		})
		.eq('team_id', teamId)
		.eq('name', DEMO_DATA.agency)
		.select('id')
		.single<{ id: string }>();
	if (agencyError) throw fail('describe the demo agency', agencyError);
	const indicator = async (name: string, fields: Record<string, unknown>) => {
		const { data, error } = await leader
			.from('indicators')
			.update(fields)
			.eq('agency_id', agency.id)
			.eq('name', name)
			.select('id')
			.single<{ id: string }>();
		if (error) throw fail(`describe the indicator ${name}`, error);
		return data.id;
	};
	const share = await indicator(DEMO_DATA.share, {
		direction: 'up',
		unit: '%',
		frequency: 'week',
		description:
			'Share of A&E attendances in Scotland where the patient was admitted, transferred or discharged within four hours of arrival.'
	});
	await indicator(DEMO_DATA.attendances, {
		direction: 'up',
		unit: 'attendances',
		frequency: 'week',
		description: 'A&E attendances in Scotland per week.'
	});
	const { error: goalError } = await leader.from('goals').insert({
		team_id: teamId,
		indicator_id: share,
		statement:
			'95% of people attending A&E are seen and admitted, transferred or discharged within four hours',
		target_value: 95,
		period_label: 'each week',
		source_title: 'Scottish Government four-hour emergency access standard',
		source_url:
			'https://www.opendata.nhs.scot/dataset/weekly-accident-and-emergency-activity-and-waiting-times'
	});
	if (goalError) throw fail('state the demo goal', goalError);
	return `${label}  (created now)`;
}
