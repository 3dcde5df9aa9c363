/**
 * Micro-benchmark of the pure import pipeline in Node (no database): a generated long-format file
 * of N rows through decode → parse → map → validate, and through decode → parse alone.
 *
 *   npx tsx bench/import-parse.ts [--rows 100000] [--chunk 1048576]
 */
import { parseArgs } from 'node:util';
import { parseCsv } from '../src/lib/csv/parse.ts';
import { importCsv } from '../src/lib/csv/pipeline.ts';
import { bytesSource } from '../src/lib/csv/source.ts';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		chunk: { type: 'string', default: String(1 << 20) }
	}
});
const N = Number(values.rows);
const chunkSize = Number(values.chunk);

function generate(n: number): Uint8Array {
	const lines = ['agency,indicator,period,value,target,unit,note'];
	const agencies = ['Transit', 'Parks', 'Housing', 'Health'];
	// Enough indicators that every (indicator, month) pair is unique: no duplicates in the file.
	const indicators = Math.ceil(n / 240);
	for (let i = 0; i < n; i++) {
		const ind = i % indicators;
		const m = Math.floor(i / indicators);
		const year = 2000 + Math.floor(m / 12);
		const month = String((m % 12) + 1).padStart(2, '0');
		const value = ((i * 7919) % 100000) / 100;
		const note = i % 10 === 0 ? '"late data, revised"' : '';
		lines.push(
			`${agencies[ind % 4]},Indicator ${ind},${year}-${month},${value},${value > 500 ? 500 : ''},%,${note}`
		);
	}
	return new TextEncoder().encode(lines.join('\n') + '\n');
}

const bytes = generate(N);
const mib = bytes.length / 1024 / 1024;
console.log(
	`${N.toLocaleString('en')} rows, ${mib.toFixed(1)} MiB, chunk ${chunkSize} bytes, Node ${process.version}`
);

for (let run = 0; run < 2; run++) {
	let t = performance.now();
	let rows = 0;
	for await (const ev of parseCsv(bytesSource(bytes), { chunkSize }))
		if (ev.type === 'rows') rows += ev.rows.length;
	const parseMs = performance.now() - t;

	const heapBefore = process.memoryUsage().heapUsed;
	t = performance.now();
	const r = await importCsv(bytesSource(bytes), { chunkSize });
	const allMs = performance.now() - t;
	const heapAfter = process.memoryUsage().heapUsed;
	if (!r.ok || r.validation!.records.length !== N) {
		console.error('unexpected outcome', r.fileError, r.validation?.counts);
		process.exit(1);
	}
	console.log(
		`run ${run + 1}: parse only ${Math.round(rows / (parseMs / 1000)).toLocaleString('en')} rows/s (${(mib / (parseMs / 1000)).toFixed(0)} MiB/s, ${parseMs.toFixed(0)} ms); ` +
			`decode→parse→map→validate ${Math.round(N / (allMs / 1000)).toLocaleString('en')} rows/s (${allMs.toFixed(0)} ms, heap +${((heapAfter - heapBefore) / 1024 / 1024).toFixed(0)} MiB holding ${N.toLocaleString('en')} records)`
	);
}
