import type { Tx } from '../types.ts';
import { ts } from './helpers.ts';

/** The columns of auth.users this module reads (Supabase's names). */
export interface UserRow {
	id: string;
	aud: string | null;
	role: string | null;
	email: string | null;
	encrypted_password: string | null;
	email_confirmed_at: unknown;
	invited_at: unknown;
	confirmation_token: string | null;
	confirmation_sent_at: unknown;
	recovery_token: string | null;
	recovery_sent_at: unknown;
	email_change_token_new: string | null;
	email_change_token_current: string | null;
	email_change: string | null;
	email_change_sent_at: unknown;
	email_change_confirm_status: number | null;
	last_sign_in_at: unknown;
	raw_app_meta_data: Record<string, unknown> | null;
	raw_user_meta_data: Record<string, unknown> | null;
	phone: string | null;
	phone_confirmed_at: unknown;
	banned_until: unknown;
	created_at: unknown;
	updated_at: unknown;
	is_anonymous: boolean | null;
	deleted_at?: unknown;
	identities: IdentityRow[];
}

export interface IdentityRow {
	id: string;
	provider_id: string;
	user_id: string;
	identity_data: Record<string, unknown> | null;
	provider: string;
	last_sign_in_at: unknown;
	created_at: unknown;
	updated_at: unknown;
}

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: unknown): s is string {
	return typeof s === 'string' && UUID_RE.test(s);
}

async function withIdentities(tx: Tx, users: UserRow[]): Promise<UserRow[]> {
	if (users.length === 0) return users;
	const { rows } = await tx.query<IdentityRow>(
		`select id::text, provider_id, user_id::text, identity_data, provider, last_sign_in_at, created_at, updated_at
		   from auth.identities where user_id = any($1::uuid[]) order by created_at`,
		[users.map((u) => u.id)]
	);
	for (const u of users) u.identities = rows.filter((i) => i.user_id === u.id);
	return users;
}

const USER_COLUMNS = `id::text, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
	confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at, email_change_token_new,
	email_change_token_current, email_change, email_change_sent_at, email_change_confirm_status,
	last_sign_in_at, raw_app_meta_data, raw_user_meta_data, phone, phone_confirmed_at, banned_until,
	created_at, updated_at, is_anonymous`;

export async function findUsers(
	tx: Tx,
	where: string,
	params: unknown[],
	tail = ''
): Promise<UserRow[]> {
	const { rows } = await tx.query<UserRow>(
		`select ${USER_COLUMNS} from auth.users u where ${where} ${tail}`,
		params
	);
	return withIdentities(tx, rows);
}

export async function findUser(tx: Tx, where: string, params: unknown[]): Promise<UserRow | null> {
	const rows = await findUsers(tx, where, params, 'limit 1');
	return rows[0] ?? null;
}

export function findUserById(tx: Tx, id: string): Promise<UserRow | null> {
	if (!isUuid(id)) return Promise.resolve(null);
	return findUser(tx, 'u.id = $1::uuid', [id]);
}

/** Email lookups are case-insensitive, as GoTrue stores addresses lower-cased. */
export function findUserByEmail(tx: Tx, email: string): Promise<UserRow | null> {
	return findUser(tx, `lower(u.email) = lower($1) and u.aud = 'authenticated'`, [email]);
}

export function isConfirmed(u: UserRow): boolean {
	return u.email_confirmed_at !== null && u.email_confirmed_at !== undefined;
}

export function isBanned(u: UserRow): boolean {
	if (!u.banned_until) return false;
	const t = new Date(u.banned_until as string | Date).getTime();
	return Number.isFinite(t) && t > Date.now();
}

function identityJson(i: IdentityRow) {
	const data = i.identity_data ?? {};
	return {
		identity_id: i.id,
		id: i.provider_id,
		user_id: i.user_id,
		identity_data: data,
		provider: i.provider,
		last_sign_in_at: ts(i.last_sign_in_at),
		created_at: ts(i.created_at),
		updated_at: ts(i.updated_at),
		email: typeof data.email === 'string' ? data.email.toLowerCase() : undefined
	};
}

/** The user object GoTrue returns (null timestamps are omitted, as Go's `omitempty` does). */
export function userJson(u: UserRow) {
	const confirmed = u.email_confirmed_at ?? u.phone_confirmed_at;
	return {
		id: u.id,
		aud: u.aud ?? '',
		role: u.role ?? '',
		email: u.email ?? '',
		email_confirmed_at: ts(u.email_confirmed_at),
		phone: u.phone ?? '',
		phone_confirmed_at: ts(u.phone_confirmed_at),
		confirmation_sent_at: ts(u.confirmation_sent_at),
		confirmed_at: ts(confirmed),
		recovery_sent_at: ts(u.recovery_sent_at),
		new_email: u.email_change ? u.email_change : undefined,
		email_change_sent_at: ts(u.email_change_sent_at),
		invited_at: ts(u.invited_at),
		last_sign_in_at: ts(u.last_sign_in_at),
		app_metadata: u.raw_app_meta_data ?? {},
		user_metadata: u.raw_user_meta_data ?? {},
		identities: u.identities.map(identityJson),
		created_at: ts(u.created_at),
		updated_at: ts(u.updated_at),
		banned_until: ts(u.banned_until),
		is_anonymous: u.is_anonymous === true
	};
}

export type UserJson = ReturnType<typeof userJson>;

export interface NewUser {
	email: string;
	passwordHash: string | null;
	userMetadata: Record<string, unknown>;
	appMetadata?: Record<string, unknown>;
	confirmed: boolean;
	role?: string;
	invited?: boolean;
	phone?: string | null;
}

/** Inserts a user and its email identity, as GoTrue's sign-up does. */
export async function insertUser(tx: Tx, n: NewUser): Promise<UserRow> {
	const id = crypto.randomUUID();
	const app = { provider: 'email', providers: ['email'], ...(n.appMetadata ?? {}) };
	await tx.query(
		`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
		   invited_at, confirmation_token, recovery_token, email_change_token_new, email_change,
		   email_change_token_current, email_change_confirm_status, raw_app_meta_data, raw_user_meta_data,
		   phone, created_at, updated_at, is_sso_user, is_anonymous)
		 values ($1, $2, 'authenticated', $3, $4, $5, case when $6::boolean then now() end,
		   case when $7::boolean then now() end, '', '', '', '', '', 0, $8::jsonb, $9::jsonb,
		   $10, now(), now(), false, false)`,
		[
			NIL_UUID,
			id,
			n.role ?? 'authenticated',
			n.email,
			n.passwordHash ?? '',
			n.confirmed,
			n.invited === true,
			JSON.stringify(app),
			JSON.stringify(n.userMetadata),
			n.phone ?? null
		]
	);
	await tx.query(
		`insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
		 values (gen_random_uuid(), $1::text, $1::uuid, $2::jsonb, 'email', now(), now(), now())`,
		[
			id,
			JSON.stringify({
				sub: id,
				email: n.email,
				email_verified: n.confirmed,
				phone_verified: false
			})
		]
	);
	const u = await findUserById(tx, id);
	if (!u) throw new Error('user vanished after insert');
	return u;
}
