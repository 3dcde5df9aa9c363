/** Labels for the friction map's enums, in the visitor's language (functions: they follow the request). */
import { m } from '$lib/paraglide/messages.js';
import type { PressureKindValue, Status } from '$lib/schemas/friction.ts';

const STATUS: Record<Status, () => string> = {
	noticed: () => m.friction_status_noticed(),
	investigating: () => m.friction_status_investigating(),
	confirmed: () => m.friction_status_confirmed(),
	raised: () => m.friction_status_raised(),
	improving: () => m.friction_status_improving(),
	resolved: () => m.friction_status_resolved(),
	dropped: () => m.friction_status_dropped()
};

const KIND: Record<PressureKindValue, () => string> = {
	official: () => m.friction_kind_official(),
	office: () => m.friction_kind_office(),
	budget: () => m.friction_kind_budget(),
	rule: () => m.friction_kind_rule(),
	public_attention: () => m.friction_kind_public_attention(),
	other: () => m.friction_kind_other()
};

export const statusLabel = (s: Status): string => STATUS[s]();
export const pressureKindLabel = (k: PressureKindValue): string => KIND[k]();
