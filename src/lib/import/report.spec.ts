import { describe, expect, it } from 'vitest';
import type { RowError } from '../csv/validate.ts';
import { errorReportCsv, errorsForStorage, reportFileName } from './report.ts';

const err = (row: number, value = 'soon'): RowError => ({
	row,
	column: 'period',
	reason: 'not_a_date',
	value,
	message: `"${value}" in "period" is not a date or period this importer understands.`
});

describe('error report', () => {
	it('one line per problem: row, column, reason, message, value', () => {
		const csv = errorReportCsv([err(4), { ...err(7), column: null, reason: 'duplicate' }]);
		const lines = csv
			.replace(/^\ufeff/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe('row,column,reason,message,value');
		expect(lines[1]).toBe(
			'4,period,not_a_date,"""soon"" in ""period"" is not a date or period this importer understands.",soon'
		);
		expect(lines[2].startsWith('7,,duplicate,')).toBe(true);
	});

	it('neutralises formulas from a hostile file, even followed by a line break', () => {
		const csv = errorReportCsv([err(2, '=HYPERLINK("http://x")\nrest'), err(3, '@SUM(A1)')]);
		expect(csv).toContain(`"'=HYPERLINK(""http://x"")\nrest"`);
		expect(csv).toContain(`'@SUM(A1)`);
	});

	it('takes translated headers', () => {
		const csv = errorReportCsv([], {
			row: 'fila',
			column: 'columna',
			reason: 'motivo',
			message: 'mensaje',
			value: 'valor'
		});
		expect(csv).toBe('\ufefffila,columna,motivo,mensaje,valor\r\n');
	});

	it('names the report after the file', () => {
		expect(reportFileName('weekly A&E.csv')).toBe('weekly-A-E-errors.csv');
		expect(reportFileName('.csv')).toBe('import-errors.csv');
	});
});

describe('errors kept with the import', () => {
	it('caps by count and says so', () => {
		const out = errorsForStorage(
			Array.from({ length: 30 }, (_, i) => err(i + 2)),
			10
		);
		expect(out.errors).toHaveLength(10);
		expect(out.truncated).toBe(true);
	});

	it('caps by bytes so the request fits the server limit', () => {
		const many = Array.from({ length: 5000 }, (_, i) => err(i + 2, 'x'.repeat(150)));
		const out = errorsForStorage(many, 10_000, 100_000);
		expect(out.truncated).toBe(true);
		expect(JSON.stringify(out.errors).length).toBeLessThan(100_000);
	});

	it('shortens long values and keeps everything when it fits', () => {
		const out = errorsForStorage([err(2, 'y'.repeat(500))]);
		expect(out.truncated).toBe(false);
		expect(out.errors[0].value).toHaveLength(201);
	});
});
