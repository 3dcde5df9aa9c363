/**
 * Realtime Authorization for private channels, as Supabase does it: RLS policies on
 * `realtime.messages` decide who may read (join, receive) and write (send, track) on a topic.
 * Reading: two rows for the topic (extension `broadcast` and `presence`) are inserted by the runtime,
 * then selected back under the subscriber's role and claims with `realtime.topic()` set; writing:
 * the same rows are inserted under the subscriber's role. Everything is rolled back, so the
 * table stays empty.
 */
import { isDatabaseError } from '../db/index.ts';
import type { Database, RequestAuth, Tx } from '../types.ts';

export interface ReadPolicies {
	broadcast: boolean;
	presence: boolean;
}

export type WritePolicies = ReadPolicies;

class Rollback<T> extends Error {
	constructor(readonly value: T) {
		super('rollback');
	}
}

async function rolledBack<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
	try {
		return await db.transaction(async (tx) => {
			throw new Rollback(await fn(tx));
		});
	} catch (e) {
		if (e instanceof Rollback) return e.value as T;
		throw e;
	}
}

async function actAs(tx: Tx, auth: RequestAuth, topic: string): Promise<void> {
	await tx.query(
		`select set_config('role', $1, true),
		        set_config('realtime.topic', $2, true),
		        set_config('request.jwt.claims', $3, true),
		        set_config('request.jwt.claim.sub', $4, true),
		        set_config('request.jwt.claim.role', $1, true)`,
		[
			auth.role,
			topic,
			JSON.stringify(auth.claims),
			typeof auth.claims.sub === 'string' ? auth.claims.sub : ''
		]
	);
}

export function readPolicies(
	db: Database,
	auth: RequestAuth,
	topic: string
): Promise<ReadPolicies> {
	return rolledBack(db, async (tx) => {
		const { rows } = await tx.query<{ id: string; extension: string }>(
			`insert into realtime.messages (topic, extension, private)
			 values ($1, 'broadcast', true), ($1, 'presence', true)
			 returning id::text, extension`,
			[topic]
		);
		await actAs(tx, auth, topic);
		try {
			const seen = await tx.query<{ extension: string }>(
				`select extension from realtime.messages where topic = $1 and id = any($2::uuid[])`,
				[topic, rows.map((r) => r.id)]
			);
			const has = (ext: string) => seen.rows.some((r) => r.extension === ext);
			return { broadcast: has('broadcast'), presence: has('presence') };
		} catch (e) {
			// No grant on the table: nobody may read.
			if (isDatabaseError(e) && e.code === '42501') return { broadcast: false, presence: false };
			throw e;
		}
	});
}

export function writePolicies(
	db: Database,
	auth: RequestAuth,
	topic: string
): Promise<WritePolicies> {
	return rolledBack(db, async (tx) => {
		await actAs(tx, auth, topic);
		const can = async (extension: string) => {
			await tx.query('savepoint realtime_write');
			try {
				await tx.query(
					`insert into realtime.messages (topic, extension, private) values ($1, $2, true)`,
					[topic, extension]
				);
				return true;
			} catch (e) {
				// 42501: the policy (or a missing grant) refuses the row.
				if (isDatabaseError(e) && e.code === '42501') {
					await tx.query('rollback to savepoint realtime_write');
					return false;
				}
				throw e;
			}
		};
		return { broadcast: await can('broadcast'), presence: await can('presence') };
	});
}
