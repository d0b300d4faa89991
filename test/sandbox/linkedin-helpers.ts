import { expect } from 'vitest';
import { createLinkedInControlClient } from '../../src/sandbox/linkedin/control-client.ts';
import { liveVersions } from '../../src/sandbox/linkedin/rest-guard.ts';
import { DEFAULT_WORKSPACE } from '../../src/sandbox/seed.ts';
import type { RunningSandbox } from '../helpers/sandbox.ts';

/** The default LinkedIn app (core/apps.ts) and a redirect URI the tests use. */
export const LI_APP = {
  clientId: 'sandboxlinkedinclient',
  secret: 'sandbox-linkedin-client-secret',
  redirectUri: 'https://tether.example/oauth/linkedin/callback',
};
export const MEMBER_SUB = DEFAULT_WORKSPACE.linkedinMemberSub;
export const PERSON_URN = `urn:li:person:${MEMBER_SUB}`;
export const ORG_URN = `urn:li:organization:${DEFAULT_WORKSPACE.linkedinOrganizationId}`;

/** A tiny JPEG header: enough for the sandbox's magic-byte check. */
export const JPEG_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

export const linkedinControl = (s: RunningSandbox) => createLinkedInControlClient(s.baseUrl);

export const authorizeUrl = (s: RunningSandbox, params: Record<string, string>) =>
  `${s.urls.linkedinWww}/oauth/v2/authorization?${new URLSearchParams({
    response_type: 'code',
    client_id: LI_APP.clientId,
    redirect_uri: LI_APP.redirectUri,
    state: 'st-1',
    ...params,
  })}`;

/** Opens the consent page and returns the hidden request id of its form (or the redirect if consent was skipped). */
export async function openConsent(s: RunningSandbox, scope: string, extra: Record<string, string> = {}) {
  const response = await fetch(authorizeUrl(s, { scope, ...extra }), { redirect: 'manual' });
  const html = response.status === 200 ? await response.text() : '';
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  return { response, html, requestId, location: response.headers.get('location') };
}

export async function decide(s: RunningSandbox, requestId: string, action: 'allow' | 'cancel') {
  const response = await fetch(`${s.urls.linkedinWww}/oauth/v2/authorization-submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, action }),
    redirect: 'manual',
  });
  return { response, location: new URL(response.headers.get('location') ?? 'about:blank') };
}

/** Runs the consent page through "Allow" and returns the authorization code. */
export async function authorizeCode(s: RunningSandbox, scope: string): Promise<string> {
  const { requestId } = await openConsent(s, scope);
  expect(requestId).toBeDefined();
  const { location } = await decide(s, requestId ?? '', 'allow');
  const code = location.searchParams.get('code');
  expect(code).toBeTruthy();
  return code ?? '';
}

export async function tokenCall(s: RunningSandbox, form: Record<string, string>) {
  const response = await fetch(`${s.urls.linkedinWww}/oauth/v2/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const exchangeCode = (s: RunningSandbox, code: string, overrides: Record<string, string> = {}) =>
  tokenCall(s, {
    grant_type: 'authorization_code',
    code,
    client_id: LI_APP.clientId,
    client_secret: LI_APP.secret,
    redirect_uri: LI_APP.redirectUri,
    ...overrides,
  });

/** The whole connect flow: consent → code → tokens. */
export async function connect(s: RunningSandbox, scope: string) {
  const { status, body } = await exchangeCode(s, await authorizeCode(s, scope));
  expect(status).toBe(200);
  return body as { access_token: string; refresh_token?: string; scope: string; id_token?: string };
}

/** The newest LinkedIn-Version live at the sandbox's virtual time. */
export async function currentVersion(s: RunningSandbox): Promise<string> {
  const { now } = await s.control.advanceClock(0);
  return liveVersions(Date.parse(now))[0] ?? '';
}

/** A call to api.linkedin.com with the headers a well-behaved client sends (each can be overridden or dropped). */
export async function api(
  s: RunningSandbox,
  path: string,
  options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string | undefined> } = {},
) {
  const headers: Record<string, string> = {};
  const wanted: Record<string, string | undefined> = {
    authorization: options.token === undefined ? undefined : `Bearer ${options.token}`,
    'linkedin-version': await currentVersion(s),
    'x-restli-protocol-version': '2.0.0',
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  for (const [name, value] of Object.entries(wanted)) if (value !== undefined) headers[name] = value;
  const response = await fetch(`${s.urls.linkedinApi}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    response,
    status: response.status,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

export const postBody = (overrides: Record<string, unknown> = {}) => ({
  author: PERSON_URN,
  commentary: 'Hello from the sandbox',
  visibility: 'PUBLIC',
  distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
  lifecycleState: 'PUBLISHED',
  isReshareDisabledByAuthor: false,
  ...overrides,
});

/** initializeUpload + PUT: returns the image URN, now AVAILABLE. */
export async function uploadImage(s: RunningSandbox, token: string, owner = PERSON_URN): Promise<string> {
  const init = await api(s, '/rest/images?action=initializeUpload', {
    token,
    method: 'POST',
    body: { initializeUploadRequest: { owner } },
  });
  expect(init.status).toBe(200);
  const { value } = init.json as { value: { uploadUrl: string; image: string } };
  const put = await fetch(value.uploadUrl, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: JPEG_BYTES,
  });
  expect(put.status).toBe(201);
  return value.image;
}
