/**
 * The benchmark's own schema and data (never a migration): parents and children owned by users
 * under `(select auth.uid()) = owner_id` policies, an events table for inserts and an rpc.
 */
export const USERS = 10;
export const PARENTS = 1000;
export const CHILDREN = 10_000;

export const schema = `
create table public.bench_parents (
	id bigint primary key,
	owner_id uuid not null,
	name text not null,
	created_at timestamptz not null default now()
);
create index on public.bench_parents (owner_id);
create table public.bench_children (
	id bigint primary key,
	parent_id bigint not null references public.bench_parents (id),
	owner_id uuid not null,
	value int not null,
	label text not null
);
create index on public.bench_children (owner_id);
create index on public.bench_children (parent_id);
create table public.bench_events (
	id bigint generated always as identity primary key,
	owner_id uuid not null default auth.uid(),
	kind text not null,
	at timestamptz not null default now()
);
alter table public.bench_parents enable row level security;
alter table public.bench_children enable row level security;
alter table public.bench_events enable row level security;
create policy "owners read their parents" on public.bench_parents for select to authenticated
	using ((select auth.uid()) = owner_id);
create policy "owners read their children" on public.bench_children for select to authenticated
	using ((select auth.uid()) = owner_id);
create policy "owners read their events" on public.bench_events for select to authenticated
	using ((select auth.uid()) = owner_id);
create policy "owners add their events" on public.bench_events for insert to authenticated
	with check ((select auth.uid()) = owner_id);
create function public.bench_parent_total(p_parent bigint) returns bigint
	language sql stable security invoker set search_path = '' as $$
	select coalesce(sum(value), 0) from public.bench_children where parent_id = p_parent
$$;
`;

/** Owner of parent `id` is user `(id - 1) % USERS`; children follow their parent. */
export function seedSql(userIds: string[]): string {
	const ids = `array[${userIds.map((u) => `'${u}'::uuid`).join(',')}]`;
	return `
insert into public.bench_parents (id, owner_id, name)
select g, (${ids})[((g - 1) % ${USERS}) + 1], 'parent ' || g from generate_series(1, ${PARENTS}) g;
insert into public.bench_children (id, parent_id, owner_id, value, label)
select g, p.id, p.owner_id, (g * 7919) % 1000, 'child ' || g
from generate_series(1, ${CHILDREN}) g
join public.bench_parents p on p.id = ((g - 1) % ${PARENTS}) + 1;
analyze public.bench_parents, public.bench_children;
`;
}

/** A parent id that user `u` owns (k-th of theirs). */
export function parentOf(u: number, k: number): number {
	return u + 1 + USERS * (k % (PARENTS / USERS));
}
