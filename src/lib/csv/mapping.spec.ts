import { describe, expect, it } from 'vitest';
import { profileColumn } from './columns.ts';
import { headerSignature, mappingFits, normaliseHeader, suggestMapping } from './mapping.ts';

describe('profileColumn', () => {
	it('tells numbers, periods, years, months, codes and text apart', () => {
		expect(profileColumn('v', 0, ['1,5', '2,25', 'ND']).kind).toBe('number');
		expect(profileColumn('v', 0, ['1,5', '2,25']).decimal.decimal).toBe('comma');
		expect(profileColumn('d', 0, ['2024-01', '2024-02']).kind).toBe('period');
		expect(profileColumn('d', 0, ['20230625', '20230702']).kind).toBe('period');
		expect(profileColumn('y', 0, ['2018', '2019']).kind).toBe('year');
		expect(profileColumn('m', 0, ['January', 'February']).kind).toBe('month');
		expect(profileColumn('c', 0, ['00123', '00456']).kind).toBe('code');
		expect(profileColumn('t', 0, ['Parks', 'Transit']).kind).toBe('text');
		expect(profileColumn('e', 0, ['', 'N/A']).kind).toBe('empty');
		const pct = profileColumn('p', 0, ['81%', '84%']);
		expect(pct).toMatchObject({ kind: 'number', percent: true });
		expect(profileColumn('d', 0, ['03/05/2024', '04/05/2024']).dateOrder.verdict).toBe('ambiguous');
	});
});

describe('suggestMapping: long format', () => {
	it("maps MTA's columns, preferring monthly figures over year-to-date", () => {
		const headers = [
			'INDICATOR_SEQ',
			'PARENT_SEQ',
			'AGENCY_NAME',
			'INDICATOR_NAME',
			'DESCRIPTION',
			'CATEGORY',
			'FREQUENCY',
			'DESIRED_CHANGE',
			'INDICATOR_UNIT',
			'DECIMAL_PLACES',
			'PERIOD_YEAR',
			'PERIOD_MONTH',
			'YTD_TARGET',
			'YTD_ACTUAL',
			'MONTHLY_TARGET',
			'MONTHLY_ACTUAL'
		];
		const rows = [
			[
				'391690',
				'0',
				'NYC Transit',
				'% of Completed Trips - NYCT Bus',
				'The percent of total scheduled trips completed',
				'Service Indicators',
				'M',
				'U',
				'%',
				'1',
				'2008',
				'1',
				'99.00',
				'99.07',
				'99.00',
				'99.07'
			],
			[
				'391690',
				'0',
				'NYC Transit',
				'% of Completed Trips - NYCT Bus',
				'The percent of total scheduled trips completed',
				'Service Indicators',
				'M',
				'U',
				'%',
				'1',
				'2008',
				'2',
				'99.00',
				'99.08',
				'99.00',
				'99.09'
			]
		];
		const s = suggestMapping(headers, rows);
		expect(s.mapping.format).toBe('long');
		expect(s.mapping.columns).toEqual({
			agency: 'AGENCY_NAME',
			indicator: 'INDICATOR_NAME',
			year: 'PERIOD_YEAR',
			month: 'PERIOD_MONTH',
			value: 'MONTHLY_ACTUAL',
			target: 'MONTHLY_TARGET',
			unit: 'INDICATOR_UNIT'
		});
		expect(s.decisions).toEqual([]);
	});

	it("maps the French barometer's columns", () => {
		const headers = [
			'mesure',
			'indicateur',
			'id_indicateur',
			'maille_geographique',
			'valeur_actuelle',
			'date_valeur_actuelle',
			'valeur_initiale',
			'date_valeur_initiale',
			'progression',
			'pourcentage_progression',
			'cible',
			'pourcentage_cible',
			'date_cible',
			'unite'
		];
		const rows = [
			[
				'Développer le vélo',
				'Linéaire de pistes cyclables',
				'IND-001',
				'national',
				'56589.0',
				'2022-09-30',
				'46000.0',
				'2020-12-31',
				'0.3',
				'30',
				'70000.0',
				'80',
				'2024-12-31',
				'km'
			],
			[
				'Rénover les logements',
				'Nombre de rénovations',
				'IND-002',
				'national',
				'',
				'2022-06-30',
				'1.2',
				'2020-12-31',
				'',
				'',
				'',
				'',
				'',
				'nombre'
			]
		];
		const s = suggestMapping(headers, rows);
		expect(s.mapping.columns).toMatchObject({
			program: 'mesure',
			indicator: 'indicateur',
			value: 'valeur_actuelle',
			period: 'date_valeur_actuelle',
			target: 'cible',
			unit: 'unite'
		});
		expect(s.mapping.columns.agency).toBeUndefined();
	});

	it('maps Spanish headers and asks about ambiguous dates', () => {
		const s = suggestMapping(
			['Organismo', 'Indicador', 'Fecha', 'Valor', 'Meta', 'Observaciones'],
			[
				['SAT', 'Trámites', '03/05/2024', '10', '12', ''],
				['SAT', 'Trámites', '04/05/2024', '11', '12', 'x']
			]
		);
		expect(s.mapping.columns).toEqual({
			agency: 'Organismo',
			indicator: 'Indicador',
			period: 'Fecha',
			value: 'Valor',
			target: 'Meta',
			note: 'Observaciones'
		});
		expect(s.decisions).toContainEqual({
			kind: 'date_order',
			column: 'Fecha',
			verdict: 'ambiguous'
		});
	});

	it('asks for what it cannot find', () => {
		const s = suggestMapping(['when', 'how many'], [['2024-01', '5']]);
		expect(s.mapping.columns).toMatchObject({ period: 'when', value: 'how many' });
		expect(s.decisions).toContainEqual({ kind: 'missing_field', field: 'indicator' });
	});

	it('flags ambiguous decimal separators and fiscal years', () => {
		const s = suggestMapping(
			['indicator', 'fiscal_yr', 'value'],
			[
				['Calls', '2017-2018', '1,234'],
				['Calls', '2018-2019', '2,000']
			]
		);
		expect(s.decisions).toContainEqual({ kind: 'decimal', column: 'value', basis: 'ambiguous' });
		expect(s.decisions).toContainEqual({ kind: 'fiscal_year_start', column: 'fiscal_yr' });
	});
});

describe('suggestMapping: wide format', () => {
	it('melts one column per period', () => {
		const s = suggestMapping(
			['Agency', 'Indicator', '2021', '2022', '2023'],
			[
				['Parks', 'Trees planted', '1200', '1350', 'N/A'],
				['Parks', 'Complaints closed (%)', '81%', '84%', '88%']
			]
		);
		expect(s.mapping.format).toBe('wide');
		expect(s.mapping.columns).toEqual({ agency: 'Agency', indicator: 'Indicator' });
		expect(s.mapping.melt?.by).toBe('period');
		expect(s.mapping.melt?.values.map((v) => [v.column, v.period?.start, v.period?.grain])).toEqual(
			[
				['2021', '2021-01-01', 'year'],
				['2022', '2022-01-01', 'year'],
				['2023', '2023-01-01', 'year']
			]
		);
	});
	it('melts one column per indicator when there is no indicator column', () => {
		const s = suggestMapping(
			['Month', 'Year', 'Grant Amount', 'Leveraged Resources', 'Month - Numeric', 'Year-Month'],
			[
				['January', '2011', '446,992.74', '1,200,000.00', '1', '2011-01'],
				['February', '2011', '12,000.00', '500.00', '2', '2011-02']
			]
		);
		expect(s.mapping.format).toBe('wide');
		expect(s.mapping.columns.period).toBe('Year-Month');
		expect(s.mapping.melt).toEqual({
			by: 'indicator',
			values: [
				{ column: 'Grant Amount', indicator: 'Grant Amount' },
				{ column: 'Leveraged Resources', indicator: 'Leveraged Resources' }
			]
		});
	});
});

describe('header signature', () => {
	it('ignores order, case, accents and punctuation, and tells different sets apart', () => {
		const a = headerSignature(['Indicateur', 'Valeur', 'Date']);
		expect(headerSignature(['date', 'VALEUR', 'indicateur'])).toBe(a);
		expect(headerSignature(['Indicateur ', 'Valeur', 'Date'])).toBe(a);
		expect(headerSignature(['Indicateur', 'Valeur', 'Date', 'Cible'])).not.toBe(a);
		expect(headerSignature(['Indicator', 'Valeur', 'Date'])).not.toBe(a);
		expect(a).toMatch(/^h1-3-[0-9a-f]{28}$/);
	});
	it('normalises names', () => {
		expect(normaliseHeader('WeekEndingDate')).toBe('week ending date');
		expect(normaliseHeader('PERIOD_YEAR')).toBe('period year');
		expect(normaliseHeader('Date de mise à jour')).toBe('date de mise a jour');
	});
	it('checks that a saved mapping still fits', () => {
		const m = { format: 'long' as const, columns: { indicator: 'a', value: 'b' } };
		expect(mappingFits(m, ['a', 'b', 'c'])).toBe(true);
		expect(mappingFits(m, ['a', 'c'])).toBe(false);
	});
});
