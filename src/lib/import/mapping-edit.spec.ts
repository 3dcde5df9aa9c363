import { describe, expect, it } from 'vitest';
import { suggestMapping, type Mapping } from '../csv/mapping.ts';
import {
	fieldsFor,
	layoutOf,
	mappingKey,
	missingFields,
	numberColumns,
	withConstant,
	withDateOrder,
	withField,
	withLayout
} from './mapping-edit.ts';

const headers = ['Week', 'Location', 'Attendances', 'Within 4 hours'];
const rows = [
	['2024-01-07', 'A210H', '814', '624'],
	['2024-01-07', 'A111H', '1347', '1115'],
	['2024-01-14', 'A210H', '800', '610']
];

describe('mapping screen edits', () => {
	const suggestion = suggestMapping(headers, rows);

	it('starts from the suggestion: a wide file, one column per indicator', () => {
		expect(layoutOf(suggestion.mapping)).toBe('wide-indicator');
		expect(fieldsFor('wide-indicator')).not.toContain('value');
		expect(numberColumns(suggestion.mapping)).toEqual(['Attendances', 'Within 4 hours']);
	});

	it('switches to long and maps the indicator and value columns; each column serves one field', () => {
		let m = withLayout(suggestion.mapping, 'long', suggestion);
		expect(m.melt).toBeUndefined();
		expect(m.format).toBe('long');
		expect(missingFields(m)).toEqual(['agency', 'indicator', 'value']);
		m = withField(m, 'indicator', 'Location', suggestion.profiles);
		m = withField(m, 'value', 'Within 4 hours', suggestion.profiles);
		m = withConstant(m, 'agency', '  Public Health Scotland ');
		expect(m.constants?.agency).toBe('Public Health Scotland');
		expect(m.settings?.['Within 4 hours']?.decimal).toBe('dot');
		expect(missingFields(m)).toEqual([]);
		m = withField(m, 'note', 'Location');
		expect(m.columns.indicator).toBeUndefined();
		expect(m.columns.note).toBe('Location');
		expect(withConstant(m, 'agency', ' ').constants?.agency).toBeUndefined();
	});

	it('goes back to the suggested wide layout', () => {
		const long = withLayout(suggestion.mapping, 'long', suggestion);
		const wide = withLayout(long, 'wide-indicator', suggestion);
		expect(wide.melt).toEqual(suggestion.mapping.melt);
		expect(wide.columns.period).toBe('Week');
	});

	it('sets the date order and tells changed mappings apart regardless of key order', () => {
		const m: Mapping = { format: 'long', columns: { period: 'Week', value: 'Attendances' } };
		const dmy = withDateOrder(m, 'Week', 'dmy');
		expect(dmy.settings?.Week?.order).toBe('dmy');
		expect(mappingKey(dmy)).not.toBe(mappingKey(m));
		const reordered: Mapping = {
			columns: { value: 'Attendances', period: 'Week' },
			format: 'long'
		};
		expect(mappingKey(reordered)).toBe(mappingKey(m));
	});
});
