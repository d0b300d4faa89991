import { createHmac } from 'node:crypto';
import { DEFAULT_APPS } from '../../src/sandbox/core/apps.ts';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import type { RunningSandbox } from '../helpers/sandbox.ts';

/** Helpers the Facebook conformance tests share: drive the dialog over HTTP like a browser would. */

export const FB_APP = DEFAULT_APPS.find((app) => app.platform === 'facebook')!;
export const REDIRECT_URI = 'https://tether.example/callback/facebook?source=test';
export const USER_ID = DEFAULT_WORKSPACE.facebookUserId;
export const BRAND_PAGE = DEFAULT_WORKSPACE.brandPageId;
export const EVENTS_PAGE = DEFAULT_WORKSPACE.eventsPageId;
export const BRAND_IG = DEFAULT_WORKSPACE.brandInstagramId;
export const FULL_SCOPE = [
  'email',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
];

export interface DialogOptions {
  scope?: string[];
  configId?: string;
  state?: string;
  redirectUri?: string;
  /** Pages ticked in the form (default: both seeded Pages). */
  pages?: string[];
  /** Permissions ticked (default: all requested). */
  grant?: string[];
  decision?: 'approve' | 'deny';
}

export const dialogUrl = (s: RunningSandbox, query: Record<string, string>, version = 'v25.0') =>
  `${s.urls.facebookWww}/${version}/dialog/oauth?${new URLSearchParams(query)}`;

/** Opens the dialog, submits the form and returns the redirect `Location`. */
export async function runDialog(s: RunningSandbox, options: DialogOptions = {}): Promise<URL> {
  const scope = options.scope ?? FULL_SCOPE;
  const query: Record<string, string> = {
    client_id: FB_APP.id,
    redirect_uri: options.redirectUri ?? REDIRECT_URI,
    response_type: 'code',
    state: options.state ?? 'state-123',
    ...(options.configId ? { config_id: options.configId } : { scope: scope.join(',') }),
  };
  const page = await fetch(dialogUrl(s, query));
  if (page.status !== 200) throw new Error(`dialog answered ${page.status}: ${await page.text()}`);
  const markup = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(markup)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(markup)?.[1];
  if (!requestId || !action) throw new Error('no consent form in the dialog');
  const form = new URLSearchParams({
    request_id: requestId,
    user_id: USER_ID,
    decision: options.decision ?? 'approve',
  });
  for (const pageId of options.pages ?? [BRAND_PAGE, EVENTS_PAGE]) form.set(`page_${pageId}`, 'on');
  for (const permission of options.grant ?? scope) form.set(`perm_${permission}`, 'on');
  const decision = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  if (decision.status !== 302) throw new Error(`decision answered ${decision.status}: ${await decision.text()}`);
  return new URL(decision.headers.get('location') ?? '');
}

export const graph = (s: RunningSandbox, path: string, query: Record<string, string> = {}) =>
  `${s.urls.facebookGraph}/v25.0${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;

/** Exchanges a code (the default credentials and redirect URI unless overridden). */
export async function exchangeCode(s: RunningSandbox, code: string, overrides: Record<string, string> = {}) {
  const response = await fetch(
    graph(s, '/oauth/access_token', {
      client_id: FB_APP.id,
      client_secret: FB_APP.secret,
      redirect_uri: REDIRECT_URI,
      code,
      ...overrides,
    }),
  );
  return { response, body: await response.json() };
}

/** A user token through the whole flow: dialog → code → exchange. */
export async function userToken(s: RunningSandbox, options: DialogOptions = {}): Promise<string> {
  const location = await runDialog(s, options);
  const { body } = await exchangeCode(s, location.searchParams.get('code') ?? '', {
    redirect_uri: options.redirectUri ?? REDIRECT_URI,
  });
  if (!body.access_token) throw new Error(`exchange failed: ${JSON.stringify(body)}`);
  return body.access_token as string;
}

export async function longLivedToken(s: RunningSandbox, shortLived: string): Promise<string> {
  const response = await fetch(
    graph(s, '/oauth/access_token', {
      grant_type: 'fb_exchange_token',
      client_id: FB_APP.id,
      client_secret: FB_APP.secret,
      fb_exchange_token: shortLived,
    }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The Page token `/me/accounts` hands out for `pageId`. */
export async function pageToken(
  s: RunningSandbox,
  userAccessToken: string,
  pageId: string = BRAND_PAGE,
): Promise<string> {
  const response = await fetch(graph(s, '/me/accounts', { access_token: userAccessToken, fields: 'id,access_token' }));
  const body = (await response.json()) as { data: Array<{ id: string; access_token: string }> };
  const page = body.data.find((candidate) => candidate.id === pageId);
  if (!page) throw new Error(`no Page ${pageId} in ${JSON.stringify(body)}`);
  return page.access_token;
}

export const getJson = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  return { response, body: await response.json() };
};

export const proof = (token: string, time?: number) =>
  createHmac('sha256', FB_APP.secret)
    .update(time === undefined ? token : `${token}|${time}`)
    .digest('hex');
