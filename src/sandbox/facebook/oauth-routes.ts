import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxApp } from '../core/apps.ts';
import { DAY, HOUR } from '../core/clock.ts';
import { GraphError, graphErrors, graphParams, presentedToken } from '../core/graph.ts';
import { meterAppCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import { appFromAppToken, tokenError } from './auth.ts';
import { targetKindOf } from './permissions.ts';

export const SHORT_LIVED_MS = 2 * HOUR;
export const LONG_LIVED_MS = 60 * DAY;
/** Data access expires 90 days after the user last used the app (reference §2.4). */
export const DATA_ACCESS_MS = 90 * DAY;

const invalidCode = (message: string, subcode?: number, headers?: Record<string, string>) =>
  new GraphError({ code: 100, subcode, message, headers });

/** Client authentication of the token endpoint: a known Facebook app and its secret. */
function authenticateClient(sandbox: Sandbox, reply: FastifyReply, params: Record<string, string>): SandboxApp {
  if (!params.client_id) throw graphErrors.missingParameter('client_id');
  const app = sandbox.apps.get(params.client_id);
  if (app?.platform !== 'facebook')
    throw new GraphError({ code: 101, message: 'Error validating application. Invalid application ID.' });
  meterAppCall(sandbox, reply, app.id);
  if (!params.client_secret) throw graphErrors.missingParameter('client_secret');
  // Real Graph answers code 1 here in some reports; the sandbox uses 100 (see docs/sandbox/facebook.md).
  if (params.client_secret !== app.secret)
    throw new GraphError({ code: 100, message: 'Error validating client secret.' });
  return app;
}

const tokenResponse = (sandbox: Sandbox, record: TokenRecord) => ({
  access_token: record.token,
  token_type: 'bearer',
  ...(record.expiresAt === null ? {} : { expires_in: Math.round((record.expiresAt - sandbox.clock.now()) / 1000) }),
});

/** `oauth/access_token` (code exchange, fb_exchange_token) and `debug_token` (reference §2.3, 2.4, 2.6). */
export async function facebookOAuthRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const exchangeCode = (client: SandboxApp, params: Record<string, string>) => {
    if (!params.redirect_uri) throw graphErrors.missingParameter('redirect_uri');
    if (!params.code) throw graphErrors.missingParameter('code');
    const code = sandbox.facebook.codes.get(params.code);
    if (!code || code.appId !== client.id) throw invalidCode('Invalid verification code format.');
    if (code.used) {
      const message = 'This authorization code has been used.';
      throw invalidCode(message, 36009, {
        'www-authenticate': `OAuth "Facebook Platform" "invalid_code" "${message}"`,
      });
    }
    if (code.expiresAt <= sandbox.clock.now()) throw invalidCode('This authorization code has expired.', 36007);
    if (code.redirectUri !== params.redirect_uri)
      throw invalidCode(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      );
    code.used = true;
    const longLived = sandbox.facebook.settings.codeExchangeLifetime === 'long';
    const now = sandbox.clock.now();
    return sandbox.tokens.issue({
      kind: 'facebook_user',
      appId: client.id,
      subjectId: code.userId,
      scopes: code.scopes,
      declinedScopes: code.declinedScopes,
      targets: code.targets,
      expiresInMs: longLived ? LONG_LIVED_MS : SHORT_LIVED_MS,
      dataAccessExpiresAt: now + DATA_ACCESS_MS,
      longLived,
    });
  };

  const exchangeToken = (client: SandboxApp, params: Record<string, string>) => {
    if (!params.fb_exchange_token) throw graphErrors.missingParameter('fb_exchange_token');
    const error = tokenError(sandbox, params.fb_exchange_token);
    if (error) throw error;
    const old = sandbox.tokens.get(params.fb_exchange_token) as TokenRecord;
    if (old.kind !== 'facebook_user' || old.appId !== client.id) throw graphErrors.invalidToken();
    return sandbox.tokens.issue({
      kind: 'facebook_user',
      appId: client.id,
      subjectId: old.subjectId,
      scopes: [...old.scopes],
      declinedScopes: [...old.declinedScopes],
      targets: [...old.targets],
      expiresInMs: LONG_LIVED_MS,
      dataAccessExpiresAt: old.dataAccessExpiresAt,
      longLived: true,
    });
  };

  const accessToken = { config: { endpoint: 'graph.oauth.access_token' } };
  const handleAccessToken = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = graphParams(request);
    const client = authenticateClient(sandbox, reply, params);
    if (params.grant_type === 'fb_exchange_token') return tokenResponse(sandbox, exchangeToken(client, params));
    if (params.grant_type && params.grant_type !== 'authorization_code')
      throw graphErrors.invalidParameter(`Unsupported grant_type: ${params.grant_type}`);
    return tokenResponse(sandbox, exchangeCode(client, params));
  };
  app.get('/oauth/access_token', accessToken, handleAccessToken);
  app.post('/oauth/access_token', accessToken, handleAccessToken);

  app.get('/debug_token', { config: { endpoint: 'graph.debug_token' } }, async (request, reply) => {
    const params = graphParams(request);
    const caller = debugCaller(sandbox, presentedToken(request, params));
    meterAppCall(sandbox, reply, caller.id);
    if (!params.input_token) throw graphErrors.missingParameter('input_token');
    return { data: describeToken(sandbox, params.input_token) };
  });
}

/** debug_token's own access token: the app token `<id>|<secret>`, or a valid user token of a Facebook app. */
function debugCaller(sandbox: Sandbox, token: string | undefined): SandboxApp {
  if (!token) throw graphErrors.missingToken();
  if (token.includes('|')) {
    const app = appFromAppToken(sandbox, token);
    if (!app) throw graphErrors.invalidToken();
    return app;
  }
  const error = tokenError(sandbox, token);
  if (error) throw error;
  const app = sandbox.apps.get(sandbox.tokens.get(token)?.appId);
  if (!app) throw graphErrors.invalidToken();
  return app;
}

/** The `data` object of debug_token (reference §2.6); an unusable token is described with `is_valid:false`. */
export function describeToken(sandbox: Sandbox, token: string): Record<string, unknown> {
  const record = sandbox.tokens.get(token);
  const error = tokenError(sandbox, token);
  if (!record || (record.kind !== 'facebook_user' && record.kind !== 'facebook_page'))
    return {
      error: { code: 190, message: error?.message ?? 'Invalid OAuth access token.' },
      is_valid: false,
      scopes: [],
    };
  const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));
  const app = sandbox.apps.get(record.appId);
  const userId = record.kind === 'facebook_user' ? record.subjectId : sandbox.tokens.get(record.parent)?.subjectId;
  return {
    app_id: record.appId,
    type: record.kind === 'facebook_page' ? 'PAGE' : 'USER',
    application: app?.name ?? '',
    data_access_expires_at: seconds(record.dataAccessExpiresAt),
    ...(error ? { error: { code: error.code, message: error.message, subcode: error.subcode } } : {}),
    expires_at: seconds(record.expiresAt),
    is_valid: !error,
    issued_at: seconds(record.issuedAt),
    ...(record.kind === 'facebook_page' ? { profile_id: record.subjectId } : {}),
    scopes: record.scopes,
    granular_scopes: granularScopes(sandbox, record),
    ...(userId ? { user_id: userId } : {}),
  };
}

/** Page- and Instagram-scoped permissions name the assets picked in the dialog (possibly none). */
function granularScopes(sandbox: Sandbox, record: TokenRecord) {
  const pages = record.targets.filter((id) => sandbox.facebook.pages.has(id));
  const accounts = record.targets.filter((id) => sandbox.instagram.accounts.has(id));
  return record.scopes
    .filter((scope) => scope !== 'public_profile')
    .map((scope) => {
      const kind = targetKindOf(scope);
      if (!kind) return { scope };
      return { scope, target_ids: kind === 'instagram' ? accounts : pages };
    });
}
