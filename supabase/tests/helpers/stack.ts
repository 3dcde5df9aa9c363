import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import ws from 'ws';
import { startStack, type Stack, type StackOptions } from '../../local/stack.ts';
import { openDatabase } from '../../local/db/index.ts';
import { databaseUrl } from './native.ts';

export type TestStack = Stack & {
	/** A supabase-js client with the anon key and no persisted session. */
	client(key?: string): SupabaseClient;
	/** A supabase-js client with the service role key. */
	admin(): SupabaseClient;
	/** Creates a user (email confirmed) and returns a client signed in as them. */
	signedIn(
		email?: string,
		password?: string
	): Promise<{ client: SupabaseClient; userId: string; email: string }>;
};

let counter = 0;

/**
 * A fresh, migrated stack for one test file: PGlite in memory from the run's template, or, when
 * SUPABASE_DB_URL is set, a new database cloned from the template on that PostgreSQL server.
 */
export async function startTestStack(opts: StackOptions = {}): Promise<TestStack> {
	const nativeUrl = process.env.SUPABASE_DB_URL;
	let dropClone: (() => Promise<void>) | null = null;
	let stack: Stack;
	const common: StackOptions = {
		apiPort: 0,
		dbPort: 0,
		mailPort: 0,
		wire: false,
		seed: false,
		jwtSecret: randomBytes(32).toString('hex'),
		...opts
	};
	if (nativeUrl) {
		const name = `gw_test_${process.pid}_${Date.now()}_${counter++}`;
		const admin = await openDatabase({ dbUrl: nativeUrl });
		await admin.exec(`create database ${name} template gw_template`);
		await admin.close();
		dropClone = async () => {
			const a = await openDatabase({ dbUrl: nativeUrl });
			await a.exec(`drop database if exists ${name} with (force)`);
			await a.close();
		};
		stack = await startStack({ ...common, dbUrl: databaseUrl(nativeUrl, name), migrate: false });
	} else {
		const tar = readFileSync(join(inject('templateDir'), 'template.tar'));
		stack = await startStack({ ...common, memory: true, loadDataDir: new Blob([tar]) });
	}

	const client = (key = stack.anonKey) =>
		createClient(stack.apiUrl, key, {
			auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
			// Node 20 has no WebSocket of its own; supabase-js refuses to start without one.
			realtime: { transport: ws as unknown as typeof WebSocket }
		});
	const admin = () => client(stack.serviceRoleKey);
	const signedIn = async (
		email = `user${counter++}-${Date.now()}@example.test`,
		password = 'correct horse battery'
	) => {
		const { data, error } = await admin().auth.admin.createUser({
			email,
			password,
			email_confirm: true
		});
		if (error) throw error;
		const c = client();
		const { error: signInError } = await c.auth.signInWithPassword({ email, password });
		if (signInError) throw signInError;
		return { client: c, userId: data.user.id, email };
	};
	const stop = async () => {
		await stack.stop();
		if (dropClone) await dropClone();
	};
	return { ...stack, stop, client, admin, signedIn };
}
