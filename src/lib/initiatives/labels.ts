/** Labels for the initiatives' enums and computed facts, in the visitor's language (functions: they follow the request). */
import { m } from '$lib/paraglide/messages.js';
import type { TaskStatus } from './board.ts';
import type { InitiativeStatus, StrategyKind } from './enums.ts';
import type { Progress } from './progress.ts';
import type { SmartKey } from './smart.ts';

const STATUS: Record<InitiativeStatus, () => string> = {
	draft: () => m.initiatives_status_draft(),
	active: () => m.initiatives_status_active(),
	paused: () => m.initiatives_status_paused(),
	won: () => m.initiatives_status_won(),
	lost: () => m.initiatives_status_lost(),
	closed: () => m.initiatives_status_closed()
};

const KIND: Record<StrategyKind, () => string> = {
	long_term_goal: () => m.initiatives_kind_long_term_goal(),
	intermediate_goal: () => m.initiatives_kind_intermediate_goal(),
	short_term_goal: () => m.initiatives_kind_short_term_goal(),
	resource: () => m.initiatives_kind_resource(),
	gain: () => m.initiatives_kind_gain(),
	constituent: () => m.initiatives_kind_constituent(),
	ally: () => m.initiatives_kind_ally(),
	opponent: () => m.initiatives_kind_opponent()
};

const TASK: Record<TaskStatus, () => string> = {
	todo: () => m.initiatives_task_todo(),
	doing: () => m.initiatives_task_doing(),
	blocked: () => m.initiatives_task_blocked(),
	done: () => m.initiatives_task_done()
};

const SMART: Record<SmartKey, () => string> = {
	specific: () => m.initiatives_smart_specific(),
	measurable: () => m.initiatives_smart_measurable(),
	baseline: () => m.initiatives_smart_baseline(),
	relevant: () => m.initiatives_smart_relevant(),
	time_bound: () => m.initiatives_smart_time_bound(),
	direction: () => m.initiatives_smart_direction()
};

const STANCE: Record<number, () => string> = {
	1: () => m.initiatives_stance_1(),
	2: () => m.initiatives_stance_2(),
	3: () => m.initiatives_stance_3(),
	4: () => m.initiatives_stance_4(),
	5: () => m.initiatives_stance_5()
};

export const statusLabel = (s: InitiativeStatus): string => STATUS[s]();
export const kindLabel = (k: StrategyKind): string => KIND[k]();
export const taskStatusLabel = (s: TaskStatus): string => TASK[s]();
export const smartLabel = (k: SmartKey): string => SMART[k]();
export const stanceLabel = (s: number | null): string =>
	s === null ? m.initiatives_stance_unknown() : (STANCE[s]?.() ?? m.initiatives_stance_unknown());

/** One sentence on where the objective stands, as the list, the page and the plan say it. */
export function progressLabel(
	progress: Progress | { kind: 'no-indicator' },
	format: (value: number) => string
): string {
	switch (progress.kind) {
		case 'no-indicator':
			return m.initiatives_progress_no_indicator();
		case 'no-data':
			return m.initiatives_progress_no_data();
		case 'no-target':
			return m.initiatives_progress_no_target({ latest: format(progress.latest.value) });
		default:
			if (progress.reached)
				return m.initiatives_progress_reached({ latest: format(progress.latest.value) });
			if (progress.worse)
				return m.initiatives_progress_worse({
					latest: format(progress.latest.value),
					baseline: format(progress.baseline)
				});
			return m.initiatives_progress_measured({
				percent: progress.percent,
				latest: format(progress.latest.value),
				baseline: format(progress.baseline)
			});
	}
}
