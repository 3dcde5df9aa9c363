/** Messages between the wizard and its Web Worker (both directions), one request at a time. */
import type { Mapping } from '../csv/mapping.ts';
import type { Inspection, ReadOptions, RunSummary, StageTarget } from './core.ts';

export type WorkerRequest =
	| { type: 'inspect'; file: File; options: ReadOptions }
	| { type: 'run'; file: File; options: ReadOptions; mapping: Mapping; stage?: StageTarget };

export type WorkerReply =
	| { type: 'inspected'; inspection: Inspection }
	| { type: 'progress'; fraction: number; rows: number; staged: number }
	| { type: 'ran'; summary: RunSummary }
	/** status: the StageError's (0: no answer from the server), -1 for any other failure. */
	| { type: 'failed'; message: string; status: number };
