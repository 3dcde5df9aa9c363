import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
