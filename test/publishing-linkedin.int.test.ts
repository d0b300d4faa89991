import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../src/sandbox/core/clock.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { accountCredentials, oauthFlows } from '../src/server/db/schema/index.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { PUBLISH_UNCONFIRMED } from '../src/server/services/publishing.ts';
import { jpeg } from './helpers/fixtures.ts';
import { browserApi, createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

const MEMBER = DEFAULT_WORKSPACE.linkedinMemberSub;
const ORGANIZATION = DEFAULT_WORKSPACE.linkedinOrganizationId;
const FEED_UPDATE = /^https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:share:\d+$/;

/** Tether and the mounted sandbox (LinkedIn) over HTTP, with the job queue: one fresh sandbox per suite. */
function linkedinSuite(email: string) {
  const s = {} as { t: TestApp; sandbox: Sandbox; cookie: string };

  const { api, settled } = browserApi(() => ({ t: s.t, cookie: s.cookie }));

  /** Start → the sandbox's consent page, allowed → Tether's callback; returns where the browser lands. */
  async function connect(provider: 'linkedin' | 'linkedin_org'): Promise<URL> {
    const start = await api('POST', `/api/connected-accounts/connect/${provider}`, {});
    expect(start.status, JSON.stringify(start.json)).toBe(200);
    const loginUrl = new URL(start.json.loginUrl);
    const page = await s.t.app.inject({ method: 'GET', url: loginUrl.pathname + loginUrl.search });
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const decision = await s.t.app.inject({
      method: 'POST',
      url: new URL(action, loginUrl).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ request_id: requestId, action: 'allow' }).toString(),
    });
    expect(decision.statusCode, decision.body).toBe(302);
    const callback = new URL(String(decision.headers.location));
    const landed = await s.t.app.inject({
      method: 'GET',
      url: callback.pathname + callback.search,
      headers: { cookie: s.cookie },
    });
    expect(landed.statusCode, landed.body).toBe(302);
    return new URL(String(landed.headers.location), s.t.origin);
  }

  const upload = (bytes: Buffer, name: string) =>
    uploadMedia(s.t.origin, s.cookie, { bytes, name, type: 'image/jpeg' });

  /** Posts now to one account and waits until its target has settled. */
  async function publish(accountId: string, caption: string, mediaIds: string[] = []) {
    const created = await api('POST', '/api/posts', { caption, mediaIds, targets: [{ accountId, kind: 'feed' }] });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const [target] = (await settled(created.json.id)).targets;
    if (!target) throw new Error('no target');
    return target;
  }

  const setup = async () => {
    s.t = await createTestApp({}, { listen: true, jobs: true });
    if (!s.t.app.sandbox) throw new Error('sandbox mode is off');
    s.sandbox = s.t.app.sandbox;
    ({ cookie: s.cookie } = await signUp(s.t.app, { email }, s.t.origin));
  };

  return { s, api, connect, upload, publish, setup };
}

describe('publishing to a LinkedIn member (sandbox)', () => {
  const suite = linkedinSuite('li-member@example.com');
  const { s, api, connect, upload, publish } = suite;
  let accountId: string;
  const posts = () => s.sandbox.linkedin.posts;

  beforeAll(async () => {
    await suite.setup();
    accountId = (await connect('linkedin')).searchParams.get('connected') ?? '';
    expect(accountId).not.toBe('');
  });
  afterAll(() => s.t.close());

  it('publishes text with every reserved character escaped, so LinkedIn shows it exactly as written', async () => {
    const caption = 'Grand opening (today!) #coffee @team [v2] {beans} <3 a|b ~c_d *bold* back\\slash';
    const target = await publish(accountId, caption);
    expect(target, JSON.stringify(target.error)).toMatchObject({ status: 'published', error: null });
    expect(target.permalink).toMatch(FEED_UPDATE);
    expect(target.permalink).toBe(`https://www.linkedin.com/feed/update/${target.remoteId}`);
    const sent = posts().filter((item) => item.urn === target.remoteId);
    expect(sent).toMatchObject([
      { author: `urn:li:person:${MEMBER}`, renderedCommentary: caption, truncated: false, visibility: 'PUBLIC' },
    ]);
    expect(sent[0]?.content).toBeUndefined();
    expect(posts().filter((item) => item.renderedCommentary === caption)).toHaveLength(1);
  });

  it('publishes one image: uploaded as the member, then posted as media', async () => {
    const mediaId = await upload(await jpeg(1200, 627), 'one.jpg');
    const target = await publish(accountId, 'One picture', [mediaId]);
    expect(target, JSON.stringify(target.error)).toMatchObject({ status: 'published' });
    expect(target.permalink).toMatch(FEED_UPDATE);
    const [sent, ...others] = posts().filter((item) => item.commentary === 'One picture');
    expect(others).toEqual([]);
    const imageUrn = (sent?.content as { media?: { id: string } } | undefined)?.media?.id ?? '';
    expect(s.sandbox.linkedin.images.get(imageUrn)).toMatchObject({
      owner: `urn:li:person:${MEMBER}`,
      status: 'AVAILABLE',
    });
  });

  it('publishes several images as one multiImage post of distinct uploads', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push(await upload(await jpeg(800 + index, 800), `${index}.jpg`));
    const target = await publish(accountId, 'Three pictures', ids);
    expect(target, JSON.stringify(target.error)).toMatchObject({ status: 'published' });
    const sent = posts().filter((item) => item.commentary === 'Three pictures');
    expect(sent).toHaveLength(1);
    const content = sent[0]?.content as { multiImage?: { images: Array<{ id: string }> } } | undefined;
    const images = content?.multiImage?.images ?? [];
    expect(images).toHaveLength(3);
    expect(images.map((image) => s.sandbox.linkedin.images.get(image.id))).toEqual(
      Array(3).fill(expect.objectContaining({ owner: `urn:li:person:${MEMBER}`, status: 'AVAILABLE' })),
    );
    expect(new Set(images.map((image) => image.id)).size).toBe(3);
  });

  it('a 5xx answer to the post call ends as PUBLISH_UNCONFIRMED and is never sent twice', async () => {
    const calls = () => s.sandbox.log.list({ endpoint: 'li.rest.posts.create' }).length;
    const before = calls();
    s.sandbox.faults.add(
      'li.rest.posts.create',
      { type: 'response', status: 503, body: { status: 503, message: 'Service Unavailable' } },
      1,
    );
    const target = await publish(accountId, 'Lost in transit');
    expect(target).toMatchObject({ status: 'failed', error: { code: PUBLISH_UNCONFIRMED }, permalink: null });
    // Give a stray retry the time to happen, then check none did.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls()).toBe(before + 1);
    expect(posts().filter((item) => item.commentary === 'Lost in transit')).toEqual([]);
  });

  it('refuses what LinkedIn would refuse before anything is sent, with the problems in details', async () => {
    const calls = s.sandbox.log.list({ host: 'api.linkedin.com' }).length;
    const mediaId = await upload(await jpeg(600, 600), 'kind.jpg');
    const refused = await api('POST', '/api/posts', {
      caption: '#'.repeat(1501),
      mediaIds: [mediaId, mediaId],
      targets: [{ accountId, kind: 'carousel' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('POST_INVALID');
    expect(refused.json.error.details).toEqual([expect.objectContaining({ target: accountId, code: 'POST_KIND' })]);
    const tooLong = await api('POST', '/api/posts', {
      caption: '#'.repeat(1501),
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.details).toEqual([
      expect.objectContaining({
        target: accountId,
        code: 'CAPTION_TOO_LONG',
        message: expect.stringContaining('3002'),
      }),
    ]);
    expect(s.sandbox.log.list({ host: 'api.linkedin.com' })).toHaveLength(calls);
  });
});

describe('publishing to a LinkedIn organization through the picker (sandbox)', () => {
  const suite = linkedinSuite('li-org@example.com');
  const { s, api, connect, publish } = suite;
  const ROASTERS = '90000002';
  const ARCHIVE = '90000003';
  let accountId: string;

  beforeAll(async () => {
    await suite.setup();
    const { linkedin } = s.sandbox;
    linkedin.organizations.set(ROASTERS, {
      id: ROASTERS,
      name: 'Northwind Roasters',
      vanityName: 'northwind-roasters',
    });
    linkedin.organizations.set(ARCHIVE, { id: ARCHIVE, name: 'Northwind Archive', vanityName: 'northwind-archive' });
    linkedin.members
      .get(MEMBER)
      ?.organizations.push(
        { organizationId: ROASTERS, role: 'CONTENT_ADMINISTRATOR' },
        { organizationId: ARCHIVE, role: 'ANALYST' },
      );
  });
  afterAll(() => s.t.close());

  it('lists the organizations with a posting role, reports the others, and keeps the refresh token through the pick', async () => {
    const landed = await connect('linkedin_org');
    const flowId = /\/select\/([\w-]+)$/.exec(landed.pathname)?.[1] ?? '';
    expect(flowId, landed.toString()).not.toBe('');
    const flow = await api('GET', `/api/oauth/flows/${flowId}`);
    expect(flow.status, JSON.stringify(flow.json)).toBe(200);
    expect(JSON.stringify(flow.json)).not.toMatch(/AQ[VW]/);
    expect(flow.json).toMatchObject({
      candidates: [
        { id: ORGANIZATION, displayName: 'Northwind Coffee Co.', username: 'northwind-coffee' },
        { id: ROASTERS, displayName: 'Northwind Roasters' },
      ],
      problems: [{ id: ARCHIVE, name: 'Northwind Archive', reason: 'insufficient_organization_role' }],
    });
    // Waiting in the flow, both tokens are encrypted: neither is stored as it is.
    const [row] = await s.t.database.db.select().from(oauthFlows).where(eq(oauthFlows.id, flowId));
    expect(row?.refreshToken).toBeTruthy();
    expect(`${row?.userToken} ${row?.refreshToken}`).not.toMatch(/AQ[VW]/);

    const picked = await api('POST', `/api/oauth/flows/${flowId}/select`, { candidateIds: [ORGANIZATION] });
    expect(picked.status, JSON.stringify(picked.json)).toBe(200);
    [accountId = ''] = picked.json.accountIds;
    const account = await api('GET', `/api/connected-accounts/${accountId}`);
    expect(account.json).toMatchObject({
      provider: 'linkedin_org',
      username: 'northwind-coffee',
      displayName: 'Northwind Coffee Co.',
      grantedScopes: [
        'email',
        'openid',
        'profile',
        'r_organization_social',
        'w_member_social',
        'w_organization_social',
      ],
    });
    expect(Date.parse(account.json.refreshTokenExpiresAt) - Date.now()).toBeGreaterThan(364 * DAY);
    const refresh = await s.t.app.connections.vault.read(s.t.app.connections.db, accountId, 'refresh');
    expect(refresh?.reveal()).toMatch(/^AQW/);
    const [done] = await s.t.database.db.select().from(oauthFlows).where(eq(oauthFlows.id, flowId));
    expect(done).toMatchObject({ status: 'completed', userToken: null, refreshToken: null });
  });

  it('publishes as urn:li:organization:…', async () => {
    const target = await publish(accountId, 'News from the roastery (organization)');
    expect(target, JSON.stringify(target.error)).toMatchObject({ status: 'published' });
    expect(target.permalink).toMatch(FEED_UPDATE);
    expect(s.sandbox.linkedin.posts.filter((item) => item.urn === target.remoteId)).toMatchObject([
      { author: `urn:li:organization:${ORGANIZATION}`, truncated: false },
    ]);
  });

  it('refreshes the access token with the refresh token kept through the picker', async () => {
    const sandbox = s.sandbox;
    Object.assign(s.t.app.connections, { now: () => sandbox.clock.now() });
    const stored = await s.t.app.connections.vault.read(s.t.app.connections.db, accountId, 'refresh');
    const access = await s.t.app.connections.vault.read(s.t.app.connections.db, accountId, 'user_access');
    sandbox.clock.advance(55 * DAY);
    expect(await checkAccount(s.t.app.connections, accountId)).toBe('refreshed');
    const grants = sandbox.log
      .list({ endpoint: 'li.oauth.access_token' })
      .map((entry) => entry.body as { grant_type?: string; refresh_token?: string });
    expect(grants.filter((grant) => grant.grant_type === 'refresh_token')).toEqual([
      expect.objectContaining({ refresh_token: stored?.reveal() }),
    ]);
    const renewed = await s.t.app.connections.vault.read(s.t.app.connections.db, accountId, 'user_access');
    expect(renewed?.reveal()).not.toBe(access?.reveal());
    const credentials = await s.t.database.db
      .select({ kind: accountCredentials.kind })
      .from(accountCredentials)
      .where(and(eq(accountCredentials.accountId, accountId), eq(accountCredentials.kind, 'refresh')));
    expect(credentials).toHaveLength(1);
  });
});
