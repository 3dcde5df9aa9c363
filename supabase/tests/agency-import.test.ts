import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	activity,
	addMember,
	createTeam,
	expectError,
	ok,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';
import {
	countMeasurements,
	createAgency,
	createIndicator,
	importRows,
	indicatorId,
	measurementsOf,
	stageImport,
	weekRow,
	weeks,
	type CommitResult
} from './helpers/agency.ts';

let stack: TestStack;
let w: TeamWorld;

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
});

afterAll(async () => {
	await stack?.stop();
});

/** A fresh team led by `w.leader` with `w.member` in it, so tests do not share measurements. */
async function freshTeam(): Promise<string> {
	const teamId = await createTeam(w.leader);
	await addMember(stack, teamId, w.member, 'member');
	return teamId;
}

async function importOf(id: string) {
	return ok(await w.service.from('imports').select('*').eq('id', id).single()) as Record<
		string,
		unknown
	>;
}

describe('staging and committing', () => {
	it('stages in several chunks and commits everything in one go', async () => {
		const teamId = await freshTeam();
		const rows = weeks('NHS Scotland', 'Attendances', 23, (i) => 1000 + i);
		const importId = await stageImport(w.member.client, teamId, rows, {
			chunk: 5,
			fileName: 'ae.csv',
			rejected: 2,
			errors: [{ row: 9, column: 'value', reason: 'number', value: 'x', message: 'not a number' }]
		});
		const staged = ok(
			await w.member.client.rpc('stage_import_rows', { import_id: importId, rows: [] })
		);
		expect(staged).toBe(23);
		const check = ok(await w.member.client.rpc('check_import', { import_id: importId }));
		expect(check).toEqual({
			staged: 23,
			missing_agencies: ['NHS Scotland'],
			missing_indicators: [{ agency: 'NHS Scotland', indicator: 'Attendances' }],
			inserts: 23,
			updates: 0,
			unchanged: 0
		});
		const result = ok(
			await w.member.client.rpc('commit_import', { import_id: importId, create_missing: true })
		) as CommitResult;
		expect(result).toEqual({
			import_id: importId,
			inserted: 23,
			updated: 0,
			unchanged: 0,
			rejected: 2,
			created_agencies: 1,
			created_indicators: 1
		});
		const ind = (await indicatorId(w.service, teamId, 'NHS Scotland', 'Attendances'))!;
		const ms = await measurementsOf(w.service, ind);
		expect(ms).toHaveLength(23);
		expect(ms[0]).toMatchObject({
			period_start: '2024-01-01',
			period_end: '2024-01-07',
			grain: 'week',
			value: 1000,
			import_id: importId
		});
		const indicator = ok(
			await w.member.client.from('indicators').select('direction, frequency').eq('id', ind).single()
		);
		expect(indicator).toEqual({ direction: 'up', frequency: 'week' });
		const imp = await importOf(importId);
		expect(imp).toMatchObject({
			status: 'committed',
			file_name: 'ae.csv',
			imported_by: w.member.userId,
			total_rows: 25,
			inserted: 23,
			updated: 0,
			unchanged: 0,
			rejected: 2,
			created_agencies: 1,
			created_indicators: 1
		});
		expect(imp.committed_at).not.toBeNull();
		expect((imp.errors as unknown[])[0]).toMatchObject({ row: 9, reason: 'number' });
		const log = await activity(stack, teamId);
		expect(log.at(-1)).toMatchObject({
			action: 'import.committed',
			actor_id: w.member.userId,
			details: { import_id: importId, inserted: 23, updated: 0, unchanged: 0 }
		});
		// Staged rows are gone once committed: staging again is refused.
		expectError(
			await w.member.client.rpc('stage_import_rows', {
				import_id: importId,
				rows: rows.slice(0, 1)
			}),
			'P0001',
			'this import has already been committed'
		);
	});

	it('a commit that fails leaves nothing behind, and the same import commits once fixed', async () => {
		const teamId = await freshTeam();
		const agency = await createAgency(w.member, teamId, 'Housing Department');
		const existing = await createIndicator(w.member, teamId, agency, 'Repairs completed');
		const rows = [
			...weeks('Housing Department', 'Repairs completed', 10),
			...weeks('Housing Department', 'Complaints', 5),
			...weeks('Parks Board', 'Visits', 3)
		];
		const importId = await stageImport(w.member.client, teamId, rows, { chunk: 4 });
		expectError(
			await w.member.client.rpc('commit_import', { import_id: importId }),
			'GW101',
			'2 indicators do not exist yet: Complaints, Visits'
		);
		expect(await countMeasurements(w.service, teamId)).toBe(0);
		expect(await measurementsOf(w.service, existing)).toEqual([]);
		expect((await importOf(importId)).status).toBe('staging');
		const check = ok(await w.member.client.rpc('check_import', { import_id: importId }));
		expect(check).toMatchObject({
			staged: 18,
			missing_agencies: ['Parks Board'],
			missing_indicators: [
				{ agency: 'Housing Department', indicator: 'Complaints' },
				{ agency: 'Parks Board', indicator: 'Visits' }
			],
			inserts: 18
		});
		const result = ok(
			await w.member.client.rpc('commit_import', { import_id: importId, create_missing: true })
		) as CommitResult;
		expect(result).toMatchObject({ inserted: 18, created_agencies: 1, created_indicators: 2 });
		expect(await measurementsOf(w.service, existing)).toHaveLength(10);
	});

	it('names at most five missing indicators', async () => {
		const teamId = await freshTeam();
		const rows = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((n) =>
			weekRow('Agency', `Indicator ${n}`, '2024-01-07', 1)
		);
		const importId = await stageImport(w.member.client, teamId, rows);
		expectError(
			await w.member.client.rpc('commit_import', { import_id: importId }),
			'GW101',
			'7 indicators do not exist yet: Indicator A, Indicator B, Indicator C, Indicator D, Indicator E, …'
		);
	});

	it('matches agencies and indicators whatever their case and surrounding spaces', async () => {
		const teamId = await freshTeam();
		const agency = await createAgency(w.member, teamId, 'City Council');
		const ind = await createIndicator(w.member, teamId, agency, 'Potholes fixed');
		const result = await importRows(
			w.member.client,
			teamId,
			[weekRow('  city COUNCIL ', 'POTHOLES fixed  ', '2024-01-07', 4)],
			{ createMissing: false }
		);
		expect(result).toMatchObject({ inserted: 1, created_agencies: 0, created_indicators: 0 });
		expect(await measurementsOf(w.service, ind)).toHaveLength(1);
	});

	it('keeps the last of duplicate rows for the same indicator and period', async () => {
		const teamId = await freshTeam();
		const rows = [
			weekRow('Agency', 'Calls answered', '2024-01-07', 1),
			weekRow('Agency', 'Calls answered', '2024-01-14', 2),
			weekRow('agency', 'calls answered', '2024-01-07', 3, { note: 'corrected' }),
			weekRow('Agency', 'Calls answered', '2024-01-14', 4)
		];
		// The duplicates straddle two chunks.
		const result = await importRows(w.member.client, teamId, rows, { chunk: 2 });
		expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
		const ind = (await indicatorId(w.service, teamId, 'Agency', 'Calls answered'))!;
		expect((await measurementsOf(w.service, ind)).map((m) => [m.value, m.note])).toEqual([
			[3, 'corrected'],
			[4, null]
		]);
	});

	it('counts inserted, updated and unchanged rows on re-import of the same and an overlapping file', async () => {
		const teamId = await freshTeam();
		const first = weeks('Agency', 'Waiting time', 10, (i) => 10 + i);
		expect(await importRows(w.member.client, teamId, first)).toMatchObject({
			inserted: 10,
			updated: 0,
			unchanged: 0
		});
		expect(await importRows(w.member.client, teamId, first)).toMatchObject({
			inserted: 0,
			updated: 0,
			unchanged: 10,
			created_agencies: 0,
			created_indicators: 0
		});
		// Weeks 5–14: five overlap (two of them with new values), five are new.
		const overlapping = weeks('Agency', 'Waiting time', 15, (i) =>
			i === 6 || i === 7 ? 99 : 10 + i
		).slice(5);
		const preview = await stageImport(w.member.client, teamId, overlapping);
		expect(ok(await w.member.client.rpc('check_import', { import_id: preview }))).toMatchObject({
			inserts: 5,
			updates: 2,
			unchanged: 3,
			missing_agencies: [],
			missing_indicators: []
		});
		expect(ok(await w.member.client.rpc('commit_import', { import_id: preview }))).toMatchObject({
			inserted: 5,
			updated: 2,
			unchanged: 3
		});
		const ind = (await indicatorId(w.service, teamId, 'Agency', 'Waiting time'))!;
		const values = (await measurementsOf(w.service, ind)).map((m) => m.value);
		expect(values).toEqual([10, 11, 12, 13, 14, 15, 99, 99, 18, 19, 20, 21, 22, 23, 24]);
	});

	it('a note is replaced only by a note, and a changed target counts as an update', async () => {
		const teamId = await freshTeam();
		await importRows(w.member.client, teamId, [
			weekRow('Agency', 'Share', '2024-01-07', 50, { note: 'strike week', target: 60 })
		]);
		expect(
			await importRows(w.member.client, teamId, [
				weekRow('Agency', 'Share', '2024-01-07', 50, { target: 60 })
			])
		).toMatchObject({ updated: 0, unchanged: 1 });
		expect(
			await importRows(w.member.client, teamId, [
				weekRow('Agency', 'Share', '2024-01-07', 50, { target: 65 })
			])
		).toMatchObject({ updated: 1, unchanged: 0 });
		const ind = (await indicatorId(w.service, teamId, 'Agency', 'Share'))!;
		expect(await measurementsOf(w.service, ind)).toMatchObject([
			{ value: 50, target: 65, note: 'strike week' }
		]);
	});

	it('refuses malformed rows with the row number and what is wrong', async () => {
		const teamId = await freshTeam();
		const importId = await stageImport(w.member.client, teamId, []);
		const bad = async (row: unknown[], message: string) =>
			expectError(
				await w.member.client.rpc('stage_import_rows', {
					import_id: importId,
					rows: [weekRow('A', 'B', '2024-01-07', 1, { row: 2 }), row]
				}),
				'P0001',
				message
			);
		await bad(
			['A', null, 'B', '2024-01-01', '2024-01-07', 'week', null, null, null, null, 7],
			'row 7 has no value'
		);
		await bad(
			[null, null, 'B', '2024-01-01', '2024-01-07', 'week', 1, null, null, null, 8],
			'row 8 has no agency'
		);
		await bad(
			['A', null, 'B', '2024-13-01', '2024-01-07', 'week', 1, null, null, null, 9],
			'row 9 has a period date the database cannot read'
		);
		await bad(
			['A', null, 'B', '2024-01-08', '2024-01-07', 'week', 1, null, null, null, 10],
			'row 10 has a period that ends before it starts'
		);
		await bad(
			['A', null, 'B', '2024-01-01', '2024-01-07', 'fortnight', 1, null, null, null, 11],
			'row 11 has no valid period grain (day, week, month, quarter, year or fiscal_year)'
		);
		await bad(
			['A', null, 'B', '2024-01-01', '2024-01-07', 'week', 'lots', null, null, null, 12],
			'row 12 has a value or target that is not a number'
		);
		expectError(
			await w.member.client.rpc('stage_import_rows', { import_id: importId, rows: { a: 1 } }),
			'P0001',
			'the rows must be a list'
		);
		// Nothing of the refused chunks was kept.
		expect(
			ok(await w.member.client.rpc('stage_import_rows', { import_id: importId, rows: [] }))
		).toBe(0);
	});

	it('refuses chunks over 20,000 rows', async () => {
		const teamId = await freshTeam();
		const importId = await stageImport(w.member.client, teamId, []);
		const rows = Array.from({ length: 20_001 }, () => weekRow('A', 'B', '2024-01-07', 1));
		expectError(
			await w.member.client.rpc('stage_import_rows', { import_id: importId, rows }),
			'P0001',
			'send at most 20000 rows at a time'
		);
	});
});

describe('finish_import', () => {
	it('records the counts and the rejected rows once the file is read; only the importer, only while staging', async () => {
		const teamId = await freshTeam();
		const rows = weeks('NHS Scotland', 'Attendances', 3, (i) => 10 + i);
		const importId = await stageImport(w.member.client, teamId, rows);
		const report = {
			import_id: importId,
			total_rows: 5,
			rejected: 2,
			errors: [{ row: 4, column: 'value', reason: 'not_a_number', value: 'x', message: 'no' }]
		};
		expectError(
			await w.leader.client.rpc('finish_import', report),
			'P0001',
			'only the person who started an import can add rows to it'
		);
		expectError(
			await w.outsider.client.rpc('finish_import', report),
			'P0001',
			'that import does not exist'
		);
		expectError(
			await w.member.client.rpc('finish_import', { ...report, rejected: -1 }),
			'P0001',
			'row counts cannot be negative'
		);
		ok(await w.member.client.rpc('finish_import', report));
		expect(await importOf(importId)).toMatchObject({
			total_rows: 5,
			rejected: 2,
			errors: report.errors,
			status: 'staging'
		});
		ok(await w.member.client.rpc('commit_import', { import_id: importId, create_missing: true }));
		expect((await w.member.client.rpc('finish_import', report)).error?.message).toMatch(/already/);
		expect((await w.anon.rpc('finish_import', report)).error?.code).toBe('42501');
	});
});

describe('who may import', () => {
	it('only a member of an active team starts an import', async () => {
		const args = { team_id: w.teamId, file_name: 'x.csv' };
		for (const who of [w.outsider, w.orgAdmin]) {
			expectError(
				await who.client.rpc('start_import', args),
				'P0001',
				'only a member of the team can import its data'
			);
		}
		expectError(await w.anon.rpc('start_import', args), '42501');
		expectError(
			await w.member.client.rpc('start_import', { ...args, file_name: '  ' }),
			'P0001',
			'the file name cannot be empty'
		);
		const id = ok(await w.organizer.client.rpc('start_import', args));
		expect(typeof id).toBe('string');
	});

	it('another team\'s import "does not exist"', async () => {
		const teamId = await freshTeam();
		const importId = await stageImport(w.member.client, teamId, [
			weekRow('A', 'B', '2024-01-07', 1)
		]);
		const rows = [weekRow('A', 'B', '2024-01-14', 1)];
		for (const who of [w.outsider, w.orgAdmin]) {
			for (const [fn, args] of [
				['stage_import_rows', { import_id: importId, rows }],
				['check_import', { import_id: importId }],
				['commit_import', { import_id: importId, create_missing: true }],
				['cancel_import', { import_id: importId }],
				['undo_import', { import_id: importId }]
			] as const) {
				expectError(await who.client.rpc(fn, args), 'P0001', 'that import does not exist');
			}
		}
		expectError(
			await w.outsider.client.rpc('commit_import', { import_id: crypto.randomUUID() }),
			'P0001',
			'that import does not exist'
		);
		// A teammate sees it exists but cannot add to or commit someone else's import.
		expectError(
			await w.leader.client.rpc('stage_import_rows', { import_id: importId, rows }),
			'P0001',
			'only the person who started an import can add rows to it'
		);
		expectError(
			await w.leader.client.rpc('commit_import', { import_id: importId, create_missing: true }),
			'P0001',
			'only the person who started an import can commit it'
		);
		expect(await countMeasurements(w.service, teamId)).toBe(0);
	});

	it('an archived team takes no import', async () => {
		const teamId = await freshTeam();
		const staged = await stageImport(w.member.client, teamId, [weekRow('A', 'B', '2024-01-07', 1)]);
		const done = await importRows(w.member.client, teamId, [weekRow('A', 'B', '2024-01-14', 2)]);
		ok(await w.leader.client.rpc('archive_team', { team_id: teamId }));
		const archived = 'this team is archived: unarchive it before changing its data';
		expectError(
			await w.member.client.rpc('start_import', { team_id: teamId, file_name: 'x.csv' }),
			'P0001',
			archived
		);
		expectError(
			await w.member.client.rpc('stage_import_rows', { import_id: staged, rows: [] }),
			'P0001',
			archived
		);
		expectError(
			await w.member.client.rpc('commit_import', { import_id: staged, create_missing: true }),
			'P0001',
			archived
		);
		expectError(
			await w.member.client.rpc('undo_import', { import_id: done.import_id }),
			'P0001',
			archived
		);
		expect(await countMeasurements(w.service, teamId)).toBe(1);
	});
});

describe('cancel', () => {
	it('drops the staged rows and the import can no longer be committed', async () => {
		const teamId = await freshTeam();
		const importId = await stageImport(w.member.client, teamId, weeks('A', 'B', 4));
		ok(await w.member.client.rpc('cancel_import', { import_id: importId }));
		expect((await importOf(importId)).status).toBe('cancelled');
		expectError(
			await w.member.client.rpc('commit_import', { import_id: importId, create_missing: true }),
			'P0001',
			'this import was cancelled: start a new one'
		);
		expectError(
			await w.member.client.rpc('cancel_import', { import_id: importId }),
			'P0001',
			'this import was cancelled: start a new one'
		);
		expect(await countMeasurements(w.service, teamId)).toBe(0);
	});

	it("a leader may cancel a member's import; another member may not", async () => {
		const teamId = await freshTeam();
		await addMember(stack, teamId, w.organizer, 'organizer');
		const importId = await stageImport(w.member.client, teamId, weeks('A', 'B', 2));
		expectError(
			await w.organizer.client.rpc('cancel_import', { import_id: importId }),
			'P0001',
			'only the person who started an import or a team leader can cancel it'
		);
		ok(await w.leader.client.rpc('cancel_import', { import_id: importId }));
	});
});

describe('undo', () => {
	it('deletes what the import inserted, restores what it updated and removes what it created', async () => {
		const teamId = await freshTeam();
		const agency = await createAgency(w.member, teamId, 'Agency');
		const kept = await createIndicator(w.member, teamId, agency, 'Kept');
		const first = await importRows(
			w.member.client,
			teamId,
			weeks('Agency', 'Kept', 4, (i) => i),
			{
				createMissing: false
			}
		);
		ok(
			await w.member.client
				.from('measurements')
				.update({ note: 'typed in' })
				.eq('indicator_id', kept)
				.eq('period_end', '2024-01-07')
		);
		const second = await importRows(w.member.client, teamId, [
			...weeks('Agency', 'Kept', 6, (i) => (i < 2 ? 100 + i : i)),
			...weeks('New agency', 'New indicator', 3, () => 7, '2024-01-07').map(
				(r) => ((r[1] = 'New program'), r)
			)
		]);
		expect(second).toMatchObject({
			inserted: 2 + 3,
			updated: 2,
			unchanged: 2,
			created_agencies: 1,
			created_indicators: 1
		});
		const undo = ok(await w.member.client.rpc('undo_import', { import_id: second.import_id }));
		expect(undo).toEqual({ deleted: 5, restored: 2 });
		expect(await measurementsOf(w.service, kept)).toMatchObject([
			{ value: 0, note: 'typed in', import_id: first.import_id },
			{ value: 1, note: null, import_id: first.import_id },
			{ value: 2, import_id: first.import_id },
			{ value: 3, import_id: first.import_id }
		]);
		expect(await indicatorId(w.service, teamId, 'New agency', 'New indicator')).toBeNull();
		const agencies = ok(
			await w.member.client.from('agencies').select('name').eq('team_id', teamId)
		);
		expect(agencies).toEqual([{ name: 'Agency' }]);
		expect(ok(await w.member.client.from('programs').select('id').eq('team_id', teamId))).toEqual(
			[]
		);
		const imp = await importOf(second.import_id);
		expect(imp).toMatchObject({ status: 'undone', undone_by: w.member.userId });
		expect((await activity(stack, teamId)).at(-1)).toMatchObject({
			action: 'import.undone',
			details: { import_id: second.import_id, deleted: 5, restored: 2 }
		});
		expectError(
			await w.member.client.rpc('undo_import', { import_id: second.import_id }),
			'P0001',
			'this import has already been undone'
		);
		// The first import can be undone in turn: nothing of it is left.
		expect(ok(await w.leader.client.rpc('undo_import', { import_id: first.import_id }))).toEqual({
			deleted: 4,
			restored: 0
		});
		expect(await countMeasurements(w.service, teamId)).toBe(0);
		// Indicators the team created by hand stay.
		expect(await indicatorId(w.service, teamId, 'Agency', 'Kept')).toBe(kept);
	});

	it('refuses while a later import changed the same measurements, then works once that is undone', async () => {
		const teamId = await freshTeam();
		const first = await importRows(w.member.client, teamId, weeks('A', 'B', 3), {
			fileName: 'first.csv'
		});
		const second = await importRows(
			w.member.client,
			teamId,
			weeks('A', 'B', 3, (i) => i + 10),
			{
				fileName: 'second.csv'
			}
		);
		expect(second).toMatchObject({ updated: 3 });
		expectError(
			await w.member.client.rpc('undo_import', { import_id: first.import_id }),
			'P0001',
			'undo the later import of second.csv first: it changed the same measurements'
		);
		expect(await countMeasurements(w.service, teamId)).toBe(3);
		expect(ok(await w.member.client.rpc('undo_import', { import_id: second.import_id }))).toEqual({
			deleted: 0,
			restored: 3
		});
		expect(ok(await w.member.client.rpc('undo_import', { import_id: first.import_id }))).toEqual({
			deleted: 3,
			restored: 0
		});
		expect(await countMeasurements(w.service, teamId)).toBe(0);
	});

	it('a created indicator the team has since given a goal stays', async () => {
		const teamId = await freshTeam();
		const res = await importRows(w.member.client, teamId, weeks('A', 'B', 2));
		const ind = (await indicatorId(w.service, teamId, 'A', 'B'))!;
		ok(
			await w.member.client
				.from('goals')
				.insert({ team_id: teamId, indicator_id: ind, statement: 'More B', target_value: 5 })
		);
		ok(await w.member.client.rpc('undo_import', { import_id: res.import_id }));
		expect(await indicatorId(w.service, teamId, 'A', 'B')).toBe(ind);
		expect(await countMeasurements(w.service, teamId)).toBe(0);
	});

	it('only the importer or a leader may undo, and only a committed import', async () => {
		const teamId = await freshTeam();
		await addMember(stack, teamId, w.organizer, 'organizer');
		const res = await importRows(w.member.client, teamId, weeks('A', 'B', 2));
		expectError(
			await w.organizer.client.rpc('undo_import', { import_id: res.import_id }),
			'P0001',
			'only the person who made an import or a team leader can undo it'
		);
		const staged = await stageImport(w.member.client, teamId, weeks('A', 'B', 2));
		expectError(
			await w.member.client.rpc('undo_import', { import_id: staged }),
			'P0001',
			'only a committed import can be undone'
		);
		ok(await w.leader.client.rpc('undo_import', { import_id: res.import_id }));
	});
});

describe('agency_target_summary', () => {
	it("judges each indicator's latest measurement against its target by direction", async () => {
		const teamId = await freshTeam();
		const a = await createAgency(w.member, teamId, 'Beta agency');
		const b = await createAgency(w.member, teamId, 'alpha agency');
		await createAgency(w.member, teamId, 'Empty agency');
		const up = await createIndicator(w.member, teamId, a, 'Up', { direction: 'up' });
		const down = await createIndicator(w.member, teamId, a, 'Down', { direction: 'down' });
		const near = await createIndicator(w.member, teamId, a, 'Near', { direction: 'target' });
		const goalOnly = await createIndicator(w.member, teamId, b, 'Goal only', { direction: 'up' });
		await createIndicator(w.member, teamId, b, 'No data');
		await createIndicator(w.member, teamId, b, 'No target');
		ok(
			await w.member.client.from('goals').insert([
				{
					team_id: teamId,
					indicator_id: goalOnly,
					statement: 'old',
					target_value: 1,
					target_date: '2020-01-01'
				},
				{
					team_id: teamId,
					indicator_id: goalOnly,
					statement: 'current',
					target_value: 90,
					target_date: '2025-01-01'
				}
			])
		);
		await importRows(
			w.member.client,
			teamId,
			[
				// The earlier week would be on target; only the latest counts.
				weekRow('Beta agency', 'Up', '2024-01-07', 100, { target: 95 }),
				weekRow('Beta agency', 'Up', '2024-01-14', 94.9, { target: 95 }),
				weekRow('Beta agency', 'Down', '2024-01-14', 4, { target: 4 }),
				weekRow('Beta agency', 'Near', '2024-01-21', 104.9, { target: 100 }),
				weekRow('alpha agency', 'Goal only', '2024-02-04', 89),
				weekRow('alpha agency', 'No target', '2024-02-11', 89)
			],
			{ createMissing: false }
		);
		const summary = ok(await w.member.client.rpc('agency_target_summary', { team_id: teamId }));
		expect(summary).toEqual([
			{
				agency_id: b,
				agency_name: 'alpha agency',
				indicators: 3,
				on_target: 0,
				off_target: 1,
				no_target: 2,
				latest_period: '2024-02-11'
			},
			{
				agency_id: a,
				agency_name: 'Beta agency',
				indicators: 3,
				on_target: 2,
				off_target: 1,
				no_target: 0,
				latest_period: '2024-01-21'
			},
			{
				agency_id: expect.any(String),
				agency_name: 'Empty agency',
				indicators: 0,
				on_target: 0,
				off_target: 0,
				no_target: 0,
				latest_period: null
			}
		]);
		void up;
		void down;
		void near;
		// Off by more than 5%: the "target" indicator flips.
		await importRows(w.member.client, teamId, [
			weekRow('Beta agency', 'Near', '2024-01-28', 94.9, { target: 100 })
		]);
		const again = ok(
			await w.member.client.rpc('agency_target_summary', { team_id: teamId })
		) as Array<{
			agency_name: string;
			on_target: number;
			off_target: number;
		}>;
		expect(again.find((r) => r.agency_name === 'Beta agency')).toMatchObject({
			on_target: 1,
			off_target: 2
		});
		for (const who of [w.outsider, w.orgAdmin]) {
			expectError(
				await who.client.rpc('agency_target_summary', { team_id: teamId }),
				'P0001',
				'only a member of the team can see its data'
			);
		}
	});
});

describe('indicator_series', () => {
	it('returns several indicators between two dates, for members only', async () => {
		const teamId = await freshTeam();
		await importRows(w.member.client, teamId, [
			...weeks('A', 'X', 5),
			...weeks('A', 'Y', 5, (i) => i * 2)
		]);
		const x = (await indicatorId(w.service, teamId, 'A', 'X'))!;
		const y = (await indicatorId(w.service, teamId, 'A', 'Y'))!;
		const rows = ok(
			await w.member.client.rpc('indicator_series', {
				indicator_ids: [x, y],
				from: '2024-01-14',
				to: '2024-01-21'
			})
		) as Array<{ indicator_id: string; period_end: string; value: number }>;
		// Ordered by indicator id, then period.
		const xs = [
			['x', '2024-01-14', 1],
			['x', '2024-01-21', 2]
		];
		const ys = [
			['y', '2024-01-14', 2],
			['y', '2024-01-21', 4]
		];
		expect(rows.map((r) => [r.indicator_id === x ? 'x' : 'y', r.period_end, r.value])).toEqual(
			x < y ? [...xs, ...ys] : [...ys, ...xs]
		);
		expect(ok(await w.member.client.rpc('indicator_series', { indicator_ids: [x] }))).toHaveLength(
			5
		);
		expect(ok(await w.outsider.client.rpc('indicator_series', { indicator_ids: [x, y] }))).toEqual(
			[]
		);
		expectError(await w.anon.rpc('indicator_series', { indicator_ids: [x] }), '42501');
	});
});

describe('imports longer than the API timeout', () => {
	// The import functions set statement_timeout = '10min', which the REST layer hoists into the
	// request (as PostgREST does). PGlite never cancels a statement (no timer signals in its
	// WebAssembly build), so only native PostgreSQL (SUPABASE_DB_URL) can show the difference.
	it.runIf(!!process.env.SUPABASE_DB_URL)(
		'stage, check, commit and undo outlive a role timeout shorter than they take',
		async () => {
			const teamId = await freshTeam();
			const day = (i: number) =>
				new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
			const rows = Array.from({ length: 20_000 }, (_, i) =>
				weekRow('Council', `Indicator ${i % 4}`, day(Math.floor(i / 4)), i)
			).map((r) => ((r[3] = r[4]), (r[5] = 'day'), r));
			const roleTimeout = stack.config.api.statementTimeout;
			stack.config.api.statementTimeout = '50ms';
			try {
				const importId = await stageImport(w.member.client, teamId, rows, { chunk: 20_000 });
				const check = ok(await w.member.client.rpc('check_import', { import_id: importId }));
				expect(check).toMatchObject({ staged: 20_000, inserts: 20_000 });
				const started = Date.now();
				const commit = ok(
					await w.member.client.rpc('commit_import', {
						import_id: importId,
						create_missing: true
					})
				) as CommitResult;
				expect(commit).toMatchObject({ inserted: 20_000, created_indicators: 4 });
				// Meaningful only because the commit took longer than the timeout it outlived.
				expect(Date.now() - started).toBeGreaterThan(50);
				const undo = ok(await w.member.client.rpc('undo_import', { import_id: importId }));
				expect(undo).toMatchObject({ deleted: 20_000 });
			} finally {
				stack.config.api.statementTimeout = roleTimeout;
			}
		}
	);
});
