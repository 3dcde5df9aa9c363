/**
 * Changes the mapping screen makes, as pure functions returning a new mapping (the page keeps the
 * mapping in one $state and replaces it), and what is still missing before the rows can be checked.
 */
import type { ColumnProfile } from '../csv/columns.ts';
import type { DateOrder } from '../csv/dates.ts';
import type { Mapping, MappingField, MappingSuggestion } from '../csv/mapping.ts';
import type { DecimalSeparator } from '../csv/numbers.ts';

export type Layout = 'long' | 'wide-period' | 'wide-indicator';

export function layoutOf(m: Mapping): Layout {
	if (m.format === 'wide' && m.melt)
		return m.melt.by === 'period' ? 'wide-period' : 'wide-indicator';
	return 'long';
}

/** Fields the mapping screen offers for a layout (wide layouts take value/period from headers). */
export function fieldsFor(layout: Layout): MappingField[] {
	const all: MappingField[] = [
		'agency',
		'program',
		'indicator',
		'period',
		'year',
		'month',
		'value',
		'target',
		'unit',
		'note'
	];
	if (layout === 'wide-period')
		return all.filter((f) => !['period', 'year', 'month', 'value', 'target'].includes(f));
	if (layout === 'wide-indicator')
		return all.filter((f) => !['indicator', 'value', 'target'].includes(f));
	return all;
}

/**
 * Switch layout. Wide layouts come back from the suggestion (which columns are values, what each
 * stands for); long drops the melt and keeps the columns mapped so far.
 */
export function withLayout(m: Mapping, layout: Layout, suggestion: MappingSuggestion): Mapping {
	if (layout === 'long') {
		const { melt: _melt, ...rest } = m;
		return { ...rest, format: 'long' };
	}
	const by = layout === 'wide-period' ? 'period' : 'indicator';
	const melt = suggestion.mapping.melt?.by === by ? suggestion.mapping.melt : undefined;
	if (!melt) return m;
	const allowed = new Set(fieldsFor(layout));
	const columns: Mapping['columns'] = {};
	const meltColumns = new Set(melt.values.map((v) => v.column));
	for (const [field, column] of Object.entries(m.columns) as [MappingField, string][])
		if (allowed.has(field) && !meltColumns.has(column)) columns[field] = column;
	return {
		...m,
		format: 'wide',
		columns,
		melt,
		settings: { ...suggestion.mapping.settings, ...m.settings }
	};
}

/** Map `field` to `column` (or to nothing); a column serves one field, so others let go of it. */
export function withField(
	m: Mapping,
	field: MappingField,
	column: string | null,
	profiles: ColumnProfile[] = []
): Mapping {
	const columns: Mapping['columns'] = {};
	for (const [f, c] of Object.entries(m.columns) as [MappingField, string][])
		if (f !== field && c !== column) columns[f] = c;
	if (column) columns[field] = column;
	const settings = { ...m.settings };
	if (column && (field === 'value' || field === 'target') && !settings[column]?.decimal) {
		const p = profiles.find((x) => x.name === column);
		settings[column] = { ...settings[column], decimal: p?.decimal.decimal ?? 'dot' };
	}
	if (column && field === 'period' && settings[column]?.order === undefined) {
		const p = profiles.find((x) => x.name === column);
		if (p) settings[column] = { ...settings[column], order: p.dateOrder.order, fiscal: p.fiscal };
	}
	return { ...m, columns, settings };
}

export type ConstantKey = 'agency' | 'program' | 'indicator' | 'unit';

export function withConstant(m: Mapping, key: ConstantKey, value: string): Mapping {
	const constants = { ...m.constants };
	const v = value.trim();
	if (v) constants[key] = v;
	else delete constants[key];
	return { ...m, constants };
}

export function withDateOrder(m: Mapping, column: string, order: DateOrder): Mapping {
	return { ...m, settings: { ...m.settings, [column]: { ...m.settings?.[column], order } } };
}

export function withDecimal(m: Mapping, column: string, decimal: DecimalSeparator): Mapping {
	return { ...m, settings: { ...m.settings, [column]: { ...m.settings?.[column], decimal } } };
}

export function withFiscalStart(m: Mapping, month: number): Mapping {
	return { ...m, fiscalYearStartMonth: month };
}

/** The value columns whose decimal separator the user may set (value, target, melted columns). */
export function numberColumns(m: Mapping): string[] {
	const out = [m.columns.value, m.columns.target].filter((c): c is string => Boolean(c));
	for (const v of m.melt?.values ?? []) out.push(v.column);
	return out;
}

export type Missing = 'agency' | 'indicator' | 'period' | 'value';

/**
 * What the rows cannot do without: an agency (a column or one for the whole file: every
 * indicator belongs to an agency), an indicator, a period and a value, each unless the layout
 * supplies it.
 */
export function missingFields(m: Mapping): Missing[] {
	const c = m.columns;
	const k = m.constants ?? {};
	const out: Missing[] = [];
	if (!c.agency && !k.agency) out.push('agency');
	if (!c.indicator && !k.indicator && m.melt?.by !== 'indicator') out.push('indicator');
	if (!c.period && !c.year && m.melt?.by !== 'period') out.push('period');
	if (!c.value && !m.melt) out.push('value');
	return out;
}

/** Stable text of a mapping, to tell whether the rows need checking again. */
export function mappingKey(m: Mapping): string {
	return JSON.stringify(m, (_k, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
			: v
	);
}
