/// <reference lib="webworker" />
/**
 * The import off the page's thread: the wizard posts a File (a reference, not a copy) and gets back
 * progress and a small summary. The valid records stay here until the wizard asks to stage them,
 * so a 100,000-row import never crosses to the page. Cancel = the page terminates this worker.
 */
import { blobSource } from '../csv/source.ts';
import type { MeasurementRecord } from '../csv/validate.ts';
import { inspect, run, stage, StageError } from './core.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let records: MeasurementRecord[] = [];

function reply(msg: WorkerReply): void {
	scope.postMessage(msg);
}

async function handle(req: WorkerRequest): Promise<void> {
	if (req.type === 'inspect') {
		records = [];
		reply({ type: 'inspected', inspection: await inspect(blobSource(req.file), req.options) });
	} else if (req.type === 'run') {
		records = [];
		let last = 0;
		const out = await run(blobSource(req.file), req.options, req.mapping, {
			onProgress: ({ fraction, rows }) => {
				const now = performance.now();
				if (now - last < 50 && fraction < 1) return;
				last = now;
				reply({ type: 'progress', fraction, rows });
			}
		});
		records = out.records;
		reply({ type: 'ran', summary: out.summary });
	} else {
		const staged = await stage(
			records,
			{ url: req.url, importId: req.importId },
			{ onProgress: (sent, total) => reply({ type: 'staging', sent, total }) }
		);
		reply({ type: 'staged', staged });
	}
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
	handle(e.data).catch((err: unknown) => {
		reply({
			type: 'failed',
			message: err instanceof Error ? err.message : String(err),
			status: err instanceof StageError ? err.status : 0
		});
	});
};
