import type { FastifyRequest } from 'fastify';
import type { SandboxApp } from '../core/apps.ts';
import { checkAppSecretProof, type GraphError, graphErrors, graphParams, presentedToken } from '../core/graph.ts';
import { type HeaderSink, meterAppCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';

/** A Graph call on graph.facebook.com, authenticated: its parameters, token record and app. */
export interface FacebookCall {
  params: Record<string, string>;
  record: TokenRecord;
  app: SandboxApp;
}

/** The Graph error for a token that cannot be used: unknown → 190, expired → 190/463, revoked → 190/<subcode>. */
export function tokenError(sandbox: Sandbox, token: string | undefined): GraphError | undefined {
  const state = sandbox.tokens.check(token);
  if (state.ok) {
    // Instagram Login and LinkedIn tokens mean nothing to graph.facebook.com.
    return state.record.kind === 'facebook_user' || state.record.kind === 'facebook_page'
      ? undefined
      : graphErrors.invalidToken();
  }
  if (state.reason === 'expired' && state.record?.expiresAt) return graphErrors.expiredToken(state.record.expiresAt);
  if (state.reason === 'revoked' && state.record) return graphErrors.revokedToken(state.record);
  return graphErrors.invalidToken();
}

/**
 * Checks the presented user or Page token (validity, appsecret_proof when the app requires it),
 * counts the call in the app's usage and sets `X-App-Usage`.
 */
export function authenticate(
  sandbox: Sandbox,
  request: FastifyRequest,
  reply: HeaderSink,
  params: Record<string, string> = graphParams(request),
): FacebookCall {
  const token = presentedToken(request, params);
  if (!token) throw graphErrors.missingToken();
  const error = tokenError(sandbox, token);
  if (error) throw error;
  const record = sandbox.tokens.get(token) as TokenRecord;
  const app = sandbox.apps.get(record.appId);
  if (!app) throw graphErrors.invalidToken();
  meterAppCall(sandbox, reply, app.id);
  const proofError = checkAppSecretProof(sandbox, app, token, params);
  if (proofError) throw proofError;
  return { params, record, app };
}

/** An app access token `<app_id>|<app_secret>` of a known Facebook app, if that is what `token` is. */
export function appFromAppToken(sandbox: Sandbox, token: string | undefined): SandboxApp | undefined {
  const [id, secret, ...rest] = (token ?? '').split('|');
  const app = sandbox.apps.get(id);
  return app && !rest.length && app.platform === 'facebook' && app.secret === secret ? app : undefined;
}

/** The Facebook user a token speaks for: its subject, or for a Page token the user it was derived from. */
export function userIdOf(sandbox: Sandbox, record: TokenRecord): string | undefined {
  if (record.kind === 'facebook_user') return record.subjectId;
  return record.parent ? sandbox.tokens.get(record.parent)?.subjectId : undefined;
}

/** An edge that exists on User nodes only, read with a Page token: Graph's "nonexisting field" error. */
export const requireUserToken = (record: TokenRecord, edge: string): void => {
  if (record.kind !== 'facebook_user')
    throw graphErrors.invalidParameter(`Tried accessing nonexisting field (${edge}) on node type (Page)`);
};
