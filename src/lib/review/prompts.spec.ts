import { describe, expect, it } from 'vitest';
import {
	absentPrompt,
	healthPrompts,
	quietPrompt,
	sizePrompt,
	type HealthMember,
	type RecentDialogue
} from './prompts.ts';

const member = (user_id: string, joined_at = '2026-01-01T00:00:00Z'): HealthMember => ({
	user_id,
	name: user_id.toUpperCase(),
	joined_at
});

function dialogue(
	day: number,
	attended: string[],
	turns: Record<string, number> = {}
): RecentDialogue {
	return {
		id: `d${day}`,
		starts_at: `2026-11-${String(day).padStart(2, '0')}T18:00:00Z`,
		attended,
		turns
	};
}

describe('absentPrompt', () => {
	const recent = [
		dialogue(1, ['a', 'b']),
		dialogue(8, ['a']),
		dialogue(15, ['a']),
		dialogue(22, ['a'])
	];

	it('flags a member who missed the last three dialogues', () => {
		expect(absentPrompt(member('b'), recent)).toEqual({
			kind: 'absent',
			user_id: 'b',
			name: 'B',
			missed: 3
		});
	});

	it('leaves a member who came to one of them', () => {
		expect(absentPrompt(member('b'), [...recent, dialogue(29, ['b'])])).toBeNull();
		expect(absentPrompt(member('a'), recent)).toBeNull();
	});

	it('counts only dialogues held since the member joined', () => {
		expect(absentPrompt(member('c', '2026-11-10T00:00:00Z'), recent)).toBeNull();
		expect(absentPrompt(member('c', '2026-11-01T00:00:00Z'), recent)).toMatchObject({
			kind: 'absent'
		});
	});
});

describe('quietPrompt', () => {
	it('flags a member under a third of an even share over the dialogues they attended', () => {
		const recent = [
			dialogue(1, ['a', 'b', 'c'], { a: 5, b: 4 }),
			dialogue(8, ['a', 'b', 'c'], { a: 4, b: 5 })
		];
		// Even share: 3 + 3 = 6 turns; c took none.
		expect(quietPrompt(member('c'), recent)).toEqual({
			kind: 'quiet',
			user_id: 'c',
			name: 'C',
			turns: 0,
			even: 6
		});
		expect(quietPrompt(member('b'), recent)).toBeNull();
	});

	it('waits for two dialogues with turns before judging', () => {
		expect(quietPrompt(member('c'), [dialogue(1, ['a', 'c'], { a: 6 })])).toBeNull();
		expect(
			quietPrompt(member('c'), [dialogue(1, ['a', 'c'], { a: 6 }), dialogue(8, ['a', 'c'])])
		).toBeNull();
	});

	it('does not flag a member at a third of an even share', () => {
		const recent = [
			dialogue(1, ['a', 'c'], { a: 5, c: 1 }),
			dialogue(8, ['a', 'c'], { a: 5, c: 1 })
		];
		expect(quietPrompt(member('c'), recent)).toBeNull();
	});
});

describe('healthPrompts', () => {
	it('names the size outside 6–8 to everyone', () => {
		expect(sizePrompt(9)).toEqual({ kind: 'large', size: 9 });
		expect(sizePrompt(5)).toEqual({ kind: 'small', size: 5 });
		expect([6, 7, 8].map(sizePrompt)).toEqual([null, null, null]);
		expect(healthPrompts(10, null, null)).toEqual([{ kind: 'large', size: 10 }]);
	});

	it('lists absences and quiet members, never both for one person', () => {
		const recent = [
			dialogue(1, ['a', 'b'], { a: 6 }),
			dialogue(8, ['a', 'b'], { a: 6 }),
			dialogue(15, ['a', 'b'], { a: 6 })
		];
		const prompts = healthPrompts(7, [member('a'), member('b'), member('c')], recent);
		expect(prompts.map((p) => [p.kind, 'user_id' in p ? p.user_id : null])).toEqual([
			['absent', 'c'],
			['quiet', 'b']
		]);
	});
});
