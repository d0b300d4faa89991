import { describe, expect, it } from 'vitest';
import type { ChangeHandlers } from '../db/change-feed.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { TokenPrincipal } from './api-tokens.ts';
import { ReadCache } from './read-cache.ts';

/** A cache on a change feed the test drives: it delivers changes and answers syncs when told. */
async function cacheOnFeed() {
  let handlers: ChangeHandlers | undefined;
  let synced = true;
  const database = {
    async subscribeToChanges(given: ChangeHandlers) {
      handlers = given;
      given.onLive(true);
      return { sync: async () => synced, close: async () => given.onLive(false) };
    },
  } as unknown as DatabaseHandle;
  const cache = new ReadCache();
  await cache.start(database);
  if (!handlers) throw new Error('not subscribed');
  const feed = handlers;
  return {
    cache,
    change: (payload: string) => feed.onChange(payload),
    live: (live: boolean) => feed.onLive(live),
    failSyncs: () => {
      synced = false;
    },
  };
}

const principal = (userId: string): TokenPrincipal => ({
  tokenId: `token-of-${userId}`,
  user: { id: userId, email: `${userId}@example.com`, name: userId },
  scopes: ['accounts:read'],
  lastUsedAt: null,
});

/** A loader that counts its calls. */
function loader<V>(value: V) {
  const load = async () => {
    load.calls += 1;
    return value;
  };
  load.calls = 0;
  return load;
}

describe('ReadCache', () => {
  it('keeps a value until a change of its user, and only of its user', async () => {
    const { cache, change } = await cacheOnFeed();
    const alice = loader(principal('alice'));
    const bob = loader(principal('bob'));
    const list = loader('{"accounts":[]}');
    for (let i = 0; i < 3; i++) {
      await cache.token({}, 'hash-a', alice);
      await cache.token({}, 'hash-b', bob);
      await cache.accountList({}, 'alice', list);
    }
    expect([alice.calls, bob.calls, list.calls]).toEqual([1, 1, 1]);

    change('accounts:alice');
    await cache.accountList({}, 'alice', list);
    await cache.token({}, 'hash-a', alice);
    expect([alice.calls, list.calls]).toEqual([1, 2]);

    change('principal:alice');
    await cache.token({}, 'hash-a', alice);
    await cache.token({}, 'hash-b', bob);
    expect([alice.calls, bob.calls]).toEqual([2, 1]);

    change('*');
    await cache.token({}, 'hash-b', bob);
    expect(bob.calls).toBe(2);
  });

  it('does not keep a value read while a change arrived', async () => {
    const { cache, change } = await cacheOnFeed();
    let release = () => {};
    const slow = async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'before the change';
    };
    const reading = cache.accountList({}, 'alice', slow);
    await new Promise((resolve) => setImmediate(resolve));
    change('accounts:alice');
    release();
    expect(await reading).toBe('before the change');
    expect(await cache.accountList({}, 'alice', async () => 'after the change')).toBe('after the change');
  });

  it('neither serves nor keeps anything while the feed is down or a sync fails, and forgets all on either', async () => {
    const { cache, live, failSyncs } = await cacheOnFeed();
    const alice = loader(principal('alice'));
    await cache.token({}, 'hash-a', alice);
    live(false);
    await cache.token({}, 'hash-a', alice);
    await cache.token({}, 'hash-a', alice);
    expect(alice.calls).toBe(3);
    live(true);
    await cache.token({}, 'hash-a', alice);
    await cache.token({}, 'hash-a', alice);
    expect(alice.calls).toBe(4);
    failSyncs();
    await cache.token({}, 'hash-a', alice);
    expect(alice.calls).toBe(5);
  });

  it('is bounded: 10,000 token principals and 32 Mi characters of account lists, oldest out first', async () => {
    const { cache } = await cacheOnFeed();
    const first = loader(principal('user-0'));
    await cache.token({}, 'hash-0', first);
    for (let i = 1; i <= 10_000; i++) await cache.token({}, `hash-${i}`, loader(principal(`user-${i}`)));
    await cache.token({}, 'hash-0', first);
    expect(first.calls).toBe(2);

    const big = loader('x'.repeat(20 * 1024 * 1024));
    const other = loader('y'.repeat(20 * 1024 * 1024));
    await cache.accountList({}, 'alice', big);
    await cache.accountList({}, 'bob', other);
    await cache.accountList({}, 'bob', other);
    await cache.accountList({}, 'alice', big);
    expect([big.calls, other.calls]).toEqual([2, 1]);
  });

  it('never keeps a token that does not exist', async () => {
    const { cache } = await cacheOnFeed();
    const missing = loader(null);
    await cache.token({}, 'hash-x', missing);
    await cache.token({}, 'hash-x', missing);
    expect(missing.calls).toBe(2);
  });
});
