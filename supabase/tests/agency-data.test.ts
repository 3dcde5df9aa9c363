import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	addMember,
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';
import {
	createAgency,
	createIndicator,
	importRows,
	stageImport,
	weekRow,
	weeks
} from './helpers/agency.ts';
import * as agency from '../../src/lib/server/db/agency.ts';

let stack: TestStack;
let w: TeamWorld;
/** The team's rows every table test starts from. */
let seed: {
	agency: string;
	program: string;
	indicator: string;
	/** Where the table tests add their goals and measurements. */
	scratch: string;
	importId: string;
};

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const agencyId = await createAgency(w.leader, w.teamId, 'Health board');
	const program = ok(
		await w.leader.client
			.from('programs')
			.insert({ team_id: w.teamId, agency_id: agencyId, name: 'Emergency care' })
			.select('id')
			.single()
	) as { id: string };
	const indicator = await createIndicator(w.leader, w.teamId, agencyId, 'Seen within 4 hours', {
		program_id: program.id,
		unit: '%'
	});
	const imp = await importRows(
		w.leader.client,
		w.teamId,
		weeks('Health board', 'Seen within 4 hours', 3, (i) => 90 + i)
	);
	ok(
		await w.leader.client
			.from('goals')
			.insert({ team_id: w.teamId, indicator_id: indicator, statement: '95% seen in 4 hours' })
	);
	ok(
		await w.leader.client
			.from('import_mappings')
			.insert({ team_id: w.teamId, signature: 'sig-seed', mapping: { format: 'long' } })
	);
	// A staged import, so import_rows has rows.
	await stageImport(w.leader.client, w.teamId, [weekRow('A', 'B', '2024-01-07', 1)]);
	const scratch = await createIndicator(w.leader, w.teamId, agencyId, 'Scratch');
	seed = { agency: agencyId, program: program.id, indicator, scratch, importId: imp.import_id };
});

afterAll(async () => {
	await stack?.stop();
});

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';
const TEAM: Who[] = ['member', 'organizer', 'leader'];
const STRANGERS: Who[] = ['outsider', 'orgAdmin'];

let n = 0;

/** For each team table: a fresh row's insert payload and an update that changes it. */
const TABLES: Record<
	string,
	{ row: () => Record<string, unknown>; patch: Record<string, unknown>; check: string }
> = {
	agencies: {
		row: () => ({ team_id: w.teamId, name: `Agency ${++n}` }),
		patch: { jurisdiction: 'Scotland' },
		check: 'jurisdiction'
	},
	programs: {
		row: () => ({ team_id: w.teamId, agency_id: seed.agency, name: `Program ${++n}` }),
		patch: { description: 'Changed' },
		check: 'description'
	},
	indicators: {
		row: () => ({ team_id: w.teamId, agency_id: seed.agency, name: `Indicator ${++n}` }),
		patch: { unit: 'days' },
		check: 'unit'
	},
	goals: {
		row: () => ({ team_id: w.teamId, indicator_id: seed.scratch, statement: `Goal ${++n}` }),
		patch: { period_label: 'each week' },
		check: 'period_label'
	},
	measurements: {
		row: () => {
			const day = new Date(Date.UTC(2030, 0, 1) + ++n * 86_400_000).toISOString().slice(0, 10);
			return {
				team_id: w.teamId,
				indicator_id: seed.scratch,
				period_start: day,
				period_end: day,
				grain: 'day',
				value: n
			};
		},
		patch: { note: 'A note' },
		check: 'note'
	},
	import_mappings: {
		row: () => ({ team_id: w.teamId, signature: `sig-${++n}`, mapping: { n } }),
		patch: { name: 'Weekly file' },
		check: 'name'
	}
};

function client(who: Who): SupabaseClient {
	return rolesOf(w)[who].client;
}

async function insertAsService(table: string): Promise<string> {
	const row = ok(await w.service.from(table).insert(TABLES[table].row()).select('id').single()) as {
		id: string;
	};
	return row.id;
}

async function readAsService(table: string, id: string) {
	return ok(await w.service.from(table).select('*').eq('id', id).maybeSingle()) as Record<
		string,
		unknown
	> | null;
}

describe.each(Object.keys(TABLES))('%s', (table) => {
	const spec = () => TABLES[table];

	it('anon is refused outright', async () => {
		expectError(await w.anon.from(table).select('id'), '42501');
		expectError(await w.anon.from(table).insert(spec().row()), '42501');
	});

	it.each(STRANGERS)('the %s sees nothing and changes nothing', async (who) => {
		const { data, error } = await client(who).from(table).select('id');
		expect(error).toBeNull();
		expect(data).toEqual([]);
		expectError(await client(who).from(table).insert(spec().row()), '42501');
		const id = await insertAsService(table);
		const updated = ok(
			await client(who).from(table).update(spec().patch).eq('id', id).select('id')
		);
		expect(updated).toEqual([]);
		const deleted = ok(await client(who).from(table).delete().eq('id', id).select('id'));
		expect(deleted).toEqual([]);
		const row = await readAsService(table, id);
		expect(row).not.toBeNull();
		expect(row![spec().check]).toBeNull();
	});

	it.each(TEAM)('a %s reads, adds, changes and deletes', async (who) => {
		const before = ok(await client(who).from(table).select('id')) as unknown[];
		expect(before.length).toBeGreaterThan(0);
		const created = ok(
			await client(who).from(table).insert(spec().row()).select('id').single()
		) as { id: string };
		const updated = ok(
			await client(who).from(table).update(spec().patch).eq('id', created.id).select(spec().check)
		);
		expect(updated).toEqual([spec().patch]);
		const deleted = ok(await client(who).from(table).delete().eq('id', created.id).select('id'));
		expect(deleted).toEqual([{ id: created.id }]);
		expect(await readAsService(table, created.id)).toBeNull();
	});

	it('the service role reads and writes everything', async () => {
		const id = await insertAsService(table);
		ok(await w.service.from(table).update(spec().patch).eq('id', id));
		expect((await readAsService(table, id))![spec().check]).not.toBeNull();
		ok(await w.service.from(table).delete().eq('id', id));
		expect(await readAsService(table, id)).toBeNull();
	});
});

describe('imports', () => {
	it('team members read the history; nobody writes it directly', async () => {
		for (const who of TEAM) {
			const rows = ok(await client(who).from('imports').select('id, status')) as Array<{
				id: string;
			}>;
			expect(rows.map((r) => r.id)).toContain(seed.importId);
			expectError(
				await client(who).from('imports').insert({ team_id: w.teamId, file_name: 'x.csv' }),
				'42501'
			);
			expectError(
				await client(who).from('imports').update({ status: 'undone' }).eq('id', seed.importId),
				'42501'
			);
			expectError(await client(who).from('imports').delete().eq('id', seed.importId), '42501');
		}
		for (const who of STRANGERS) {
			expect(ok(await client(who).from('imports').select('id'))).toEqual([]);
		}
		expectError(await w.anon.from('imports').select('id'), '42501');
		const all = ok(await w.service.from('imports').select('id').eq('team_id', w.teamId));
		expect(all).toHaveLength(2);
	});
});

describe.each(['import_rows', 'import_changes'])('%s', (table) => {
	it('has no API access at all, not even for the service role', async () => {
		for (const who of [...TEAM, ...STRANGERS]) {
			expectError(await client(who).from(table).select('*'), '42501');
			expectError(await client(who).from(table).insert({ import_id: seed.importId }), '42501');
			expectError(await client(who).from(table).delete().eq('import_id', seed.importId), '42501');
		}
		expectError(await w.anon.from(table).select('*'), '42501');
		expectError(await w.service.from(table).select('*'), '42501');
		expectError(await w.service.from(table).delete().eq('import_id', seed.importId), '42501');
	});
});

describe('an archived team', () => {
	it('stays readable but refuses every write with a sentence', async () => {
		const teamId = await createTeam(w.leader);
		await addMember(stack, teamId, w.member);
		const a = await createAgency(w.member, teamId, 'Agency');
		const i = await createIndicator(w.member, teamId, a, 'Indicator');
		await importRows(w.member.client, teamId, [weekRow('Agency', 'Indicator', '2024-01-07', 1)]);
		ok(await w.leader.client.rpc('archive_team', { team_id: teamId }));
		const archived = 'this team is archived: unarchive it before changing its data';
		const c = w.member.client;
		expect(ok(await c.from('agencies').select('name').eq('team_id', teamId))).toEqual([
			{ name: 'Agency' }
		]);
		expectError(
			await c.from('agencies').insert({ team_id: teamId, name: 'New' }),
			'P0001',
			archived
		);
		expectError(await c.from('agencies').update({ notes: 'x' }).eq('id', a), 'P0001', archived);
		expectError(await c.from('agencies').delete().eq('id', a), 'P0001', archived);
		expectError(
			await c.from('goals').insert({ team_id: teamId, indicator_id: i, statement: 'x' }),
			'P0001',
			archived
		);
		expectError(
			await c.from('measurements').update({ note: 'x' }).eq('indicator_id', i),
			'P0001',
			archived
		);
		expectError(
			await c.from('import_mappings').insert({ team_id: teamId, signature: 's', mapping: {} }),
			'P0001',
			archived
		);
		const helper = await agency.updateAgency(c, a, { notes: 'x' });
		expect(helper).toEqual({
			error: 'This team is archived: unarchive it before changing its data',
			code: 'P0001'
		});
		// Unarchived, it takes changes again.
		ok(await w.leader.client.rpc('unarchive_team', { team_id: teamId }));
		ok(await c.from('agencies').update({ notes: 'x' }).eq('id', a));
	});
});

describe('rows belong to one team', () => {
	it("cannot point at another team's agency, indicator or program", async () => {
		// The leader is in both teams, so RLS alone would let the insert through.
		const other = await createTeam(w.leader);
		const otherAgency = await createAgency(w.leader, other, 'Elsewhere');
		const otherIndicator = await createIndicator(w.leader, other, otherAgency, 'Theirs');
		expect(
			await agency.createProgram(w.leader.client, w.teamId, otherAgency, { name: 'P' })
		).toEqual({ error: 'That agency does not exist' });
		expect(
			await agency.createIndicator(w.leader.client, w.teamId, otherAgency, { name: 'I' })
		).toEqual({ error: 'That agency does not exist' });
		expect(
			await agency.createGoal(w.leader.client, w.teamId, otherIndicator, { statement: 'G' })
		).toEqual({ error: 'That indicator does not exist' });
		const otherProgram = ok(
			await w.leader.client
				.from('programs')
				.insert({ team_id: other, agency_id: otherAgency, name: 'Their program' })
				.select('id')
				.single()
		) as { id: string };
		expect(
			await agency.updateIndicator(w.leader.client, seed.indicator, { program_id: otherProgram.id })
		).toEqual({ error: 'That program does not belong to the agency' });
	});

	it('keeps team_id and import_id out of reach', async () => {
		expectError(
			await w.member.client
				.from('agencies')
				.update({ team_id: crypto.randomUUID() })
				.eq('id', seed.agency),
			'42501'
		);
		expectError(
			await w.member.client
				.from('measurements')
				.update({ import_id: null })
				.eq('indicator_id', seed.indicator),
			'42501'
		);
	});
});

describe('clear messages', () => {
	it('explains what is wrong with an agency, indicator, goal or measurement', async () => {
		const c = w.member.client;
		const cases: Array<[Promise<agency.Result<unknown>>, string]> = [
			[agency.createAgency(c, w.teamId, { name: '   ' }), 'The agency name cannot be empty'],
			[
				agency.createAgency(c, w.teamId, { name: 'x'.repeat(201) }),
				'The agency name can be at most 200 characters'
			],
			[
				agency.createAgency(c, w.teamId, { name: ' health BOARD ' }),
				'The team already has an agency with that name'
			],
			[
				agency.createAgency(c, w.teamId, { name: 'Site', website: 'javascript:alert(1)' }),
				'The website must be a web address starting with http:// or https://'
			],
			[
				agency.createIndicator(c, w.teamId, seed.agency, { name: 'seen WITHIN 4 hours' }),
				'The agency already has an indicator with that name'
			],
			[
				agency.createIndicator(c, w.teamId, seed.agency, { name: 'U', unit: 'x'.repeat(51) }),
				'The unit can be at most 50 characters'
			],
			[
				agency.createGoal(c, w.teamId, seed.indicator, { statement: '' }),
				'The goal cannot be empty'
			],
			[
				agency.createGoal(c, w.teamId, seed.indicator, { statement: 'G', source_url: 'ftp://x' }),
				'The source address must be a web address starting with http:// or https://'
			],
			[
				agency.createMeasurement(c, w.teamId, seed.indicator, {
					period_start: '2024-02-02',
					period_end: '2024-02-01',
					grain: 'day',
					value: 1
				}),
				'The period cannot end before it starts'
			],
			[
				agency.createMeasurement(c, w.teamId, seed.indicator, {
					period_start: '2024-01-01',
					period_end: '2024-01-07',
					grain: 'week',
					value: 1
				}),
				'The indicator already has a value for that period'
			],
			[
				agency.updateMeasurementNote(c, 1, 'x'.repeat(2001)),
				'The note can be at most 2000 characters'
			]
		];
		for (const [promise, message] of cases) {
			const r = await promise;
			expect(r.error, message).toBe(message);
		}
	});

	it('trims text and keeps the agency fields', async () => {
		const r = await agency.createAgency(w.member.client, w.teamId, {
			name: '  Parks  ',
			jurisdiction: ' Glasgow ',
			website: 'https://example.org/parks',
			notes: ''
		});
		expect(r.data).toMatchObject({
			name: 'Parks',
			jurisdiction: 'Glasgow',
			website: 'https://example.org/parks',
			notes: null,
			created_by: w.member.userId
		});
	});
});

describe('server helpers', () => {
	it('list agencies, indicators with their latest value, goals and measurements', async () => {
		const c = w.organizer.client;
		const agencies = await agency.listAgencies(c, w.teamId);
		expect(agencies.data?.map((a) => a.name)).toContain('Health board');
		expect((await agency.getAgency(c, w.teamId, seed.agency)).data?.name).toBe('Health board');
		expect((await agency.getAgency(w.outsider.client, w.teamId, seed.agency)).data).toBeNull();
		const indicators = await agency.listIndicators(c, w.teamId, { agencyId: seed.agency });
		const seen = indicators.data!.find((i) => i.id === seed.indicator)!;
		expect(seen).toMatchObject({
			name: 'Seen within 4 hours',
			agency_name: 'Health board',
			program_id: seed.program,
			unit: '%',
			latest: { period_end: '2024-01-21', value: 92 }
		});
		const one = await agency.getIndicator(c, w.teamId, seed.indicator);
		expect(one.data?.latest?.value).toBe(92);
		expect((await agency.listGoals(c, seed.indicator)).data?.map((g) => g.statement)).toContain(
			'95% seen in 4 hours'
		);
		expect((await agency.listPrograms(c, seed.agency)).data?.map((p) => p.name)).toContain(
			'Emergency care'
		);
		const ms = await agency.listMeasurements(c, seed.indicator, { to: '2024-01-14' });
		expect(ms.data?.map((m) => m.value)).toEqual([90, 91]);
		const noted = await agency.updateMeasurementNote(c, ms.data![0].id, '  Strike  ');
		expect(noted.data?.note).toBe('Strike');
		expect((await agency.updateMeasurementNote(c, ms.data![0].id, '')).data?.note).toBeNull();
		expect(await agency.updateMeasurementNote(w.outsider.client, ms.data![0].id, 'x')).toEqual({
			error: 'That measurement does not exist'
		});
	});

	it('read more than one page of measurements and series', async () => {
		const teamId = await createTeam(w.leader);
		const rows = Array.from({ length: 1_205 }, (_, i) =>
			weekRow(
				'A',
				'Daily',
				new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
				i
			)
		).map((r) => ((r[3] = r[4]), (r[5] = 'day'), r));
		await importRows(w.leader.client, teamId, rows);
		const ind = (await agency.listIndicators(w.leader.client, teamId)).data![0];
		const ms = await agency.listMeasurements(w.leader.client, ind.id);
		expect(ms.data).toHaveLength(1_205);
		expect(ms.data!.at(-1)!.value).toBe(1_204);
		const series = await agency.indicatorSeries(w.leader.client, [ind.id], { from: '2020-01-11' });
		expect(series.data).toHaveLength(1_195);
	});

	it('chart series: every point in one call, members only', async () => {
		const teamId = await createTeam(w.leader);
		await addMember(stack, teamId, w.member);
		const day = (i: number) =>
			new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
		const daily = (name: string, n: number, value: (i: number) => number) =>
			Array.from({ length: n }, (_, i) =>
				weekRow('Council', name, day(i), value(i), {
					target: i === 0 ? 50 : null,
					note: i === 1 ? 'Holiday' : null
				})
			).map((r) => ((r[3] = r[4]), (r[5] = 'day'), r));
		await importRows(w.leader.client, teamId, [
			...daily('Daily', 3_652, (i) => i / 4),
			...daily('Other', 10, (i) => -i)
		]);
		const ids = new Map(
			(await agency.listIndicators(w.leader.client, teamId)).data!.map((i) => [i.name, i.id])
		);
		const both = [ids.get('Daily')!, ids.get('Other')!];

		// One response, not max_rows (1,000) at a time.
		const raw = ok(await w.member.client.rpc('indicator_series_json', { indicator_ids: both })) as {
			indicator_id: string;
			points: unknown[][];
		}[];
		const daily3652 = raw.find((s) => s.indicator_id === ids.get('Daily'))!;
		expect(daily3652.points).toHaveLength(3_652);
		expect(daily3652.points.slice(0, 2)).toEqual([
			['2015-01-01', '2015-01-01', 0, 50, null],
			['2015-01-02', '2015-01-02', 0.25, null, 'Holiday']
		]);
		expect(daily3652.points.at(-1)).toEqual([day(3_651), day(3_651), 912.75, null, null]);
		expect(raw.find((s) => s.indicator_id === ids.get('Other'))!.points).toHaveLength(10);

		const series = (await agency.indicatorSeries(w.member.client, both)).data!;
		expect(series).toHaveLength(3_662);
		const first = series.find((p) => p.indicator_id === ids.get('Daily'))!;
		expect(first).toEqual({
			indicator_id: ids.get('Daily'),
			period_start: '2015-01-01',
			period_end: '2015-01-01',
			value: 0,
			target: 50,
			note: null
		});
		const window = (
			await agency.indicatorSeries(w.member.client, both, { from: day(5), to: day(9) })
		).data!;
		expect(window.map((p) => p.period_start)).toEqual([
			...[5, 6, 7, 8, 9].map(day),
			...[5, 6, 7, 8, 9].map(day)
		]);

		// RLS: outsiders and other teams' members see nothing; anon may not call it.
		expect(
			ok(await w.outsider.client.rpc('indicator_series_json', { indicator_ids: both }))
		).toEqual([]);
		expect(await agency.indicatorSeries(w.outsider.client, both)).toEqual({ data: [] });
		expectError(await w.anon.rpc('indicator_series_json', { indicator_ids: both }), '42501');
	});

	it("import history with the importer's name, the error report, undo", async () => {
		ok(
			await w.leader.client
				.from('profiles')
				.update({ display_name: 'Lee Leader' })
				.eq('id', w.leader.userId)
		);
		const c = w.member.client;
		const start = await agency.startImport(c, w.teamId, {
			file_name: 'weekly.csv',
			total_rows: 3,
			rejected: 1,
			errors: [{ row: 3, column: 'value', reason: 'number', value: 'ND?', message: 'Not a number' }]
		});
		const importId = start.data!;
		expect(
			await agency.stageImportRows(c, importId, [
				[
					'Health board',
					null,
					'Seen within 4 hours',
					'2024-01-22',
					'2024-01-28',
					'week',
					93,
					95,
					'%',
					null,
					2
				],
				[
					'Health board',
					null,
					'Seen within 4 hours',
					'2024-01-15',
					'2024-01-21',
					'week',
					80,
					95,
					'%',
					null,
					4
				]
			])
		).toEqual({ data: 2 });
		expect((await agency.checkImport(c, importId)).data).toMatchObject({ inserts: 1, updates: 1 });
		const committed = await agency.commitImport(c, importId);
		expect(committed.data).toMatchObject({ inserted: 1, updated: 1, rejected: 1 });
		const history = await agency.listImports(c, w.teamId);
		const entry = history.data!.find((i) => i.id === importId)!;
		expect(entry).toMatchObject({
			file_name: 'weekly.csv',
			status: 'committed',
			imported_by: w.member.userId
		});
		const seedEntry = history.data!.find((i) => i.id === seed.importId)!;
		expect(seedEntry.importer_name).toBe('Lee Leader');
		expect((await agency.getImport(c, w.teamId, importId)).data?.inserted).toBe(1);
		expect((await agency.importErrors(c, w.teamId, importId)).data).toEqual({
			file_name: 'weekly.csv',
			errors: [{ row: 3, column: 'value', reason: 'number', value: 'ND?', message: 'Not a number' }]
		});
		expect((await agency.importErrors(w.outsider.client, w.teamId, importId)).data).toBeNull();
		expect(await agency.undoImport(c, importId)).toEqual({ data: { deleted: 1, restored: 1 } });
		expect(await agency.undoImport(c, importId)).toEqual({
			error: 'This import has already been undone',
			code: 'P0001'
		});
		expect(await agency.commitImport(w.outsider.client, importId)).toEqual({
			error: 'That import does not exist',
			code: 'P0001'
		});
	});

	it('commit reports missing indicators with the code the wizard branches on', async () => {
		const c = w.member.client;
		const id = (await agency.startImport(c, w.teamId, { file_name: 'new.csv' })).data!;
		await agency.stageImportRows(c, id, [
			[
				'Health board',
				null,
				'Brand new',
				'2024-01-01',
				'2024-01-07',
				'week',
				1,
				null,
				null,
				null,
				2
			]
		]);
		expect(await agency.commitImport(c, id)).toEqual({
			error: '1 indicator does not exist yet: Brand new',
			code: agency.MISSING_CODE
		});
		expect((await agency.commitImport(c, id, true)).data).toMatchObject({
			inserted: 1,
			created_agencies: 0,
			created_indicators: 1
		});
		const cancelled = (await agency.startImport(c, w.teamId, { file_name: 'c.csv' })).data!;
		expect(await agency.cancelImport(c, cancelled)).toEqual({ data: null });
	});

	it('save a mapping per header signature and find it again', async () => {
		const c = w.member.client;
		expect((await agency.getMapping(c, w.teamId, 'sig-new')).data).toBeNull();
		const saved = await agency.saveMapping(c, w.teamId, 'sig-new', { value: 'Count' }, 'Weekly');
		expect(saved.data).toMatchObject({
			signature: 'sig-new',
			name: 'Weekly',
			mapping: { value: 'Count' }
		});
		const again = await agency.saveMapping(w.leader.client, w.teamId, 'sig-new', {
			value: 'Total'
		});
		expect(again.data).toMatchObject({ id: saved.data!.id, mapping: { value: 'Total' } });
		expect((await agency.getMapping(c, w.teamId, 'sig-new')).data?.mapping).toEqual({
			value: 'Total'
		});
		expect((await agency.getMapping(w.outsider.client, w.teamId, 'sig-new')).data).toBeNull();
	});

	it('update and delete report a row that is not there', async () => {
		const c = w.member.client;
		const created = await agency.createAgency(c, w.teamId, { name: 'Short-lived' });
		expect((await agency.updateAgency(c, created.data!.id, { type: 'Council' })).data?.type).toBe(
			'Council'
		);
		expect(await agency.deleteAgency(c, created.data!.id)).toEqual({
			data: { id: created.data!.id }
		});
		expect(await agency.deleteAgency(c, created.data!.id)).toEqual({
			error: 'That agency does not exist'
		});
		expect(await agency.updateAgency(w.outsider.client, seed.agency, { type: 'x' })).toEqual({
			error: 'That agency does not exist'
		});
	});

	it('the target summary for the data home', async () => {
		const r = await agency.agencyTargetSummary(w.member.client, w.teamId);
		expect(r.data?.find((s) => s.agency_id === seed.agency)).toMatchObject({
			agency_name: 'Health board'
		});
	});
});
