/** Database URLs on a native PostgreSQL server (SUPABASE_DB_URL) for the test template and clones. */
export function databaseUrl(baseUrl: string, database: string): string {
	const u = new URL(baseUrl);
	u.pathname = `/${database}`;
	return u.toString();
}

export function templateDatabaseUrl(baseUrl: string): string {
	return databaseUrl(baseUrl, 'gw_template');
}
