/**
 * A milestone's progress: reached when the team says so, else the share of its tasks that are done
 * (none done of none is 0%: a milestone with no tasks has not started).
 */
export interface MilestoneRow {
	id: string;
	title: string;
	due_on: string;
	reached_on: string | null;
}

export interface MilestoneTask {
	milestone_id: string | null;
	status: string;
}

export interface MilestoneProgress extends MilestoneRow {
	tasks: number;
	done: number;
	percent: number;
}

export function milestoneProgress(
	milestones: readonly MilestoneRow[],
	tasks: readonly MilestoneTask[]
): MilestoneProgress[] {
	return milestones.map((ms) => {
		const own = tasks.filter((t) => t.milestone_id === ms.id);
		const done = own.filter((t) => t.status === 'done').length;
		const percent = ms.reached_on ? 100 : own.length ? Math.round((done / own.length) * 100) : 0;
		return {
			id: ms.id,
			title: ms.title,
			due_on: ms.due_on,
			reached_on: ms.reached_on,
			tasks: own.length,
			done,
			percent
		};
	});
}
