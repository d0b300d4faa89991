import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import { type Actor, client, jpeg, signUpActor } from './attack/world.ts';
import { until } from './helpers/processes.ts';
import { connectWith, PROVIDER_DRIVERS } from './helpers/provider-drivers.ts';
import { createTestApp, type TestApp, uploadMedia } from './helpers/test-app.ts';

type Line = Record<string, unknown> & { msg?: string };

/**
 * One post's whole story in the log with one filter: the request that created it and every run
 * of its publish job (including a retry) carry its id, the job lines their job id, queue and
 * account, and the request lines the request id, taken from `X-Request-Id` when the caller sends one.
 */
describe('log correlation', () => {
  let t: TestApp;
  let user: Actor;
  let accountId: string;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { listen: true, jobs: true });
    user = await signUpActor(t, 'traced@example.com');
    const driver = PROVIDER_DRIVERS.find((candidate) => candidate.provider === 'instagram_login');
    if (!driver) throw new Error('no instagram_login driver');
    accountId = await connectWith(t.app, t.origin, user.cookie, driver);
  });
  afterAll(() => t?.close());

  const lines = (): Line[] => t.logs.map((line) => JSON.parse(line) as Line);

  it('echoes a caller-given request id, and gives a new one when it is missing or not a plain token', async () => {
    const as = client(t, user);
    const given = await as.token({ method: 'GET', url: '/api/posts', headers: { 'x-request-id': 'edge-7f3a.1' } });
    expect(given.headers['x-request-id']).toBe('edge-7f3a.1');
    const missing = await as.token({ method: 'GET', url: '/api/posts' });
    const unsafe = await as.token({ method: 'GET', url: '/api/posts', headers: { 'x-request-id': 'a b\n{"x":1}' } });
    for (const response of [missing, unsafe])
      expect(response.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    const completed = lines().filter((line) => line.msg === 'request completed' && line.requestId === 'edge-7f3a.1');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ statusCode: 200, req: { method: 'GET', url: '/api/posts' } });
  });

  it('follows a post from its request through a retried publish job with one filter on its id', {
    timeout: 60_000,
  }, async () => {
    const as = client(t, user);
    const mediaId = await uploadMedia(t.origin, user.cookie, {
      bytes: await jpeg(),
      name: 'trace.jpg',
      type: 'image/jpeg',
    });
    // The first container creation fails with a 5xx: the job runs again, and both runs must show up.
    t.app.sandbox!.faults.add('ig.graph.media.create', { type: 'response', status: 500, body: { error: { code: 2 } } });
    const created = await as.token({
      method: 'POST',
      url: '/api/posts',
      headers: { 'x-request-id': 'trace-create-1' },
      payload: { caption: 'Followed in the log', mediaIds: [mediaId], targets: [{ accountId }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const postId = created.json().id as string;
    await until(
      'the post to be published',
      async () =>
        ((await as.token({ method: 'GET', url: `/api/posts/${postId}` })).json() as Post).targets[0]?.status ===
        'published',
      30_000,
    );

    const story = lines().filter((line) => line.postId === postId);
    const messages = story.map((line) => line.msg);
    expect(messages).toContain('post created');
    expect(messages).toContain('publishing will be retried');
    expect(messages).toContain('published');
    expect(story.find((line) => line.msg === 'post created')).toMatchObject({ requestId: 'trace-create-1' });

    const jobLines = story.filter((line) => line.jobId !== undefined);
    expect(jobLines.length).toBeGreaterThanOrEqual(2);
    for (const line of jobLines) expect(line).toMatchObject({ queue: 'publish-target', accountId });
    // The retry ran as another job than the first attempt.
    const retried = jobLines.find((line) => line.msg === 'publishing will be retried');
    const done = jobLines.find((line) => line.msg === 'published');
    expect(retried?.jobId).not.toBe(done?.jobId);
    // The error code is readable in the log (a field named just `code` would be redacted as an OAuth code).
    expect(retried?.errorCode).toBe('graph:2');

    // No line names an id twice (ids come from the log context, never also from a logger binding).
    for (const raw of t.logs)
      for (const key of ['"postId"', '"requestId"', '"jobId"']) expect(raw.split(key).length).toBeLessThanOrEqual(2);
  });
});
