import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { ProviderId } from '../../src/contracts/connected-accounts.ts';
import type { Sandbox } from '../../src/sandbox/core/sandbox.ts';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import { BRAND_IG, BRAND_PAGE, callback, consent } from './connect.ts';

/**
 * How the contract suite drives each provider through the sandbox: its consent page, the picker
 * when several accounts are offered, who to revoke, and where its posts land. Everything else
 * the suite does the same way for every provider, through Tether's API.
 */
export interface ProviderDriver {
  provider: ProviderId;
  /** The account the suite connects (the picker's choice when there are several). */
  externalId: string;
  /** Submits the provider's consent page (sandbox HTML form) and returns the callback URL. */
  consent(app: FastifyInstance, loginUrl: string): Promise<string>;
  /** The sandbox subject whose grant is revoked to make the platform refuse the token. */
  subjectId: string;
  /** Sandbox endpoints of which at least one is called by "refresh now" (a refresh or an inspection). */
  keepAliveEndpoints: string[];
  /** The sandbox endpoint a disconnect calls to revoke the grant; null where the platform has none. */
  revokeEndpoint: string | null;
  /** The permalink's shape; in sandbox mode its host is the sandbox's stand-in for the platform's site. */
  permalink: RegExp;
  /** Posts of `externalId` the sandbox holds (published ones only). */
  remotePosts(sandbox: Sandbox, externalId: string): number;
}

/** A page load by the browser: same-origin paths through the app, anything else over the network. */
async function submitForm(app: FastifyInstance, action: string, form: URLSearchParams, origin: string) {
  const target = new URL(action);
  const init = { 'content-type': 'application/x-www-form-urlencoded' };
  if (target.origin === origin) {
    const response = await app.inject({
      method: 'POST',
      url: target.pathname + target.search,
      headers: init,
      payload: form.toString(),
    });
    expect(response.statusCode, response.body).toBe(302);
    return String(response.headers.location);
  }
  const response = await fetch(target, { method: 'POST', headers: init, body: form.toString(), redirect: 'manual' });
  expect(response.status, await response.text()).toBe(302);
  return response.headers.get('location') ?? '';
}

async function getPage(app: FastifyInstance, url: string) {
  const target = new URL(url);
  const response = await app.inject({ method: 'GET', url: target.pathname + target.search });
  expect(response.statusCode, response.body).toBe(200);
  return response.body;
}

/** The sandbox's LinkedIn consent page: its form posted with Allow. */
async function linkedinConsent(app: FastifyInstance, loginUrl: string) {
  const page = await getPage(app, loginUrl);
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
  const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const form = new URLSearchParams({ request_id: requestId, action: 'allow' });
  return submitForm(app, new URL(action, loginUrl).toString(), form, new URL(loginUrl).origin);
}

/** The sandbox's Instagram Login consent page: allowed as the creator account. */
async function instagramLoginConsent(app: FastifyInstance, loginUrl: string) {
  const url = new URL(loginUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('decision', 'allow');
  form.set('account_id', DEFAULT_WORKSPACE.creatorInstagramId);
  return submitForm(app, `${url.origin}${url.pathname}`, form, url.origin);
}

/** Photos uploaded unpublished for a multi-photo post are not posts of their own. */
const facebookPosts = (sandbox: Sandbox, pageId: string) =>
  sandbox.facebook.posts.filter((post) => post.pageId === pageId && post.published).length;

const linkedinPosts = (urn: string) => (sandbox: Sandbox) =>
  sandbox.linkedin.posts.filter((post) => post.author === urn).length;

const instagramPosts = (sandbox: Sandbox, id: string) =>
  [...sandbox.instagram.media.values()].filter((item) => item.accountId === id).length;

export const PROVIDER_DRIVERS: ProviderDriver[] = [
  {
    provider: 'instagram',
    externalId: BRAND_IG,
    consent: (app, loginUrl) => consent(app, loginUrl, { pages: [BRAND_PAGE] }),
    subjectId: DEFAULT_WORKSPACE.facebookUserId,
    keepAliveEndpoints: ['graph.debug_token'],
    revokeEndpoint: 'graph.permissions.delete',
    permalink: /^https?:\/\/\S+\/p\/[\w-]+\/?$/,
    remotePosts: instagramPosts,
  },
  {
    provider: 'instagram_login',
    externalId: DEFAULT_WORKSPACE.creatorInstagramId,
    consent: instagramLoginConsent,
    subjectId: DEFAULT_WORKSPACE.creatorInstagramId,
    // Younger than a day, the token is only inspected (Instagram refuses an earlier refresh).
    keepAliveEndpoints: ['ig.graph.me', 'ig.graph.refresh_access_token'],
    revokeEndpoint: null,
    permalink: /^https?:\/\/\S+\/p\/[\w-]+\/?$/,
    remotePosts: instagramPosts,
  },
  {
    provider: 'facebook_page',
    externalId: BRAND_PAGE,
    consent: (app, loginUrl) => consent(app, loginUrl, { pages: [BRAND_PAGE, DEFAULT_WORKSPACE.eventsPageId] }),
    subjectId: DEFAULT_WORKSPACE.facebookUserId,
    keepAliveEndpoints: ['graph.debug_token'],
    revokeEndpoint: 'graph.permissions.delete',
    permalink: /^https?:\/\/\S+\/\d+(_\d+)?\S*$/,
    remotePosts: facebookPosts,
  },
  {
    provider: 'linkedin',
    externalId: DEFAULT_WORKSPACE.linkedinMemberSub,
    consent: linkedinConsent,
    subjectId: DEFAULT_WORKSPACE.linkedinMemberSub,
    keepAliveEndpoints: ['li.oauth.access_token', 'li.oauth.introspect'],
    revokeEndpoint: null,
    permalink: /^https?:\/\/\S+\/feed\/update\/urn:li:(share|ugcPost):\d+\/?$/,
    remotePosts: linkedinPosts(`urn:li:person:${DEFAULT_WORKSPACE.linkedinMemberSub}`),
  },
  {
    provider: 'linkedin_org',
    externalId: DEFAULT_WORKSPACE.linkedinOrganizationId,
    consent: linkedinConsent,
    subjectId: DEFAULT_WORKSPACE.linkedinMemberSub,
    keepAliveEndpoints: ['li.oauth.access_token', 'li.oauth.introspect'],
    revokeEndpoint: null,
    permalink: /^https?:\/\/\S+\/feed\/update\/urn:li:(share|ugcPost):\d+\/?$/,
    remotePosts: linkedinPosts(`urn:li:organization:${DEFAULT_WORKSPACE.linkedinOrganizationId}`),
  },
];

/**
 * Connects `driver.externalId` for a signed-in user: start, consent, callback, and the picker
 * when the platform offered several accounts. Returns the connected account's id.
 */
export async function connectWith(
  app: FastifyInstance,
  origin: string,
  cookie: string,
  driver: ProviderDriver,
): Promise<string> {
  const start = await app.inject({
    method: 'POST',
    url: `/api/connected-accounts/connect/${driver.provider}`,
    headers: { cookie, origin },
    payload: {},
  });
  expect(start.statusCode, start.body).toBe(200);
  const landed = await callback(app, await driver.consent(app, start.json().loginUrl), cookie);
  const connected = landed.searchParams.get('connected');
  if (connected) return connected;
  const flowId = /\/select\/([0-9a-f-]{36})$/.exec(landed.pathname)?.[1];
  expect(flowId, `landed on ${landed}`).toBeDefined();
  const picked = await app.inject({
    method: 'POST',
    url: `/api/oauth/flows/${flowId}/select`,
    headers: { cookie, origin },
    payload: { candidateIds: [driver.externalId] },
  });
  expect(picked.statusCode, picked.body).toBe(200);
  const [id] = picked.json().accountIds as string[];
  return id ?? '';
}
