import type { Database, RequestAuth, RuntimeConfig, Tx } from './types.ts';

export interface RequestTxOptions {
	/** `Prefer: tx=rollback`: run everything, then roll back. */
	rollback?: boolean;
	readOnly?: boolean;
	/** PostgREST also sets request.method, request.path and request.headers. */
	method?: string;
	path?: string;
	headers?: Record<string, string | undefined>;
}

/** Thrown inside a request transaction to roll back and still answer with a value. */
export class Rollback<T> extends Error {
	constructor(readonly value: T) {
		super('rollback');
	}
}

/**
 * Runs `fn` the way PostgREST runs a request: one transaction, `SET LOCAL ROLE` to the JWT's role,
 * the claims in `request.jwt.claims` (and the legacy `request.jwt.claim.*`), the search path and a
 * statement timeout, all transaction-local so nothing survives the request.
 */
export async function withRequestTx<T>(
	db: Database,
	config: RuntimeConfig,
	auth: RequestAuth,
	fn: (tx: Tx) => Promise<T>,
	opts: RequestTxOptions = {}
): Promise<T> {
	const searchPath = [
		...new Set([...config.api.schemas.slice(0, 1), ...config.api.extraSearchPath])
	];
	try {
		return await db.transaction(async (tx) => {
			await tx.query(
				`select set_config('role', $1, true),
				        set_config('request.jwt.claims', $2, true),
				        set_config('request.jwt.claim.sub', $3, true),
				        set_config('request.jwt.claim.role', $1, true),
				        set_config('request.method', $4, true),
				        set_config('request.path', $5, true),
				        set_config('request.headers', $6, true),
				        set_config('search_path', $7, true),
				        set_config('statement_timeout', $8, true),
				        set_config('transaction_read_only', $9, true)`,
				[
					auth.role,
					JSON.stringify(auth.claims),
					typeof auth.claims.sub === 'string' ? auth.claims.sub : '',
					opts.method ?? 'GET',
					opts.path ?? '/',
					JSON.stringify(opts.headers ?? {}),
					searchPath.map((s) => `"${s.replaceAll('"', '""')}"`).join(', '),
					config.api.statementTimeout,
					// In the same statement as the rest: one round trip fewer on every GET.
					opts.readOnly ? 'on' : 'off'
				]
			);
			const value = await fn(tx);
			if (opts.rollback) throw new Rollback(value);
			return value;
		});
	} catch (e) {
		if (e instanceof Rollback) return e.value as T;
		throw e;
	}
}
