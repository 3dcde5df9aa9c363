/**
 * Where the import runs: in a Web Worker (default) or on the page's own thread in small slices that
 * yield to the browser (`?mode=main`), so the two can be compared for smoothness. Both give the
 * wizard the same calls; `cancel` stops whatever is running (staging included) and its promise
 * rejects with an AbortError. Neither keeps the records: a run that stages sends them as it goes.
 */
import type { Mapping } from '../csv/mapping.ts';
import { blobSource } from '../csv/source.ts';
import { yieldToMain } from '../csv/pipeline.ts';
import {
	endpointSender,
	inspect,
	run,
	StageError,
	type Inspection,
	type ReadOptions,
	type RunSummary,
	type StageTarget
} from './core.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

export type EngineMode = 'worker' | 'main';

export interface Progress {
	fraction: number;
	staged: number;
	rows: number;
}

export interface Engine {
	readonly mode: EngineMode;
	inspect(file: File, options: ReadOptions): Promise<Inspection>;
	/** Read and check every row; with `stage`, send the valid ones to that import as they come. */
	run(
		file: File,
		options: ReadOptions,
		mapping: Mapping,
		onProgress: (p: Progress) => void,
		stage?: StageTarget
	): Promise<RunSummary>;
	cancel(): void;
	dispose(): void;
}

export function isAbort(e: unknown): boolean {
	return e instanceof DOMException && e.name === 'AbortError';
}

const abortError = () => new DOMException('The import was cancelled.', 'AbortError');

export function createEngine(mode: EngineMode): Engine {
	return mode === 'main' ? new MainEngine() : new WorkerEngine();
}

interface Pending {
	resolve: (reply: WorkerReply) => void;
	reject: (e: unknown) => void;
	onReply: (reply: WorkerReply) => boolean;
}

class WorkerEngine implements Engine {
	readonly mode = 'worker' as const;
	private worker: Worker | null = null;
	private pending: Pending | null = null;

	private get w(): Worker {
		if (!this.worker) {
			const w = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
			w.onmessage = (e: MessageEvent<WorkerReply>) => {
				const p = this.pending;
				if (!p) return;
				const msg = e.data;
				if (msg.type === 'failed') {
					this.pending = null;
					p.reject(
						msg.status < 0 ? new Error(msg.message) : new StageError(msg.message, msg.status)
					);
				} else if (p.onReply(msg)) {
					this.pending = null;
					p.resolve(msg);
				}
			};
			w.onerror = (e) => {
				const p = this.pending;
				this.pending = null;
				p?.reject(new Error(e.message || 'The import worker stopped.'));
			};
			this.worker = w;
		}
		return this.worker;
	}

	/** Post one request; `onReply` sees every reply and returns true for the final one. */
	private request(req: WorkerRequest, onReply: (reply: WorkerReply) => boolean) {
		this.cancel();
		return new Promise<WorkerReply>((resolve, reject) => {
			this.pending = { resolve, reject, onReply };
			this.w.postMessage(req);
		});
	}

	async inspect(file: File, options: ReadOptions) {
		const r = await this.request({ type: 'inspect', file, options }, (m) => m.type === 'inspected');
		return (r as Extract<WorkerReply, { type: 'inspected' }>).inspection;
	}

	async run(
		file: File,
		options: ReadOptions,
		mapping: Mapping,
		onProgress: (p: Progress) => void,
		stage?: StageTarget
	) {
		const r = await this.request({ type: 'run', file, options, mapping, stage }, (m) => {
			if (m.type === 'progress') onProgress(m);
			return m.type === 'ran';
		});
		return (r as Extract<WorkerReply, { type: 'ran' }>).summary;
	}

	/** Stop now: terminating is the only way to interrupt a worker mid-chunk. */
	cancel() {
		const p = this.pending;
		if (!p) return;
		this.pending = null;
		this.worker?.terminate();
		this.worker = null;
		p.reject(abortError());
	}

	dispose() {
		this.cancel();
		this.worker?.terminate();
		this.worker = null;
	}
}

/** Same pipeline on the page: 256 KiB chunks, 1,000-row batches, a yield every ~30 ms of work. */
class MainEngine implements Engine {
	readonly mode = 'main' as const;
	private controller: AbortController | null = null;

	private begin(): AbortSignal {
		this.cancel();
		this.controller = new AbortController();
		return this.controller.signal;
	}

	async inspect(file: File, options: ReadOptions) {
		const signal = this.begin();
		const r = await inspect(blobSource(file), options);
		signal.throwIfAborted();
		return r;
	}

	async run(
		file: File,
		options: ReadOptions,
		mapping: Mapping,
		onProgress: (p: Progress) => void,
		stage?: StageTarget
	) {
		const signal = this.begin();
		try {
			const summary = await run(blobSource(file), options, mapping, {
				onProgress,
				pause: yieldToMain,
				slice: 30,
				signal,
				chunkSize: 256 * 1024,
				batchSize: 1000,
				send: stage ? endpointSender(stage, signal) : undefined
			});
			signal.throwIfAborted();
			return summary;
		} catch (e) {
			throw signal.aborted ? abortError() : e;
		}
	}

	cancel() {
		this.controller?.abort();
		this.controller = null;
	}

	dispose() {
		this.cancel();
	}
}
