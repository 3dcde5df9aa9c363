/** The CSV import pipeline: pure, browser/worker/Node-safe (see each module for details). */
export * from './encoding.ts';
export * from './sniff.ts';
export * from './source.ts';
export * from './parse.ts';
export * from './numbers.ts';
export * from './dates.ts';
export * from './columns.ts';
export * from './mapping.ts';
export * from './validate.ts';
export * from './export.ts';
export * from './pipeline.ts';
