/**
 * Column mapping: which column is the agency, the indicator, the period (or year + month), the
 * value, the target… suggested from header names in English, French and Spanish and from what the
 * sample values look like. Detects wide files (one column per period, or one per indicator) and
 * describes how to melt them into long rows. A header signature finds saved mappings again.
 */
import { profileColumns, type ColumnProfile } from './columns.ts';
import { parsePeriod, type DateOrder, type Period } from './dates.ts';
import type { DecimalSeparator } from './numbers.ts';

export type MappingField =
	| 'agency'
	| 'program'
	| 'indicator'
	| 'period'
	| 'year'
	| 'month'
	| 'value'
	| 'target'
	| 'unit'
	| 'note';

export const MAPPING_FIELDS: readonly MappingField[] = [
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

/** One value column of a wide file and what it stands for. */
export interface MeltColumn {
	column: string;
	/** Wide by period: the period this column holds. */
	period?: Period;
	/** Wide by indicator: the indicator this column holds (its header, unless renamed). */
	indicator?: string;
}

export interface ColumnSettings {
	decimal?: DecimalSeparator;
	/** Day/month order for numeric dates in this column. */
	order?: DateOrder | null;
	/** Read "2011-12" as a fiscal year. */
	fiscal?: boolean;
}

export interface Mapping {
	/** `long`: one row = one measurement. `wide`: one row holds several (see `melt`). */
	format: 'long' | 'wide';
	/** Header name per field (a column used for at most one field). */
	columns: Partial<Record<MappingField, string>>;
	/** Wide files only: the value columns and how each becomes a row. */
	melt?: { by: 'period' | 'indicator'; values: MeltColumn[] };
	/** Values for the whole file when no column carries them ("all rows are agency X"). */
	constants?: { agency?: string; program?: string; indicator?: string; unit?: string };
	/** Per-column parse settings, keyed by header name. */
	settings?: Record<string, ColumnSettings>;
	/** First month of the fiscal year (default 7). */
	fiscalYearStartMonth?: number;
}

export type Decision =
	| { kind: 'date_order'; column: string; verdict: 'ambiguous' | 'conflict' }
	| { kind: 'decimal'; column: string; basis: 'ambiguous' | 'mixed' }
	| { kind: 'missing_field'; field: 'indicator' | 'period' | 'value' }
	| { kind: 'fiscal_year_start'; column: string };

export interface MappingSuggestion {
	mapping: Mapping;
	/** Score 0..1 per mapped field: how sure the suggestion is. */
	confidence: Partial<Record<MappingField, number>>;
	/** Questions the wizard must put to the user before validating. */
	decisions: Decision[];
	profiles: ColumnProfile[];
	signature: string;
}

/** Lowercase, accents folded, camelCase and snake_case split into words. */
export function normaliseHeader(h: string): string {
	return h
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
		.replace(/([a-zA-Z])(\d)/g, '$1 $2')
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

const PHRASES: Record<MappingField, string[]> = {
	agency: [
		'agency',
		'agency name',
		'department',
		'department name',
		'dept',
		'organisation',
		'organization',
		'ministry',
		'agence',
		'organisme',
		'ministere',
		'administration',
		'agencia',
		'organismo',
		'ministerio',
		'dependencia',
		'entity',
		'entite',
		'entidad',
		'authority',
		'operator',
		'provider'
	],
	program: [
		'program',
		'programme',
		'program name',
		'service',
		'service name',
		'programa',
		'servicio',
		'dispositif',
		'mesure',
		'politique',
		'politica'
	],
	indicator: [
		'indicator',
		'indicator name',
		'indicateur',
		'nom indicateur',
		'libelle indicateur',
		'indicador',
		'nombre indicador',
		'kpi',
		'metric',
		'metric name',
		'measure',
		'measure name',
		'performance measure',
		'service standard',
		'service std',
		'statistic',
		'series'
	],
	period: [
		'period',
		'date',
		'periode',
		'periodo',
		'fecha',
		'week ending date',
		'week ending',
		'week',
		'semaine',
		'year month',
		'fiscal year',
		'fiscal yr',
		'exercice',
		'quarter',
		'trimestre',
		'reporting period',
		'date valeur actuelle',
		'as of',
		'period ending',
		'time period',
		'time'
	],
	year: ['year', 'period year', 'annee', 'ano', 'anio', 'yr', 'calendar year', 'reporting year'],
	month: ['month', 'period month', 'mois', 'mes', 'month numeric', 'month number'],
	value: [
		'value',
		'actual',
		'monthly actual',
		'actual value',
		'result',
		'results',
		'valeur',
		'valeur actuelle',
		'valor',
		'resultado',
		'realise',
		'realisation',
		'observed',
		'count',
		'total',
		'amount',
		'number',
		'performance',
		'score',
		'rate',
		'data value',
		'obs value',
		'cantidad',
		'nombre',
		'montant',
		'indic va'
	],
	target: [
		'target',
		'monthly target',
		'goal',
		'objective',
		'cible',
		'objectif',
		'valeur cible',
		'meta',
		'objetivo',
		'benchmark',
		'standard target',
		'service std target',
		'target value',
		'indic vc'
	],
	unit: [
		'unit',
		'units',
		'unite',
		'unidad',
		'indicator unit',
		'unit of measure',
		'uom',
		'unite mesure'
	],
	note: [
		'note',
		'notes',
		'comment',
		'comments',
		'remark',
		'remarks',
		'commentaire',
		'commentaires',
		'remarque',
		'observation',
		'observations',
		'nota',
		'notas',
		'observacion',
		'observaciones',
		'footnote',
		'explanation'
	]
};

/** Words that make a header a worse match: YTD totals, baselines, ids, URLs, dates of a target. */
const PENALTY = new Set([
	'ytd',
	'cumulative',
	'cumul',
	'cumule',
	'initial',
	'initiale',
	'previous',
	'prior',
	'baseline',
	'pourcentage',
	'id',
	'code',
	'seq',
	'url',
	'description',
	'desc',
	'progression',
	'derniere'
]);
const DATE_WORDS = new Set(['date', 'fecha']);

function nameScore(field: MappingField, header: string): number {
	const h = normaliseHeader(header);
	const tokens = h.split(' ');
	const set = new Set(tokens);
	let best = 0;
	let matched: string[] = [];
	for (const phrase of PHRASES[field]) {
		const p = phrase.split(' ');
		let s = 0;
		if (h === phrase) s = 1;
		else if (p.every((t) => set.has(t))) s = 0.7 + 0.2 * (p.length / tokens.length);
		if (s > best) [best, matched] = [s, p];
	}
	if (best === 0) return 0;
	for (const t of tokens) {
		if (matched.includes(t)) continue;
		if (PENALTY.has(t)) best -= 0.4;
		if (DATE_WORDS.has(t) && field !== 'period') best -= 0.4;
		if (field === 'agency' && (t === 'type' || t === 'category')) best -= 0.4; // "DepartmentType"
	}
	return best;
}

/** How well the sample values fit the field (1 fits, 0 cannot be). */
function typeFit(field: MappingField, p: ColumnProfile): number {
	switch (field) {
		case 'value':
			return p.kind === 'number'
				? 1
				: p.kind === 'empty'
					? 0
					: p.numberRate >= 0.5 && p.kind === 'text'
						? 0.6
						: 0;
		case 'target':
			return p.kind === 'number'
				? 1
				: p.kind === 'empty'
					? 0.5
					: p.numberRate >= 0.5 && p.kind === 'text'
						? 0.6
						: 0;
		case 'period':
			// A well-named date column full of bad dates is still the date column (its errors get reported).
			return p.kind === 'period' || p.kind === 'year'
				? 1
				: p.periodRate >= 0.8
					? 0.9
					: p.periodRate >= 0.3
						? 0.7
						: 0;
		case 'year':
			return p.kind === 'year' ? 1 : 0;
		case 'month':
			return p.monthRate >= 0.9 ? 1 : 0;
		case 'agency':
		case 'indicator':
		case 'program':
			return p.kind === 'text' || p.kind === 'code' ? 1 : p.kind === 'empty' ? 0.2 : 0.4;
		case 'unit':
		case 'note':
			return p.kind === 'number' ? 0.4 : 1;
	}
}

const THRESHOLD = 0.5;

function assign(profiles: ColumnProfile[], fields: readonly MappingField[]) {
	const cands: { field: MappingField; col: ColumnProfile; score: number }[] = [];
	for (const col of profiles) {
		for (const field of fields) {
			const s = nameScore(field, col.name) * typeFit(field, col);
			if (s >= THRESHOLD) cands.push({ field, col, score: s });
		}
	}
	cands.sort((a, b) => b.score - a.score || a.col.index - b.col.index);
	const columns: Partial<Record<MappingField, string>> = {};
	const confidence: Partial<Record<MappingField, number>> = {};
	const used = new Set<number>();
	for (const c of cands) {
		if (columns[c.field] !== undefined || used.has(c.col.index)) continue;
		columns[c.field] = c.col.name;
		confidence[c.field] = Math.min(1, Math.round(c.score * 100) / 100);
		used.add(c.col.index);
	}
	return { columns, confidence, used, cands };
}

export interface SuggestOptions {
	/** Decimal separator for columns that never settle it (use 'comma' for ';'-separated files). */
	decimalFallback?: DecimalSeparator;
	fiscalYearStartMonth?: number;
}

/**
 * Suggest a mapping from the header and sample rows (the parse's `info.sampleRows`). The result
 * is a starting point for the mapping screen, with the questions it could not settle.
 */
export function suggestMapping(
	headers: string[],
	sampleRows: string[][],
	opts: SuggestOptions = {}
): MappingSuggestion {
	const profiles = profileColumns(headers, sampleRows, { decimalFallback: opts.decimalFallback });
	const signature = headerSignature(headers);
	const decisions: Decision[] = [];
	const settings: Record<string, ColumnSettings> = {};
	const fiscalYearStartMonth = opts.fiscalYearStartMonth;

	// Wide by period: several headers are themselves periods (2021, 2022, "Jan 2024", "2024-Q1").
	const periodHeaders = profiles
		.map((p) => ({ p, r: parsePeriod(p.name, { order: 'mdy', fiscalYearStartMonth }) }))
		.filter(
			({ p, r }) =>
				r.ok && r.value && (p.kind === 'number' || p.kind === 'empty' || p.numberRate >= 0.5)
		);
	let mapping: Mapping;
	let confidence: Partial<Record<MappingField, number>>;
	if (periodHeaders.length >= 2) {
		const periodIdx = new Set(periodHeaders.map((x) => x.p.index));
		const rest = profiles.filter((p) => !periodIdx.has(p.index));
		const a = assign(rest, ['agency', 'program', 'indicator', 'unit', 'note']);
		if (a.columns.indicator === undefined) {
			const text = rest.find((p) => !a.used.has(p.index) && p.kind === 'text');
			if (text) {
				a.columns.indicator = text.name;
				a.confidence.indicator = 0.4;
			}
		}
		mapping = {
			format: 'wide',
			columns: a.columns,
			melt: {
				by: 'period',
				values: periodHeaders.map(({ p, r }) => ({
					column: p.name,
					period: r.ok ? r.value! : undefined
				}))
			}
		};
		confidence = a.confidence;
		for (const { p } of periodHeaders) settings[p.name] = { decimal: p.decimal.decimal };
	} else {
		const a = assign(profiles, MAPPING_FIELDS);
		const { columns } = a;
		confidence = a.confidence;
		// One period column beats separate year and month columns (Chicago has all three).
		if (columns.period !== undefined && columns.year !== undefined) {
			const yearScore = confidence.year ?? 0;
			if ((confidence.period ?? 0) >= yearScore || columns.month === undefined) {
				delete columns.year;
				delete columns.month;
				delete confidence.year;
				delete confidence.month;
			} else {
				delete columns.period;
				delete confidence.period;
			}
		}
		if (columns.month !== undefined && columns.year === undefined) {
			delete columns.month;
			delete confidence.month;
		}
		const mapped = new Set(Object.values(columns));
		// Headers that name a date part are never indicators, even when numeric ("Month - Numeric").
		const timeLike = new Set(
			a.cands
				.filter((c) => c.field === 'period' || c.field === 'year' || c.field === 'month')
				.map((c) => c.col.name)
		);
		for (const p of profiles)
			if (nameScore('year', p.name) > 0.5 || nameScore('month', p.name) > 0.5) timeLike.add(p.name);
		const numeric = profiles.filter(
			(p) =>
				p.kind === 'number' &&
				!timeLike.has(p.name) &&
				(!mapped.has(p.name) || p.name === columns.value) &&
				!/\b(id|code|seq|key|zip|lat|latitude|lon|longitude)\b/.test(normaliseHeader(p.name))
		);
		const hasTime = columns.period !== undefined || columns.year !== undefined;
		if (!hasTime) {
			const only = profiles.filter(
				(p) => !mapped.has(p.name) && (p.kind === 'period' || p.kind === 'year')
			);
			if (only.length === 1) {
				columns.period = only[0].name;
				confidence.period = 0.4;
			}
		}
		if (columns.indicator === undefined && numeric.length >= 2) {
			// No indicator column and several numeric ones: each numeric column is an indicator.
			delete columns.value;
			delete confidence.value;
			delete columns.target;
			delete confidence.target;
			mapping = {
				format: 'wide',
				columns,
				melt: {
					by: 'indicator',
					values: numeric.map((p) => ({ column: p.name, indicator: p.name }))
				}
			};
		} else {
			if (columns.value === undefined) {
				const free = profiles.filter(
					(p) => p.kind === 'number' && !mapped.has(p.name) && !timeLike.has(p.name)
				);
				if (free.length === 1) {
					columns.value = free[0].name;
					confidence.value = 0.4;
				}
			}
			mapping = { format: 'long', columns };
		}
		for (const name of [columns.value, columns.target]) {
			const p = name === undefined ? undefined : profiles.find((x) => x.name === name);
			if (p) settings[p.name] = { decimal: p.decimal.decimal };
		}
		if (mapping.melt)
			for (const v of mapping.melt.values) {
				const p = profiles.find((x) => x.name === v.column)!;
				settings[p.name] = { decimal: p.decimal.decimal };
			}
		const periodCol =
			columns.period === undefined ? undefined : profiles.find((x) => x.name === columns.period);
		if (periodCol) {
			settings[periodCol.name] = {
				order: periodCol.dateOrder.order,
				fiscal: periodCol.fiscal || undefined
			};
			if (periodCol.dateOrder.verdict === 'ambiguous' || periodCol.dateOrder.verdict === 'conflict')
				decisions.push({
					kind: 'date_order',
					column: periodCol.name,
					verdict: periodCol.dateOrder.verdict
				});
			if (periodCol.fiscal || periodCol.grain === 'fiscal_year')
				decisions.push({ kind: 'fiscal_year_start', column: periodCol.name });
		}
	}
	for (const [name, s] of Object.entries(settings)) {
		const p = profiles.find((x) => x.name === name);
		if (s.decimal && p && (p.decimal.basis === 'ambiguous' || p.decimal.basis === 'mixed'))
			decisions.push({ kind: 'decimal', column: name, basis: p.decimal.basis });
	}
	const c = mapping.columns;
	if (c.indicator === undefined && mapping.melt?.by !== 'indicator')
		decisions.push({ kind: 'missing_field', field: 'indicator' });
	if (c.period === undefined && c.year === undefined && mapping.melt?.by !== 'period')
		decisions.push({ kind: 'missing_field', field: 'period' });
	if (c.value === undefined && !mapping.melt)
		decisions.push({ kind: 'missing_field', field: 'value' });
	mapping.settings = settings;
	if (fiscalYearStartMonth) mapping.fiscalYearStartMonth = fiscalYearStartMonth;
	return { mapping, confidence, decisions, profiles, signature };
}

/**
 * A stable fingerprint of a header set: names normalised (case, accents, punctuation), sorted, and
 * hashed, so a file with the same columns in another order or casing finds its saved mapping.
 */
export function headerSignature(headers: string[]): string {
	const canon = headers.map(normaliseHeader).sort().join('\u001f');
	return `h1-${headers.length}-${cyrb53(canon, 0).toString(16).padStart(14, '0')}${cyrb53(canon, 0x9e3779b9).toString(16).padStart(14, '0')}`;
}

/** cyrb53 (public domain): a fast 53-bit string hash, good enough to tell header sets apart. */
function cyrb53(str: string, seed: number): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < str.length; i++) {
		const ch = str.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Whether a saved mapping still fits a file: every column it names exists. */
export function mappingFits(mapping: Mapping, headers: string[]): boolean {
	const have = new Set(headers);
	const names = [
		...Object.values(mapping.columns),
		...(mapping.melt?.values.map((v) => v.column) ?? [])
	];
	return names.every((n) => n === undefined || have.has(n));
}
