import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import { BRAND, CREATOR, expectGraphError, fbToken, graph, igToken, imageUrl, videoUrl } from './instagram-helpers.ts';

describe('Instagram Graph access: tokens, permissions, objects, faults', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.reset();
  });

  it('checks tokens and permissions on both hosts', async () => {
    const image = { image_url: imageUrl(s) };
    // Another account than the token's: looks like a missing object.
    expectGraphError(await graph(s, 'graph-instagram', 'POST', `/${CREATOR}/media`, igToken(s), image), 100, 33);
    expectGraphError(await graph(s, 'graph-facebook', 'POST', `/${CREATOR}/media`, fbToken(s), image), 100, 33);
    // The token's own account through `me`.
    expect((await graph(s, 'graph-instagram', 'POST', '/me/media', igToken(s), image)).status).toBe(200);
    // Missing publish permission.
    const basicOnly = igToken(s, { scopes: ['instagram_business_basic'] });
    const denied = await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, basicOnly, image);
    expect(denied.status).toBe(403);
    expectGraphError(denied, 10);
    expectGraphError(
      await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, fbToken(s, ['instagram_basic']), image),
      10,
    );
    // Tokens of the other login on each host.
    expectGraphError(await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, igToken(s), image), 190);
    expectGraphError(await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, fbToken(s), image), 190);
    // A Page token whose grant includes the Instagram account linked to its Page.
    const page = s.sandbox.tokens.issue({
      kind: 'facebook_page',
      appId: '1000000000000001',
      subjectId: DEFAULT_WORKSPACE.brandPageId,
      scopes: ['instagram_basic', 'instagram_content_publish'],
      targets: [DEFAULT_WORKSPACE.brandPageId, BRAND],
      expiresAt: null,
    });
    expect((await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, page.token, image)).status).toBe(200);
    // Expired and revoked tokens.
    const expiring = igToken(s, { ttlMs: HOUR });
    await s.control.advanceClock(HOUR);
    expectGraphError(await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, expiring, image), 190, 463);
    const revoked = fbToken(s);
    await s.control.revokeTokens({ token: revoked }, 492);
    expectGraphError(await graph(s, 'graph-facebook', 'POST', `/${BRAND}/media`, revoked, image), 190, 492);
    // Missing parameters and unknown media types.
    expectGraphError(await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, igToken(s)), 100);
    expectGraphError(
      await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, igToken(s), { media_type: 'GIF', ...image }),
      100,
      2207023,
    );
    expectGraphError(
      await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, igToken(s), {
        media_type: 'VIDEO',
        video_url: videoUrl(s),
      }),
      100,
      2207023,
    );
    expectGraphError(await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, igToken(s)), 100);
    expectGraphError(
      await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media_publish`, igToken(s), { creation_id: '1789' }),
      24,
      2207006,
    );
  });

  it('reads the IG User node on both hosts', async () => {
    for (const [host, token] of [
      ['graph-instagram', igToken(s)],
      ['graph-facebook', fbToken(s)],
    ] as const) {
      const result = await graph(s, host, 'GET', `/${BRAND}`, token, {
        fields: 'username,followers_count,media_count',
      });
      expect(result.body).toEqual({ username: 'northwind.coffee', followers_count: 12840, media_count: 0, id: BRAND });
    }
    expectGraphError(await graph(s, 'graph-facebook', 'GET', `/${CREATOR}`, fbToken(s)), 100, 33);
  });

  it('accepts parameters in a JSON body with a Bearer token', async () => {
    const token = igToken(s);
    const response = await fetch(`${s.urls.instagramGraph}/v24.0/${BRAND}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image_url: imageUrl(s), caption: 'json' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).id).toMatch(/^\d+$/);
  });

  it('answers queued faults by endpoint name and logs the calls', async () => {
    await s.control.queueFault('ig.graph.media.create', {
      type: 'response',
      status: 500,
      body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'x' } },
    });
    const token = igToken(s);
    expectGraphError(
      await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) }),
      1,
    );
    expect(
      (await graph(s, 'graph-instagram', 'POST', `/${BRAND}/media`, token, { image_url: imageUrl(s) })).status,
    ).toBe(200);
    const logged = await s.control.requests({ endpoint: 'ig.graph.media.create' });
    expect(logged.map((entry) => [entry.host, entry.status])).toEqual([
      ['graph.instagram.com', 500],
      ['graph.instagram.com', 200],
    ]);
  });
});
