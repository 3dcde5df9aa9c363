/** A member's role in a team. No imports, so server modules used from Node scripts can name it. */
export type TeamRole = 'leader' | 'organizer' | 'member';
