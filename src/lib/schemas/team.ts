import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';

/** The same limits as the teams table (the database has the last word, with its own messages). */
export const TEAM_NAME_MAX = 80;
export const TEAM_PURPOSE_MAX = 2000;
export const TEAM_FOCUS_MAX = 200;
export const SIZE_CAP_MIN = 2;
export const SIZE_CAP_MAX = 50;

const optionalText = (max: number, tooLong: () => string) =>
	z
		.string()
		.trim()
		.max(max, { error: tooLong })
		.optional()
		.transform((v) => (v ? v : null));

const TeamName = z
	.string({ error: () => m.team_error_name_empty() })
	.trim()
	.min(1, { error: () => m.team_error_name_empty() })
	.max(TEAM_NAME_MAX, { error: () => m.team_error_name_long({ max: TEAM_NAME_MAX }) });

const Purpose = optionalText(TEAM_PURPOSE_MAX, () =>
	m.team_error_purpose_long({ max: TEAM_PURPOSE_MAX })
);
const FocusArea = optionalText(TEAM_FOCUS_MAX, () =>
	m.team_error_focus_long({ max: TEAM_FOCUS_MAX })
);

export const TeamCreate = z.object({
	name: TeamName,
	purpose: Purpose,
	focus_area: FocusArea,
	organization_join_code: z
		.string()
		.trim()
		.max(40, { error: () => m.team_error_join_code() })
		.optional()
		.transform((v) => (v ? v : null))
});

export const TeamSettings = z.object({
	name: TeamName,
	purpose: Purpose,
	focus_area: FocusArea,
	size_cap: z.coerce
		.number({ error: () => m.team_error_size_cap({ min: SIZE_CAP_MIN, max: SIZE_CAP_MAX }) })
		.int({ error: () => m.team_error_size_cap({ min: SIZE_CAP_MIN, max: SIZE_CAP_MAX }) })
		.min(SIZE_CAP_MIN, {
			error: () => m.team_error_size_cap({ min: SIZE_CAP_MIN, max: SIZE_CAP_MAX })
		})
		.max(SIZE_CAP_MAX, {
			error: () => m.team_error_size_cap({ min: SIZE_CAP_MIN, max: SIZE_CAP_MAX })
		})
});

export const TeamDelete = z.object({
	confirm_name: z
		.string()
		.trim()
		.min(1, { error: () => m.team_error_delete_confirm() })
});

export type TeamCreateInput = z.infer<typeof TeamCreate>;
export type TeamSettingsInput = z.infer<typeof TeamSettings>;
