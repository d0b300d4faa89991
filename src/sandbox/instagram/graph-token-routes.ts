import type { FastifyInstance } from 'fastify';
import { DAY, HOUR, SECOND } from '../core/clock.ts';
import { GraphError, graphErrorHandler, graphErrors, graphParams } from '../core/graph.ts';
import { type HeaderSink, meterBusinessCall } from '../core/graph-usage.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import { percentOf } from '../core/usage.ts';
import { authorizeAccount, validToken } from './auth.ts';
import { requestedFields } from './fields.ts';
import { PROFILE_FIELDS } from './profile.ts';

/** Long-lived Instagram Login tokens last 60 days; refresh needs a token at least 24 h old (reference §3.3). */
export const LONG_LIVED_TTL_MS = 60 * DAY;
export const REFRESH_MIN_AGE_MS = 24 * HOUR;

const prefix = SANDBOX_HOSTS.instagramGraph.prefix;

/** A new 60-day token carrying `from`'s grant, in the `{access_token, token_type, expires_in}` shape. */
function issueLongLived(sandbox: Sandbox, from: TokenRecord) {
  const record = sandbox.tokens.issue({
    kind: 'instagram_user',
    appId: from.appId,
    subjectId: from.subjectId,
    scopes: from.scopes,
    targets: from.targets,
    longLived: true,
    parent: from.token,
    expiresInMs: LONG_LIVED_TTL_MS,
  });
  return { access_token: record.token, token_type: 'bearer', expires_in: LONG_LIVED_TTL_MS / 1000 };
}

/** A valid Instagram Login token, or the Graph error for it; other platforms' tokens are not tokens here. */
function instagramToken(sandbox: Sandbox, request: Parameters<typeof validToken>[1], params: Record<string, string>) {
  const record = validToken(sandbox, request, params);
  if (record.kind !== 'instagram_user') throw graphErrors.invalidToken();
  return record;
}

/**
 * The per-second refresh limit (`refreshCallsPerSecond`, for load tests): each refresh counts
 * against its app in a one-second rolling window and reports the share in `X-App-Usage`; a refresh
 * beyond it is refused as Meta refuses an app over its limit (code 4) and is not counted.
 */
function meterRefresh(sandbox: Sandbox, reply: HeaderSink, appId: string): void {
  const key = `ig-refresh:${appId}`;
  const limit = sandbox.usage.limits.refreshCallsPerSecond;
  const usage = (percent: number) =>
    JSON.stringify({ call_count: percent, total_cputime: percent, total_time: percent });
  if (sandbox.usage.count(key, SECOND) >= limit) {
    const message = '(#4) Application request limit reached';
    throw new GraphError({
      code: 4,
      message,
      isTransient: true,
      headers: {
        'x-app-usage': usage(100),
        'www-authenticate': `OAuth "Facebook Platform" "invalid_request" "${message}"`,
      },
    });
  }
  reply.header('x-app-usage', usage(percentOf(sandbox.usage.hit(key, SECOND), limit)));
}

/** graph.instagram.com: long-lived exchange, refresh and the profile. */
export async function instagramGraphTokenRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(graphErrorHandler);

  app.get(`${prefix}/access_token`, { config: { endpoint: 'ig.graph.access_token' } }, async (request) => {
    const params = graphParams(request);
    if (params.grant_type !== 'ig_exchange_token')
      throw graphErrors.invalidParameter('grant_type must be ig_exchange_token');
    if (!params.client_secret) throw graphErrors.missingParameter('client_secret');
    const record = instagramToken(sandbox, request, params);
    if (sandbox.apps.get(record.appId)?.secret !== params.client_secret)
      throw new GraphError({ code: 100, message: 'Error validating client secret.' });
    if (record.longLived)
      throw graphErrors.invalidParameter('Only a short-lived access token can be exchanged for a long-lived one');
    return issueLongLived(sandbox, record);
  });

  app.get(
    `${prefix}/refresh_access_token`,
    { config: { endpoint: 'ig.graph.refresh_access_token' } },
    async (request, reply) => {
      const params = graphParams(request);
      if (params.grant_type !== 'ig_refresh_token')
        throw graphErrors.invalidParameter('grant_type must be ig_refresh_token');
      const record = instagramToken(sandbox, request, params);
      if (!record.longLived) throw graphErrors.invalidParameter('Only a long-lived access token can be refreshed');
      if (!record.scopes.includes('instagram_business_basic'))
        throw new GraphError({
          status: 403,
          code: 10,
          message: '(#10) The instagram_business_basic permission is required to refresh a token',
        });
      // The reference leaves this body unconfirmed (§10.10); docs/sandbox/instagram.md records the choice.
      if (sandbox.clock.now() - record.issuedAt < REFRESH_MIN_AGE_MS)
        throw new GraphError({
          code: 10,
          message:
            '(#10) The access token is too new to refresh. A token can be refreshed once it is at least 24 hours old.',
        });
      meterRefresh(sandbox, reply, record.appId);
      return issueLongLived(sandbox, record);
    },
  );

  app.get(`${prefix}/me`, { config: { endpoint: 'ig.graph.me' } }, async (request, reply) => {
    const params = graphParams(request);
    const { account } = authorizeAccount({
      sandbox,
      request,
      params,
      host: 'instagramGraph',
      accountId: 'me',
      access: 'basic',
    });
    meterBusinessCall(sandbox, reply, account.id, 'instagram');
    const fields = requestedFields(params, Object.keys(PROFILE_FIELDS), 'User');
    const profile: Record<string, unknown> = {};
    for (const field of fields.length ? fields : ['user_id', 'username']) {
      profile[field] = PROFILE_FIELDS[field]?.(account, sandbox);
    }
    profile.id = account.appScopedId;
    return profile;
  });
}
