import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
	generateOtp,
	globToRegExp,
	isEmailFormat,
	isRedirectAllowed,
	RateLimiter,
	refreshTokenString,
	s256,
	tokenHash
} from './helpers.ts';
import { errorResponse, AuthError, weakPassword } from './errors.ts';
import type { ApiRequest } from '../types.ts';

describe('tokens', () => {
	it('hashes email and OTP like GoTrue (hex SHA-224 of address + code)', () => {
		expect(tokenHash('a@b.test', '123456')).toBe(
			createHash('sha224').update('a@b.test123456').digest('hex')
		);
		expect(tokenHash('a@b.test', '123456')).toHaveLength(56);
	});

	it('makes six-digit OTPs and 12-character refresh tokens', () => {
		expect(generateOtp()).toMatch(/^\d{6}$/);
		const t = refreshTokenString();
		expect(t).toMatch(/^[a-z0-9]{12}$/);
		expect(refreshTokenString()).not.toBe(t);
	});

	it('computes the S256 challenge of RFC 7636', () => {
		expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
			'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
		);
	});
});

describe('email format', () => {
	it.each(['user@example.com', 'a.b+tag@sub.example.org'])('accepts %s', (e) =>
		expect(isEmailFormat(e)).toBe(true)
	);
	it.each(['plain', 'a@', '@b.com', 'a b@c.com', 'a@b..com'])('rejects %s', (e) =>
		expect(isEmailFormat(e)).toBe(false)
	);
});

describe('redirect allow-list', () => {
	const site = 'http://localhost:5173';
	const allow = ['http://127.0.0.1:5173', 'https://*.example.org/**', 'https://app.test/callback'];
	it('allows the site host, exact entries and globs', () => {
		expect(isRedirectAllowed('http://localhost:5173/auth/callback?next=/t', site, allow)).toBe(
			true
		);
		expect(isRedirectAllowed('http://127.0.0.1:5173', site, allow)).toBe(true);
		expect(isRedirectAllowed('https://preview.example.org/a/b', site, allow)).toBe(true);
		expect(isRedirectAllowed('https://app.test/callback', site, allow)).toBe(true);
	});
	it('refuses anything else', () => {
		expect(isRedirectAllowed('https://evil.test/', site, allow)).toBe(false);
		expect(isRedirectAllowed('https://a.b.example.org.evil.test/', site, allow)).toBe(false);
		expect(isRedirectAllowed('https://app.test/callback/other', site, allow)).toBe(false);
		expect(isRedirectAllowed('not a url', site, allow)).toBe(false);
	});
	it('keeps single stars within one segment', () => {
		expect(globToRegExp('http://*.test').test('http://a.test')).toBe(true);
		expect(globToRegExp('http://*.test').test('http://a.b.test')).toBe(false);
	});
});

describe('rate limiter', () => {
	it('allows the limit per window and key, then resets', () => {
		const l = new RateLimiter(2, 1000);
		expect([l.take('ip', 0), l.take('ip', 1), l.take('ip', 2)]).toEqual([true, true, false]);
		expect(l.take('other', 2)).toBe(true);
		expect(l.take('ip', 1001)).toBe(true);
	});
});

describe('error bodies', () => {
	const req = (version?: string) =>
		({ headers: version ? { 'x-supabase-api-version': version } : {} }) as unknown as ApiRequest;
	it('uses the original shape without an API version', () => {
		const r = errorResponse(
			req(),
			new AuthError(400, 'invalid_credentials', 'Invalid login credentials')
		);
		expect(r.status).toBe(400);
		expect(r.body).toEqual({
			code: 400,
			error_code: 'invalid_credentials',
			msg: 'Invalid login credentials'
		});
		expect(r.headers).toEqual({});
	});
	it('uses the 2024-01-01 shape and echoes the version when asked', () => {
		const r = errorResponse(
			req('2024-01-01'),
			weakPassword('Password should be at least 8 characters.', ['length'])
		);
		expect(r.status).toBe(422);
		expect(r.headers).toEqual({ 'X-Supabase-Api-Version': '2024-01-01' });
		expect(r.body).toEqual({
			code: 'weak_password',
			message: 'Password should be at least 8 characters.',
			weak_password: { reasons: ['length'] }
		});
	});
});
