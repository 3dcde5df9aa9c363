import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase, dumpDataDir } from '../local/db/index.ts';
import { applyBaseline, migrate } from '../local/migrate.ts';
import { templateDatabaseUrl } from './helpers/native.ts';

/**
 * Prepares one migrated database per run, so each test file starts from a copy in well under a
 * second instead of running initdb and every migration again: a dumped PGlite data folder, or on
 * native PostgreSQL (SUPABASE_DB_URL) a template database that test files clone.
 */
export default async function setup(project: TestProject): Promise<() => void> {
	const supabaseDir = resolve('supabase');
	const dir = mkdtempSync(join(tmpdir(), 'gw-template-'));
	const nativeUrl = process.env.SUPABASE_DB_URL;
	if (nativeUrl) {
		const admin = await openDatabase({ dbUrl: nativeUrl });
		await admin.exec('drop database if exists gw_template with (force)');
		await admin.exec('create database gw_template');
		await admin.close();
		const db = await openDatabase({ dbUrl: templateDatabaseUrl(nativeUrl) });
		await applyBaseline(db);
		await migrate(db, join(supabaseDir, 'migrations'));
		await db.close();
	} else {
		const db = await openDatabase({ memory: true });
		await applyBaseline(db);
		await migrate(db, join(supabaseDir, 'migrations'));
		const blob = await dumpDataDir(db);
		await db.close();
		writeFileSync(join(dir, 'template.tar'), Buffer.from(await blob.arrayBuffer()));
	}
	project.provide('templateDir', dir);
	return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
	export interface ProvidedContext {
		templateDir: string;
	}
}
