import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// Compiles messages/{locale}/*.json into src/lib/paraglide (generated, not in git). The
		// strategy must match the `i18n` script in package.json; see /src/lib/i18n.ts for how the
		// locale is chosen on the server and followed by the browser.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit()
	],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts', 'supabase/local/**/*.spec.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'db',
					include: ['supabase/tests/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['supabase/tests/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// Two cores: one PGlite per file, two files at a time.
					maxWorkers: 2,
					fileParallelism: true
				}
			},
			{
				test: {
					name: 'crash',
					include: ['supabase/tests/crash/**/*.crash.ts'],
					environment: 'node',
					testTimeout: 600_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
