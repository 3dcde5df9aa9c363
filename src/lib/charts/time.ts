/**
 * A time axis without a date adapter: x values are epoch milliseconds at UTC midnight on a linear
 * axis, ticks are placed on calendar boundaries here and labelled with Intl.DateTimeFormat. Dates
 * are calendar days (YYYY-MM-DD), so everything is computed and formatted in UTC: a viewer west of
 * Greenwich must not see 31 December for a value dated 1 January.
 */

export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** 'YYYY-MM-DD' (anything after the day is ignored) → epoch ms at UTC midnight; NaN if not a date. */
export function dayToMs(iso: string): number {
	const match = ISO_DATE.exec(iso);
	if (!match) return Number.NaN;
	return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** Epoch ms → 'YYYY-MM-DD' (UTC). */
export function msToDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export type TickUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

interface Step {
	unit: TickUnit;
	/** How many units between ticks. */
	every: number;
	/** Rough length, to choose the step. */
	approxMs: number;
}

const STEPS: Step[] = [
	{ unit: 'day', every: 1, approxMs: DAY_MS },
	{ unit: 'day', every: 2, approxMs: 2 * DAY_MS },
	{ unit: 'week', every: 1, approxMs: 7 * DAY_MS },
	{ unit: 'week', every: 2, approxMs: 14 * DAY_MS },
	{ unit: 'month', every: 1, approxMs: 30.44 * DAY_MS },
	{ unit: 'month', every: 2, approxMs: 60.9 * DAY_MS },
	{ unit: 'quarter', every: 1, approxMs: 91.3 * DAY_MS },
	{ unit: 'month', every: 6, approxMs: 182.6 * DAY_MS },
	{ unit: 'year', every: 1, approxMs: 365.25 * DAY_MS },
	{ unit: 'year', every: 2, approxMs: 730.5 * DAY_MS },
	{ unit: 'year', every: 5, approxMs: 1826 * DAY_MS },
	{ unit: 'year', every: 10, approxMs: 3652 * DAY_MS },
	{ unit: 'year', every: 25, approxMs: 9131 * DAY_MS },
	{ unit: 'year', every: 50, approxMs: 18262 * DAY_MS },
	{ unit: 'year', every: 100, approxMs: 36525 * DAY_MS }
];

/** The smallest calendar step that gives at most `maxTicks` ticks between `min` and `max`. */
export function tickStep(min: number, max: number, maxTicks: number): Step {
	const span = Math.max(0, max - min);
	const wanted = span / Math.max(1, maxTicks);
	return STEPS.find((s) => s.approxMs >= wanted) ?? STEPS[STEPS.length - 1];
}

function firstTick(min: number, step: Step): Date {
	const d = new Date(min);
	const y = d.getUTCFullYear();
	const mo = d.getUTCMonth();
	const day = d.getUTCDate();
	const exact = d.getTime() === Date.UTC(y, mo, day);
	switch (step.unit) {
		case 'day':
			return new Date(exact ? Date.UTC(y, mo, day) : Date.UTC(y, mo, day + 1));
		case 'week': {
			// Mondays: ISO weeks, as most agencies' weekly figures are.
			const start = exact ? Date.UTC(y, mo, day) : Date.UTC(y, mo, day + 1);
			const weekday = (new Date(start).getUTCDay() + 6) % 7;
			return new Date(start + (weekday === 0 ? 0 : (7 - weekday) * DAY_MS));
		}
		case 'month':
		case 'quarter': {
			const size = step.unit === 'quarter' ? 3 : step.every;
			let m = Math.ceil(mo / size) * size;
			if (m === mo && (day !== 1 || !exact)) m += size;
			return new Date(Date.UTC(y, m, 1));
		}
		case 'year': {
			let year = Math.ceil(y / step.every) * step.every;
			if (year === y && (mo !== 0 || day !== 1 || !exact)) year += step.every;
			return new Date(Date.UTC(year, 0, 1));
		}
	}
}

function advance(d: Date, step: Step): Date {
	switch (step.unit) {
		case 'day':
			return new Date(d.getTime() + step.every * DAY_MS);
		case 'week':
			return new Date(d.getTime() + step.every * 7 * DAY_MS);
		case 'month':
			return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.every, 1));
		case 'quarter':
			return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * step.every, 1));
		case 'year':
			return new Date(Date.UTC(d.getUTCFullYear() + step.every, 0, 1));
	}
}

/** Tick positions on calendar boundaries (1st of a month, 1 January, Mondays) within [min, max]. */
export function timeTicks(
	min: number,
	max: number,
	maxTicks = 8
): { ticks: number[]; unit: TickUnit } {
	if (!Number.isFinite(min) || !Number.isFinite(max) || max < min)
		return { ticks: [], unit: 'day' };
	if (max === min) return { ticks: [min], unit: 'day' };
	const limit = Math.max(1, maxTicks);
	// Months and years vary in length, so the first guess may give one tick too many: try the next.
	for (let i = STEPS.indexOf(tickStep(min, max, limit)); i < STEPS.length; i++) {
		const step = STEPS[i];
		const ticks: number[] = [];
		for (let d = firstTick(min, step); d.getTime() <= max && ticks.length <= limit;) {
			ticks.push(d.getTime());
			d = advance(d, step);
		}
		if (ticks.length <= limit || i === STEPS.length - 1)
			return { ticks: ticks.slice(0, limit), unit: step.unit };
	}
	return { ticks: [], unit: 'year' };
}

const TICK_FORMAT: Record<TickUnit, Intl.DateTimeFormatOptions> = {
	day: { day: 'numeric', month: 'short' },
	week: { day: 'numeric', month: 'short' },
	month: { month: 'short', year: 'numeric' },
	quarter: { month: 'short', year: 'numeric' },
	year: { year: 'numeric' }
};

/** A tick label formatter for a unit, in the viewer's language. */
export function tickFormatter(unit: TickUnit, locale: string): (ms: number) => string {
	const format = new Intl.DateTimeFormat(locale, { ...TICK_FORMAT[unit], timeZone: 'UTC' });
	return (ms) => format.format(ms);
}

/** A day as the viewer writes it ("12 Mar 2024", "12 mar 2024"). */
export function formatDay(iso: string, locale: string): string {
	const ms = dayToMs(iso);
	if (Number.isNaN(ms)) return iso;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

/** A period: one day, or a range ("1–7 Jan 2024") when start and end differ. */
export function formatPeriod(start: string, end: string, locale: string): string {
	const a = dayToMs(start);
	const b = dayToMs(end);
	if (Number.isNaN(a)) return end;
	if (Number.isNaN(b) || a === b) return formatDay(start, locale);
	const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
	return format.formatRange(Math.min(a, b), Math.max(a, b));
}
