/**
 * Turning database refusals into what a user reads. Functions and validation triggers raise plain
 * lowercase English sentences (SQLSTATE P0001, or GWnnn where the UI branches): a user's mistake,
 * shown beside the form. A few constraint violations that a race can still produce (a unique name
 * taken between the check and the insert) get a sentence too. Anything else is a real failure and
 * stays an exception (a 500 with a reference).
 */

/** The fields of a PostgREST error body this module reads. */
export interface DbError {
	code?: string;
	message?: string;
	details?: string | null;
	hint?: string | null;
}

/** Known sentences in the visitor's language: a pattern and its translation (the match gives its parts). */
export type KnownMessages = Array<[RegExp, (match: RegExpExecArray) => string]>;

/** A refusal meant for the user: P0001 or one of the GWnnn codes. */
export function isUserError(error: unknown): error is DbError & { code: string; message: string } {
	const e = error as DbError | null;
	return (
		!!e &&
		typeof e.message === 'string' &&
		typeof e.code === 'string' &&
		(e.code === 'P0001' || /^GW\d{3}$/.test(e.code))
	);
}

/** The sentence with its first letter capitalised. */
export function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A database sentence in the visitor's language, or as it is, capitalised, when unknown. */
export function translateDbMessage(text: string, known: KnownMessages = []): string {
	for (const [pattern, message] of known) {
		const match = pattern.exec(text);
		if (match) return message(match);
	}
	return capitalise(text);
}

/** The user's message for a refusal, or null when the error is a fault. */
export function userMessage(error: unknown, known: KnownMessages = []): string | null {
	if (!isUserError(error)) return null;
	return translateDbMessage(error.message, known);
}

/**
 * The sentence for a violated constraint named in `byConstraint` (PostgreSQL names it in the
 * message: `duplicate key value violates unique constraint "x"`), or null.
 */
export function constraintMessage(
	error: unknown,
	byConstraint: Record<string, string>
): string | null {
	const e = error as DbError | null;
	if (!e || typeof e.message !== 'string' || !['23505', '23503', '23514'].includes(e.code ?? '')) {
		return null;
	}
	const name = /constraint "([^"]+)"/.exec(e.message)?.[1];
	return name && name in byConstraint ? byConstraint[name] : null;
}

/** What a data helper returns: the data, or the sentence to show (with the code where the UI branches). */
export type Result<T> =
	{ data: T; error?: undefined } | { data?: undefined; error: string; code?: string };

/** A query's answer as supabase-js gives it. */
export type QueryResponse<T> = { data: T | null; error: unknown };

/**
 * How a data module turns a query's answer into a `Result`, given the sentences for its named
 * constraints: a raised message, a named constraint or a refused write becomes the sentence to show;
 * anything else is a bug and is thrown.
 */
export function resultsFor(byConstraint: Record<string, string>) {
	function failure(error: unknown): { error: string; code?: string } {
		if (isUserError(error)) return { error: translateDbMessage(error.message), code: error.code };
		const known = constraintMessage(error, byConstraint);
		if (known) return { error: known };
		if ((error as { code?: string } | null)?.code === '42501')
			return { error: 'You cannot change this team’s data', code: '42501' };
		throw error;
	}
	function result<T>(r: QueryResponse<T>): Result<T> {
		return r.error ? failure(r.error) : { data: r.data as T };
	}
	return { failure, result };
}
