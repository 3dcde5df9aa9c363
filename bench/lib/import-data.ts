/**
 * Generated long-format measurement files for the import benchmarks: `agency, indicator, period,
 * value, target`, one row per indicator and day, written to disk in blocks (never held whole) and
 * the same bytes for the same row count.
 */
import { createWriteStream, openAsBlob, statSync } from 'node:fs';
import { once } from 'node:events';
import { blobSource, type ByteSource } from '../../src/lib/csv/source.ts';

export const HEADER = 'agency,indicator,period,value,target';
/** Ten years of days per indicator: 100,000 rows are 28 indicators, 1,000,000 rows 274. */
export const DAYS = 3650;
const AGENCIES = [
	'Transit Authority',
	'Parks Department',
	'Housing Office',
	'Health Board',
	'Water Utility'
];
const DAY_MS = 86_400_000;
const START = Date.UTC(2015, 0, 1);

export interface GeneratedFile {
	path: string;
	rows: number;
	bytes: number;
	indicators: number;
	agencies: number;
}

/** The indicator count for `rows` rows: every (indicator, day) pair is unique, no duplicates. */
export const indicatorsFor = (rows: number) => Math.ceil(rows / DAYS);

/**
 * Row `i` (0-based): indicators interleaved, one day after another (a portal export sorted by
 * date). Values are deterministic and vary (some with 2 decimals); every third indicator has no
 * target, the others a constant one.
 */
export function rowText(i: number, indicators: number): string {
	const ind = i % indicators;
	const day = Math.floor(i / indicators);
	const period = new Date(START + day * DAY_MS).toISOString().slice(0, 10);
	const value = ((i * 7919 + ind * 104729) % 100_000) / 100;
	const target = ind % 3 === 2 ? '' : String(500 + (ind % 7) * 10);
	return `${AGENCIES[ind % AGENCIES.length]},Indicator ${ind + 1},${period},${value},${target}`;
}

/** Writes the file in blocks of lines, waiting for the disk when the stream is full. */
export async function generateFile(path: string, rows: number): Promise<GeneratedFile> {
	const indicators = indicatorsFor(rows);
	const out = createWriteStream(path);
	out.write(HEADER + '\n');
	const block = 10_000;
	for (let i = 0; i < rows; i += block) {
		const lines: string[] = [];
		for (let j = i; j < Math.min(rows, i + block); j++) lines.push(rowText(j, indicators));
		if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
	return {
		path,
		rows,
		bytes: statSync(path).size,
		indicators,
		agencies: Math.min(indicators, AGENCIES.length)
	};
}

/**
 * The file as the pipeline's ByteSource: Node's file-backed Blob, read range by range as the
 * parser asks (the same `blobSource` the browser uses with a File), so the file is never in
 * memory whole.
 */
export async function fileSource(path: string, name?: string): Promise<ByteSource> {
	return blobSource(await openAsBlob(path), name ?? path.split('/').pop());
}

/** Peak resident set size of this process so far, in MiB (the kernel's high-water mark). */
export function peakRssMiB(): number {
	return process.resourceUsage().maxRSS / 1024;
}

/** Samples RSS while work runs (maxRSS is process-wide; this gives the peak of one stretch). */
export function rssSampler(intervalMs = 50): { stop(): number } {
	let peak = process.memoryUsage.rss();
	const t = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, intervalMs);
	// Never the reason the process stays up (a stage that throws skips stop()).
	t.unref();
	return {
		stop() {
			clearInterval(t);
			return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
		}
	};
}
