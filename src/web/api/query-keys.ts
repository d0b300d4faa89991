/** Every query key of the app, so invalidation and cache updates stay in sync. */
export const queryKeys = {
  instance: ['instance'],
  me: ['me'],
  apiTokens: ['api-tokens'],
  connectedAccounts: ['connected-accounts'],
  connectedAccount: (id: string) => ['connected-accounts', id] as const,
  connectFlow: (flowId: string) => ['connect-flows', flowId] as const,
  providers: ['providers'],
  setupGuide: (id: string) => ['providers', id, 'setup'] as const,
  notifications: ['notifications'],
  /** Every posts query starts with this, so one invalidation refreshes lists and single posts. */
  posts: ['posts'],
  postList: (filter: object) => ['posts', 'list', filter] as const,
  post: (id: string) => ['posts', 'detail', id] as const,
  /** The server's check of a draft; not under `posts`, so creating a post does not check it again. */
  postCheck: (body: object) => ['post-check', body] as const,
  /** Every media query starts with this: after an upload or a delete, one invalidation refreshes them all. */
  media: ['media'],
  mediaList: ['media', 'list'],
  mediaItem: (id: string) => ['media', 'detail', id] as const,
  webhooks: ['webhooks'],
  webhookDeliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
  admin: ['admin'],
  adminOverview: (window: string) => ['admin', 'overview', window] as const,
} as const;

/** Queries that are not about the signed-in user's data and survive a sign-out. */
const SHARED_ROOTS: ReadonlySet<unknown> = new Set([queryKeys.instance[0], queryKeys.me[0]]);

/** Whether a cached query holds the signed-in user's data (dropped when the user changes). */
export const isUserData = (queryKey: readonly unknown[]): boolean => !SHARED_ROOTS.has(queryKey[0]);
