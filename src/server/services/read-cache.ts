import type { ChangeFeed } from '../db/change-feed.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { TokenPrincipal } from './api-tokens.ts';

/** Token principals kept; past it the oldest go first. */
const MAX_TOKENS = 10_000;
/** Characters of account-list bodies kept (about as many bytes); past it the oldest go first. */
const MAX_LIST_CHARS = 32 * 1024 * 1024;

/**
 * This process's copy of what every authenticated API read needs: the principal behind an API
 * token (by the token's hash) and the body of a user's account list, which is a pure function of
 * their connected-account rows (it must not depend on the clock). Never stale past a commit:
 * triggers announce every change of those tables, with the user id, on the change feed
 * (migration 0013), which evicts the user's entries; before serving a request from memory the
 * feed is synced once (`change-feed.ts`), so every change committed before the request
 * began has been applied. A value read from the database is kept only if no change at all
 * arrived while it was read. While the feed is down nothing is cached or served from memory, and
 * everything is forgotten when it goes down or comes back.
 */
export class ReadCache {
  #feed: ChangeFeed | undefined;
  #live = false;
  /** Bumped by every change and flush: a read that spans one is not kept. */
  #generation = 0;
  readonly #tokens = new Map<string, TokenPrincipal>();
  readonly #tokensByUser = new Map<string, Set<string>>();
  readonly #accountLists = new Map<string, string>();
  #listChars = 0;
  /** One sync per request, shared by every lookup it makes. */
  readonly #synced = new WeakMap<object, Promise<boolean>>();

  async start(database: DatabaseHandle): Promise<void> {
    this.#feed = await database.subscribeToChanges({
      onChange: (payload) => this.#onChange(payload),
      onLive: (live) => {
        this.#flush();
        this.#live = live;
      },
    });
  }

  async stop(): Promise<void> {
    await this.#feed?.close();
    this.#feed = undefined;
    this.#live = false;
    this.#flush();
  }

  /** The principal of the token with this hash (`load` reads it from the database), or null. */
  token(
    request: object,
    tokenHash: string,
    load: () => Promise<TokenPrincipal | null>,
  ): Promise<TokenPrincipal | null> {
    return this.#through(request, this.#tokens, tokenHash, load, (principal) => {
      this.#dropToken(tokenHash);
      this.#tokens.set(tokenHash, principal);
      const keys = this.#tokensByUser.get(principal.user.id) ?? new Set<string>();
      keys.add(tokenHash);
      this.#tokensByUser.set(principal.user.id, keys);
      const oldest = this.#tokens.keys().next().value;
      if (this.#tokens.size > MAX_TOKENS && oldest !== undefined) this.#dropToken(oldest);
    });
  }

  /** The JSON body of the user's account list (`load` makes it from the database). */
  accountList(request: object, userId: string, load: () => Promise<string>): Promise<string> {
    return this.#through(request, this.#accountLists, userId, load, (body) => {
      this.#dropList(userId);
      this.#accountLists.set(userId, body);
      this.#listChars += body.length;
      for (const oldest of this.#accountLists.keys()) {
        if (this.#listChars <= MAX_LIST_CHARS) break;
        this.#dropList(oldest);
      }
    });
  }

  async #through<V>(
    request: object,
    map: Map<string, NonNullable<V>>,
    key: string,
    load: () => Promise<V>,
    keep: (value: NonNullable<V>) => void,
  ): Promise<V> {
    if (!(await this.#sync(request))) return load();
    const cached = map.get(key);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const value = await load();
    if (value !== null && value !== undefined && this.#live && generation === this.#generation) keep(value);
    return value;
  }

  #sync(request: object): Promise<boolean> {
    let synced = this.#synced.get(request);
    if (!synced) {
      synced = this.#live && this.#feed ? this.#feed.sync() : Promise.resolve(false);
      this.#synced.set(request, synced);
    }
    return synced;
  }

  #dropToken(tokenHash: string): void {
    const principal = this.#tokens.get(tokenHash);
    if (!principal) return;
    this.#tokens.delete(tokenHash);
    const siblings = this.#tokensByUser.get(principal.user.id);
    siblings?.delete(tokenHash);
    if (siblings?.size === 0) this.#tokensByUser.delete(principal.user.id);
  }

  #dropList(userId: string): void {
    this.#listChars -= this.#accountLists.get(userId)?.length ?? 0;
    this.#accountLists.delete(userId);
  }

  #onChange(payload: string): void {
    this.#generation += 1;
    const separator = payload.indexOf(':');
    const kind = payload.slice(0, separator);
    const userId = payload.slice(separator + 1);
    if (separator > 0 && kind === 'accounts') this.#dropList(userId);
    else if (separator > 0 && kind === 'principal') {
      for (const tokenHash of this.#tokensByUser.get(userId) ?? []) this.#tokens.delete(tokenHash);
      this.#tokensByUser.delete(userId);
    } else this.#flush();
  }

  #flush(): void {
    this.#generation += 1;
    this.#tokens.clear();
    this.#tokensByUser.clear();
    this.#accountLists.clear();
    this.#listChars = 0;
  }
}
