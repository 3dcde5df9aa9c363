/**
 * Phoenix Presence for one runtime: who is tracked on each topic, under which key, with what
 * metadata. State and diffs have Phoenix's shapes (`{key: {metas: [{phx_ref, …}]}}`, and
 * `{joins, leaves}`), which realtime-js turns into `presenceState()` and join/leave events. A
 * re-track replaces the member's metadata: the diff both joins the new meta (with `phx_ref_prev`)
 * and leaves the old one, as Phoenix does.
 */
import { randomBytes } from 'node:crypto';

export type Meta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceState = Record<string, { metas: Meta[] }>;
export interface PresenceDiff {
	joins: PresenceState;
	leaves: PresenceState;
}

/** Whoever holds a presence (one joined channel of one socket). */
export type Holder = object;

export class PresenceRegistry<H extends Holder> {
	/** topic → key → holder → meta */
	#topics = new Map<string, Map<string, Map<H, Meta>>>();

	state(topic: string): PresenceState {
		const out: PresenceState = {};
		for (const [key, holders] of this.#topics.get(topic) ?? []) {
			out[key] = { metas: [...holders.values()] };
		}
		return out;
	}

	track(topic: string, key: string, holder: H, payload: Record<string, unknown>): PresenceDiff {
		let keys = this.#topics.get(topic);
		if (!keys) this.#topics.set(topic, (keys = new Map()));
		let holders = keys.get(key);
		if (!holders) keys.set(key, (holders = new Map()));
		const old = holders.get(holder);
		const meta: Meta = { ...payload, phx_ref: randomBytes(9).toString('base64url') };
		if (old) meta.phx_ref_prev = old.phx_ref;
		holders.set(holder, meta);
		return {
			joins: { [key]: { metas: [meta] } },
			leaves: old ? { [key]: { metas: [old] } } : {}
		};
	}

	/** Removes the holder's presence; null when it had none. */
	untrack(topic: string, key: string, holder: H): PresenceDiff | null {
		const keys = this.#topics.get(topic);
		const holders = keys?.get(key);
		const old = holders?.get(holder);
		if (!keys || !holders || !old) return null;
		holders.delete(holder);
		if (holders.size === 0) keys.delete(key);
		if (keys.size === 0) this.#topics.delete(topic);
		return { joins: {}, leaves: { [key]: { metas: [old] } } };
	}
}
