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
import { type Operation, operationName, pathParams } from './routes.ts';

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
  Object.entries(schema as Record<string, unknown>).flatMap(([name, value]): [string, PgTable][] =>
    is(value, PgTable) && !VOLATILE_TABLES.has(name) ? [[name, value]] : [],
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

/** Path parameters that name something a user owns: the values of A's to try. */
export const OWNED: Record<string, (owner: Owned) => Record<string, string>[]> = {
  '/api/api-tokens/:id': (o) => [{ id: o.apiTokenId }],
  '/api/connected-accounts/:id': (o) => o.accountIds.map((id) => ({ id })),
  '/api/connected-accounts/:id/refresh': (o) => o.accountIds.map((id) => ({ id })),
  '/api/oauth/flows/:flowId': (o) => [{ flowId: o.flowId }],
  '/api/oauth/flows/:flowId/select': (o) => [{ flowId: o.flowId }],
  '/api/posts/:id': (o) => [{ id: o.postId }],
  '/api/posts/:id/targets/:targetId/retry': (o) => [{ id: o.postId, targetId: o.targetId }],
  '/api/media/:id': (o) => [{ id: o.mediaId }],
  '/api/webhooks/:id': (o) => [{ id: o.webhookId }],
  '/api/webhooks/:id/test': (o) => [{ id: o.webhookId }],
  '/api/webhooks/:id/deliveries': (o) => [{ id: o.webhookId }],
};

/**
 * A valid JSON body for each operation that takes one, so that a refusal is about who asks and
 * from where, never about the body. An operation missing here gets `{}`.
 */
const BODIES: Record<string, (owner: Owned) => object> = {
  'POST /api/api-tokens': () => ({ name: 'made by the attack suite' }),
  'POST /api/connected-accounts/connect/:provider': () => ({}),
  'POST /api/oauth/flows/:flowId/select': (o) => ({ candidateIds: [o.flowCandidateId] }),
  'POST /api/notifications/read': (o) => ({ ids: [o.notificationId] }),
  'POST /api/posts': (o) => futurePost(o.accountIds[0]!, o.mediaId),
  'POST /api/posts/validate': (o) => futurePost(o.accountIds[0]!, o.mediaId),
  'POST /api/webhooks': () => ({ url: 'http://127.0.0.1:9/made-by-the-attack-suite' }),
  'DELETE /api/me': (o) => ({ password: o.password }),
};

export function validBody(operation: Operation, owner: Owned): object | undefined {
  const make = BODIES[operationName(operation)];
  if (make) return make(owner);
  return operation.jsonBody ? {} : undefined;
}

/** Path values for an operation: the owner's first object for owned routes, a provider for provider routes. */
export function validParams(operation: Operation, owner: Owned): Record<string, string> {
  const owned = OWNED[operation.path]?.(owner)[0];
  if (owned) return owned;
  return Object.fromEntries(
    pathParams(operation.path).map((name) => [
      name,
      name === 'provider' ? 'instagram' : '00000000-0000-4000-8000-000000000000',
    ]),
  );
}

/** A multipart body with one file in the field `file`, as a browser sends an upload. */
export function multipartUpload(bytes: Buffer, name = 'upload.jpg', type = 'image/jpeg') {
  const boundary = '----attack-suite-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
