import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationList } from '../src/contracts/notifications.ts';
import type { Post } from '../src/contracts/posts.ts';
import type { CreatedWebhook, WebhookDelivery } from '../src/contracts/webhooks.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { markFailed } from '../src/server/services/post-events.ts';
import { PUBLISH_QUEUE } from '../src/server/services/posts.ts';
import { PAUSED_FOR_RECONNECT, resumePausedTargets } from '../src/server/services/publishing.ts';
import { BRAND_IG, BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { jpeg, waitFor } from './helpers/fixtures.ts';
import { browserApi, createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';
import { startReceiver, verifySignature } from './helpers/webhook-receiver.ts';

interface PostEvent {
  id: string;
  type: string;
  createdAt: string;
  data: {
    post: { id: string; scheduledAt: string };
    target: Record<string, unknown> & { id: string };
    account: { id: string; provider: string; username: string | null; displayName: string | null };
  };
}

/**
 * `post.published` and `post.failed`: published through the API, the job queue and the mounted
 * sandbox, delivered signed to a receiver, and shown in the notification list.
 */
describe('post notifications and webhooks (sandbox)', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let cookie: string;
  let accountId: string;
  let hook: CreatedWebhook;

  const { api, post, settled } = browserApi(() => ({ t, cookie }));
  const publish = async (caption: string) => {
    const mediaId = await uploadMedia(t.origin, cookie, {
      bytes: await jpeg(1080, 1080),
      name: 'photo.jpg',
      type: 'image/jpeg',
    });
    const created = await api('POST', '/api/posts', {
      caption,
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    return created.json as Post;
  };
  /** The events the receiver got about one post, each checked against the endpoint's secret. */
  const eventsAbout = (postId: string): PostEvent[] =>
    receiver
      .at('/ok')
      .map((request) => {
        verifySignature(hook.secret, request.headers['tether-signature'] as string, request.body);
        const event = JSON.parse(request.body) as PostEvent;
        expect(request.headers['tether-event']).toBe(event.type);
        return event;
      })
      .filter((event) => event.data.post.id === postId);
  const deliveries = async () =>
    ((await api('GET', `/api/webhooks/${hook.endpoint.id}/deliveries`)).json as { deliveries: WebhookDelivery[] })
      .deliveries;
  const notificationsAbout = async (postId: string) =>
    ((await api('GET', '/api/notifications')).json as NotificationList).notifications.filter(
      (item) => item.postId === postId,
    );
  const account = {
    provider: 'instagram',
    username: 'northwind.coffee',
  };

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    receiver = await startReceiver();
    ({ cookie } = await signUp(t.app, { email: 'post-events@example.com' }, t.origin));
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], origin: t.origin });
    accountId = (landed.searchParams.get('connected') ?? '').split(',')[0] ?? '';
    expect(accountId).not.toBe('');
    const created = await api('POST', '/api/webhooks', {
      url: receiver.url('/ok'),
      events: ['post.published', 'post.failed'],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    hook = created.json as CreatedWebhook;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('sends nothing for a retried attempt, then one signed post.published with the permalink', async () => {
    // The first container request meets a 502: a transient failure, retried with backoff.
    sandbox.faults.add('ig.graph.media.create', { type: 'response', status: 502, body: 'Bad gateway' }, 1);
    const created = await publish('Fresh roast today #coffee');
    const targetId = created.targets[0]?.id ?? '';
    const retrying = await waitFor(
      () => post(created.id),
      (value) => value.targets[0]?.attempts === 1,
    );
    expect(retrying.targets[0]).toMatchObject({ status: 'publishing', error: { code: expect.any(String) } });
    expect(await deliveries()).toEqual([]);
    expect(await notificationsAbout(created.id)).toEqual([]);

    // Bring the retry forward instead of waiting for the backoff.
    const [retry] = await t.boss!.findJobs(PUBLISH_QUEUE, { data: { targetId }, queued: true });
    expect(retry).toBeDefined();
    await t.boss!.update({ name: PUBLISH_QUEUE, options: { id: retry?.id ?? '', startAfter: new Date() } });
    const done = await settled(created.id);
    const [target] = done.targets;
    expect(target).toMatchObject({ status: 'published', attempts: 1, error: null });
    expect(target?.permalink).toMatch(/\/p\/[\w-]+\/$/);

    const [event, ...more] = await waitFor(
      async () => eventsAbout(created.id),
      (events) => events.length > 0,
    );
    expect(event).toEqual({
      id: expect.any(String),
      type: 'post.published',
      createdAt: expect.any(String),
      data: {
        post: { id: created.id, scheduledAt: created.scheduledAt },
        target: {
          id: targetId,
          kind: 'feed',
          status: 'published',
          attempts: 1,
          publishedAt: target?.publishedAt,
          remoteId: target?.remoteId,
          permalink: target?.permalink,
        },
        account: { id: accountId, ...account, displayName: expect.any(String) },
      },
    });
    expect(target?.remoteId).toBeTruthy();
    expect(sandbox.instagram.media.get(target?.remoteId ?? '')).toMatchObject({ accountId: BRAND_IG });
    expect(more).toEqual([]);
    const [delivery] = await waitFor(deliveries, (list) => list[0]?.status === 'delivered');
    expect(delivery).toMatchObject({ eventType: 'post.published', attempts: 1, lastStatusCode: 200 });

    // A published target has had its outcome: a late failure (say, a stray duplicate run) changes and tells nothing.
    expect(await markFailed(t.app.connections, targetId, { code: 'LATE', message: 'late' })).toBe(false);
    expect((await post(created.id)).targets[0]).toMatchObject({ status: 'published', error: null });
    expect(await deliveries()).toHaveLength(1);

    expect(await notificationsAbout(created.id)).toEqual([
      {
        id: expect.any(String),
        kind: 'post.published',
        accountId,
        postId: created.id,
        title: 'Published to @northwind.coffee',
        body: '“Fresh roast today #coffee” is live.',
        createdAt: expect.any(String),
        readAt: null,
      },
    ]);
  });

  it('sends one post.failed with the code and message when publishing cannot succeed; a retry that works is a new outcome', async () => {
    const instagramAccount = sandbox.instagram.accounts.get(BRAND_IG);
    if (!instagramAccount) throw new Error('seeded account missing');
    const quota = instagramAccount.quotaTotal;
    instagramAccount.quotaTotal = 0;
    let created: Post;
    try {
      created = await publish('Over the limit');
      const failed = await settled(created.id);
      expect(failed.targets[0]).toMatchObject({ status: 'failed', error: { code: 'graph:quota_exhausted' } });
    } finally {
      instagramAccount.quotaTotal = quota;
    }
    const [target] = (await post(created.id)).targets;
    const [event, ...more] = await waitFor(
      async () => eventsAbout(created.id),
      (events) => events.length > 0,
    );
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'post.failed',
      data: {
        post: { id: created.id, scheduledAt: created.scheduledAt },
        target: { id: target?.id, kind: 'feed', status: 'failed', error: target?.error },
        account: { id: accountId, ...account },
      },
    });
    expect(target?.error?.message).toMatch(/limit/);
    expect(event?.data.target).not.toHaveProperty('permalink');
    const [notification] = await notificationsAbout(created.id);
    expect(notification).toMatchObject({
      kind: 'post.failed',
      postId: created.id,
      title: 'Could not publish to @northwind.coffee',
      body: target?.error?.message,
    });

    // The user retries once the quota is back: the target is published, and that is told too.
    const retried = await api('POST', `/api/posts/${created.id}/targets/${target?.id}/retry`);
    expect(retried.status, JSON.stringify(retried.json)).toBe(200);
    const done = await settled(created.id);
    expect(done.targets[0]?.status).toBe('published');
    const events = await waitFor(
      async () => eventsAbout(created.id),
      (list) => list.length > 1,
    );
    expect(events.map((item) => item.type)).toEqual(['post.failed', 'post.published']);
    expect(events[1]?.data.target).toMatchObject({ id: target?.id, permalink: done.targets[0]?.permalink });
    expect((await notificationsAbout(created.id)).map((item) => item.kind)).toEqual(['post.published', 'post.failed']);
  });

  it('says nothing about a post held for a reconnect, and tells once it is published after it', async () => {
    sandbox.tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'The session has been invalidated because the user changed their password.' },
    );
    const created = await publish('Held for a while');
    const held = await waitFor(
      () => post(created.id),
      (value) => value.targets[0]?.error?.code === PAUSED_FOR_RECONNECT,
    );
    expect(held.targets[0]?.status).toBe('scheduled');
    expect(eventsAbout(created.id)).toEqual([]);
    expect(await notificationsAbout(created.id)).toEqual([]);
    // The account's own notification is there, and says what to do.
    const all = ((await api('GET', '/api/notifications')).json as NotificationList).notifications;
    expect(all[0]).toMatchObject({ kind: 'account.needs_reconnect', accountId, postId: null });

    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: accountId, origin: t.origin });
    expect(await resumePausedTargets(t.app.connections, t.boss!)).toBe(1);
    expect((await settled(created.id)).targets[0]?.status).toBe('published');
    const events = await waitFor(
      async () => eventsAbout(created.id),
      (list) => list.length > 0,
    );
    expect(events.map((item) => item.type)).toEqual(['post.published']);
    expect((await notificationsAbout(created.id)).map((item) => item.kind)).toEqual(['post.published']);
  });
});
