/** The initiatives' enums as the database defines them (shared by forms, pages and the data module). */
export const INITIATIVE_STATUSES = ['draft', 'active', 'paused', 'won', 'lost', 'closed'] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

/** The statuses that end an initiative: the page asks for a closing reflection. */
export const ENDED_STATUSES: readonly InitiativeStatus[] = ['won', 'lost', 'closed'];

export const STRATEGY_KINDS = [
	'long_term_goal',
	'intermediate_goal',
	'short_term_goal',
	'resource',
	'gain',
	'constituent',
	'ally',
	'opponent'
] as const;
export type StrategyKind = (typeof STRATEGY_KINDS)[number];

export type TargetRole = 'primary' | 'secondary';
