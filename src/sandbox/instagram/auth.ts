import type { FastifyRequest } from 'fastify';
import { checkAppSecretProof, GraphError, graphErrors, presentedToken } from '../core/graph.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import type { InstagramAccount } from './model.ts';

export type GraphHost = 'facebookGraph' | 'instagramGraph';

/** What a call needs: reading the profile/containers, or publishing. */
export type InstagramAccess = 'basic' | 'publish';

/** Scopes per host (reference §3.1 for Instagram Login, §3.5 for Facebook Login). */
const REQUIRED_SCOPES: Record<GraphHost, Record<InstagramAccess, string[]>> = {
  instagramGraph: {
    basic: ['instagram_business_basic'],
    publish: ['instagram_business_content_publish'],
  },
  facebookGraph: {
    basic: ['instagram_basic'],
    publish: ['instagram_basic', 'instagram_content_publish'],
  },
};

/** A token that is present, known, unexpired and unrevoked, or the matching 190 error. */
export function validToken(sandbox: Sandbox, request: FastifyRequest, params: Record<string, string>): TokenRecord {
  const token = presentedToken(request, params);
  if (!token) throw graphErrors.missingToken();
  const state = sandbox.tokens.check(token);
  if (state.ok) return state.record;
  if (state.reason === 'expired' && state.record) throw graphErrors.expiredToken(state.record.expiresAt ?? 0);
  if (state.reason === 'revoked' && state.record) throw graphErrors.revokedToken(state.record);
  throw graphErrors.invalidToken();
}

/**
 * Authorizes a call on `/{ig-user-id}/…` (or an object of that account). graph.instagram.com takes
 * Instagram Login tokens of the account itself (`me` names it); graph.facebook.com takes Facebook
 * user or Page tokens whose granular targets include the account (a Page token inherits the
 * linked account from its user's grant). An account the token cannot
 * reach looks like a missing object (100/33), as on the real hosts.
 */
export function authorizeAccount(input: {
  sandbox: Sandbox;
  request: FastifyRequest;
  params: Record<string, string>;
  host: GraphHost;
  accountId: string;
  access: InstagramAccess;
}): { record: TokenRecord; account: InstagramAccount } {
  const { sandbox, request, params, host, access } = input;
  const record = validToken(sandbox, request, params);
  const app = sandbox.apps.get(record.appId);
  let accountId = input.accountId;
  if (host === 'instagramGraph') {
    if (record.kind !== 'instagram_user' || app?.platform !== 'instagram') throw graphErrors.invalidToken();
    if (accountId === 'me') accountId = record.subjectId;
    if (record.subjectId !== accountId) throw graphErrors.unknownObject(input.accountId);
  } else {
    if ((record.kind !== 'facebook_user' && record.kind !== 'facebook_page') || app?.platform !== 'facebook')
      throw graphErrors.invalidToken();
    const proofError = checkAppSecretProof(sandbox, app, record.token, params);
    if (proofError) throw proofError;
    if (!record.targets.includes(accountId)) throw graphErrors.unknownObject(input.accountId);
  }
  const account = sandbox.instagram.accounts.get(accountId);
  if (!account) throw graphErrors.unknownObject(input.accountId);
  const missing = REQUIRED_SCOPES[host][access].filter((scope) => !record.scopes.includes(scope));
  if (missing.length)
    throw new GraphError({
      status: 403,
      code: 10,
      message: `(#10) Application does not have permission for this action (missing ${missing.join(', ')})`,
    });
  return { record, account };
}
