import { createHash, randomBytes, randomInt } from 'node:crypto';

/** GoTrue's OTP: `length` random digits. */
export function generateOtp(length = 6): string {
	let s = '';
	for (let i = 0; i < length; i++) s += String(randomInt(10));
	return s;
}

/** GoTrue's token hash for an emailed link: hex SHA-224 of the address followed by the OTP. */
export function tokenHash(emailOrPhone: string, otp: string): string {
	return createHash('sha224')
		.update(emailOrPhone + otp)
		.digest('hex');
}

export const PKCE_PREFIX = 'pkce_';

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A refresh token in GoTrue's short format: 12 random lower-case alphanumerics. */
export function refreshTokenString(length = 12): string {
	const bytes = randomBytes(length);
	let s = '';
	// 252 = 7 * 36: reject-free modulo would bias; the skew is negligible for 12 chars but avoid it anyway.
	for (let i = 0; i < length; i++) s += ALPHANUM[bytes[i] % 36];
	return s;
}

export function s256(verifier: string): string {
	return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Email format check in the spirit of GoTrue's `checkmail.ValidateFormat`: a local part, an `@`
 * and a dotted domain of letters, digits and hyphens.
 */
const EMAIL_RE =
	/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function isEmailFormat(email: string): boolean {
	return EMAIL_RE.test(email);
}

/** Converts a timestamp from either engine (Date or text) to RFC 3339, or undefined. */
export function ts(v: unknown): string | undefined {
	if (v === null || v === undefined) return undefined;
	if (v instanceof Date) return v.toISOString();
	const d = new Date(String(v));
	return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

export function ms(v: unknown): number | null {
	if (v === null || v === undefined) return null;
	const d = v instanceof Date ? v : new Date(String(v));
	return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/**
 * A glob like the CLI's `additional_redirect_urls` entries (gobwas/glob with `.` and `/` as
 * separators): `*` matches within a segment, `**` across segments, `?` one character.
 */
export function globToRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*') {
			if (glob[i + 1] === '*') {
				re += '.*';
				i++;
			} else re += '[^./]*';
		} else if (c === '?') re += '[^./]';
		else re += c.replace(/[\\^$+.()|{}[\]]/g, '\\$&');
	}
	return new RegExp(`^${re}$`);
}

/**
 * GoTrue's redirect check: any URL on the site URL's host name, or one matching an allow-list
 * entry (a literal or a glob). Anything else falls back to the site URL.
 */
export function isRedirectAllowed(url: string, siteUrl: string, allowList: string[]): boolean {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return false;
	}
	try {
		if (u.hostname !== '' && u.hostname === new URL(siteUrl).hostname) return true;
	} catch {
		// a broken site URL allows nothing by itself
	}
	return allowList.some((entry) => entry === url || globToRegExp(entry).test(url));
}

/** Fixed-window counters per key (IP or a global key), for GoTrue's rate limits. */
export class RateLimiter {
	private windows = new Map<string, { start: number; count: number }>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	/** Counts one event; false when the key is over its limit for the current window. */
	take(key: string, now = Date.now()): boolean {
		if (this.limit <= 0) return true;
		let w = this.windows.get(key);
		if (!w || now - w.start >= this.windowMs) {
			w = { start: now, count: 0 };
			this.windows.set(key, w);
			if (this.windows.size > 10_000) this.prune(now);
		}
		if (w.count >= this.limit) return false;
		w.count += 1;
		return true;
	}

	private prune(now: number): void {
		for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
	}
}
