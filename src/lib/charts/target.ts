/**
 * What "better" means for an indicator, the same rules as `agency_target_summary` in the database:
 * up (higher is better): value ≥ target is on target; down: value ≤ target; target: within ±5% of
 * the target (of its absolute value, so a target of 0 needs exactly 0).
 */

export type Direction = 'up' | 'down' | 'target';
export const DIRECTIONS: readonly Direction[] = ['up', 'down', 'target'];

export const TARGET_TOLERANCE = 0.05;

export type TargetStatus = 'on' | 'off' | 'none';

export function targetStatus(
	value: number | null | undefined,
	target: number | null | undefined,
	direction: Direction
): TargetStatus {
	if (value == null || target == null || !Number.isFinite(value) || !Number.isFinite(target))
		return 'none';
	switch (direction) {
		case 'up':
			return value >= target ? 'on' : 'off';
		case 'down':
			return value <= target ? 'on' : 'off';
		case 'target':
			return Math.abs(value - target) <= TARGET_TOLERANCE * Math.abs(target) ? 'on' : 'off';
	}
}

export interface Band {
	from: number;
	to: number;
	kind: 'better' | 'worse';
}

/**
 * The shaded bands of a chart whose y axis runs from yMin to yMax, clipped to it: for up, better
 * above the target and worse below; for down the reverse; for target, better inside the ±5% band
 * and worse outside. Empty bands (outside the axis) are left out.
 */
export function targetBands(
	target: number | null | undefined,
	direction: Direction,
	yMin: number,
	yMax: number
): Band[] {
	if (target == null || !Number.isFinite(target) || !(yMax > yMin)) return [];
	let raw: Band[];
	if (direction === 'target') {
		const tol = TARGET_TOLERANCE * Math.abs(target);
		raw = [
			{ from: -Infinity, to: target - tol, kind: 'worse' },
			{ from: target - tol, to: target + tol, kind: 'better' },
			{ from: target + tol, to: Infinity, kind: 'worse' }
		];
	} else {
		const above: Band['kind'] = direction === 'up' ? 'better' : 'worse';
		const below: Band['kind'] = direction === 'up' ? 'worse' : 'better';
		raw = [
			{ from: -Infinity, to: target, kind: below },
			{ from: target, to: Infinity, kind: above }
		];
	}
	return raw
		.map((b) => ({ ...b, from: Math.max(b.from, yMin), to: Math.min(b.to, yMax) }))
		.filter((b) => b.to > b.from);
}
