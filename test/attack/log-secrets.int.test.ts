import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/contracts/posts.ts';
import { DEFAULT_APPS } from '../../src/sandbox/core/apps.ts';
import { until } from '../helpers/processes.ts';
import { connectWith, PROVIDER_DRIVERS } from '../helpers/provider-drivers.ts';
import { createTestApp, type TestApp, uploadMedia } from '../helpers/test-app.ts';
import { type Actor, client, jpeg, signUpActor } from './world.ts';

/**
 * No secret in any log line at debug level during the whole life of a connection: sign up, API
 * token, connect every provider, upload, publish to all, refresh, disconnect. Every secret that
 * existed is collected afterwards (tokens the sandbox issued, refresh tokens, app secrets, codes
 * and states, the API token, password, session cookie, webhook secret, encryption keys) and
 * looked for whole and by its ends, so that a partly masked value is caught too.
 */

/** Query and body fields of the sandbox's request log that carry a secret. */
const SECRET_FIELD = /(code|state|token|secret|proof|assertion|password)$/i;

function secretFields(value: unknown, out: string[]) {
  if (!value || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    // An app access token is `<app id>|<app secret>`: the id is public, the secret is not.
    if (typeof item === 'string' && SECRET_FIELD.test(key))
      out.push(...item.split('|').filter((part) => !DEFAULT_APPS.some((app) => app.id === part)));
    else secretFields(item, out);
  }
}

describe('attack: no secret in the debug log of connect → publish → disconnect', () => {
  let t: TestApp;
  let user: Actor;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'debug' }, { listen: true, jobs: true });
  });
  afterAll(() => t?.close());

  it('keeps every secret of the flow out of every log line', { timeout: 120_000 }, async () => {
    const sandbox = t.app.sandbox!;
    user = await signUpActor(t, 'logged-flow@example.com');
    const as = client(t, user);
    const hook = await as.token({ method: 'POST', url: '/api/webhooks', payload: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.statusCode, hook.body).toBe(201);

    const accountIds: string[] = [];
    for (const driver of PROVIDER_DRIVERS) accountIds.push(await connectWith(t.app, t.origin, user.cookie, driver));
    const mediaId = await uploadMedia(t.origin, user.cookie, {
      bytes: await jpeg(),
      name: 'log.jpg',
      type: 'image/jpeg',
    });
    const created = await as.token({
      method: 'POST',
      url: '/api/posts',
      payload: {
        caption: 'Logged everywhere',
        mediaIds: [mediaId],
        targets: accountIds.map((accountId) => ({ accountId })),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const post = await until(
      'every target to settle',
      async () => {
        const current = (await as.token({ method: 'GET', url: `/api/posts/${created.json().id}` })).json() as Post;
        return current.targets.every((target) => ['published', 'failed'].includes(target.status)) ? current : undefined;
      },
      60_000,
    );
    expect(post.targets.map((target) => target.status)).toEqual(accountIds.map(() => 'published'));
    for (const id of accountIds) {
      const refreshed = await as.cookie({ method: 'POST', url: `/api/connected-accounts/${id}/refresh` });
      expect(refreshed.statusCode, refreshed.body).toBe(200);
    }
    for (const id of accountIds) {
      const removed = await as.cookie({ method: 'DELETE', url: `/api/connected-accounts/${id}` });
      expect(removed.statusCode, removed.body).toBe(204);
    }

    const fromSandbox: string[] = [];
    for (const entry of sandbox.log.list()) {
      const query = new URL(entry.path, 'http://sandbox.invalid').searchParams;
      secretFields(Object.fromEntries(query), fromSandbox);
      secretFields(entry.body, fromSandbox);
      const authorization = entry.headers.authorization;
      if (authorization) fromSandbox.push(authorization.replace(/^(Bearer|OAuth)\s+/i, ''));
    }
    const sessionValue = decodeURIComponent(user.cookie.split('=').slice(1).join('='));
    const secrets = new Map<string, string>([
      ['password', user.password],
      ['API token', user.apiToken],
      ['session cookie', sessionValue],
      ['session token', sessionValue.split('.')[0] ?? ''],
      ['webhook secret', hook.json().secret],
      ['AUTH_SECRET', t.config.authSecret],
      ...t.config.tokenEncryptionKeys.map((key): [string, string] => [
        `encryption key ${key.id}`,
        key.key.toString('base64'),
      ]),
      ...DEFAULT_APPS.map((app): [string, string] => [`${app.platform} app secret`, app.secret]),
      ...sandbox.tokens.list().map((record): [string, string] => [`sandbox ${record.kind} token`, record.token]),
      ...fromSandbox.map((value, index): [string, string] => [`sandbox request secret #${index}`, value]),
    ]);
    const kinds = new Set(sandbox.tokens.list().map((record) => record.kind));
    expect([...kinds].sort()).toEqual(
      ['facebook_page', 'facebook_user', 'instagram_user', 'linkedin_access', 'linkedin_refresh'].sort(),
    );
    expect(fromSandbox.length).toBeGreaterThan(10);

    const log = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(100);
    expect(log).toContain('"level":20');
    expect(log).toContain('/api/connected-accounts/connect/');
    let checked = 0;
    for (const [what, secret] of secrets) {
      if (secret.length < 8) continue;
      // The whole value, and its ends where it is long enough to tell apart.
      const pieces = secret.length >= 24 ? [secret, secret.slice(0, 16), secret.slice(-16)] : [secret];
      for (const piece of pieces) {
        const line = t.logs.find((candidate) => candidate.includes(piece));
        expect(line, `${what} (${piece.slice(0, 6)}…) is in the log`).toBeUndefined();
        checked += 1;
      }
    }
    console.info(
      `log secrets: ${secrets.size} secrets (${checked} values and ends) absent from ${t.logs.length} log lines`,
    );
  });
});
