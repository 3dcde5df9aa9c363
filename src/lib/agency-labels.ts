import type { Direction } from '$lib/charts/target.ts';
import { m } from '$lib/paraglide/messages.js';
import type { Frequency } from './schemas/agency.ts';

/** Labels for the enums, in the visitor's language (functions, so they follow the request). */
const DIRECTION: Record<Direction, () => string> = {
	up: () => m.data_direction_up(),
	down: () => m.data_direction_down(),
	target: () => m.data_direction_target()
};

const FREQUENCY: Record<Frequency, () => string> = {
	day: () => m.data_frequency_day(),
	week: () => m.data_frequency_week(),
	month: () => m.data_frequency_month(),
	quarter: () => m.data_frequency_quarter(),
	year: () => m.data_frequency_year(),
	fiscal_year: () => m.data_frequency_fiscal_year(),
	irregular: () => m.data_frequency_irregular()
};

export const directionLabel = (d: Direction): string => DIRECTION[d]();
export const frequencyLabel = (f: Frequency): string => FREQUENCY[f]();
