/**
 * A closed-loop load generator: `clients` keep-alive connections over loopback, each sending its
 * next request as soon as the previous answer is fully read, for a bounded time and count.
 * node:http rather than fetch: fetch's own cost per request (~0.2 ms of CPU here) would be paid on
 * the same two cores as the server and blur the comparison.
 */
import { Agent, request } from 'node:http';

export interface Req {
	method: string;
	path: string;
	headers?: Record<string, string>;
	body?: string;
}

export interface LoadResult {
	requests: number;
	errors: number;
	/** The first unexpected answer, for the report. */
	firstError?: string;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	/** Every measured latency, sorted (ms). */
	latencies: number[];
}

export interface LoadOptions {
	clients: number;
	seconds: number;
	maxRequests: number;
	/** Unmeasured requests first (JIT, plans, connections). */
	warmup?: number;
	/** Answer statuses counted as success. */
	ok?: (status: number) => boolean;
}

function send(agent: Agent, base: URL, r: Req): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				agent,
				host: base.hostname,
				port: base.port,
				method: r.method,
				path: r.path,
				headers:
					r.body !== undefined
						? { ...r.headers, 'content-length': Buffer.byteLength(r.body) }
						: r.headers
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (body += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(r.body);
	});
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `next(client, n)` requests against `baseUrl` until the time or count bound is reached. */
export async function runLoad(
	baseUrl: string,
	next: (client: number, n: number) => Req,
	opts: LoadOptions
): Promise<LoadResult> {
	const base = new URL(baseUrl);
	const agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
	const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);
	let errors = 0;
	let firstError: string | undefined;
	try {
		let warm = opts.warmup ?? Math.min(200, opts.maxRequests / 10);
		await Promise.all(
			Array.from({ length: opts.clients }, async (_, c) => {
				while (warm-- > 0) await send(agent, base, next(c, warm));
			})
		);
		const latencies: number[] = [];
		let issued = 0;
		const t0 = performance.now();
		const deadline = t0 + opts.seconds * 1000;
		await Promise.all(
			Array.from({ length: opts.clients }, async (_, c) => {
				while (issued < opts.maxRequests && performance.now() < deadline) {
					const n = issued++;
					const start = performance.now();
					try {
						const res = await send(agent, base, next(c, n));
						if (!ok(res.status)) {
							errors++;
							firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
						}
					} catch (e) {
						errors++;
						firstError ??= String(e);
					}
					latencies.push(performance.now() - start);
				}
			})
		);
		const seconds = (performance.now() - t0) / 1000;
		latencies.sort((a, b) => a - b);
		return {
			requests: latencies.length,
			errors,
			firstError,
			seconds,
			rps: latencies.length / seconds,
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			latencies
		};
	} finally {
		agent.destroy();
	}
}

/** Several timed slices of the same case as one result. */
export function merge(parts: LoadResult[]): LoadResult {
	const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
	const seconds = parts.reduce((a, p) => a + p.seconds, 0);
	return {
		requests: latencies.length,
		errors: parts.reduce((a, p) => a + p.errors, 0),
		firstError: parts.find((p) => p.firstError)?.firstError,
		seconds,
		rps: latencies.length / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		latencies
	};
}
