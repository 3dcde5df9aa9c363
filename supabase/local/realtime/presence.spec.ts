import { describe, expect, it } from 'vitest';
import { PresenceRegistry } from './presence.ts';

describe('PresenceRegistry', () => {
	it('tracks, replaces and untracks with Phoenix-shaped state and diffs', () => {
		const reg = new PresenceRegistry<object>();
		const a = {};
		const b = {};
		const join = reg.track('t', 'fran', a, { name: 'Fran' });
		expect(join.leaves).toEqual({});
		const ref = join.joins.fran.metas[0].phx_ref;
		expect(ref).toMatch(/^[\w-]{12}$/);
		reg.track('t', 'mo', b, { name: 'Mo' });
		expect(Object.keys(reg.state('t'))).toEqual(['fran', 'mo']);

		const update = reg.track('t', 'fran', a, { name: 'Fran', hand: true });
		expect(update.leaves.fran.metas[0].phx_ref).toBe(ref);
		expect(update.joins.fran.metas[0]).toMatchObject({ hand: true, phx_ref_prev: ref });
		expect(reg.state('t').fran.metas).toHaveLength(1);

		expect(reg.untrack('t', 'fran', a)?.leaves.fran.metas[0]).toMatchObject({ hand: true });
		expect(reg.untrack('t', 'fran', a)).toBeNull();
		expect(reg.state('t')).toEqual({ mo: { metas: [expect.objectContaining({ name: 'Mo' })] } });
		expect(reg.state('other')).toEqual({});
	});
});
