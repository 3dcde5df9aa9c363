import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './scripts/free-port.ts';

// Free loopback ports (the machine is shared; fixed ports collide). The config is loaded again in
// every worker: values chosen once in the main process are handed
// down through the environment so workers agree on them.
process.env.GW_E2E_DIR ??= mkdtempSync(join(tmpdir(), 'gw-e2e-'));
process.env.GW_E2E_PORT ??= String(await freePort());
process.env.GW_E2E_PORT_CONFIRM ??= String(await freePort());
const dir = process.env.GW_E2E_DIR;
const port = Number(process.env.GW_E2E_PORT);
const confirmPort = Number(process.env.GW_E2E_PORT_CONFIRM);
// Chromium writes its profile and caches under these; keep them out of $HOME.
process.env.XDG_CONFIG_HOME = join(dir, 'xdg-config');
process.env.XDG_CACHE_HOME = join(dir, 'xdg-cache');

// `localhost`, not 127.0.0.1: the auth server redirects mailbox links only to site_url's host name.
const baseURL = `http://localhost:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: false,
	// Two cores, and the runtime behind the app is one PGlite: two workers are plenty.
	workers: 2,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
	use: {
		baseURL,
		browserName: 'chromium',
		headless: true,
		video: 'off',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	},
	projects: [
		{ name: 'default', testIgnore: '**/*.confirm.e2e.ts' },
		{
			// Against a runtime with email confirmations on, like a hosted project.
			name: 'confirmations',
			testMatch: '**/*.confirm.e2e.ts',
			use: { baseURL: `http://localhost:${confirmPort}` }
		}
	],
	webServer: {
		// A fresh runtime (in memory, free ports) and the production build: what users get.
		command: 'tsx tests/e2e/server.ts',
		url: `http://127.0.0.1:${port}/`,
		timeout: 240_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe',
		env: { GW_E2E_DIR: dir, GW_E2E_PORT: String(port), GW_E2E_PORT_CONFIRM: String(confirmPort) }
	}
});
