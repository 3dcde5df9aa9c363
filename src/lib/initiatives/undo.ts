/** How long a deleted initiative can be brought back from the list. */
export const UNDO_MINUTES = 10;

/** Whether an initiative deleted at `deletedAt` can still be restored at `now`. */
export function canUndo(deletedAt: string | null, now: Date): boolean {
	if (!deletedAt) return false;
	const age = now.getTime() - Date.parse(deletedAt);
	return age >= 0 && age <= UNDO_MINUTES * 60_000;
}
