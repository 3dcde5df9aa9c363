import type { SupabaseClient } from '@supabase/supabase-js';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	exportTeamArchive,
	importTeamArchive,
	stageArchiveRows
} from '../../src/lib/server/team-archive.ts';
import { readArchive } from '../../src/lib/team-archive/archive.ts';
import type { Row } from '../../src/lib/team-archive/csv.ts';
import {
	ARCHIVE_TABLES,
	EXCLUDED_TABLES,
	importedTables
} from '../../src/lib/team-archive/tables.ts';
import { uploadPlan } from '../../src/lib/team-archive/upload.ts';
import { createAgency, createIndicator } from './helpers/agency.ts';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import { expectError, ok, teamWorld, type TeamWorld, type User } from './helpers/teams.ts';

let stack: TestStack;
let w: TeamWorld;

async function insert(client: SupabaseClient, table: string, row: Record<string, unknown>) {
	return (ok(await client.from(table).insert(row).select('id').single()) as { id: string }).id;
}

/** A team with rows in every area, written the way the app writes them. */
async function seedTeam() {
	const L = w.leader.client;
	const team_id = w.teamId;
	const agency = await createAgency(w.leader, team_id, 'Housing Authority', {
		notes: '=SUM(A1) looks like a formula, "quoted", and\ntwo lines'
	});
	const program = await insert(L, 'programs', { team_id, agency_id: agency, name: 'Repairs' });
	const indicator = await createIndicator(w.leader, team_id, agency, 'Days to repair', {
		program_id: program,
		unit: 'days',
		direction: 'down'
	});
	const goal = await insert(L, 'goals', {
		team_id,
		indicator_id: indicator,
		statement: 'Repairs within 14 days',
		target_value: 14
	});
	ok(
		await L.from('measurements').insert(
			Array.from({ length: 1203 }, (_, i) => {
				const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
				return {
					team_id,
					indicator_id: indicator,
					period_start: day,
					period_end: day,
					grain: 'day',
					value: `${20 + (i % 7)}.000000000000000001`,
					target: i % 2 ? 14 : null
				};
			})
		)
	);
	const official = await insert(L, 'officials', {
		team_id,
		name: 'Ana Ruiz',
		agency_id: agency,
		stance: 4,
		point_person_id: w.member.userId
	});
	await insert(L, 'official_staff', { team_id, official_id: official, name: 'Sam Lee' });
	const interaction = await insert(L, 'interactions', {
		team_id,
		type: 'meeting',
		status: 'held',
		occurred_at: '2026-11-01T10:00:00Z',
		title: 'First meeting',
		agency_id: agency
	});
	ok(
		await L.from('interaction_confidential_notes').insert({
			team_id,
			interaction_id: interaction,
			body: 'She will move on this before the budget vote.'
		})
	);
	await insert(L, 'interaction_participants', {
		team_id,
		interaction_id: interaction,
		official_id: official
	});
	await insert(L, 'interaction_participants', {
		team_id,
		interaction_id: interaction,
		user_id: w.member.userId
	});
	await insert(L, 'commitments', {
		team_id,
		official_id: official,
		interaction_id: interaction,
		description: 'Publish the repair backlog',
		goal_id: goal
	});
	await insert(L, 'follow_ups', {
		team_id,
		interaction_id: interaction,
		title: 'Send the data',
		due_on: '2026-11-15',
		assignee_id: w.member.userId
	});
	const point = await insert(L, 'friction_points', {
		team_id,
		agency_id: agency,
		indicator_id: indicator,
		goal_id: goal,
		title: 'Repairs take months',
		owner_id: w.member.userId
	});
	ok(await L.from('friction_points').update({ status: 'investigating' }).eq('id', point));
	await insert(L, 'evidence', {
		team_id,
		friction_point_id: point,
		kind: 'indicator',
		indicator_id: indicator
	});
	const cause = await insert(L, 'root_causes', {
		team_id,
		friction_point_id: point,
		statement: 'Too few crews'
	});
	await insert(L, 'root_causes', {
		team_id,
		friction_point_id: point,
		parent_id: cause,
		statement: 'Hiring freeze'
	});
	await insert(L, 'pressure_points', {
		team_id,
		friction_point_id: point,
		target: 'Budget committee',
		leverage: 4,
		achievability: 3,
		salience: 5,
		official_id: official
	});
	await insert(L, 'friction_point_interactions', {
		team_id,
		friction_point_id: point,
		interaction_id: interaction
	});
	const initiative = ok(
		await L.rpc('create_initiative', {
			team_id,
			title: 'Repairs in two weeks',
			friction_point_ids: [point],
			indicator_id: indicator,
			start_date: '2026-01-01'
		})
	) as string;
	const target = await insert(L, 'initiative_targets', {
		team_id,
		initiative_id: initiative,
		official_id: official
	});
	await insert(L, 'tactics', {
		team_id,
		initiative_id: initiative,
		target_id: target,
		description: 'Testify',
		planned_on: '2026-03-01'
	});
	const milestone = await insert(L, 'milestones', {
		team_id,
		initiative_id: initiative,
		title: 'Petition delivered',
		due_on: '2026-06-01'
	});
	const task = await insert(L, 'tasks', {
		team_id,
		initiative_id: initiative,
		milestone_id: milestone,
		title: 'Draft the petition',
		assignee_id: w.member.userId
	});
	await insert(L, 'task_comments', { team_id, task_id: task, body: 'First draft attached' });
	const template = (
		ok(
			await L.from('dialogue_templates').select('id').eq('key', 'diagnostic_dialogue').single()
		) as { id: string }
	).id;
	const dialogue = ok(
		await L.rpc('schedule_dialogue', {
			team_id,
			template_id: template,
			title: 'Monthly review',
			starts_at: '2026-12-10T18:00:00Z',
			indicator_id: indicator
		})
	) as string;
	ok(await L.rpc('take_facilitation', { dialogue_id: dialogue }));
	await insert(L, 'dialogue_notes', { team_id, dialogue_id: dialogue, body: 'Crews are short' });
	ok(
		await L.rpc('open_decision', { dialogue_id: dialogue, question: 'Testify?', method: 'consent' })
	);
	await insert(L, 'action_items', { team_id, dialogue_id: dialogue, title: 'Book the room' });
	ok(
		await L.rpc('close_dialogue', {
			dialogue_id: dialogue,
			present: [w.leader.userId],
			summary: 'We testify in March.',
			confirm_unassigned: true
		})
	);
	await insert(L, 'dialogue_amendments', {
		team_id,
		dialogue_id: dialogue,
		body: 'March 3, not 2.'
	});
}

/** Exports as `user`, reads the zip back as the import page does, uploads and imports it. */
async function roundTrip(user: User, from: User, name: string) {
	const { zip } = await exportTeamArchive(from.client, w.teamId, { includeConfidential: true });
	const read = await readArchive(zip);
	if (!read.ok) throw new Error(JSON.stringify(read.problems));
	const upload = crypto.randomUUID();
	for (const chunk of uploadPlan(read.tables, 64 * 1024))
		await stageArchiveRows(user.client, upload, chunk.table, chunk.rows);
	const teamId = await importTeamArchive(user.client, upload, name, read.manifest.team);
	return { teamId, read };
}

async function rowsOf(table: string, teamId: string): Promise<Row[]> {
	const rows: Row[] = [];
	for (let from = 0; ; from += 1000) {
		const page = ok(
			await w.service
				.from(table)
				.select('*')
				.eq('team_id', teamId)
				.range(from, from + 999)
		) as Row[];
		rows.push(...page);
		if (page.length < 1000) return rows;
	}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every row of the team as a comparable signature: ids dropped, each reference replaced by the
 * signature of the row it points at (tables are in dependency order), people's ids by null.
 */
async function signatures(teamId: string) {
	const people = new Set([w.leader.userId, w.member.userId, w.organizer.userId]);
	const sigOf = new Map<string, string>();
	const out: Record<string, string[]> = {};
	const canon = (v: unknown): unknown => {
		// A person of the old instance, or a row outside the archive (a built-in dialogue
		// template), is empty after an import.
		if (typeof v === 'string' && UUID.test(v)) return people.has(v) ? null : (sigOf.get(v) ?? null);
		if (Array.isArray(v)) return v.map(canon).filter((x) => x !== null);
		return v;
	};
	for (const spec of importedTables()) {
		let rows = await rowsOf(spec.name, teamId);
		if (spec.name === 'interaction_participants') rows = rows.filter((r) => r.official_id);
		// Parents before children, so a cause's parent has its signature first.
		if (spec.name === 'root_causes')
			rows.sort((a, b) => Number(a.parent_id != null) - Number(b.parent_id != null));
		out[spec.name] = rows
			.map((r) => {
				// Timestamps the database sets itself on every write are not the archive's to keep.
				const { id, team_id, updated_at, status_changed_at, ...rest } = r;
				void [team_id, updated_at, status_changed_at];
				const sig = JSON.stringify(
					Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, canon(v)]))
				);
				if (typeof id === 'string') sigOf.set(id, `${spec.name}:${sig}`);
				return sig;
			})
			.sort();
	}
	return out;
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	await seedTeam();
}, 60_000);

afterAll(async () => {
	await stack?.stop();
});

describe('team archive: coverage', () => {
	it('lists every public table with a team_id column, as exported or excluded with a reason', async () => {
		const { rows } = await stack.db.query<{ table_name: string }>(
			`select c.table_name from information_schema.columns c
			 join information_schema.tables t using (table_schema, table_name)
			 where c.table_schema = 'public' and c.column_name = 'team_id' and t.table_type = 'BASE TABLE'
			 order by 1`
		);
		const handled = new Set([
			...ARCHIVE_TABLES.map((x) => x.name),
			...Object.keys(EXCLUDED_TABLES)
		]);
		const missing = rows.map((r) => r.table_name).filter((name) => !handled.has(name));
		expect(missing, 'team tables neither in ARCHIVE_TABLES nor EXCLUDED_TABLES').toEqual([]);
		for (const reason of Object.values(EXCLUDED_TABLES)) expect(reason.length).toBeGreaterThan(20);
	});

	it('imports exactly the tables the module marks as imported', async () => {
		const { rows } = await stack.db.query<{ src: string }>(
			`select prosrc as src from pg_proc where proname = 'import_team_archive'`
		);
		const listed = [...rows[0].src.matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
		for (const spec of ARCHIVE_TABLES)
			expect(listed.includes(spec.name), spec.name).toBe(!spec.notImported);
	});
});

describe('team archive: round trip', () => {
	it('re-imports a whole team intact into a new team led by the importer, twice', async () => {
		const before = await signatures(w.teamId);
		for (const table of [
			'measurements',
			'interaction_confidential_notes',
			'root_causes',
			'dialogue_amendments'
		])
			expect(before[table].length, table).toBeGreaterThan(0);
		expect(before.measurements).toHaveLength(1203);

		const first = await roundTrip(w.outsider, w.leader, 'Eastside, imported');
		const second = await roundTrip(w.outsider, w.leader, 'Eastside, again');
		expect(first.teamId).not.toBe(second.teamId);
		for (const { teamId } of [first, second]) {
			expect(await signatures(teamId)).toEqual(before);
			expect(
				ok(await w.service.from('team_members').select('user_id, role').eq('team_id', teamId))
			).toEqual([{ user_id: w.outsider.userId, role: 'leader' }]);
			const team = ok(
				await w.outsider.client.from('teams').select('name').eq('id', teamId).single()
			);
			expect(team).toEqual({
				name: teamId === first.teamId ? 'Eastside, imported' : 'Eastside, again'
			});
			// The closed dialogue is closed again, its amendment in place.
			const dialogue = ok(
				await w.outsider.client
					.from('dialogues')
					.select('status, summary')
					.eq('team_id', teamId)
					.single()
			);
			expect(dialogue).toEqual({ status: 'closed', summary: 'We testify in March.' });
		}
		// The source team is untouched.
		expect(await signatures(w.teamId)).toEqual(before);
		// People are listed for re-inviting, without their email addresses.
		expect(first.read.manifest.people.map((p) => p.role).sort()).toEqual([
			'leader',
			'member',
			'organizer'
		]);
		expect(JSON.stringify(first.read.manifest)).not.toContain('@');
	}, 60_000);
});

describe('team archive: what leaves and who may', () => {
	it('keeps confidential notes out unless chosen, and never writes token hashes', async () => {
		const { zip } = await exportTeamArchive(w.leader.client, w.teamId, {
			includeConfidential: false
		});
		const files = unzipSync(zip);
		expect(files['interaction_confidential_notes.csv']).toBeUndefined();
		const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
		expect(manifest.confidential_included).toBe(false);
		const all = Object.values(files)
			.map((f) => new TextDecoder().decode(f))
			.join('\n');
		expect(all).not.toContain('before the budget vote');
		expect(all).not.toContain('token_hash');
		expect(Object.keys(files)).not.toContain('calendar_feeds.csv');

		const chosen = unzipSync(
			(await exportTeamArchive(w.leader.client, w.teamId, { includeConfidential: true })).zip
		);
		expect(new TextDecoder().decode(chosen['interaction_confidential_notes.csv'])).toContain(
			'before the budget vote'
		);
	});

	it("gives a member's client no confidential notes even when asked for them", async () => {
		const files = unzipSync(
			(await exportTeamArchive(w.member.client, w.teamId, { includeConfidential: true })).zip
		);
		const notes = new TextDecoder().decode(
			files['interaction_confidential_notes.csv'] ?? new Uint8Array()
		);
		expect(notes).not.toContain('before the budget vote');
	});

	it("gives an outsider's client an empty archive", async () => {
		const read = await readArchive(
			(
				await exportTeamArchive(w.outsider.client, w.teamId, { includeConfidential: true }).catch(
					() => ({
						zip: zipSync({})
					})
				)
			).zip
		);
		if (read.ok) for (const rows of read.tables.values()) expect(rows).toEqual([]);
	});

	it('refuses a tampered file by its checksum', async () => {
		const files = unzipSync(
			(await exportTeamArchive(w.leader.client, w.teamId, { includeConfidential: false })).zip
		);
		files['agencies.csv'] = strToU8(
			new TextDecoder().decode(files['agencies.csv']).replace('Housing', 'Hacked')
		);
		const read = await readArchive(zipSync(files));
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.problems).toEqual([{ code: 'checksum', file: 'agencies.csv' }]);
	});
});

describe('team archive: import_team_archive refuses', () => {
	const archive = (tables: Record<string, unknown[]>, extra: Record<string, unknown> = {}) => ({
		format: 'groundwork-team-archive',
		version: 1,
		team: { purpose: null, focus_area: null, size_cap: null },
		tables,
		...extra
	});
	const teamsOf = async (user: User) =>
		(
			ok(
				await w.service.from('team_members').select('team_id').eq('user_id', user.userId)
			) as unknown[]
		).length;

	it('anon, a wrong format and a newer version', async () => {
		expectError(
			await w.anon.rpc('import_team_archive', { team_name: 'X', archive: archive({}) }),
			'42501'
		);
		expectError(
			await w.outsider.client.rpc('import_team_archive', {
				team_name: 'X',
				archive: { ...archive({}), format: 'other' }
			}),
			'P0001',
			'this is not a Groundwork team archive'
		);
		expectError(
			await w.outsider.client.rpc('import_team_archive', {
				team_name: 'X',
				archive: { ...archive({}), version: 2 }
			}),
			'P0001',
			'this archive was made by a newer version of Groundwork (format 2)'
		);
	});

	it('rows for a table an archive may not write, such as profiles or team_members', async () => {
		const count = await teamsOf(w.outsider);
		for (const table of ['profiles', 'team_members', 'organizations', 'attendance'])
			expectError(
				await w.outsider.client.rpc('import_team_archive', {
					team_name: 'X',
					archive: archive({ [table]: [{ id: w.outsider.userId, team_id: w.teamId }] })
				}),
				'P0001',
				`an archive cannot import rows into ${table}`
			);
		expect(await teamsOf(w.outsider)).toBe(count);
	});

	it("an outsider's rows only ever land in their new team, and a reference to another team's row fails it all", async () => {
		const before = (
			ok(await w.service.from('agencies').select('id').eq('team_id', w.teamId)) as unknown[]
		).length;
		const count = await teamsOf(w.outsider);
		const id = crypto.randomUUID();
		const newTeam = ok(
			await w.outsider.client.rpc('import_team_archive', {
				team_name: 'Mine',
				archive: archive({ agencies: [{ id, team_id: w.teamId, name: 'Planted' }] })
			})
		) as string;
		expect(
			ok(await w.service.from('agencies').select('team_id, name').eq('name', 'Planted'))
		).toEqual([{ team_id: newTeam, name: 'Planted' }]);
		expect(
			(ok(await w.service.from('agencies').select('id').eq('team_id', w.teamId)) as unknown[])
				.length
		).toBe(before);

		const theirs = (
			ok(await w.service.from('agencies').select('id').eq('team_id', w.teamId).limit(1)) as {
				id: string;
			}[]
		)[0].id;
		expectError(
			await w.outsider.client.rpc('import_team_archive', {
				team_name: 'Sneaky',
				archive: archive({
					programs: [{ id: crypto.randomUUID(), agency_id: theirs, name: 'Into theirs' }]
				})
			}),
			'23502'
		);
		expect(await teamsOf(w.outsider)).toBe(count + 1);
		expect(ok(await w.service.from('programs').select('id').eq('name', 'Into theirs'))).toEqual([]);
	});

	it("someone else's staged chunks: unreadable, and not used by the importer", async () => {
		const upload = crypto.randomUUID();
		await stageArchiveRows(w.leader.client, upload, 'agencies', [
			{ id: crypto.randomUUID(), name: 'Staged by the leader' }
		]);
		expect(
			ok(await w.outsider.client.from('team_archive_chunks').select('id').eq('upload_id', upload))
		).toEqual([]);
		expectError(await w.anon.from('team_archive_chunks').select('id'), '42501');
		const other = ok(
			await w.outsider.client.rpc('import_team_archive', {
				team_name: 'Borrowed',
				archive: archive({}, { upload_id: upload })
			})
		) as string;
		expect(ok(await w.service.from('agencies').select('id').eq('team_id', other))).toEqual([]);
		expect(
			(
				ok(
					await w.leader.client.from('team_archive_chunks').select('id').eq('upload_id', upload)
				) as unknown[]
			).length
		).toBe(1);
		expectError(
			await w.outsider.client.from('team_archive_chunks').insert({
				upload_id: upload,
				table_name: 'agencies',
				rows: [],
				owner_id: w.leader.userId
			}),
			'42501'
		);
	});
});
