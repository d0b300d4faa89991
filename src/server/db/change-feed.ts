import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The channel the database's change triggers notify on (migration 0013_change_notifications). */
export const CHANGE_CHANNEL = 'tether_changes';

export interface ChangeHandlers {
  /** A committed change: the trigger's payload. */
  onChange(payload: string): void;
  /** The subscription came up (true) or was lost (false); changes may have been missed in between. */
  onLive(live: boolean): void;
}

/** A subscription to the change triggers' notifications. */
export interface ChangeFeed {
  /**
   * Resolves true once every change committed before the call has reached `onChange`; false when
   * the subscription is down, and then nothing may be assumed about what was missed.
   */
  sync(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The embedded database has one session in this process, and it delivers a commit's
 * notifications to its listeners (in microtasks) before the committing query resolves:
 * a change is seen as soon as its writer learns it committed. `sync` still waits for the event
 * loop's next check phase, shared by every caller meanwhile: requests then go on together rather
 * than each inside its socket's read, which measured at half the CPU time per request.
 */
export async function pgliteChangeFeed(client: PGlite, handlers: ChangeHandlers): Promise<ChangeFeed> {
  const unlisten = await client.listen(CHANGE_CHANNEL, (payload) => handlers.onChange(payload));
  handlers.onLive(true);
  let live = true;
  let next: Promise<boolean> | undefined;
  return {
    sync: () =>
      (next ??= new Promise((resolve) =>
        setImmediate(() => {
          next = undefined;
          resolve(live);
        }),
      )),
    async close() {
      live = false;
      handlers.onLive(false);
      // The database may have been closed first, which ends the subscription with it.
      await unlisten().catch(() => {});
    },
  };
}

const RECONNECT_MS = 1_000;
/**
 * Round trips for `sync` start at most this often. Under load each one then serves every request
 * that arrived in the last millisecond, instead of one round trip per request or two; a request
 * waits this much longer at worst.
 */
const SYNC_SPACING_MS = 1;
/** How the listening connection shows in `pg_stat_activity`. */
export const CHANGE_FEED_APPLICATION_NAME = 'tether-change-feed';

/**
 * One dedicated connection that LISTENs, reconnecting after a loss. `sync` is a round trip on
 * that connection: PostgreSQL signals listening sessions when a transaction commits, before its
 * writer hears back, and a session sends pending notifications before it answers a query, so a
 * round trip started after a commit returns after that commit's notifications. Concurrent callers
 * share round trips: each waits for the first one that starts after it asked (SYNC_SPACING_MS).
 */
export function postgresChangeFeed(
  connectionString: string,
  handlers: ChangeHandlers,
  connectTimeoutMillis: number,
): ChangeFeed {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;
  let queued: Promise<boolean> | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;

  const connect = async () => {
    const candidate = new pg.Client({
      connectionString,
      connectionTimeoutMillis: connectTimeoutMillis,
      application_name: CHANGE_FEED_APPLICATION_NAME,
    });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      candidate.end().catch(() => {});
      if (client === candidate) {
        client = undefined;
        handlers.onLive(false);
      }
      if (!closed) retry = setTimeout(connect, RECONNECT_MS);
    };
    candidate.on('error', onLost);
    candidate.on('end', onLost);
    candidate.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL && message.payload !== undefined) handlers.onChange(message.payload);
    });
    try {
      await candidate.connect();
      await candidate.query(`listen ${CHANGE_CHANNEL}`);
    } catch {
      onLost();
      return;
    }
    if (lost) return;
    if (closed) {
      await candidate.end().catch(() => {});
      return;
    }
    client = candidate;
    handlers.onLive(true);
  };

  const roundTrip = async (): Promise<boolean> => {
    if (!client) return false;
    try {
      await client.query('select 1');
      return client !== undefined;
    } catch {
      return false;
    }
  };

  const start = (): Promise<boolean> => {
    lastStart = performance.now();
    inFlight = roundTrip().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const sync = (): Promise<boolean> => {
    if (!inFlight && !queued && performance.now() - lastStart >= SYNC_SPACING_MS) return start();
    // The round trip under way may have started before a commit this caller must see.
    queued ??= (inFlight ?? Promise.resolve(true))
      .then(() => new Promise((resolve) => setTimeout(resolve, lastStart + SYNC_SPACING_MS - performance.now())))
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };

  void connect();
  return {
    sync,
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      if (current) {
        handlers.onLive(false);
        await current.end().catch(() => {});
      }
    },
  };
}
