import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import { ORIGIN } from './test-app.ts';

/** Drives a connect flow like a browser: start, the sandbox's consent page, then the callback. */

export const BRAND_PAGE = DEFAULT_WORKSPACE.brandPageId;
export const EVENTS_PAGE = DEFAULT_WORKSPACE.eventsPageId;
export const BRAND_IG = DEFAULT_WORKSPACE.brandInstagramId;

const local = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

export async function startConnect(
  app: FastifyInstance,
  cookie: string,
  body: Record<string, string> = {},
  origin = ORIGIN,
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/connected-accounts/connect/instagram',
    headers: { cookie, origin },
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { loginUrl: string; state: string };
}

export interface Consent {
  /** Pages ticked in the dialog (default both seeded Pages). */
  pages?: string[];
  /** Permissions left unticked. */
  decline?: string[];
  decision?: 'approve' | 'deny';
}

/** A page load by the browser: the app under test in-process, any other host over the network. */
async function browse(
  app: FastifyInstance,
  url: string,
  init: { method?: 'GET' | 'POST'; form?: URLSearchParams } = {},
): Promise<{ status: number; body: string; location: string | null }> {
  const payload = init.form?.toString();
  const headers: Record<string, string> = init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  if (new URL(url).origin === new URL(ORIGIN).origin) {
    const response = await app.inject({ method: init.method ?? 'GET', url: local(url), headers, payload });
    const location = response.headers.location;
    return {
      status: response.statusCode,
      body: response.body,
      location: location === undefined ? null : String(location),
    };
  }
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: payload, redirect: 'manual' });
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
}

/** Submits the sandbox's Facebook dialog and returns the callback URL it redirects to. */
export async function consent(app: FastifyInstance, loginUrl: string, options: Consent = {}): Promise<string> {
  const page = await browse(app, loginUrl);
  expect(page.status, page.body).toBe(200);
  const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const scopes = [...page.body.matchAll(/name="perm_([a-z_]+)"/g)].map((match) => match[1] ?? '');
  const form = new URLSearchParams({
    request_id: requestId,
    user_id: DEFAULT_WORKSPACE.facebookUserId,
    decision: options.decision ?? 'approve',
  });
  for (const pageId of options.pages ?? [BRAND_PAGE, EVENTS_PAGE]) form.set(`page_${pageId}`, 'on');
  for (const scope of scopes) if (!options.decline?.includes(scope)) form.set(`perm_${scope}`, 'on');
  const decision = await browse(app, new URL(action, loginUrl).toString(), { method: 'POST', form });
  expect(decision.status, decision.body).toBe(302);
  return decision.location ?? '';
}

/** Opens the callback URL in the (cookie-carrying) browser and returns where Tether sends it next. */
export async function callback(app: FastifyInstance, callbackUrl: string, cookie?: string): Promise<URL> {
  const response = await app.inject({ method: 'GET', url: local(callbackUrl), headers: cookie ? { cookie } : {} });
  expect(response.statusCode, response.body).toBe(302);
  return new URL(String(response.headers.location), ORIGIN);
}

/** The whole flow for one user; returns where the browser lands. */
export async function connectInstagram(
  app: FastifyInstance,
  cookie: string,
  options: Consent & { reconnectAccountId?: string; origin?: string } = {},
) {
  const { loginUrl } = await startConnect(
    app,
    cookie,
    options.reconnectAccountId ? { reconnectAccountId: options.reconnectAccountId } : {},
    options.origin,
  );
  return callback(app, await consent(app, loginUrl, options), cookie);
}
