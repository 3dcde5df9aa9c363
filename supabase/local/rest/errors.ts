/**
 * PostgREST error bodies (`code`, `message`, `details`, `hint`) and the SQLSTATE → HTTP status
 * mapping of PostgREST's `PostgREST.Error` module.
 */
import type { ApiResponse } from '../types.ts';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: unknown = null,
		readonly hint: unknown = null,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}

	body(): Record<string, unknown> {
		return { code: this.code, details: this.details, hint: this.hint, message: this.message };
	}
}

/** Shape of an error thrown by PGlite or node-postgres. */
interface PgLikeError {
	code?: string;
	message?: string;
	detail?: string;
	hint?: string;
}

export function isPgError(e: unknown): e is PgLikeError & Error {
	return (
		e instanceof Error &&
		typeof (e as PgLikeError).code === 'string' &&
		/^[0-9A-Z]{5}$/.test((e as PgLikeError).code!)
	);
}

/** PostgREST's `mapSQLtoHTTP`; `authed` is false for the anon role (42501 → 401). */
export function statusForSqlState(code: string, message: string, authed: boolean): number {
	const c2 = code.slice(0, 2);
	switch (code) {
		case '23503':
		case '23505':
			return 409;
		case '25006':
			return 405;
		case '21000':
			return message.endsWith('requires a WHERE clause') ? 400 : 500;
		case '22023':
			return message.startsWith('role') && message.endsWith('does not exist') ? 401 : 400;
		case '53400':
			return 500;
		case '57P01':
			return 503;
		case 'P0001':
			return 400;
		case '42883':
			return message.startsWith('function xmlagg(') ? 406 : 404;
		case '42P01':
			return 404;
		case '42P17':
			return 500;
		case '42501':
			return authed ? 403 : 401;
	}
	switch (c2) {
		case '08':
			return 503;
		case '09':
			return 500;
		case '0L':
		case '0P':
			return 403;
		case '25':
			return 500;
		case '28':
			return 403;
		case '2D':
		case '38':
		case '39':
		case '3B':
		case '40':
			return 500;
		case '53':
			return 503;
		case '54':
		case '55':
		case '57':
		case '58':
		case 'F0':
		case 'HV':
		case 'P0':
		case 'XX':
			return 500;
		case 'PT': {
			const n = Number(code.slice(2));
			return Number.isInteger(n) && n >= 100 && n <= 599 ? n : 500;
		}
	}
	return 400;
}

/** `raise sqlstate 'PGRST' using message = '{json}', detail = '{json}'`: full control of the response. */
function pgrstRaise(e: PgLikeError): ApiError {
	try {
		const m = JSON.parse(e.message ?? '') as Record<string, unknown>;
		const d = JSON.parse(e.detail ?? '') as Record<string, unknown>;
		if (typeof m.code !== 'string' || typeof m.message !== 'string') throw new Error();
		if (typeof d.status !== 'number') throw new Error();
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries((d.headers as Record<string, unknown>) ?? {}))
			headers[k] = String(v);
		return new ApiError(
			d.status,
			m.code,
			m.message,
			(m.details as string) ?? null,
			(m.hint as string) ?? null,
			headers
		);
	} catch {
		return new ApiError(
			500,
			'PGRST121',
			'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
			`Invalid JSON value for MESSAGE: '${e.message ?? ''}'`,
			"MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'."
		);
	}
}

export function fromPgError(e: PgLikeError, authed: boolean): ApiError {
	if (e.code === 'PGRST') return pgrstRaise(e);
	const code = e.code ?? 'XX000';
	const message = e.message ?? '';
	const status = statusForSqlState(code, message, authed);
	return new ApiError(
		status,
		code,
		message,
		e.detail ?? null,
		e.hint ?? null,
		status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}
	);
}

export function toErrorResponse(e: unknown, authed: boolean): ApiResponse {
	let err: ApiError;
	if (e instanceof ApiError) err = e;
	else if (isPgError(e)) err = fromPgError(e, authed);
	else {
		const message = e instanceof Error ? e.message : String(e);
		err = new ApiError(500, 'PGRSTX00', message);
	}
	return {
		status: err.status,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'proxy-status': `PostgREST; error=${err.code}`,
			...err.headers
		},
		body: JSON.stringify(err.body())
	};
}

// Errors raised by the request parser and the planner, with PostgREST's texts.

export const errors = {
	parse(what: string, input: string, column: number, details: string): ApiError {
		return new ApiError(
			400,
			'PGRST100',
			`"failed to parse ${what} (${input})" (line 1, column ${column})`,
			details
		);
	},
	invalidBody(message: string): ApiError {
		return new ApiError(400, 'PGRST102', message);
	},
	invalidRange(details: string): ApiError {
		return new ApiError(416, 'PGRST103', 'Requested range not satisfiable', details);
	},
	invalidRpcMethod(method: string): ApiError {
		return new ApiError(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
	},
	unacceptableSchema(schema: string, schemas: string[]): ApiError {
		return new ApiError(
			406,
			'PGRST106',
			`Invalid schema: ${schema}`,
			null,
			`Only the following schemas are exposed: ${schemas.join(', ')}`
		);
	},
	mediaType(types: string[]): ApiError {
		return new ApiError(
			406,
			'PGRST107',
			`None of these media types are available: ${types.join(', ')}`
		);
	},
	notEmbedded(resource: string): ApiError {
		return new ApiError(
			400,
			'PGRST108',
			`'${resource}' is not an embedded resource in this request`,
			null,
			`Verify that '${resource}' is included in the 'select' query parameter.`
		);
	},
	singularity(n: number): ApiError {
		return new ApiError(
			406,
			'PGRST116',
			'Cannot coerce the result to a single JSON object',
			`The result contains ${n} rows`
		);
	},
	unsupportedMethod(method: string): ApiError {
		return new ApiError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
	},
	relatedOrderNotToOne(origin: string, target: string): ApiError {
		return new ApiError(
			400,
			'PGRST118',
			`A related order on '${target}' is not possible`,
			`'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship`
		);
	},
	unacceptableFilter(target: string): ApiError {
		return new ApiError(
			400,
			'PGRST120',
			`Bad operator on the '${target}' embedded resource`,
			'Only is null or not is null filters are allowed on embedded resources'
		);
	},
	invalidPreferences(prefs: string[]): ApiError {
		return new ApiError(
			400,
			'PGRST122',
			'Invalid preferences given with handling=strict',
			`Invalid preferences: ${prefs.join(', ')}`
		);
	},
	maxAffected(n: number): ApiError {
		return new ApiError(
			400,
			'PGRST124',
			'Query result exceeds max-affected preference constraint',
			`The query affects ${n} rows`
		);
	},
	invalidPath(): ApiError {
		return new ApiError(404, 'PGRST125', 'Invalid path specified in request URL');
	},
	putLimit(): ApiError {
		return new ApiError(
			400,
			'PGRST114',
			'limit/offset querystring parameters are not allowed for PUT'
		);
	},
	putMatchingPk(): ApiError {
		return new ApiError(
			400,
			'PGRST115',
			'Payload values do not match URL in primary key column(s)'
		);
	},
	invalidFilters(): ApiError {
		return new ApiError(
			405,
			'PGRST105',
			"Filters must include all and only primary key columns with 'eq' operators"
		);
	},
	columnNotFound(rel: string, col: string): ApiError {
		return new ApiError(
			400,
			'PGRST204',
			`Could not find the '${col}' column of '${rel}' in the schema cache`
		);
	},
	tableNotFound(schema: string, name: string, hint: string | null): ApiError {
		return new ApiError(
			404,
			'PGRST205',
			`Could not find the table '${schema}.${name}' in the schema cache`,
			null,
			hint
		);
	}
};
