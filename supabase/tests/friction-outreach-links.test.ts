import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack.ts';
import {
	createTeam,
	expectError,
	ok,
	rolesOf,
	teamWorld,
	type TeamWorld
} from './helpers/teams.ts';
import { createAgency } from './helpers/agency.ts';

let stack: TestStack;
let w: TeamWorld;
let seed: { point: string; interaction: string; otherInteraction: string };

async function interaction(teamId: string, title: string): Promise<string> {
	const row = ok(
		await w.service
			.from('interactions')
			.insert({
				team_id: teamId,
				type: 'meeting',
				status: 'held',
				occurred_at: '2026-11-02T10:00:00Z',
				title
			})
			.select('id')
			.single()
	) as { id: string };
	return row.id;
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	const agency = await createAgency(w.leader, w.teamId, 'Health board');
	const point = ok(
		await w.leader.client
			.from('friction_points')
			.insert({ team_id: w.teamId, agency_id: agency, title: 'Long waits' })
			.select('id')
			.single()
	) as { id: string };
	const otherTeam = await createTeam(w.outsider, 'Another team');
	seed = {
		point: point.id,
		interaction: await interaction(w.teamId, 'Meeting with the board'),
		otherInteraction: await interaction(otherTeam, 'Their meeting')
	};
});

afterAll(async () => {
	await stack?.stop();
});

type Who = 'outsider' | 'orgAdmin' | 'member' | 'organizer' | 'leader';

const link = (
	interactionId = seed.interaction,
	note: string | null = 'They promised a review'
) => ({
	team_id: w.teamId,
	friction_point_id: seed.point,
	interaction_id: interactionId,
	note
});

async function clearLinks() {
	ok(await w.service.from('friction_point_interactions').delete().eq('team_id', w.teamId));
}

describe('friction_point_interactions', () => {
	it('anon is refused outright', async () => {
		expectError(await w.anon.from('friction_point_interactions').select('id'), '42501');
		expectError(await w.anon.from('friction_point_interactions').insert(link()), '42501');
	});

	it.each<Who>(['outsider', 'orgAdmin'])('the %s sees nothing and changes nothing', async (who) => {
		await clearLinks();
		const { id } = ok(
			await w.service.from('friction_point_interactions').insert(link()).select('id').single()
		) as { id: string };
		const c = rolesOf(w)[who].client;
		expect(ok(await c.from('friction_point_interactions').select('id'))).toEqual([]);
		expectError(await c.from('friction_point_interactions').insert(link()), '42501');
		expect(
			ok(await c.from('friction_point_interactions').update({ note: 'x' }).eq('id', id).select())
		).toEqual([]);
		expect(
			ok(await c.from('friction_point_interactions').delete().eq('id', id).select('id'))
		).toEqual([]);
		const kept = ok(
			await w.service.from('friction_point_interactions').select('note').eq('id', id).single()
		) as { note: string };
		expect(kept.note).toBe('They promised a review');
	});

	it.each<Who>(['member', 'organizer', 'leader'])(
		'a %s cites an interaction, changes the note and removes it',
		async (who) => {
			await clearLinks();
			const c = rolesOf(w)[who].client;
			const created = ok(
				await c.from('friction_point_interactions').insert(link()).select('id, note').single()
			) as { id: string; note: string };
			expect(created.note).toBe('They promised a review');
			const embedded = ok(
				await c
					.from('friction_point_interactions')
					.select('note, interactions(title)')
					.eq('friction_point_id', seed.point)
			);
			expect(embedded).toEqual([
				{ note: 'They promised a review', interactions: { title: 'Meeting with the board' } }
			]);
			expect(
				ok(
					await c
						.from('friction_point_interactions')
						.update({ note: '  Review due in March  ' })
						.eq('id', created.id)
						.select('note')
				)
			).toEqual([{ note: 'Review due in March' }]);
			expect(
				ok(await c.from('friction_point_interactions').delete().eq('id', created.id).select('id'))
			).toEqual([{ id: created.id }]);
		}
	);

	it('the service role reads and writes everything', async () => {
		await clearLinks();
		const { id } = ok(
			await w.service.from('friction_point_interactions').insert(link()).select('id').single()
		) as { id: string };
		ok(await w.service.from('friction_point_interactions').update({ note: 'Seen' }).eq('id', id));
		ok(await w.service.from('friction_point_interactions').delete().eq('id', id));
		expect(
			ok(await w.service.from('friction_point_interactions').select('id').eq('id', id))
		).toEqual([]);
	});
});

describe('bad links', () => {
	it("refuses another team's interaction with a sentence", async () => {
		await clearLinks();
		expectError(
			await w.member.client.from('friction_point_interactions').insert(link(seed.otherInteraction)),
			'P0001',
			'that interaction does not exist'
		);
	});

	it('refuses the same interaction twice', async () => {
		await clearLinks();
		ok(await w.member.client.from('friction_point_interactions').insert(link()));
		expectError(
			await w.member.client.from('friction_point_interactions').insert(link()),
			'P0001',
			'that interaction is already cited by this friction point'
		);
	});

	it('refuses a note that is too long', async () => {
		await clearLinks();
		expectError(
			await w.member.client
				.from('friction_point_interactions')
				.insert(link(seed.interaction, 'x'.repeat(2001))),
			'P0001',
			'the note can be at most 2000 characters'
		);
	});

	it('goes with the interaction when the interaction is deleted', async () => {
		await clearLinks();
		const extra = await interaction(w.teamId, 'A call');
		ok(await w.member.client.from('friction_point_interactions').insert(link(extra)));
		ok(await w.service.from('interactions').delete().eq('id', extra));
		expect(
			ok(
				await w.service.from('friction_point_interactions').select('id').eq('interaction_id', extra)
			)
		).toEqual([]);
	});

	it('refuses changes while the team is archived', async () => {
		await clearLinks();
		ok(
			await w.service
				.from('teams')
				.update({ archived_at: new Date().toISOString() })
				.eq('id', w.teamId)
		);
		try {
			expectError(
				await w.member.client.from('friction_point_interactions').insert(link()),
				'P0001',
				/archived/
			);
		} finally {
			ok(await w.service.from('teams').update({ archived_at: null }).eq('id', w.teamId));
		}
	});
});

describe('pressure points naming an official', () => {
	const official = async (teamId: string, name: string, office = 'Transit board') =>
		(
			ok(
				await w.service
					.from('officials')
					.insert({ team_id: teamId, name, office })
					.select('id')
					.single()
			) as { id: string }
		).id;
	const pressure = (official_id: string | null) => ({
		team_id: w.teamId,
		friction_point_id: seed.point,
		kind: 'official',
		target: 'The transit director',
		leverage: 4,
		achievability: 3,
		salience: 2,
		official_id
	});

	it('a member names one of the team’s officials, and can change or clear it', async () => {
		const first = await official(w.teamId, 'Dana Director');
		const second = await official(w.teamId, 'Pat Deputy');
		const row = ok(
			await w.member.client
				.from('pressure_points')
				.insert(pressure(first))
				.select('id, officials!pressure_points_official_id_team_id_fkey(name)')
				.single()
		) as { id: string; officials: { name: string } };
		expect(row.officials).toEqual({ name: 'Dana Director' });
		expect(
			ok(
				await w.member.client
					.from('pressure_points')
					.update({ official_id: second })
					.eq('id', row.id)
					.select('official_id')
			)
		).toEqual([{ official_id: second }]);
		expect(
			ok(
				await w.member.client
					.from('pressure_points')
					.update({ official_id: null })
					.eq('id', row.id)
					.select('official_id')
			)
		).toEqual([{ official_id: null }]);
	});

	it("refuses another team's official", async () => {
		const otherTeam = ok(
			await w.service.from('teams').select('id').neq('id', w.teamId).limit(1).single()
		) as { id: string };
		const theirs = await official(otherTeam.id, 'Their official');
		expectError(await w.member.client.from('pressure_points').insert(pressure(theirs)), '23503');
	});

	it('keeps the pressure point, with its wording, when the official is deleted', async () => {
		const gone = await official(w.teamId, 'Leaving Official');
		const row = ok(
			await w.member.client.from('pressure_points').insert(pressure(gone)).select('id').single()
		) as { id: string };
		ok(await w.service.from('officials').delete().eq('id', gone));
		expect(
			ok(
				await w.member.client.from('pressure_points').select('target, official_id').eq('id', row.id)
			)
		).toEqual([{ target: 'The transit director', official_id: null }]);
	});

	it('follows a merged-away official to the one that was kept', async () => {
		const keep = await official(w.teamId, 'Sam Same');
		// A duplicate entered under an older office name.
		const dup = await official(w.teamId, 'Sam Same', 'Transit commission');
		const row = ok(
			await w.member.client.from('pressure_points').insert(pressure(dup)).select('id').single()
		) as { id: string };
		ok(await w.leader.client.rpc('merge_officials', { keep_id: keep, remove_id: dup }));
		expect(
			ok(await w.member.client.from('pressure_points').select('official_id').eq('id', row.id))
		).toEqual([{ official_id: keep }]);
	});
});
