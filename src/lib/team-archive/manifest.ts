import { z } from 'zod';

export const ARCHIVE_FORMAT = 'groundwork-team-archive';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const Column = z.object({
	name: z.string().min(1).max(63),
	type: z.string().min(1).max(100),
	nullable: z.boolean()
});
export type ArchiveColumn = z.infer<typeof Column>;

const TableEntry = z.object({
	name: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
	file: z.string().regex(/^[a-z0-9_]+\.csv$/),
	columns: z.array(Column).min(1),
	rows: z.number().int().min(0),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	imported: z.boolean()
});
export type ManifestTable = z.infer<typeof TableEntry>;

const Person = z.object({
	user_id: z.uuid(),
	display_name: z.string().max(200).nullable(),
	role: z.enum(['leader', 'organizer', 'member'])
});
export type ArchivePerson = z.infer<typeof Person>;

/**
 * manifest.json. People carry a display name and a role, not an email: an archive is a file
 * that travels (a laptop, a mail attachment), members gave their address to this instance only,
 * and re-inviting them goes through an invitation link the new leader sends anyway.
 */
export const Manifest = z.object({
	format: z.literal(ARCHIVE_FORMAT),
	version: z.literal(ARCHIVE_VERSION),
	app_version: z.string().max(50),
	exported_at: z.iso.datetime({ offset: true }),
	team: z.object({
		name: z.string().min(1).max(200),
		purpose: z.string().max(2000).nullable(),
		focus_area: z.string().max(200).nullable(),
		size_cap: z.number().int().nullable()
	}),
	confidential_included: z.boolean(),
	people: z.array(Person),
	tables: z.array(TableEntry)
});
export type Manifest = z.infer<typeof Manifest>;

/** Just enough to tell a wrong file and a newer format apart before the full check. */
export const ManifestHead = z.object({ format: z.unknown(), version: z.unknown() });
