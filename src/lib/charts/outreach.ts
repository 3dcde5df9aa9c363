/**
 * The outreach dashboard's chart: contacts per week, one stacked bar per interaction type. A pure
 * function of the figures (only types come from chart.js), like `config.ts`.
 */
import type { ChartConfiguration } from 'chart.js';
import type { WeeklyContacts } from '$lib/outreach/dashboard.ts';
import { INTERACTION_TYPES, type InteractionType } from '$lib/schemas/officials.ts';
import { PALETTE } from './config.ts';
import { formatDay } from './time.ts';

export type BarConfig = ChartConfiguration<'bar', number[], string>;

export interface ContactsConfigInput {
	weekly: WeeklyContacts;
	/** The type's name in the visitor's language. */
	typeLabel: (type: InteractionType) => string;
	/** y axis title ("Contacts"). */
	axisLabel: string;
	locale: string;
	reducedMotion?: boolean;
}

/** Stacked bars of held contacts per week by type; types with no contact in the range are left out. */
export function contactsConfig(input: ContactsConfigInput): BarConfig {
	const { weekly } = input;
	const datasets = INTERACTION_TYPES.map((type, i) => ({ type, i }))
		.filter(({ type }) => weekly.byType[type].some((n) => n > 0))
		.map(({ type, i }) => ({
			label: input.typeLabel(type),
			data: [...weekly.byType[type]],
			backgroundColor: PALETTE[i % PALETTE.length],
			stack: 'contacts'
		}));
	return {
		type: 'bar',
		data: { labels: weekly.weeks.map((w) => formatDay(w, input.locale)), datasets },
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: input.reducedMotion ? false : undefined,
			scales: {
				x: { stacked: true },
				y: {
					stacked: true,
					beginAtZero: true,
					ticks: { precision: 0 },
					title: { display: true, text: input.axisLabel }
				}
			},
			plugins: { legend: { position: 'bottom' } }
		}
	};
}
