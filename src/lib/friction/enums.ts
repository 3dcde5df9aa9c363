/**
 * The friction map's enums as the database defines them (friction_status, pressure_kind,
 * evidence_kind, force_direction). Plain constants, shared by the schemas and the data module.
 */
export const STATUSES = [
	'noticed',
	'investigating',
	'confirmed',
	'raised',
	'improving',
	'resolved',
	'dropped'
] as const;
export type Status = (typeof STATUSES)[number];

export const PRESSURE_KINDS = [
	'official',
	'office',
	'budget',
	'rule',
	'public_attention',
	'other'
] as const;
export type PressureKindValue = (typeof PRESSURE_KINDS)[number];

export const EVIDENCE_KINDS = ['indicator', 'document', 'observation'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const FORCE_DIRECTIONS = ['driving', 'restraining'] as const;
export type ForceDirection = (typeof FORCE_DIRECTIONS)[number];
