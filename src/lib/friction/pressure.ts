/**
 * Pressure points ranked: each is scored 1–5 for leverage (power over the outcome), achievability
 * (team capacity, allies, timing) and public salience; the combined score weighs them
 *
 *   combined = 50% × leverage + 30% × achievability + 20% × salience      (1–5)
 *
 * Ties go to the higher leverage, then the higher achievability, then the name. Also the
 * force-field totals.
 */

export const PRESSURE_WEIGHTS = { leverage: 0.5, achievability: 0.3, salience: 0.2 } as const;
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

export interface Scores {
	leverage: number;
	achievability: number;
	salience: number;
}

export interface Scored {
	target: string;
}

/** A score as a whole number from 1 to 5, or null when it is not one. */
export function boundedScore(value: unknown): number | null {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isInteger(n) && n >= SCORE_MIN && n <= SCORE_MAX ? n : null;
}

/** The combined score, rounded to two decimals. */
export function combinedScore(s: Scores): number {
	const w = PRESSURE_WEIGHTS;
	return (
		Math.round(
			(w.leverage * s.leverage + w.achievability * s.achievability + w.salience * s.salience) * 100
		) / 100
	);
}

/** Best first, each with its combined score and its rank (1 = best; equal scores share no rank). */
export function rankPressurePoints<T extends Scores & Scored>(
	points: readonly T[]
): Array<T & { combined: number; rank: number }> {
	return points
		.map((p) => ({ ...p, combined: combinedScore(p) }))
		.sort(
			(a, b) =>
				b.combined - a.combined ||
				b.leverage - a.leverage ||
				b.achievability - a.achievability ||
				a.target.localeCompare(b.target)
		)
		.map((p, i) => ({ ...p, rank: i + 1 }));
}

/** The highest leverage among the pressure points (the map's y), or null with none. */
export function bestLeverage(points: readonly Pick<Scores, 'leverage'>[]): number | null {
	return points.length ? Math.max(...points.map((p) => p.leverage)) : null;
}

export interface Force {
	direction: 'driving' | 'restraining';
	weight: number;
}

/** Total weight on each side, and driving minus restraining. */
export function forceTotals(forces: readonly Force[]): {
	driving: number;
	restraining: number;
	balance: number;
} {
	let driving = 0;
	let restraining = 0;
	for (const f of forces) {
		if (f.direction === 'driving') driving += f.weight;
		else restraining += f.weight;
	}
	return { driving, restraining, balance: driving - restraining };
}
