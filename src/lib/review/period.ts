/**
 * The review's period, as the URL carries it: `?period=3m|12m|all` for the presets, or
 * `?period=custom&from=YYYY-MM-DD&to=YYYY-MM-DD` (or just `?from=&to=`) for a custom range (either
 * end may be left out: no start means from the team's first record, no end means today). Pure, so the page, the printable version and
 * the tests read it the same way.
 */

export const PRESETS = ['3m', '12m', 'all'] as const;
export type Preset = (typeof PRESETS)[number];
export type PeriodKind = Preset | 'custom';

export const DEFAULT_PRESET: Preset = '12m';

export interface Period {
	kind: PeriodKind;
	/** First day, or null for "from the first record". */
	from: string | null;
	/** Last day. */
	to: string;
}

/** Why a custom range was refused, per field. */
export type PeriodProblem = 'date_invalid' | 'date_future' | 'order' | 'too_long';

export type PeriodResult =
	| { ok: true; period: Period }
	| {
			ok: false;
			/** What was typed, to show it again. */
			values: { from: string; to: string };
			errors: { from?: PeriodProblem; to?: PeriodProblem };
	  };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The longest custom range the database accepts (twenty years). */
export const MAX_DAYS = 366 * 20;

/** The date as 'YYYY-MM-DD' when it is a real calendar day, else null. */
export function parseDay(value: string): string | null {
	const match = ISO.exec(value.trim());
	if (!match) return null;
	const [, y, mo, d] = match.map(Number);
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
		return null;
	return date.toISOString().slice(0, 10);
}

/** `months` calendar months before `day` (the 31st becomes the month's last day), plus one day. */
export function monthsBefore(day: string, months: number): string {
	const [y, m, d] = day.split('-').map(Number);
	const first = new Date(Date.UTC(y, m - 1 - months, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	const date = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)));
	date.setUTCDate(date.getUTCDate() + 1);
	return date.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The period a preset means on `today`. */
export function presetPeriod(kind: Preset, today: string): Period {
	if (kind === 'all') return { kind, from: null, to: today };
	return { kind, from: monthsBefore(today, kind === '3m' ? 3 : 12), to: today };
}

/** Reads the period from the URL's query; a bad custom range comes back with a problem per field. */
export function parsePeriod(params: URLSearchParams, today: string): PeriodResult {
	const rawFrom = params.get('from')?.trim() ?? '';
	const rawTo = params.get('to')?.trim() ?? '';
	// A chosen preset wins over the date fields, which the form always sends.
	const preset = PRESETS.find((p) => p === params.get('period'));
	if (preset) return { ok: true, period: presetPeriod(preset, today) };
	if (!rawFrom && !rawTo) return { ok: true, period: presetPeriod(DEFAULT_PRESET, today) };
	const errors: { from?: PeriodProblem; to?: PeriodProblem } = {};
	const from = rawFrom ? parseDay(rawFrom) : null;
	const to = rawTo ? parseDay(rawTo) : today;
	if (rawFrom && !from) errors.from = 'date_invalid';
	if (!to) errors.to = 'date_invalid';
	else if (to > today) errors.to = 'date_future';
	if (from && to && !errors.to) {
		if (from > to) errors.from = 'order';
		else if (daysBetween(from, to) > MAX_DAYS) errors.from = 'too_long';
	}
	if (errors.from || errors.to) return { ok: false, values: { from: rawFrom, to: rawTo }, errors };
	return { ok: true, period: { kind: 'custom', from, to: to! } };
}

/** The query string that selects `period` (for links between the review pages). */
export function periodQuery(period: Period): string {
	if (period.kind !== 'custom') return `?period=${period.kind}`;
	const q = new URLSearchParams({ period: 'custom' });
	if (period.from) q.set('from', period.from);
	q.set('to', period.to);
	return `?${q.toString()}`;
}

/** The 'YYYY-MM' months from `from` to `to`, inclusive. */
export function monthsOf(from: string, to: string): string[] {
	const out: string[] = [];
	let [y, m] = from.split('-').map(Number);
	const [ty, tm] = to.split('-').map(Number);
	while (y < ty || (y === ty && m <= tm)) {
		out.push(`${y}-${String(m).padStart(2, '0')}`);
		m++;
		if (m > 12) {
			m = 1;
			y++;
		}
	}
	return out;
}
