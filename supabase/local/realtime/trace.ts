/**
 * Where a postgres_change's time goes, stage by stage, when `GW_REALTIME_TRACE=1` (the realtime
 * benchmark sets it for its runtime): capture (the row changed → the runtime took it off the
 * queue), conditions (the subscriptions' filters), authorisation (the row selected
 * again under the subscribers' claims), send (payloads onto the sockets). Printed as one summary
 * per stage when the runtime closes. Off by default: nothing is recorded.
 */

export type Stage = 'capture' | 'conditions' | 'authorisation' | 'send';

const STAGES: Stage[] = ['capture', 'conditions', 'authorisation', 'send'];

export interface Trace {
	readonly on: boolean;
	/** Adds one sample of `ms` to a stage. */
	add(stage: Stage, ms: number): void;
	/** Times `fn` as one sample of a stage. */
	time<T>(stage: Stage, fn: () => Promise<T>): Promise<T>;
	/** One line per stage that has samples: count, p50, p95, max and total in ms. */
	summary(): string[];
}

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function createTrace(on = process.env.GW_REALTIME_TRACE === '1'): Trace {
	const samples = new Map<Stage, number[]>();
	const add = (stage: Stage, ms: number) => {
		if (!on) return;
		let list = samples.get(stage);
		if (!list) samples.set(stage, (list = []));
		list.push(ms);
	};
	return {
		on,
		add,
		async time(stage, fn) {
			if (!on) return fn();
			const started = performance.now();
			try {
				return await fn();
			} finally {
				add(stage, performance.now() - started);
			}
		},
		summary() {
			const f = (n: number) => n.toFixed(2).padStart(8);
			return STAGES.flatMap((stage) => {
				const list = samples.get(stage);
				if (!list?.length) return [];
				const s = [...list].sort((a, b) => a - b);
				const total = s.reduce((a, b) => a + b, 0);
				return [
					`${stage.padEnd(14)} n=${String(s.length).padStart(5)} p50 ${f(quantile(s, 0.5))} ` +
						`p95 ${f(quantile(s, 0.95))} max ${f(s[s.length - 1])} total ${f(total)} ms`
				];
			});
		}
	};
}
