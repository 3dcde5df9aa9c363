/**
 * Contracts between the parts of the local runtime. Each part (db, rest, auth, mail, realtime)
 * depends only on these types and on its own files, so parts can be built and tested alone.
 */

/** A field of a result row, as the engine reports it (dataTypeID is the Postgres type oid). */
export interface Field {
	name: string;
	dataTypeID: number;
}

export interface QueryResult<T = Record<string, unknown>> {
	rows: T[];
	fields: Field[];
	/** Rows touched by INSERT/UPDATE/DELETE, when the engine reports it. */
	affectedRows?: number;
}

/** One exclusive session inside an open transaction. */
export interface Tx {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
	/** Several statements, no parameters (DDL, scripts). */
	exec(sql: string): Promise<void>;
}

/**
 * The database. PGlite (embedded, one session) or native PostgreSQL (a pool).
 * `transaction` holds one session from BEGIN to COMMIT/ROLLBACK: nothing else runs on that
 * session meanwhile, so `SET LOCAL role` and `request.jwt.claims` can never leak between requests.
 */
export interface Database {
	readonly kind: 'pglite' | 'postgres';
	transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
	/** One statement outside a request transaction (admin work, introspection). */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
	exec(sql: string): Promise<void>;
	/** LISTEN on a channel; returns an unsubscribe function. */
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

/** The role and claims a request runs as, from its verified JWT. */
export interface RequestAuth {
	role: 'anon' | 'authenticated' | 'service_role' | string;
	claims: Record<string, unknown>;
	/** The raw bearer token (auth needs it for /user and /logout). */
	token: string | null;
}

/** A parsed HTTP request as a part sees it (the server strips the `/rest/v1` or `/auth/v1` prefix). */
export interface ApiRequest {
	method: string;
	/** Path below the part's prefix, e.g. `/todos` or `/token`. Decoded. */
	path: string;
	/** The raw query string without `?` (PostgREST's grammar needs the raw order of keys). */
	rawQuery: string;
	query: URLSearchParams;
	/** Lower-cased header names. */
	headers: Record<string, string | undefined>;
	body: Buffer;
	/** Set by the server from `apikey`/`Authorization` when a token was given and valid. */
	auth: RequestAuth;
	/** Client address, for rate limits. */
	ip: string;
}

export interface ApiResponse {
	status: number;
	headers?: Record<string, string | string[]>;
	/** A string or Buffer is sent as is; anything else is JSON-encoded. `undefined` means no body. */
	body?: unknown;
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse>;

/** Settings read from supabase/config.toml plus flags and env; see config.ts. */
export interface RuntimeConfig {
	workdir: string;
	apiPort: number;
	dbPort: number;
	mailPort: number;
	/** The SMTP receiver feeding the mailbox (`[inbucket] smtp_port`). */
	smtpPort: number;
	host: string;
	/** Native PostgreSQL URL; when unset, PGlite is used. */
	dbUrl: string | null;
	/** PGlite in memory (tests). */
	memory: boolean;
	jwtSecret: string;
	anonKey: string;
	serviceRoleKey: string;
	api: {
		schemas: string[];
		extraSearchPath: string[];
		maxRows: number;
		/** Largest request body accepted, in bytes (413 above). */
		maxBodyBytes: number;
		/** statement_timeout for API requests, e.g. '8s'. */
		statementTimeout: string;
	};
	auth: {
		siteUrl: string;
		additionalRedirectUrls: string[];
		jwtExpiry: number;
		enableSignup: boolean;
		enableRefreshTokenRotation: boolean;
		refreshTokenReuseInterval: number;
		minimumPasswordLength: number;
		emailConfirmations: boolean;
		secureEmailChange: boolean;
		otpExpiry: number;
		maxFrequency: number;
		rateLimit: {
			emailSent: number;
			signInSignUps: number;
			tokenRefresh: number;
			tokenVerifications: number;
		};
	};
}
