import fs from 'node:fs';
import path from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../src/contracts/notifications.ts';
import * as schema from '../src/server/db/schema/index.ts';
import { mediaRoot } from '../src/server/media/local-disk-storage.ts';
import { lockOutUser } from '../src/server/services/delete-account.ts';
import { requestDataDeletion } from '../src/server/services/meta-compliance.ts';
import { until } from './helpers/processes.ts';
import { connectWith, PROVIDER_DRIVERS, type ProviderDriver } from './helpers/provider-drivers.ts';
import { createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

const PASSWORD = 'a long enough password';
const driver = (provider: string) => PROVIDER_DRIVERS.find((item) => item.provider === provider) as ProviderDriver;
const TABLES = Object.entries(schema).flatMap(([, value]) => (is(value, PgTable) ? [value] : []));

type Snapshot = Record<string, string[]>;

/** Every row of every table, as JSON text, by table name. */
async function snapshot(t: TestApp): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const table of TABLES) {
    const rows = await t.app.db.select().from(table);
    result[getTableName(table)] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

const mediaFiles = (t: TestApp) => {
  const root = mediaRoot(t.config.dataDir);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((name) => !name.startsWith('.incoming') && fs.statSync(path.join(root, name)).isFile())
    .sort();
};

/** "Delete my account and data": everything of the user goes, nothing of anyone else does. */
describe('deleting your account', () => {
  let t: TestApp;
  const alice = { email: 'alice@example.com', cookie: '', id: '', token: '', files: [] as string[] };
  const bob = { email: 'bob@example.com', cookie: '' };

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie, origin: t.origin }, payload });
  const image = (color: string) =>
    sharp({ create: { width: 320, height: 320, channels: 3, background: color } })
      .png()
      .toBuffer();

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    alice.cookie = (await signUp(t.app, { email: alice.email }, t.origin)).cookie;
    bob.cookie = (await signUp(t.app, { email: bob.email }, t.origin)).cookie;
    alice.id = (await call('GET', '/api/me', alice.cookie)).json().id;

    // Alice: Instagram and a Facebook Page through one Facebook grant, media, a scheduled post, a
    // webhook with a delivery, an API token and a notification.
    const instagram = await connectWith(t.app, t.origin, alice.cookie, driver('instagram'));
    await connectWith(t.app, t.origin, alice.cookie, driver('facebook_page'));
    const before = mediaFiles(t);
    const mediaId = await uploadMedia(t.origin, alice.cookie, {
      bytes: await image('#c0ffee'),
      name: 'a.png',
      type: 'image/png',
    });
    alice.files = mediaFiles(t).filter((name) => !before.includes(name));
    expect(alice.files).toHaveLength(2); // the JPEG served and the PNG kept beside it
    const post = await call('POST', '/api/posts', alice.cookie, {
      caption: 'Later',
      mediaIds: [mediaId],
      targets: [{ accountId: instagram, kind: 'feed' }],
      scheduledAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    });
    expect(post.statusCode, post.body).toBe(201);
    const webhook = await call('POST', '/api/webhooks', alice.cookie, {
      url: 'https://hooks.example.com/tether',
      events: ['account.needs_reconnect'],
    });
    expect(webhook.statusCode, webhook.body).toBe(201);
    await call('POST', `/api/webhooks/${webhook.json().endpoint.id}/test`, alice.cookie);
    const token = await call('POST', '/api/api-tokens', alice.cookie, { name: 'script' });
    alice.token = token.json().secret;
    await t.app.db.insert(schema.notifications).values({
      userId: alice.id,
      kind: NOTIFICATION_KINDS[0],
      title: 'Hello',
      body: 'A notification',
    });

    // Bob: a LinkedIn account, media and a token of his own.
    await connectWith(t.app, t.origin, bob.cookie, driver('linkedin'));
    await uploadMedia(t.origin, bob.cookie, { bytes: await image('#0000ff'), name: 'b.png', type: 'image/png' });
    await call('POST', '/api/api-tokens', bob.cookie, { name: 'bob' });
  });
  afterAll(() => t.close());

  it('is refused without the right password, with an API token, or from another site, and nothing changes', async () => {
    const before = await snapshot(t);
    const wrong = await call('DELETE', '/api/me', alice.cookie, { password: 'not the password at all' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('PASSWORD_INCORRECT');
    const missing = await call('DELETE', '/api/me', alice.cookie, {});
    expect(missing.statusCode).toBe(400);
    const withToken = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: { authorization: `Bearer ${alice.token}` },
      payload: { password: PASSWORD },
    });
    expect(withToken.statusCode).toBe(403);
    expect(withToken.json().error.message).toMatch(/API tokens cannot do this/);
    const crossSite = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: { cookie: alice.cookie, origin: 'https://evil.example' },
      payload: { password: PASSWORD },
    });
    expect(crossSite.statusCode).toBe(403);
    const after = await snapshot(t);
    // No row went (rows change meanwhile: the token's last use, the webhook's delivery attempts);
    // the wrong password counts as a failed sign-in.
    const ids = (shot: Snapshot) =>
      Object.fromEntries(
        Object.entries(shot)
          .filter(([name]) => name !== 'sign_in_failures')
          .map(([name, rows]) => [name, rows.map((row) => JSON.parse(row).id).sort()]),
      );
    expect(ids(after)).toEqual(ids(before));
    expect(after.sign_in_failures).toHaveLength(1);
    expect(after.api_tokens).toHaveLength(before.api_tokens?.length ?? 0);
    expect(mediaFiles(t)).toEqual(expect.arrayContaining(alice.files));
    expect(t.app.sandbox?.log.list({ endpoint: 'graph.permissions.delete' })).toEqual([]);
  });

  it('deletes every row and file of the user, revokes the grant once, keeps a trace and leaves others alone', async () => {
    const before = await snapshot(t);
    const aliceIds = new Set([alice.id, alice.email]);
    for (const row of before.connected_accounts ?? []) {
      const parsed = JSON.parse(row);
      if (parsed.userId === alice.id) aliceIds.add(parsed.id);
    }
    for (const name of ['posts', 'webhook_endpoints', 'media'])
      for (const row of before[name] ?? []) if (JSON.parse(row).userId === alice.id) aliceIds.add(JSON.parse(row).id);
    const isAlices = (row: string) => [...aliceIds].some((id) => row.includes(id));
    // The test means something only if Alice had rows in every table that can hold hers.
    for (const name of [
      'user',
      'session',
      'account',
      'api_tokens',
      'connected_accounts',
      'account_credentials',
      'account_events',
      'media',
      'posts',
      'post_targets',
      'webhook_endpoints',
      'webhook_deliveries',
      'notifications',
      'oauth_flows',
      'connect_attempts',
      'first_admin',
    ])
      expect(before[name]?.some(isAlices), name).toBe(true);

    const response = await call('DELETE', '/api/me', alice.cookie, { password: PASSWORD });
    expect(response.statusCode, response.body).toBe(200);
    const { status, statusUrl } = response.json();
    expect(status).toBe('completed');

    const after = await snapshot(t);
    for (const [name, rows] of Object.entries(before)) {
      if (['data_deletions', 'sign_in_failures', 'webhook_deliveries', 'first_admin'].includes(name)) continue;
      expect(after[name], name).toEqual(rows.filter((row) => !isAlices(row)));
    }
    // Alice, the first user, took the first-admin rule: it stays taken, without her id.
    expect(after.first_admin?.map((row) => JSON.parse(row).userId)).toEqual([null]);
    // Deliveries change as they are attempted; Alice's failed password attempt is forgotten with her.
    expect(after.webhook_deliveries).toEqual([]);
    expect(after.sign_in_failures).toEqual([]);
    const [trace] = after.data_deletions?.map((row) => JSON.parse(row)) ?? [];
    expect(after.data_deletions).toHaveLength(1);
    expect(trace).toMatchObject({ source: 'user', subjectId: alice.id, status: 'completed', accountsDeleted: 2 });
    expect(JSON.stringify(trace)).not.toContain(alice.email);

    const files = mediaFiles(t);
    for (const file of alice.files) expect(files).not.toContain(file);
    expect(files.length).toBeGreaterThan(0); // Bob's

    // Instagram and the Page share one Facebook grant: revoked once.
    expect(t.app.sandbox?.log.list({ endpoint: 'graph.permissions.delete' })).toHaveLength(1);

    const page = await fetch(statusUrl);
    expect(await page.text()).toContain('Your data was deleted');
    expect((await call('GET', '/api/me', alice.cookie)).statusCode).toBe(401);
    const byToken = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(byToken.statusCode).toBe(401);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: t.origin },
      payload: { email: alice.email, password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(401);
    expect((await call('GET', '/api/me', bob.cookie)).json().email).toBe(bob.email);
    // The address is free again.
    await signUp(t.app, { email: alice.email }, t.origin);
  });

  it('a deletion the request did not finish is completed by its job', async () => {
    const carol = await signUp(t.app, { email: 'carol@example.com' }, t.origin);
    const carolId = (await call('GET', '/api/me', carol.cookie)).json().id;
    await uploadMedia(t.origin, carol.cookie, { bytes: await image('#ff0000'), name: 'c.png', type: 'image/png' });
    const filesBefore = mediaFiles(t).length;
    if (!t.boss) throw new Error('no job queue');
    const { id } = await requestDataDeletion(
      t.app.db,
      t.boss,
      { source: 'user', subjectId: carolId },
      { alsoInTransaction: (tx) => lockOutUser(tx, carolId), startAfterSeconds: 0 },
    );
    // Locked out at once, before the job has run.
    expect((await call('GET', '/api/me', carol.cookie)).statusCode).toBe(401);
    await until(
      'the job to delete the account',
      async () => {
        const rows = await snapshot(t);
        return rows.data_deletions?.some((row) => row.includes(id) && row.includes('"completed"')) ? true : undefined;
      },
      20_000,
    );
    const left = await snapshot(t);
    expect(
      Object.values(left)
        .flat()
        .filter((row) => row.includes(carolId) && !row.includes(id)),
    ).toEqual([]);
    expect(mediaFiles(t)).toHaveLength(filesBefore - 2);
  });
});
