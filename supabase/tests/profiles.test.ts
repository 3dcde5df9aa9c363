import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { startTestStack, type TestStack } from './helpers/stack.ts';

let stack: TestStack;
let owner: { client: SupabaseClient; userId: string; email: string };
let outsider: { client: SupabaseClient; userId: string; email: string };

beforeAll(async () => {
	stack = await startTestStack();
	owner = await stack.signedIn();
	outsider = await stack.signedIn();
});

afterAll(async () => {
	await stack?.stop();
});

async function profileAsAdmin(id: string) {
	const { data, error } = await stack.admin().from('profiles').select('*').eq('id', id).single();
	if (error) throw error;
	return data as { display_name: string | null; preferred_language: string; updated_at: string };
}

describe('profile creation', () => {
	it('creates a profile on sign-up, with the name given at sign-up', async () => {
		const client = stack.client();
		const email = `signup-${Date.now()}@example.test`;
		const { data, error } = await client.auth.signUp({
			email,
			password: 'correct horse battery',
			options: { data: { display_name: '  Ana Lima  ' } }
		});
		expect(error).toBeNull();
		const { data: rows, error: readError } = await client
			.from('profiles')
			.select('id, display_name, preferred_language');
		expect(readError).toBeNull();
		expect(rows).toEqual([
			{ id: data.user!.id, display_name: 'Ana Lima', preferred_language: 'en' }
		]);
	});

	it('leaves the name empty when none was given', async () => {
		expect((await profileAsAdmin(owner.userId)).display_name).toBeNull();
	});

	it('removes the profile with the account', async () => {
		const gone = await stack.signedIn();
		const { error } = await stack.admin().auth.admin.deleteUser(gone.userId);
		expect(error).toBeNull();
		const { data } = await stack.admin().from('profiles').select('id').eq('id', gone.userId);
		expect(data).toEqual([]);
	});
});

describe('the owner', () => {
	it('reads only their own profile', async () => {
		const { data, error } = await owner.client.from('profiles').select('id');
		expect(error).toBeNull();
		expect(data).toEqual([{ id: owner.userId }]);
	});

	it('updates their name and language, and updated_at moves', async () => {
		const before = await profileAsAdmin(owner.userId);
		const { data, error } = await owner.client
			.from('profiles')
			.update({ display_name: 'Owner', preferred_language: 'es' })
			.eq('id', owner.userId)
			.select('display_name, preferred_language')
			.single();
		expect(error).toBeNull();
		expect(data).toEqual({ display_name: 'Owner', preferred_language: 'es' });
		const after = await profileAsAdmin(owner.userId);
		expect(new Date(after.updated_at).getTime()).toBeGreaterThan(
			new Date(before.updated_at).getTime()
		);
	});

	it('cannot change the id of their profile', async () => {
		const { error } = await owner.client
			.from('profiles')
			.update({ id: outsider.userId })
			.eq('id', owner.userId);
		expect(error?.code).toBe('42501');
	});

	it('cannot insert or delete profiles', async () => {
		const insert = await owner.client.from('profiles').insert({ id: owner.userId });
		expect(insert.error?.code).toBe('42501');
		const del = await owner.client.from('profiles').delete().eq('id', owner.userId);
		expect(del.error?.code).toBe('42501');
		expect(await profileAsAdmin(owner.userId)).toBeTruthy();
	});

	it('gets a check violation for an over-long name or a malformed language', async () => {
		const long = await owner.client
			.from('profiles')
			.update({ display_name: 'x'.repeat(81) })
			.eq('id', owner.userId);
		expect(long.error?.code).toBe('23514');
		const lang = await owner.client
			.from('profiles')
			.update({ preferred_language: 'not a language' })
			.eq('id', owner.userId);
		expect(lang.error?.code).toBe('23514');
	});
});

describe('an outsider (another signed-in user)', () => {
	it('cannot read the owner’s profile', async () => {
		const { data, error } = await outsider.client
			.from('profiles')
			.select('id')
			.eq('id', owner.userId);
		expect(error).toBeNull();
		expect(data).toEqual([]);
	});

	it('cannot update the owner’s profile', async () => {
		const before = await profileAsAdmin(owner.userId);
		const { data, error } = await outsider.client
			.from('profiles')
			.update({ display_name: 'Hijacked' })
			.eq('id', owner.userId)
			.select('id');
		expect(error).toBeNull();
		expect(data).toEqual([]);
		expect((await profileAsAdmin(owner.userId)).display_name).toBe(before.display_name);
	});
});

describe('anon (signed out)', () => {
	it('cannot read any profile', async () => {
		const { data, error } = await stack.client().from('profiles').select('id');
		expect(data).toBeNull();
		expect(error?.code).toBe('42501');
	});

	it('cannot update any profile', async () => {
		const { error } = await stack
			.client()
			.from('profiles')
			.update({ display_name: 'Anon' })
			.eq('id', owner.userId);
		expect(error?.code).toBe('42501');
		expect((await profileAsAdmin(owner.userId)).display_name).not.toBe('Anon');
	});
});

describe('service role', () => {
	it('reads every profile and updates any', async () => {
		const admin = stack.admin();
		const { data } = await admin
			.from('profiles')
			.select('id')
			.in('id', [owner.userId, outsider.userId]);
		expect(data).toHaveLength(2);
		const { error } = await admin
			.from('profiles')
			.update({ display_name: 'Set by support' })
			.eq('id', outsider.userId);
		expect(error).toBeNull();
		expect((await profileAsAdmin(outsider.userId)).display_name).toBe('Set by support');
	});

	it('still cannot break the checks', async () => {
		const { error } = await stack
			.admin()
			.from('profiles')
			.update({ display_name: '' })
			.eq('id', outsider.userId);
		expect(error?.code).toBe('23514');
	});
});
