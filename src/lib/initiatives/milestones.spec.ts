import { describe, expect, it } from 'vitest';
import { milestoneProgress } from './milestones.ts';

const ms = (id: string, reached_on: string | null = null) => ({
	id,
	title: id,
	due_on: '2026-06-01',
	reached_on
});

describe('milestoneProgress', () => {
	it('is the share of its tasks done', () => {
		const [p] = milestoneProgress(
			[ms('a')],
			[
				{ milestone_id: 'a', status: 'done' },
				{ milestone_id: 'a', status: 'doing' },
				{ milestone_id: 'a', status: 'todo' },
				{ milestone_id: 'a', status: 'done' },
				{ milestone_id: null, status: 'done' }
			]
		);
		expect(p).toMatchObject({ tasks: 4, done: 2, percent: 50 });
	});

	it('is 100% once reached and 0% without tasks', () => {
		expect(milestoneProgress([ms('a', '2026-05-30'), ms('b')], []).map((p) => p.percent)).toEqual([
			100, 0
		]);
	});
});
