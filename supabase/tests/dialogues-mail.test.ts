/**
 * Dialogues, part 4 (20261203000304_create_dialogue_mail.sql): the dialogue_mail table under RLS,
 * claiming due mail exactly once (also with two senders at the same time), retries and resends;
 * initiative progress as an agenda item, moving agenda items, and the pausable timer.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
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

let stack: TestStack;
let w: TeamWorld;
let template: string;
let soon: string;
let later: string;

type Claimed = {
	mail_id: string;
	mail_dialogue_id: string;
	mail_user_id: string;
	email: string;
	preferred_language: string;
};

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function schedule(title: string, startsAt: string): Promise<string> {
	return ok(
		await w.leader.client.rpc('schedule_dialogue', {
			team_id: w.teamId,
			template_id: template,
			title,
			starts_at: startsAt
		})
	) as string;
}

async function claim(args: Record<string, unknown>, client = w.service): Promise<Claimed[]> {
	return ok(await client.rpc('claim_dialogue_mail', args)) as Claimed[];
}

beforeAll(async () => {
	stack = await startTestStack();
	w = await teamWorld(stack);
	template = (
		ok(
			await w.leader.client
				.from('dialogue_templates')
				.select('id')
				.eq('key', 'diagnostic_dialogue')
				.single()
		) as { id: string }
	).id;
	soon = await schedule('Tomorrow morning', hoursFromNow(20));
	later = await schedule('Next week', hoursFromNow(24 * 6));
	// The member cannot come: no reminder for them.
	ok(
		await w.member.client
			.from('dialogue_rsvps')
			.insert({ team_id: w.teamId, dialogue_id: soon, user_id: w.member.userId, response: 'no' })
	);
});

afterAll(async () => {
	await stack?.stop();
});

describe('claiming dialogue mail', () => {
	it('is the service role’s alone', async () => {
		for (const client of [w.anon, w.leader.client, w.member.client] as SupabaseClient[]) {
			expectError(await client.rpc('claim_dialogue_mail', { kind: 'reminder' }), '42501');
			expectError(
				await client.rpc('finish_dialogue_mail', { mail_id: crypto.randomUUID() }),
				'42501'
			);
		}
	});

	it('claims reminders due within 24 hours once, for everyone who did not say no', async () => {
		// Two senders at once (two app processes): together they claim each reminder exactly once.
		const [a, b] = await Promise.all([claim({ kind: 'reminder' }), claim({ kind: 'reminder' })]);
		const all = [...a, ...b];
		expect(new Set(all.map((c) => c.mail_id)).size).toBe(all.length);
		expect(all.every((c) => c.mail_dialogue_id === soon)).toBe(true);
		const to = all.map((c) => c.mail_user_id).sort();
		expect(to).toEqual([w.leader.userId, w.organizer.userId].sort());
		const leaderMail = all.find((c) => c.mail_user_id === w.leader.userId)!;
		expect(leaderMail.email).toBe(w.leader.email);
		expect(leaderMail.preferred_language).toBe('en');
		for (const c of all) ok(await w.service.rpc('finish_dialogue_mail', { mail_id: c.mail_id }));
		expect(await claim({ kind: 'reminder' })).toEqual([]);
	});

	it('retries a failed mail, and sends now on a leader’s request', async () => {
		const mine = await claim({
			kind: 'reminder',
			dialogue_id: later,
			on_behalf_of: w.leader.userId
		});
		expect(mine.length).toBe(3);
		const failed = mine.find((c) => c.mail_user_id === w.member.userId)!;
		for (const c of mine) {
			ok(
				await w.service.rpc('finish_dialogue_mail', {
					mail_id: c.mail_id,
					error: c === failed ? '550 mailbox unavailable' : null
				})
			);
		}
		const retried = await claim({ kind: 'reminder', dialogue_id: later });
		expect(retried.map((c) => c.mail_user_id)).toEqual([w.member.userId]);
		const row = ok(
			await w.service
				.from('dialogue_mail')
				.select('status, attempts, error')
				.eq('id', failed.mail_id)
				.single()
		);
		expect(row).toEqual({ status: 'sending', attempts: 2, error: null });
	});

	it('refuses requests that make no sense, with a sentence', async () => {
		expectError(
			await w.service.rpc('claim_dialogue_mail', {
				kind: 'reminder',
				dialogue_id: later,
				on_behalf_of: w.member.userId
			}),
			'P0001',
			'only leaders and organizers send dialogue mail'
		);
		expectError(
			await w.service.rpc('claim_dialogue_mail', { kind: 'summary', dialogue_id: later }),
			'P0001',
			'the summary goes out once the dialogue is closed'
		);
		expectError(
			await w.service.rpc('claim_dialogue_mail', { kind: 'reminder', resend: true }),
			'P0001',
			'name the dialogue to send its mail now'
		);
	});

	it('sends the summary of a closed dialogue to every member once, and again on resend', async () => {
		const id = await schedule('Closed for mail', hoursFromNow(-1));
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		ok(
			await w.leader.client.rpc('close_dialogue', { dialogue_id: id, present: [w.leader.userId] })
		);
		const first = (await claim({ kind: 'summary' })).filter((c) => c.mail_dialogue_id === id);
		expect(first.map((c) => c.mail_user_id).sort()).toEqual(
			[w.leader.userId, w.organizer.userId, w.member.userId].sort()
		);
		for (const c of first) ok(await w.service.rpc('finish_dialogue_mail', { mail_id: c.mail_id }));
		expect((await claim({ kind: 'summary' })).filter((c) => c.mail_dialogue_id === id)).toEqual([]);
		const again = await claim({
			kind: 'summary',
			dialogue_id: id,
			resend: true,
			on_behalf_of: w.organizer.userId
		});
		expect(again.length).toBe(3);
	});
});

describe('dialogue_mail under RLS', () => {
	it('shows leaders and organizers their team’s mail, a member their own, others nothing', async () => {
		const all = ok(await w.service.from('dialogue_mail').select('user_id')) as Array<{
			user_id: string;
		}>;
		expect(all.length).toBeGreaterThan(3);
		for (const who of ['leader', 'organizer'] as const) {
			const seen = ok(await rolesOf(w)[who].client.from('dialogue_mail').select('user_id'));
			expect(seen).toHaveLength(all.length);
		}
		const own = ok(await w.member.client.from('dialogue_mail').select('user_id')) as Array<{
			user_id: string;
		}>;
		expect(own.length).toBeGreaterThan(0);
		expect(own.every((r) => r.user_id === w.member.userId)).toBe(true);
		for (const who of ['outsider', 'orgAdmin'] as const) {
			expect(ok(await rolesOf(w)[who].client.from('dialogue_mail').select('id'))).toEqual([]);
		}
		expectError(await w.anon.from('dialogue_mail').select('id'), '42501');
	});

	it('takes no writes from users', async () => {
		const row = {
			team_id: w.teamId,
			dialogue_id: later,
			user_id: w.leader.userId,
			kind: 'summary'
		};
		expectError(await w.leader.client.from('dialogue_mail').insert(row), '42501');
		expectError(
			await w.leader.client
				.from('dialogue_mail')
				.update({ status: 'sent' })
				.eq('dialogue_id', later),
			'42501'
		);
		expectError(
			await w.leader.client.from('dialogue_mail').delete().eq('dialogue_id', later),
			'42501'
		);
	});
});

describe('initiative progress on the agenda, and editing the agenda', () => {
	it('shows an initiative’s milestones and tasks live, only the team’s own', async () => {
		const initiative = (
			ok(
				await w.leader.client
					.from('initiatives')
					.insert({ team_id: w.teamId, title: 'Faster repairs', objective: 'Repairs in 28 days' })
					.select('id')
					.single()
			) as { id: string }
		).id;
		const m = (title: string, reached: boolean) => ({
			team_id: w.teamId,
			initiative_id: initiative,
			title,
			due_on: '2026-12-20',
			reached_on: reached ? '2026-12-01' : null
		});
		ok(await w.leader.client.from('milestones').insert([m('Petition', true), m('Meeting', false)]));
		ok(
			await w.leader.client.from('tasks').insert([
				{ team_id: w.teamId, initiative_id: initiative, title: 'Draft', status: 'done' },
				{ team_id: w.teamId, initiative_id: initiative, title: 'Collect', status: 'doing' }
			])
		);
		const item = (
			ok(
				await w.leader.client
					.from('agenda_items')
					.insert({
						team_id: w.teamId,
						dialogue_id: later,
						position: 50,
						title: 'Where the initiative stands',
						embed_kind: 'initiative',
						embed_ref: initiative
					})
					.select('id')
					.single()
			) as { id: string }
		).id;
		const embed = ok(await w.member.client.rpc('dialogue_embed', { agenda_item_id: item }));
		expect(embed).toEqual({
			kind: 'initiative',
			id: initiative,
			title: 'Faster repairs',
			objective: 'Repairs in 28 days',
			status: 'draft',
			milestones_total: 2,
			milestones_done: 1,
			tasks: { todo: 0, doing: 1, blocked: 0, done: 1 }
		});

		const otherTeam = await createTeam(w.outsider);
		const foreign = (
			ok(
				await w.outsider.client
					.from('initiatives')
					.insert({ team_id: otherTeam, title: 'Not yours' })
					.select('id')
					.single()
			) as { id: string }
		).id;
		expectError(
			await w.leader.client.from('agenda_items').update({ embed_ref: foreign }).eq('id', item),
			'P0001',
			'that initiative does not exist'
		);
	});

	it('moves an item up and down; members cannot', async () => {
		const before = ok(
			await w.leader.client
				.from('agenda_items')
				.select('id, position')
				.eq('dialogue_id', soon)
				.order('position')
		) as Array<{ id: string; position: number }>;
		ok(
			await w.leader.client.rpc('move_agenda_item', { agenda_item_id: before[1].id, direction: -1 })
		);
		const after = ok(
			await w.leader.client
				.from('agenda_items')
				.select('id')
				.eq('dialogue_id', soon)
				.order('position')
		) as Array<{ id: string }>;
		expect(after.slice(0, 2).map((a) => a.id)).toEqual([before[1].id, before[0].id]);
		// Already first: nothing to do.
		ok(
			await w.leader.client.rpc('move_agenda_item', { agenda_item_id: before[1].id, direction: -1 })
		);
		expectError(
			await w.member.client.rpc('move_agenda_item', { agenda_item_id: before[1].id, direction: 1 }),
			'42501'
		);
	});
});

describe('pausing the timer', () => {
	it('stops the clock for everyone and resumes where it was', async () => {
		const id = await schedule('Timed', hoursFromNow(0));
		ok(await w.leader.client.rpc('take_facilitation', { dialogue_id: id }));
		expectError(
			await w.member.client.rpc('pause_dialogue_timer', { dialogue_id: id }),
			'GW001',
			'someone else is facilitating this dialogue'
		);
		ok(await w.leader.client.rpc('pause_dialogue_timer', { dialogue_id: id }));
		const paused = ok(
			await w.member.client
				.from('dialogues')
				.select('phase_started_at, phase_paused_at')
				.eq('id', id)
				.single()
		) as { phase_started_at: string; phase_paused_at: string | null };
		expect(paused.phase_paused_at).not.toBeNull();
		await new Promise((r) => setTimeout(r, 300));
		ok(await w.leader.client.rpc('resume_dialogue_timer', { dialogue_id: id }));
		const resumed = ok(
			await w.member.client
				.from('dialogues')
				.select('phase_started_at, phase_paused_at')
				.eq('id', id)
				.single()
		) as { phase_started_at: string; phase_paused_at: string | null };
		expect(resumed.phase_paused_at).toBeNull();
		expect(
			Date.parse(resumed.phase_started_at) - Date.parse(paused.phase_started_at)
		).toBeGreaterThanOrEqual(250);
	});
});
