// The printable review shows exactly what the review page shows, for the same period.
export { load } from '../+page.server.ts';
