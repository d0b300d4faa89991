import type { FastifyInstance } from 'fastify';
import { HOUR } from '../core/clock.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { CODE_NOT_FOUND, InstagramOAuthError, instagramOAuthErrorHandler } from './legacy-errors.ts';

/** Short-lived Instagram Login tokens last one hour (reference §3.2). */
export const SHORT_LIVED_TTL_MS = HOUR;

/**
 * The flat shape, written by hand: `user_id` is a JSON number with every digit of the account id
 * (above 2^53), which JSON.stringify of a JS number could not produce.
 */
const flatBody = (token: string, accountId: string, scopes: string[]) =>
  `{"access_token":${JSON.stringify(token)},"user_id":${accountId},"permissions":${JSON.stringify(scopes)}}`;

const wrappedBody = (token: string, accountId: string, scopes: string[]) =>
  JSON.stringify({ data: [{ access_token: token, user_id: accountId, permissions: scopes.join(',') }] });

/** `POST api.instagram.com/oauth/access_token`: authorization code → short-lived token. */
export async function instagramTokenRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(instagramOAuthErrorHandler);

  app.post(
    `${SANDBOX_HOSTS.instagramApi.prefix}/oauth/access_token`,
    { config: { endpoint: 'ig.api.oauth.access_token' } },
    async (request, reply) => {
      const form = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const field = (name: string) => {
        const value = form[name];
        if (typeof value !== 'string' || value === '') throw new InstagramOAuthError(`Missing required field ${name}`);
        return value;
      };
      const client = sandbox.apps.get(field('client_id'));
      if (client?.platform !== 'instagram') throw new InstagramOAuthError('Invalid platform app');
      if (field('client_secret') !== client.secret) throw new InstagramOAuthError('Error validating client secret.');
      if (field('grant_type') !== 'authorization_code') throw new InstagramOAuthError('Unsupported grant_type');
      const redirectUri = field('redirect_uri');
      // A code still carrying the `#_` Instagram appends is unknown: clients must strip it (reference §3.1).
      const stored = sandbox.instagram.codes.get(field('code'));
      if (!stored || stored.used || stored.appId !== client.id || stored.expiresAt <= sandbox.clock.now())
        throw new InstagramOAuthError(CODE_NOT_FOUND);
      if (stored.redirectUri !== redirectUri)
        throw new InstagramOAuthError(
          'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        );
      stored.used = true;
      const record = sandbox.tokens.issue({
        kind: 'instagram_user',
        appId: client.id,
        subjectId: stored.accountId,
        scopes: stored.scopes,
        targets: [stored.accountId],
        expiresInMs: SHORT_LIVED_TTL_MS,
      });
      const { tokenResponseShape } = sandbox.instagram.settings;
      const turn = sandbox.instagram.tokenExchanges++;
      const flat = tokenResponseShape === 'flat' || (tokenResponseShape === 'alternate' && turn % 2 === 1);
      const body = (flat ? flatBody : wrappedBody)(record.token, stored.accountId, stored.scopes);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
