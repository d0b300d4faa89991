import type { FastifyInstance } from 'fastify';
import type { SandboxApp } from '../core/apps.ts';
import { DAY } from '../core/clock.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import { createIdToken } from './id-token.ts';
import { oauthErrorHandler, oauthErrors } from './oauth-errors.ts';
import { scopeString } from './scopes.ts';

/** Access tokens last 60 days; refresh tokens 365 days from the grant, never extended (reference §8.1). */
export const ACCESS_TOKEN_TTL_MS = 60 * DAY;
export const REFRESH_TOKEN_TTL_MS = 365 * DAY;

type Form = Record<string, unknown>;

const field = (form: Form, name: string): string => {
  const value = form[name];
  if (typeof value !== 'string' || value === '') throw oauthErrors.missing(name);
  return value;
};

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));
/** Time left, rounded up so that a refresh token issued in this request reports the full 365 days. */
const secondsLeft = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** `www.linkedin.com/oauth/v2/accessToken` and `introspectToken`: form posts, OAuth 2.0 error envelope. */
export async function oauthTokenRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(oauthErrorHandler);
  const { clock, tokens, linkedin } = sandbox;

  const authenticate = (form: Form): SandboxApp => {
    const client = sandbox.apps.get(field(form, 'client_id'));
    const secret = field(form, 'client_secret');
    if (client?.platform !== 'linkedin' || client.secret !== secret) throw oauthErrors.badClient();
    return client;
  };

  const issueAccess = (
    client: SandboxApp,
    subjectId: string,
    scopes: string[],
    authorizedAt: number,
    parent?: string,
  ) => {
    const record = tokens.issue({
      kind: 'linkedin_access',
      appId: client.id,
      subjectId,
      scopes,
      expiresInMs: ACCESS_TOKEN_TTL_MS,
      longLived: true,
      parent,
    });
    linkedin.authorizedAt.set(record.token, authorizedAt);
    return record;
  };

  /** `now` is read once per request, so a fresh refresh token reports exactly its full lifetime. */
  const refreshFields = (refresh: TokenRecord | undefined, now: number) =>
    refresh?.expiresAt
      ? { refresh_token: refresh.token, refresh_token_expires_in: secondsLeft(refresh.expiresAt - now) }
      : {};

  const exchangeCode = (client: SandboxApp, form: Form) => {
    const code = linkedin.codes.get(field(form, 'code'));
    const redirectUri = field(form, 'redirect_uri');
    if (
      !code ||
      code.used ||
      code.expiresAt <= clock.now() ||
      code.appId !== client.id ||
      code.redirectUri !== redirectUri
    ) {
      throw oauthErrors.badCode();
    }
    code.used = true;
    const now = clock.now();
    const refresh = client.programmaticRefresh
      ? tokens.issue({
          kind: 'linkedin_refresh',
          appId: client.id,
          subjectId: code.memberSub,
          scopes: code.scopes,
          expiresAt: now + REFRESH_TOKEN_TTL_MS,
          longLived: true,
        })
      : undefined;
    if (refresh) linkedin.authorizedAt.set(refresh.token, code.authorizedAt);
    const access = issueAccess(client, code.memberSub, code.scopes, code.authorizedAt, refresh?.token);
    const member = linkedin.members.get(code.memberSub);
    return {
      access_token: access.token,
      expires_in: seconds(ACCESS_TOKEN_TTL_MS),
      scope: scopeString(code.scopes),
      ...refreshFields(refresh, now),
      ...(code.scopes.includes('openid') && member
        ? { id_token: createIdToken({ app: client, member, scopes: code.scopes, nowMs: clock.now() }) }
        : {}),
    };
  };

  const refresh = (client: SandboxApp, form: Form) => {
    const state = tokens.check(field(form, 'refresh_token'));
    if (!state.ok || state.record.kind !== 'linkedin_refresh' || state.record.appId !== client.id) {
      throw oauthErrors.badRefreshToken();
    }
    const { record } = state;
    const authorizedAt = linkedin.authorizedAt.get(record.token) ?? record.issuedAt;
    const access = issueAccess(client, record.subjectId, record.scopes, authorizedAt, record.token);
    return {
      access_token: access.token,
      expires_in: seconds(ACCESS_TOKEN_TTL_MS),
      scope: scopeString(record.scopes),
      ...refreshFields(record, clock.now()),
    };
  };

  app.post('/oauth/v2/accessToken', { config: { endpoint: 'li.oauth.access_token' } }, async (request) => {
    const form = (request.body ?? {}) as Form;
    const grantType = field(form, 'grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw oauthErrors.unsupportedGrant(grantType);
    }
    const client = authenticate(form);
    return grantType === 'authorization_code' ? exchangeCode(client, form) : refresh(client, form);
  });

  app.post('/oauth/v2/introspectToken', { config: { endpoint: 'li.oauth.introspect' } }, async (request) => {
    const form = (request.body ?? {}) as Form;
    const client = authenticate(form);
    const token = field(form, 'token');
    const state = tokens.check(token);
    const { record } = state;
    if (!record || record.appId !== client.id || !record.kind.startsWith('linkedin')) return { active: false };
    const status = state.ok ? 'active' : state.reason;
    return {
      active: state.ok,
      client_id: client.id,
      authorized_at: seconds(linkedin.authorizedAt.get(token) ?? record.issuedAt),
      created_at: seconds(record.issuedAt),
      status,
      expires_at: seconds(record.expiresAt ?? 0),
      scope: scopeString(record.scopes),
      auth_type: '3L',
    };
  });
}
