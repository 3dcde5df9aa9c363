import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { apiKeys } from './jwt.ts';
import type { RuntimeConfig } from './types.ts';

export interface ConfigOptions {
	/** Folder holding `config.toml`, `migrations/` and `seed.sql`. Defaults to `./supabase`. */
	supabaseDir?: string;
	/** Where data, the lock and the secret live. Defaults to `./.supabase`. */
	workdir?: string;
	memory?: boolean;
	apiPort?: number;
	dbPort?: number;
	mailPort?: number;
	smtpPort?: number;
	host?: string;
	dbUrl?: string | null;
	/** Fixed secret (tests); otherwise one is made per workdir and kept there. */
	jwtSecret?: string;
}

type Toml = Record<string, unknown>;

function section(t: Toml, ...path: string[]): Toml {
	let cur: unknown = t;
	for (const p of path) cur = (cur as Toml | undefined)?.[p];
	return (cur as Toml | undefined) ?? {};
}

function num(v: unknown, fallback: number): number {
	return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function envPort(name: string): number | undefined {
	const v = process.env[name];
	return v ? Number(v) : undefined;
}

/** Parses the CLI's duration strings ("1s", "60s", "5m") into seconds. */
export function seconds(v: unknown, fallback: number): number {
	if (typeof v === 'number') return v;
	if (typeof v !== 'string') return fallback;
	const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
	if (!m) return fallback;
	const n = Number(m[1]);
	const unit = m[2] ?? 's';
	return unit === 'ms' ? n / 1000 : unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n;
}

/** The JWT secret of a workdir: made once with 48 random bytes, then reused. */
function workdirSecret(workdir: string): string {
	const file = join(workdir, 'jwt-secret');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(workdir, { recursive: true });
	const secret = randomBytes(48).toString('base64url');
	writeFileSync(file, secret + '\n', { mode: 0o600 });
	return secret;
}

/**
 * Settings for one stack: `supabase/config.toml`, then environment variables
 * (`SUPABASE_API_PORT`, `SUPABASE_DB_PORT`, `SUPABASE_MAIL_PORT`, `SUPABASE_SMTP_PORT`, `SUPABASE_WORKDIR`,
 * `SUPABASE_DB_URL`), then explicit options.
 */
export async function loadConfig(opts: ConfigOptions = {}): Promise<RuntimeConfig> {
	const supabaseDir = resolve(opts.supabaseDir ?? 'supabase');
	const tomlPath = join(supabaseDir, 'config.toml');
	const toml: Toml = existsSync(tomlPath) ? (parse(readFileSync(tomlPath, 'utf8')) as Toml) : {};
	const api = section(toml, 'api');
	const db = section(toml, 'db');
	const inbucket = section(toml, 'inbucket');
	const auth = section(toml, 'auth');
	const email = section(toml, 'auth', 'email');
	const rate = section(toml, 'auth', 'rate_limit');

	const memory = opts.memory ?? false;
	const workdir = resolve(opts.workdir ?? process.env.SUPABASE_WORKDIR ?? '.supabase');
	const jwtSecret =
		opts.jwtSecret ??
		process.env.SUPABASE_JWT_SECRET ??
		(memory ? randomBytes(48).toString('base64url') : workdirSecret(workdir));
	const keys = await apiKeys(jwtSecret);

	return {
		workdir,
		memory,
		host: opts.host ?? process.env.SUPABASE_HOST ?? '127.0.0.1',
		apiPort: opts.apiPort ?? envPort('SUPABASE_API_PORT') ?? num(api.port, 54321),
		dbPort: opts.dbPort ?? envPort('SUPABASE_DB_PORT') ?? num(db.port, 54322),
		mailPort: opts.mailPort ?? envPort('SUPABASE_MAIL_PORT') ?? num(inbucket.port, 54324),
		// A caller asking for a free mail port (tests, benchmarks) gets a free SMTP port too.
		smtpPort:
			opts.smtpPort ??
			envPort('SUPABASE_SMTP_PORT') ??
			(opts.mailPort === 0 ? 0 : num(inbucket.smtp_port, 54325)),
		dbUrl: opts.dbUrl !== undefined ? opts.dbUrl : (process.env.SUPABASE_DB_URL ?? null),
		jwtSecret,
		anonKey: keys.anonKey,
		serviceRoleKey: keys.serviceRoleKey,
		api: {
			schemas: Array.isArray(api.schemas) ? (api.schemas as string[]) : ['public'],
			extraSearchPath: Array.isArray(api.extra_search_path)
				? (api.extra_search_path as string[])
				: ['public', 'extensions'],
			maxRows: num(api.max_rows, 1000),
			maxBodyBytes: num(api.max_body_bytes, 10 * 1024 * 1024),
			statementTimeout: typeof api.statement_timeout === 'string' ? api.statement_timeout : '8s'
		},
		auth: {
			siteUrl: typeof auth.site_url === 'string' ? auth.site_url : 'http://localhost:5173',
			additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
				? (auth.additional_redirect_urls as string[])
				: [],
			jwtExpiry: num(auth.jwt_expiry, 3600),
			enableSignup: auth.enable_signup !== false,
			enableRefreshTokenRotation: auth.enable_refresh_token_rotation !== false,
			refreshTokenReuseInterval: num(auth.refresh_token_reuse_interval, 10),
			minimumPasswordLength: num(auth.minimum_password_length, 6),
			emailConfirmations: email.enable_confirmations === true,
			secureEmailChange: email.double_confirm_changes !== false,
			otpExpiry: num(email.otp_expiry, 3600),
			maxFrequency: seconds(email.max_frequency, 1),
			rateLimit: {
				emailSent: num(rate.email_sent, 30),
				signInSignUps: num(rate.sign_in_sign_ups, 30),
				tokenRefresh: num(rate.token_refresh, 150),
				tokenVerifications: num(rate.token_verifications, 30)
			}
		}
	};
}
