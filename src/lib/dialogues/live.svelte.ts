/**
 * The live session on a dialogue page, in the browser: one realtime connection (supabase-js, for
 * realtime only; every read and write still goes through the SvelteKit server) carrying the
 * user's own short-lived access token. Members' screens follow the facilitator through
 * `postgres_changes` on the dialogue's shared records (RLS decides what arrives) and the
 * facilitator's broadcasts; presence says who is connected. Any change reloads the page's data;
 * after a drop the screen says so and catches up when the channel is joined again.
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { clockOffset } from './timer.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline';

export interface LiveOptions {
	url: string;
	anonKey: string;
	accessToken: string;
	/** The token's expiry in seconds since the epoch (the session's expires_at). */
	expiresAt: number | null;
	dialogueId: string;
	teamId: string;
	userId: string;
	/** Where to POST for a fresh token before this one expires. */
	tokenUrl: string;
	/** The server's clock when the page was rendered, for the timer. */
	serverNow: string;
	/** Reload the page's data (invalidate). */
	onChange: () => unknown;
}

/** Tables whose rows carry dialogue_id; the dialogue row itself and votes are filtered apart. */
const RECORD_TABLES = [
	'agenda_items',
	'speaking_queue',
	'turns',
	'input_cards',
	'dialogue_notes',
	'decisions',
	'action_items'
] as const;

/** Refresh the token this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;

export class DialogueLive {
	connection = $state<ConnectionState>('connecting');
	/** User ids connected to the dialogue now (presence), the viewer included. */
	present = $state<string[]>([]);
	/** The server's clock, ticking every second. */
	now = $state(Date.now());

	#options: LiveOptions;
	#offset: number;
	#client: SupabaseClient | null = null;
	#channel: RealtimeChannel | null = null;
	#timers: ReturnType<typeof setTimeout>[] = [];
	#tick: ReturnType<typeof setInterval> | null = null;
	#pending: ReturnType<typeof setTimeout> | null = null;
	#droppedSinceJoin = false;
	#reloading = false;
	#dirty = false;

	constructor(options: LiveOptions) {
		this.#options = options;
		this.#offset = clockOffset(options.serverNow, Date.now());
		this.now = Date.now() + this.#offset;
	}

	/** Connects (call in an effect, in the browser); returns the cleanup. */
	start(): () => void {
		const o = this.#options;
		const client = createClient(o.url, o.anonKey, {
			auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
		});
		this.#client = client;
		void client.realtime.setAuth(o.accessToken);
		const changed = () => this.#changed();
		let channel = client.channel(`dialogue:${o.dialogueId}`, {
			config: { private: true, presence: { key: o.userId } }
		});
		channel = channel.on(
			'postgres_changes',
			{ event: '*', schema: 'public', table: 'dialogues', filter: `id=eq.${o.dialogueId}` },
			changed
		);
		for (const table of RECORD_TABLES) {
			channel = channel.on(
				'postgres_changes',
				{ event: '*', schema: 'public', table, filter: `dialogue_id=eq.${o.dialogueId}` },
				changed
			);
		}
		channel = channel
			.on(
				'postgres_changes',
				{ event: '*', schema: 'public', table: 'decision_votes', filter: `team_id=eq.${o.teamId}` },
				changed
			)
			.on('broadcast', { event: 'changed' }, changed)
			.on('presence', { event: 'sync' }, () => {
				this.present = Object.keys(channel.presenceState()).sort();
			});
		this.#channel = channel;
		channel.subscribe((status) => {
			if (status === 'SUBSCRIBED') {
				this.connection = 'live';
				void channel.track({ joined_at: Date.now() });
				// Whatever happened while the connection was down: read it now.
				if (this.#droppedSinceJoin) this.#changed();
				this.#droppedSinceJoin = false;
			} else {
				this.connection = 'offline';
				this.#droppedSinceJoin = true;
			}
		});
		this.#tick = setInterval(() => {
			this.now = Date.now() + this.#offset;
			if (this.connection === 'live' && !client.realtime.isConnected()) {
				this.connection = 'offline';
				this.#droppedSinceJoin = true;
			}
		}, 1000);
		this.#scheduleRefresh(o.expiresAt);
		return () => this.stop();
	}

	/** Tells the other screens to catch up now (the facilitator, after each action). */
	announce(): void {
		void this.#channel?.send({ type: 'broadcast', event: 'changed', payload: {} });
	}

	stop(): void {
		for (const t of this.#timers) clearTimeout(t);
		this.#timers = [];
		if (this.#tick) clearInterval(this.#tick);
		if (this.#pending) clearTimeout(this.#pending);
		const client = this.#client;
		this.#client = null;
		this.#channel = null;
		if (client) void client.removeAllChannels();
	}

	/**
	 * Several changes in a burst (a phase change ends a turn too) reload once; a change that
	 * arrives while a reload is running reloads again afterwards, so nothing is missed.
	 */
	#changed(): void {
		if (this.#pending || this.#reloading) {
			this.#dirty = true;
			return;
		}
		this.#pending = setTimeout(() => void this.#reload(), 30);
	}

	async #reload(): Promise<void> {
		this.#pending = null;
		this.#reloading = true;
		this.#dirty = false;
		try {
			await this.#options.onChange();
		} finally {
			this.#reloading = false;
			if (this.#dirty) this.#changed();
		}
	}

	#scheduleRefresh(expiresAt: number | null): void {
		if (!expiresAt) return;
		const wait = Math.max(5_000, expiresAt * 1000 - Date.now() - REFRESH_MARGIN_MS);
		this.#timers.push(setTimeout(() => void this.#refresh(), wait));
	}

	async #refresh(): Promise<void> {
		try {
			const res = await fetch(this.#options.tokenUrl, { method: 'POST' });
			if (!res.ok) throw new Error(String(res.status));
			const next = (await res.json()) as { accessToken: string; expiresAt: number | null };
			await this.#client?.realtime.setAuth(next.accessToken);
			this.#scheduleRefresh(next.expiresAt);
		} catch {
			// Try again shortly; the connection keeps the old token until the server ends it.
			this.#timers.push(setTimeout(() => void this.#refresh(), 15_000));
		}
	}
}
