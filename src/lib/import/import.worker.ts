/// <reference lib="webworker" />
/**
 * The import off the page's thread: the wizard posts a File (a reference, not a copy) and gets back
 * progress and a small summary. When the run stages, the valid records go from here to the
 * endpoint in chunks as they are made, so no record of a 1,000,000-row file crosses to the page or
 * stays in memory. Cancel = the page terminates this worker (and cancels the import).
 */
import { blobSource } from '../csv/source.ts';
import { endpointSender, inspect, run, StageError } from './core.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(msg: WorkerReply): void {
	scope.postMessage(msg);
}

async function handle(req: WorkerRequest): Promise<void> {
	if (req.type === 'inspect') {
		reply({ type: 'inspected', inspection: await inspect(blobSource(req.file), req.options) });
		return;
	}
	let last = 0;
	const summary = await run(blobSource(req.file), req.options, req.mapping, {
		onProgress: ({ fraction, rows, staged }) => {
			const now = performance.now();
			if (now - last < 50 && fraction < 1) return;
			last = now;
			reply({ type: 'progress', fraction, rows, staged });
		},
		send: req.stage ? endpointSender(req.stage) : undefined
	});
	reply({ type: 'ran', summary });
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
	handle(e.data).catch((err: unknown) => {
		reply({
			type: 'failed',
			message: err instanceof Error ? err.message : String(err),
			// -1: not a staging failure (a bug, an unreadable file): the page shows it as it is.
			status: err instanceof StageError ? err.status : -1
		});
	});
};
