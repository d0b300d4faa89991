import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('sandbox core: control API, faults, request log', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());

  it('starts seeded with the default workspace', async () => {
    const state = (await s.control.state()) as {
      facebook: { pages: Array<{ id: string; instagramAccountId?: string }> };
      linkedin: { organizations: Array<{ id: string }> };
    };
    expect(state.facebook.pages.map((page) => page.id)).toEqual([
      DEFAULT_WORKSPACE.brandPageId,
      DEFAULT_WORKSPACE.eventsPageId,
    ]);
    expect(state.facebook.pages[0]?.instagramAccountId).toBe(DEFAULT_WORKSPACE.brandInstagramId);
    expect(state.linkedin.organizations.map((org) => org.id)).toEqual([DEFAULT_WORKSPACE.linkedinOrganizationId]);
  });

  it('moves the virtual clock forward only', async () => {
    const before = Date.parse((await s.control.advanceClock(0)).now);
    const after = await s.control.advanceClock(3_600_000);
    expect(Date.parse(after.now) - before).toBeGreaterThanOrEqual(3_600_000);
    await expect(s.control.advanceClock(-1)).rejects.toThrow(/ms/);
  });

  it('serves queued faults to the named endpoint only, as many times as asked', async () => {
    const me = `${s.urls.facebookGraph}/v25.0/me?access_token=unknown`;
    await s.control.queueFault(
      'graph.me',
      { type: 'response', status: 503, body: { error: 'injected' }, headers: { 'x-injected': '1' } },
      2,
    );
    for (let i = 0; i < 2; i++) {
      const faulted = await fetch(me);
      expect(faulted.status).toBe(503);
      expect(faulted.headers.get('x-injected')).toBe('1');
      expect(await faulted.json()).toEqual({ error: 'injected' });
    }
    expect((await fetch(me)).status).toBe(400);
    expect((await s.control.requests({ endpoint: 'graph.me' })).map((request) => request.status)).toEqual([
      503, 503, 400,
    ]);
  });

  it('slows a request down with a latency fault and holds it with a timeout fault', async () => {
    const me = `${s.urls.facebookGraph}/v25.0/me?access_token=unknown`;
    await s.control.queueFault('graph.me', { type: 'latency', ms: 300 });
    const started = Date.now();
    expect((await fetch(me)).status).toBe(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    await s.control.queueFault('graph.me', { type: 'timeout' });
    await expect(fetch(me, { signal: AbortSignal.timeout(500) })).rejects.toThrow(/aborted|timeout/i);
    expect((await fetch(me)).status).toBe(400);
  });

  it('injects random faults in the shape of each host, counts them, and stops when told', async () => {
    const graphMe = `${s.urls.facebookGraph}/v25.0/me?access_token=unknown`;
    const linkedinMe = `${s.urls.linkedinApi}/v2/userinfo`;
    await s.control.setRandomFaults({ seed: 5, rules: [{ kind: 'server_error', rate: 1 }] });
    const graph = await fetch(graphMe);
    expect(graph.status).toBe(500);
    expect((await graph.json()).error).toMatchObject({ code: 2, is_transient: true });
    const linkedin = await fetch(linkedinMe);
    expect(linkedin.status).toBe(503);
    expect(await linkedin.json()).toMatchObject({ status: 503 });

    await s.control.setRandomFaults({ seed: 5, rules: [{ kind: 'rate_limit', rate: 1 }] });
    const throttled = await fetch(graphMe);
    expect(throttled.status).toBe(400);
    expect((await throttled.json()).error).toMatchObject({ code: 4 });
    expect(JSON.parse(throttled.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 100 });
    const tooMany = await fetch(linkedinMe);
    expect(tooMany.status).toBe(429);
    expect((await tooMany.json()).code).toBe('TOO_MANY_REQUESTS');

    await s.control.setRandomFaults({ seed: 5, rules: [{ kind: 'timeout', rate: 1, endpoints: ['graph.me'] }] });
    await expect(fetch(graphMe, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted|timeout/i);
    expect((await fetch(linkedinMe)).status).toBe(401);
    // The control API itself is never faulted.
    expect((await s.control.faults()).random).toEqual({
      settings: { seed: 5, rules: [{ kind: 'timeout', rate: 1, endpoints: ['graph.me'] }] },
      injected: { server_error: 0, timeout: 1, answer_lost: 0, rate_limit: 0 },
    });

    expect((await s.control.stopRandomFaults()).injected.timeout).toBe(1);
    expect((await fetch(graphMe)).status).toBe(400);
    await expect(
      s.control.setRandomFaults({
        rules: [
          { kind: 'timeout', rate: 0.6 },
          { kind: 'server_error', rate: 0.6 },
        ],
      }),
    ).rejects.toThrow(/add up/);
  });

  it('loses the answer of a request the platform carried out with an answer_lost fault', async () => {
    const original = s.sandbox.tokens.issue({
      kind: 'instagram_user',
      appId: 'ig-app',
      subjectId: '17841400000000001',
      scopes: ['instagram_business_basic'],
      expiresInMs: 5 * 24 * 3_600_000,
      longLived: true,
    });
    original.issuedAt -= 55 * 24 * 3_600_000;
    await s.control.setRandomFaults({
      rules: [{ kind: 'answer_lost', rate: 1, endpoints: ['ig.graph.refresh_access_token'] }],
    });
    const refresh = `${s.urls.instagramGraph}/refresh_access_token?grant_type=ig_refresh_token&access_token=${original.token}`;
    await expect(fetch(refresh, { signal: AbortSignal.timeout(500) })).rejects.toThrow(/aborted|timeout/i);
    // The refresh happened: a new token exists, though its caller never learnt it.
    expect(s.sandbox.tokens.list().filter((token) => token.parent === original.token)).toHaveLength(1);
    expect((await s.control.stopRandomFaults()).injected.answer_lost).toBe(1);
  });

  it('answers unknown paths with a 404 in the shape of the host', async () => {
    const other = await fetch(`${s.baseUrl}/linkedin-api/nothing`);
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('NOT_FOUND');
    const graph = await fetch(`${s.urls.facebookGraph}/v25.0/me/nothing/here`);
    expect(graph.status).toBe(400);
    expect((await graph.json()).error).toMatchObject({ code: 2500, type: 'OAuthException' });
  });

  it('rejects malformed control requests with 400 and a message', async () => {
    const response = await fetch(`${s.baseUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'x', fault: { type: 'response', status: 42 } }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/status/);
  });

  it('revokes tokens by subject and reports how many', async () => {
    const token = s.sandbox.tokens.issue({
      kind: 'facebook_user',
      appId: '1000000000000001',
      subjectId: DEFAULT_WORKSPACE.facebookUserId,
      scopes: ['pages_show_list'],
      expiresAt: null,
    });
    const result = await s.control.revokeTokens({ subjectId: DEFAULT_WORKSPACE.facebookUserId }, 460);
    expect(result.revoked).toBeGreaterThanOrEqual(1);
    expect(s.sandbox.tokens.check(token.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('resets to an empty or a seeded state', async () => {
    await s.control.reset({ seed: false });
    expect(((await s.control.state()) as { facebook: { users: unknown[] } }).facebook.users).toEqual([]);
    await s.control.reset();
    expect(((await s.control.state()) as { facebook: { users: unknown[] } }).facebook.users).toHaveLength(1);
  });
});

describe('sandbox mounted in Tether (sandbox mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers under /sandbox with JSON bodies passed through unread', async () => {
    const clock = await t.app.inject({ method: 'GET', url: '/sandbox/__control/clock' });
    expect(clock.statusCode).toBe(200);
    expect(clock.json()).toHaveProperty('offsetMs', 0);
    const advanced = await t.app.inject({
      method: 'POST',
      url: '/sandbox/__control/clock/advance',
      headers: { 'content-type': 'application/json' },
      payload: { ms: 1000 },
    });
    expect(advanced.json()).toHaveProperty('offsetMs', 1000);
    expect(t.app.sandbox?.baseUrl).toBe('http://localhost:3000/sandbox');
  });

  it('is absent when sandbox mode is off', async () => {
    const off = await createTestApp({ SANDBOX: 'false' });
    try {
      const response = await off.app.inject({ method: 'GET', url: '/sandbox/__control/clock' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    } finally {
      await off.close();
    }
  });
});
