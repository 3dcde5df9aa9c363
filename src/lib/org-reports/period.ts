/**
 * A report's period as it travels in the URL (`?from=2026-01-01&to=2026-12-31&by=quarter`): parsing
 * with a specific problem per field, the default (the last twelve months by month), and the
 * buckets the database groups by (`date_trunc` of the first day, then one step at a time).
 */

export const GRANULARITIES = ['month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface Period {
	/** First day, YYYY-MM-DD. */
	from: string;
	/** Last day (included), YYYY-MM-DD. */
	to: string;
	by: Granularity;
}

export type PeriodProblem = 'from_invalid' | 'to_invalid' | 'order' | 'too_long' | 'by_invalid';

export interface ParsedPeriod {
	/** What the report shows: the request, or the default where the request was unusable. */
	period: Period;
	/** One problem per field (`order` and `too_long` sit on `to`). */
	problems: Partial<Record<'from' | 'to' | 'by', PeriodProblem>>;
	/** What the visitor typed, to put back into the fields. */
	values: Record<'from' | 'to' | 'by', string>;
}

/** Same limit as private.check_period: ten years of days. */
export const MAX_DAYS = 3660;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day in YYYY-MM-DD form (2026-02-30 is not). */
export function isDay(text: string): boolean {
	if (!DAY.test(text)) return false;
	const d = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function days(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The first day of the month `months` months before `day`'s month. */
function monthStart(day: string, monthsBack: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1));
	return start.toISOString().slice(0, 10);
}

/** The last twelve months, this one included, by month. */
export function defaultPeriod(today: string): Period {
	return { from: monthStart(today, 11), to: today, by: 'month' };
}

export function parsePeriod(params: URLSearchParams, today: string): ParsedPeriod {
	const fallback = defaultPeriod(today);
	const values = {
		from: params.get('from')?.trim() ?? '',
		to: params.get('to')?.trim() ?? '',
		by: params.get('by')?.trim() ?? ''
	};
	const problems: ParsedPeriod['problems'] = {};
	const from = values.from === '' ? fallback.from : values.from;
	const to = values.to === '' ? fallback.to : values.to;
	const by = values.by === '' ? fallback.by : values.by;
	if (!isDay(from)) problems.from = 'from_invalid';
	if (!isDay(to)) problems.to = 'to_invalid';
	if (!(GRANULARITIES as readonly string[]).includes(by)) problems.by = 'by_invalid';
	if (!problems.from && !problems.to) {
		if (days(from, to) < 0) problems.to = 'order';
		else if (days(from, to) > MAX_DAYS) problems.to = 'too_long';
	}
	const datesOk = !problems.from && !problems.to;
	return {
		period: {
			from: datesOk ? from : fallback.from,
			to: datesOk ? to : fallback.to,
			by: problems.by ? fallback.by : (by as Granularity)
		},
		problems,
		values
	};
}

/** The period as a query string, for links that keep it (`from=…&to=…&by=…`). */
export function periodQuery(period: Period): string {
	return new URLSearchParams({ from: period.from, to: period.to, by: period.by }).toString();
}

const STEP: Record<Granularity, number> = { month: 1, quarter: 3, year: 12 };

/** The start of the bucket holding `day` (what `date_trunc(by, day)` gives). */
export function bucketStart(day: string, by: Granularity): string {
	const d = new Date(`${day}T00:00:00Z`);
	const month =
		by === 'year'
			? 0
			: by === 'quarter'
				? d.getUTCMonth() - (d.getUTCMonth() % 3)
				: d.getUTCMonth();
	return new Date(Date.UTC(d.getUTCFullYear(), month, 1)).toISOString().slice(0, 10);
}

/** Every bucket's first day in the period, oldest first, as organization_report returns them. */
export function bucketStarts(period: Period): string[] {
	const out: string[] = [];
	const first = new Date(`${bucketStart(period.from, period.by)}T00:00:00Z`);
	for (let i = 0; ; i++) {
		const d = new Date(
			Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i * STEP[period.by], 1)
		);
		const day = d.toISOString().slice(0, 10);
		if (day > period.to) break;
		out.push(day);
	}
	return out;
}

/** A bucket's name for people: "Mar 2026", "Q1 2026", "2026". */
export function bucketLabel(start: string, by: Granularity, locale: string): string {
	const d = new Date(`${start}T00:00:00Z`);
	if (by === 'year') return String(d.getUTCFullYear());
	if (by === 'quarter') return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
	return new Intl.DateTimeFormat(locale, {
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(d);
}
