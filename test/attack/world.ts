import { getTableColumns, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { InjectOptions } from 'fastify';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { Database } from '../../src/server/db/client.ts';
import * as schema from '../../src/server/db/schema/index.ts';
import { callback } from '../helpers/connect.ts';
import { connectWith, PROVIDER_DRIVERS, type ProviderDriver } from '../helpers/provider-drivers.ts';
import { createTestApp, signUp, type TestApp, uploadMedia } from '../helpers/test-app.ts';

/**
 * The attack suite's world: the app under test (listening, with jobs) and a user who owns one of
 * everything, found by the suite's route discovery from the OpenAPI document.
 */

export const FOREIGN_ORIGIN = 'https://evil.example';

/** A signed-in user: session cookie, API token, and the ids of what they own. */
export interface Actor {
  userId: string;
  email: string;
  password: string;
  cookie: string;
  apiToken: string;
  apiTokenId: string;
}

export interface Owned extends Actor {
  accountIds: string[];
  mediaId: string;
  postId: string;
  targetId: string;
  webhookId: string;
  /** A connect flow waiting in the account picker. */
  flowId: string;
  /** A candidate of that flow, for a valid select body. */
  flowCandidateId: string;
  notificationId: string;
}

const driver = (provider: string): ProviderDriver => {
  const found = PROVIDER_DRIVERS.find((candidate) => candidate.provider === provider);
  if (!found) throw new Error(`no driver for ${provider}`);
  return found;
};

/** Browser-like request helpers bound to the app: a session cookie with the app's own origin, or an API token. */
export function client(t: TestApp, actor: Pick<Actor, 'cookie' | 'apiToken'>) {
  const send = (auth: 'cookie' | 'token', options: InjectOptions) =>
    t.app.inject({
      ...options,
      headers: {
        ...(auth === 'cookie'
          ? { cookie: actor.cookie, origin: t.origin }
          : { authorization: `Bearer ${actor.apiToken}` }),
        ...options.headers,
      },
    });
  return {
    cookie: (options: InjectOptions) => send('cookie', options),
    token: (options: InjectOptions) => send('token', options),
  };
}

export async function signUpActor(t: TestApp, email: string): Promise<Actor> {
  const password = `pw-${email}-long-enough`;
  const { cookie } = await signUp(t.app, { email, password }, t.origin);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/api-tokens',
    headers: { cookie, origin: t.origin },
    payload: { name: `${email} token` },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { secret, token } = created.json() as { secret: string; token: { id: string } };
  const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  return { userId: me.json().id, email, password, cookie, apiToken: secret, apiTokenId: token.id };
}

export const jpeg = () =>
  sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#2f6f4e' } })
    .jpeg()
    .toBuffer();

/** One post a month ahead, so that no job touches it while the suite runs. */
export const futurePost = (accountId: string, mediaId: string) => ({
  caption: 'Attack suite post',
  mediaIds: [mediaId],
  targets: [{ accountId, kind: 'feed' }],
  scheduledAt: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString(),
});

/** Signs a user up who owns connected accounts of three providers, media, a post, a webhook, a token, a waiting flow and a notification. */
export async function createOwner(t: TestApp, email: string): Promise<Owned> {
  const actor = await signUpActor(t, email);
  const as = client(t, actor);
  const accountIds: string[] = [];
  for (const provider of ['instagram', 'facebook_page', 'linkedin'])
    accountIds.push(await connectWith(t.app, t.origin, actor.cookie, driver(provider)));

  // A second Facebook flow, left in the picker.
  const start = await as.cookie({ method: 'POST', url: '/api/connected-accounts/connect/facebook_page', payload: {} });
  expect(start.statusCode, start.body).toBe(200);
  const landed = await callback(
    t.app,
    await driver('facebook_page').consent(t.app, start.json().loginUrl),
    actor.cookie,
  );
  const flowId = /\/select\/([0-9a-f-]{36})$/.exec(landed.pathname)?.[1] ?? '';
  expect(flowId, String(landed)).not.toBe('');

  const mediaId = await uploadMedia(t.origin, actor.cookie, {
    bytes: await jpeg(),
    name: 'attack.jpg',
    type: 'image/jpeg',
  });
  const created = await as.cookie({ method: 'POST', url: '/api/posts', payload: futurePost(accountIds[0]!, mediaId) });
  expect(created.statusCode, created.body).toBe(201);
  const hook = await as.cookie({
    method: 'POST',
    url: '/api/webhooks',
    payload: { url: 'http://127.0.0.1:9/attack-suite' },
  });
  expect(hook.statusCode, hook.body).toBe(201);
  const [notification] = await t.app.db
    .insert(schema.notifications)
    .values({ userId: actor.userId, kind: 'account.expiring', title: 'Attack suite', body: 'unread' })
    .returning();
  return {
    ...actor,
    accountIds,
    mediaId,
    postId: created.json().id,
    targetId: created.json().targets[0].id,
    webhookId: hook.json().endpoint.id,
    flowId,
    flowCandidateId: driver('facebook_page').externalId,
    notificationId: notification!.id,
  };
}

export async function createWorld(email = 'owner@example.com') {
  const t = await createTestApp({}, { listen: true, jobs: true });
  const owner = await createOwner(t, email);
  return { t, owner };
}

/** Tables whose rows change on every request (sessions) are left out. */
const VOLATILE_TABLES = new Set(['session', 'verification']);

const appTables = (): [string, PgTable][] =>
  Object.entries(schema).filter(
    (entry): entry is [string, PgTable] => is(entry[1], PgTable) && !VOLATILE_TABLES.has(entry[0]),
  );

/**
 * Every row of the user's data, as comparable JSON: rows with a user id that is theirs, and rows
 * of other tables (credentials, targets, deliveries...) that name one of those rows' ids.
 */
export async function snapshot(db: Database, userId: string): Promise<Record<string, string[]>> {
  const tables: [string, Record<string, unknown>[], boolean][] = [];
  for (const [name, table] of appTables()) {
    const rows = (await db.select().from(table)) as Record<string, unknown>[];
    tables.push([name, rows, 'userId' in getTableColumns(table) || name === 'user']);
  }
  const ownedIds = new Set<unknown>([userId]);
  for (const [name, rows, hasOwner] of tables)
    if (hasOwner) for (const row of rows) if ((name === 'user' ? row.id : row.userId) === userId) ownedIds.add(row.id);
  const out: Record<string, string[]> = {};
  for (const [name, rows, hasOwner] of tables) {
    out[name] = rows
      .filter((row) =>
        hasOwner ? (name === 'user' ? row.id : row.userId) === userId : Object.values(row).some((v) => ownedIds.has(v)),
      )
      .map((row) => JSON.stringify(row, (_key, value) => (Buffer.isBuffer(value) ? value.toString('hex') : value)))
      .sort();
  }
  return out;
}

/** Row counts of every table of the schema: the database is intact when they are what the test expects. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of appTables()) counts[name] = (await db.select().from(table)).length;
  return counts;
}
