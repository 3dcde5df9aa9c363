import { describe, expect, it } from 'vitest';
import { frictionRefusal } from './friction-messages.ts';

describe('friction messages', () => {
	it('puts the database’s refusals beside the field they concern', () => {
		// The sentences as friction.ts returns them (the trigger's, first letter capitalised).
		expect(frictionRefusal('Leverage must be a whole number from 1 to 5')).toEqual({
			leverage: 'Leverage must be a whole number from 1 to 5.'
		});
		expect(frictionRefusal('Public salience must be a whole number from 1 to 5')).toEqual({
			salience: 'Public salience must be a whole number from 1 to 5.'
		});
		expect(
			frictionRefusal('A cause cannot sit under itself or under one of its own causes')
		).toEqual({
			parent_id: 'A cause cannot sit under itself or under one of its own causes: choose another.'
		});
		expect(frictionRefusal('The parent cause belongs to another friction point')).toEqual({
			parent_id: 'Choose a cause of this friction point.'
		});
		expect(frictionRefusal('That indicator does not exist')).toEqual({
			indicator_id: "Choose one of the team's indicators."
		});
		expect(frictionRefusal("The indicator must be one of the agency's")).toEqual({
			goal_id: "Choose one of this agency's stated goals, or none."
		});
		expect(frictionRefusal('This team is archived: unarchive it before changing its data')).toEqual(
			{ form: 'This team is archived: its friction map can be read but not changed.' }
		);
	});

	it('keeps an unknown sentence on the form as the database wrote it', () => {
		expect(frictionRefusal('Something new went wrong')).toEqual({
			form: 'Something new went wrong'
		});
	});
});
