import { expect } from 'vitest';
import { DAY } from '../../src/sandbox/core/clock.ts';
import { createInstagramControlClient } from '../../src/sandbox/instagram/control-client.ts';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import type { RunningSandbox } from '../helpers/sandbox.ts';

export const IG_APP = { id: '2000000000000002', secret: 'sandbox-instagram-app-secret' };
export const FB_APP_ID = '1000000000000001';
export const REDIRECT = 'https://tether.example/callback/instagram';
export const BRAND = DEFAULT_WORKSPACE.brandInstagramId;
export const CREATOR = DEFAULT_WORKSPACE.creatorInstagramId;
export const ALL_SCOPES = ['instagram_business_basic', 'instagram_business_content_publish'];

export const igControl = (s: RunningSandbox) => createInstagramControlClient(s.baseUrl);

/** The dialog's query for the default Instagram app. */
export const authorizeQuery = (overrides: Record<string, string | undefined> = {}) => {
  const params: Record<string, string> = {};
  const all = {
    client_id: IG_APP.id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: ALL_SCOPES.join(','),
    state: 'st-123',
    ...overrides,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) params[name] = value;
  return new URLSearchParams(params);
};

/** Posts the consent form as the browser would; returns the redirect Location. */
export async function decide(
  s: RunningSandbox,
  decision: 'allow' | 'cancel',
  overrides: Record<string, string | undefined> = {},
  accountId: string = BRAND,
): Promise<URL> {
  const form = authorizeQuery(overrides);
  form.set('decision', decision);
  form.set('account_id', accountId);
  const response = await fetch(`${s.urls.instagramWww}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

export async function authorizationCode(
  s: RunningSandbox,
  scopes = ALL_SCOPES,
  accountId: string = BRAND,
): Promise<string> {
  const location = await decide(s, 'allow', { scope: scopes.join(' ') }, accountId);
  return location.searchParams.get('code') ?? '';
}

export const exchangeCode = (s: RunningSandbox, code: string, overrides: Record<string, string> = {}) =>
  fetch(`${s.urls.instagramApi}/oauth/access_token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: IG_APP.id,
      client_secret: IG_APP.secret,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      code,
      ...overrides,
    }),
  });

/** An Instagram Login token issued directly (publishing tests do not need the dialog). */
export const igToken = (
  s: RunningSandbox,
  options: { accountId?: string; scopes?: string[]; longLived?: boolean; ttlMs?: number } = {},
) =>
  s.sandbox.tokens.issue({
    kind: 'instagram_user',
    appId: IG_APP.id,
    subjectId: options.accountId ?? BRAND,
    scopes: options.scopes ?? ALL_SCOPES,
    targets: [options.accountId ?? BRAND],
    longLived: options.longLived ?? true,
    expiresAt: s.sandbox.clock.now() + (options.ttlMs ?? 60 * DAY),
  }).token;

/** A Facebook Login user token whose granular targets include the Instagram account. */
export const fbToken = (
  s: RunningSandbox,
  scopes = ['instagram_basic', 'instagram_content_publish'],
  targets = [BRAND],
) =>
  s.sandbox.tokens.issue({
    kind: 'facebook_user',
    appId: FB_APP_ID,
    subjectId: DEFAULT_WORKSPACE.facebookUserId,
    scopes,
    targets,
    expiresAt: null,
  }).token;

export type Host = 'graph-instagram' | 'graph-facebook';

/** A Graph call with the token as a Bearer header and params in the query string. */
export async function graph(
  s: RunningSandbox,
  host: Host,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  params: Record<string, string> = {},
) {
  const query = new URLSearchParams(params);
  const response = await fetch(`${s.baseUrl}/${host}/v25.0${path}?${query}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A sample image URL on the sandbox's media CDN. */
export const imageUrl = (s: RunningSandbox, query: Record<string, number | string> = {}) =>
  `${s.urls.media}/samples/image.jpg?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

export const videoUrl = (s: RunningSandbox, query: Record<string, number | string> = {}) =>
  `${s.urls.media}/samples/video.mp4?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

/** Expects a Graph error envelope with this code and subcode. */
export function expectGraphError(result: { status: number; body: unknown }, code: number, subcode?: number) {
  const error = (result.body as { error?: Record<string, unknown> }).error;
  expect(error, JSON.stringify(result.body)).toBeDefined();
  expect(error?.code).toBe(code);
  if (subcode !== undefined) expect(error?.error_subcode).toBe(subcode);
  expect(typeof error?.fbtrace_id).toBe('string');
  return error as { message: string; type: string; code: number; error_subcode?: number };
}
