/** Messages between the wizard and its Web Worker (both directions), one request at a time. */
import type { Mapping } from '../csv/mapping.ts';
import type { Inspection, ReadOptions, RunSummary } from './core.ts';

export type WorkerRequest =
	| { type: 'inspect'; file: File; options: ReadOptions }
	| { type: 'run'; file: File; options: ReadOptions; mapping: Mapping }
	| { type: 'stage'; url: string; importId: string };

export type WorkerReply =
	| { type: 'inspected'; inspection: Inspection }
	| { type: 'progress'; fraction: number; rows: number }
	| { type: 'ran'; summary: RunSummary }
	| { type: 'staging'; sent: number; total: number }
	| { type: 'staged'; staged: number }
	| { type: 'failed'; message: string; status: number };
