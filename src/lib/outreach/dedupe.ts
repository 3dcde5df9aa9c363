/**
 * Duplicate officials: the same name and office, case and spacing ignored (the database's
 * `private.official_key`, so the page flags exactly what the database would refuse).
 */

/** Trimmed, inner whitespace folded, lower-cased. */
function fold(value: string | null | undefined): string {
	return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The duplicate key of an official: name and office. */
export function officialKey(
	name: string | null | undefined,
	office: string | null | undefined
): string {
	return `${fold(name)}|${fold(office)}`;
}

export interface Named {
	name: string;
	office: string | null;
}

export type DuplicateOf<E> =
	{ kind: 'existing'; existing: E } | { kind: 'file'; row: number } | null;

/**
 * For each incoming row, what it duplicates: an existing official (first), or an earlier row of
 * the same file (its row number), or nothing.
 */
export function findDuplicates<E extends Named, R extends Named & { row: number }>(
	existing: readonly E[],
	rows: readonly R[]
): DuplicateOf<E>[] {
	const byKey = new Map(existing.map((e) => [officialKey(e.name, e.office), e]));
	const seen = new Map<string, number>();
	return rows.map((r) => {
		const key = officialKey(r.name, r.office);
		const found = byKey.get(key);
		if (found) return { kind: 'existing', existing: found };
		const earlier = seen.get(key);
		if (earlier !== undefined) return { kind: 'file', row: earlier };
		seen.set(key, r.row);
		return null;
	});
}

/** Field by field, where two records disagree (both have a value and the values differ). */
export function conflicts<T extends object>(a: T, b: T, fields: readonly (keyof T)[]): (keyof T)[] {
	const filled = (v: unknown) => v !== null && v !== undefined && v !== '';
	return fields.filter((f) => filled(a[f]) && filled(b[f]) && String(a[f]) !== String(b[f]));
}
