/**
 * The "but why?" tree of root causes, from the flat rows the database keeps (each with its
 * parent). The database refuses loops and parents from another friction point; this module builds
 * the tree for the page, says which parents a cause may move under, and counts what a delete takes.
 */

export interface CauseRow {
	id: string;
	parent_id: string | null;
	statement: string;
	created_at: string;
}

export interface CauseNode extends CauseRow {
	depth: number;
	children: CauseNode[];
}

/**
 * The causes as a forest (direct causes of the friction point at the top), children in the order
 * they were added. A row whose parent is missing is shown at the top rather than lost.
 */
export function buildTree(rows: readonly CauseRow[]): CauseNode[] {
	const nodes = new Map<string, CauseNode>();
	for (const r of rows) nodes.set(r.id, { ...r, depth: 0, children: [] });
	const roots: CauseNode[] = [];
	const ordered = [...nodes.values()].sort(
		(a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)
	);
	for (const n of ordered) {
		const parent = n.parent_id ? nodes.get(n.parent_id) : undefined;
		if (parent && parent !== n) parent.children.push(n);
		else roots.push(n);
	}
	// Depths from the top; a loop (which the database refuses) would never be reached from a root.
	const walk = (list: CauseNode[], depth: number) => {
		for (const n of list) {
			n.depth = depth;
			walk(n.children, depth + 1);
		}
	};
	walk(roots, 0);
	return roots;
}

/** The tree in reading order (depth first), for lists and selects. */
export function flatten(forest: readonly CauseNode[]): CauseNode[] {
	const out: CauseNode[] = [];
	const walk = (list: readonly CauseNode[]) => {
		for (const n of list) {
			out.push(n);
			walk(n.children);
		}
	};
	walk(forest);
	return out;
}

/** The ids under a cause (its children, theirs, …), not the cause itself. */
export function descendantIds(rows: readonly CauseRow[], id: string): Set<string> {
	const children = new Map<string, string[]>();
	for (const r of rows) {
		if (!r.parent_id) continue;
		children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
	}
	const out = new Set<string>();
	const stack = [...(children.get(id) ?? [])];
	while (stack.length) {
		const next = stack.pop()!;
		if (out.has(next) || next === id) continue;
		out.add(next);
		stack.push(...(children.get(next) ?? []));
	}
	return out;
}

/** Would putting `id` under `parentId` close a loop (itself, or one of its own causes)? */
export function wouldLoop(rows: readonly CauseRow[], id: string, parentId: string | null): boolean {
	if (parentId === null) return false;
	return parentId === id || descendantIds(rows, id).has(parentId);
}
