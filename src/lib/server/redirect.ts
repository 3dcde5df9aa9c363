/**
 * Where to send someone after signing in. Only a path on this site is accepted: `//evil.example`
 * and `/\evil.example` are protocol-relative URLs to another host, so they fall back too.
 */
export function safeRedirect(target: string | null | undefined, fallback = '/home'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
		return fallback;
	}
	try {
		const base = 'http://groundwork.invalid';
		const url = new URL(target, base);
		if (url.origin !== base) return fallback;
		return url.pathname + url.search + url.hash;
	} catch {
		return fallback;
	}
}

/** `/sign-in?redirectTo=…` for a page that needs a signed-in user. */
export function signInUrl(url: URL, reason?: 'session-ended'): string {
	// A form post's `?/action` is not a page to come back to.
	const search = new URLSearchParams([...url.searchParams].filter(([key]) => !key.startsWith('/')));
	const query = search.size > 0 ? `?${search}` : '';
	const params = new URLSearchParams({ redirectTo: url.pathname + query });
	if (reason) params.set('reason', reason);
	return `/sign-in?${params}`;
}
