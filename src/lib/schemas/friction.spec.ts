import { describe, expect, it } from 'vitest';
import { fieldErrors } from './form.ts';
import {
	CauseForm,
	DocumentForm,
	ForceForm,
	FrictionPointForm,
	PressureForm,
	StatusForm
} from './friction.ts';

const pressure = {
	kind: 'official',
	target: ' Chief executive ',
	leverage: '5',
	achievability: '2',
	salience: '4'
};

describe('friction forms', () => {
	it('takes whole scores from 1 to 5 and says which one is wrong', () => {
		const ok = PressureForm.safeParse(pressure);
		expect(ok.success && ok.data).toEqual({
			kind: 'official',
			target: 'Chief executive',
			official_id: null,
			description: null,
			leverage: 5,
			achievability: 2,
			salience: 4
		});
		for (const [field, value] of [
			['leverage', '7'],
			['achievability', '0'],
			['salience', '2.5'],
			['leverage', ''],
			['salience', 'high']
		]) {
			const bad = PressureForm.safeParse({ ...pressure, [field]: value });
			expect(bad.success).toBe(false);
			expect(Object.keys(fieldErrors(bad.error!))).toEqual([field]);
			expect(fieldErrors(bad.error!)[field]).toMatch(/must be a whole number from 1 to 5/);
		}
		const weight = ForceForm.safeParse({ direction: 'driving', description: 'x', weight: '6' });
		expect(fieldErrors(weight.error!)).toEqual({
			weight: 'The weight must be a whole number from 1 to 5.'
		});
	});

	it('reads a friction point: blanks are null, people as typed, the rating bounded', () => {
		const ok = FrictionPointForm.safeParse({
			title: ' Long waits ',
			goal_id: '',
			people_affected: '1,200',
			team_rating: '4',
			owner_id: ''
		});
		expect(ok.success && ok.data).toMatchObject({
			title: 'Long waits',
			goal_id: null,
			people_affected: 1200,
			team_rating: 4,
			owner_id: null,
			observed: null
		});
		const bad = FrictionPointForm.safeParse({ title: '', people_affected: '-3', team_rating: '9' });
		expect(Object.keys(fieldErrors(bad.error!)).sort()).toEqual([
			'people_affected',
			'team_rating',
			'title'
		]);
	});

	it('refuses non-web document addresses and unreadable dates', () => {
		const bad = DocumentForm.safeParse({
			title: 'Plan',
			url: 'javascript:alert(1)',
			document_date: '31/03/2024'
		});
		expect(Object.keys(fieldErrors(bad.error!)).sort()).toEqual(['document_date', 'url']);
		const ok = DocumentForm.safeParse({
			title: 'Plan',
			url: 'https://example.org/p.pdf',
			sensitive: 'on'
		});
		expect(ok.success && ok.data).toMatchObject({ sensitive: true, document_date: null });
	});

	it('knows the statuses and that a cause needs words', () => {
		expect(StatusForm.safeParse({ status: 'raised', note: '' }).success).toBe(true);
		expect(StatusForm.safeParse({ status: 'forgotten' }).success).toBe(false);
		expect(CauseForm.safeParse({ statement: '  ', parent_id: '' }).success).toBe(false);
		expect(CauseForm.safeParse({ statement: 'x', parent_id: 'not-an-id' }).success).toBe(false);
	});
});
