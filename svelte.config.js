import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The live dialogue page opens one WebSocket to Supabase Realtime from the browser (everything
 * else goes through this server). The CSP is fixed at build time, so it allows the ws(s) origin of
 * PUBLIC_SUPABASE_URL when the build is given one, and otherwise only the local runtime on loopback
 * (any port: dev and tests pick free ports at run time).
 */
function realtimeOrigins() {
	const url = process.env.PUBLIC_SUPABASE_URL;
	if (!url) return ['ws://localhost:*', 'ws://127.0.0.1:*'];
	const u = new URL(url);
	return [`${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`];
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter(),
		// Nonces for SvelteKit's inline bootstrap script on rendered pages, hashes on prerendered
		// ones. No third-party origins anywhere, so everything else is 'self'.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// The one inline style: SvelteKit's route announcer (a visually hidden live region).
				// Its hash changes only if SvelteKit changes that style; the e2e console check notices.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self', ...realtimeOrigins()],
				'form-action': ['self'],
				'base-uri': ['self'],
				'object-src': ['none'],
				'frame-ancestors': ['none']
			}
		}
		// csrf.checkOrigin stays at its default (true): form posts from other origins get a 403.
	}
};

export default config;
