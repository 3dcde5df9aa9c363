/**
 * The phase timer, computed on every screen from the phase's start as the database recorded it, so
 * a reconnect, a reload or a second device shows the same time. The browser's clock may be off:
 * `clockOffset` measures it against a server timestamp once per page load.
 */

export interface PhaseClock {
	/** Milliseconds since the phase started (never negative). */
	elapsedMs: number;
	/** Milliseconds left in the time box; negative once over time. */
	remainingMs: number;
	/** True once the time box is used up. */
	overtime: boolean;
	/** How much of the time box is used, 0–1 (1 once over time). */
	fraction: number;
}

/** serverTime − clientTime in ms: add it to `Date.now()` to read the server's clock. */
export function clockOffset(serverIso: string, clientMs: number): number {
	const server = Date.parse(serverIso);
	return Number.isFinite(server) ? server - clientMs : 0;
}

/** The clock of a phase that started at `startedIso` with a `minutes` time box, at `nowMs` (server time). */
export function phaseClock(startedIso: string | null, minutes: number, nowMs: number): PhaseClock {
	const budget = Math.max(0, minutes) * 60_000;
	const started = startedIso ? Date.parse(startedIso) : NaN;
	const elapsedMs = Number.isFinite(started) ? Math.max(0, nowMs - started) : 0;
	const remainingMs = budget - elapsedMs;
	return {
		elapsedMs,
		remainingMs,
		overtime: remainingMs < 0,
		fraction: budget === 0 ? 1 : Math.min(1, elapsedMs / budget)
	};
}

/** m:ss (or h:mm:ss), with a leading minus sign over time: "4:05", "-0:30", "1:02:03". */
export function formatClock(ms: number): string {
	const sign = ms < 0 ? '-' : '';
	const total = Math.floor(Math.abs(ms) / 1000);
	const h = Math.floor(total / 3600);
	const min = Math.floor((total % 3600) / 60);
	const s = String(total % 60).padStart(2, '0');
	return h > 0 ? `${sign}${h}:${String(min).padStart(2, '0')}:${s}` : `${sign}${min}:${s}`;
}
