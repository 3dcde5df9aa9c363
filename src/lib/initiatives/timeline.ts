/**
 * The timeline of an initiative: milestones and tasks by date on one horizontal axis from the
 * start to the deadline (or the last dated item), each placed as a share of the way along.
 */
export interface TimelineItem {
	id: string;
	kind: 'milestone' | 'task' | 'tactic';
	label: string;
	date: string;
	done: boolean;
}

export interface PlacedItem extends TimelineItem {
	/** 0–100: how far along the axis, for the CSS left offset. */
	at: number;
}

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export interface Timeline {
	from: string;
	to: string;
	items: PlacedItem[];
	/** Where today falls (0–100), or null when outside the range. */
	today: number | null;
}

export function layoutTimeline(
	items: readonly TimelineItem[],
	start: string,
	deadline: string | null,
	today: string
): Timeline {
	const dates = [start, ...(deadline ? [deadline] : []), ...items.map((i) => i.date)].sort();
	const from = dates[0];
	const to = dates.at(-1)!;
	const span = Math.max(DAY, ms(to) - ms(from));
	const at = (iso: string) => Math.round(((ms(iso) - ms(from)) / span) * 1000) / 10;
	const sorted = [...items].sort(
		(a, b) => a.date.localeCompare(b.date) || a.label.localeCompare(b.label)
	);
	return {
		from,
		to,
		items: sorted.map((i) => ({ ...i, at: at(i.date) })),
		today: today >= from && today <= to ? at(today) : null
	};
}
