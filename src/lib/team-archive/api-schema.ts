/**
 * The import page's JSON endpoint (`/teams/import/api`): one POST body per step, checked with zod
 * on the server. Chunks stay under the app server's body limit (see upload.ts).
 */
import { z } from 'zod';
import { importedTables } from './tables.ts';

const tableNames = importedTables().map((x) => x.name) as [string, ...string[]];

export const ImportApiRequest = z.discriminatedUnion('action', [
	z.object({
		action: z.literal('stage'),
		upload_id: z.uuid(),
		table: z.enum(tableNames),
		rows: z.array(z.record(z.string(), z.unknown())).min(1).max(20_000)
	}),
	z.object({
		action: z.literal('finish'),
		upload_id: z.uuid(),
		team_name: z.string().max(1000),
		team: z.object({
			purpose: z.string().max(5000).nullable(),
			focus_area: z.string().max(1000).nullable(),
			size_cap: z.number().int().nullable()
		})
	}),
	z.object({ action: z.literal('discard'), upload_id: z.uuid() })
]);
export type ImportApiRequest = z.infer<typeof ImportApiRequest>;

/** What `finish` answers: the new team, or the sentence to show (beside the name when it is about it). */
export type FinishResponse = { team_id: string } | { error: string; field?: 'team_name' };
