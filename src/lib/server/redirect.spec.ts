import { describe, expect, it } from 'vitest';
import { safeRedirect, signInUrl } from './redirect.ts';

describe('safeRedirect', () => {
	it('keeps a path on this site with its query', () => {
		expect(safeRedirect('/account?tab=email')).toBe('/account?tab=email');
	});

	it.each([
		'https://evil.example/',
		'//evil.example/x',
		'/\\evil.example',
		'javascript:alert(1)',
		''
	])('refuses %s', (target) => {
		expect(safeRedirect(target)).toBe('/home');
	});

	it('uses the fallback when nothing is given', () => {
		expect(safeRedirect(null, '/account')).toBe('/account');
	});
});

describe('signInUrl', () => {
	it('carries the page to return to and the reason', () => {
		const url = signInUrl(new URL('http://x/account?a=1'), 'session-ended');
		const params = new URL(url, 'http://x').searchParams;
		expect(params.get('redirectTo')).toBe('/account?a=1');
		expect(params.get('reason')).toBe('session-ended');
	});

	it('drops the form action of a post', () => {
		const url = signInUrl(new URL('http://x/account?/profile'));
		expect(new URL(url, 'http://x').searchParams.get('redirectTo')).toBe('/account');
	});
});
