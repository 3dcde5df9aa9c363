/** Where the CPU time of a `node --cpu-prof` profile went: self time by area and by function. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Coarse areas a reader can act on. */
function area(url: string, fn: string): string {
	if (fn === '(idle)') return 'idle';
	if (fn === '(garbage collector)') return 'GC';
	if (fn === '(program)') return 'V8/native (program)';
	if (url.startsWith('wasm://') || /pglite/.test(url)) return 'PGlite (Postgres in wasm + its JS)';
	const local = /supabase\/local\/(.+?)(\?|$)/.exec(url);
	if (local) return `runtime: ${local[1]}`;
	if (/\/bench\//.test(url)) return 'bench baseline server';
	if (/node_modules\/jose\//.test(url)) return 'jose (JWT verify)';
	if (/node_modules\/pg(-protocol|-pool|-types)?\//.test(url))
		return 'pg client (native PostgreSQL)';
	if (/node_modules\//.test(url))
		return `deps: ${/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1]}`;
	if (url.startsWith('node:')) {
		const m = /^node:(internal\/)?([a-z_]+)/.exec(url);
		return `node: ${m?.[2] ?? url}`;
	}
	if (url === '') return `native/builtin`;
	return url;
}

export interface ProfileSummary {
	totalMs: number;
	busyMs: number;
	areas: Array<{ area: string; ms: number; share: number }>;
	functions: Array<{ fn: string; where: string; ms: number; share: number }>;
}

/** `profile`: a profile object (inspector's Profiler.stop) or the path of a .cpuprofile file. */
export function summarise(profile: CpuProfile | string, top = 15): ProfileSummary {
	const p =
		typeof profile === 'string'
			? (JSON.parse(readFileSync(profile, 'utf8')) as CpuProfile)
			: profile;
	const byId = new Map(p.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	for (let i = 0; i < p.samples.length; i++) {
		self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
	}
	let total = 0;
	let idle = 0;
	const areas = new Map<string, number>();
	const fns = new Map<string, { where: string; ms: number }>();
	for (const [id, ms] of self) {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		total += ms;
		const a = area(url, functionName);
		if (a === 'idle') {
			idle += ms;
			continue;
		}
		areas.set(a, (areas.get(a) ?? 0) + ms);
		const short = url.replace(/^.*\/(node_modules|supabase|bench)\//, '$1/');
		const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
		const f = fns.get(key) ?? { where: a, ms: 0 };
		f.ms += ms;
		fns.set(key, f);
	}
	const busy = total - idle;
	return {
		totalMs: total,
		busyMs: busy,
		areas: [...areas]
			.map(([a, ms]) => ({ area: a, ms, share: ms / busy }))
			.sort((x, y) => y.ms - x.ms),
		functions: [...fns]
			.map(([fn, f]) => ({ fn, where: f.where, ms: f.ms, share: f.ms / busy }))
			.sort((x, y) => y.ms - x.ms)
			.slice(0, top)
	};
}
