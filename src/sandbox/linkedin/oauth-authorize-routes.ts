import type { FastifyInstance, FastifyReply } from 'fastify';
import { DIALOG_CSP } from '../core/html.ts';
import { randomToken } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { approve, CODE_TTL_MS, cancel, mayAutoApprove, redirectWith, signedInMember } from './authorization.ts';
import { renderConsentPage, renderErrorPage } from './consent-page.ts';
import { LINKEDIN_SCOPES } from './scopes.ts';

const AUTHORIZE_PATH = '/oauth/v2/authorization';
const DECISION_PATH = '/oauth/v2/authorization-submit';

const sendPage = (reply: FastifyReply, status: number, html: string) =>
  reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', DIALOG_CSP)
    .header('cache-control', 'no-store')
    .send(html);

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The browser side of LinkedIn's 3-legged OAuth (reference §8.1): the consent page and the form
 * it posts back to. A bad client or redirect URI gets an error page, never a redirect; anything
 * wrong after that goes back to the client as `?error=...`.
 */
export async function oauthAuthorizeRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get(AUTHORIZE_PATH, { config: { endpoint: 'li.oauth.authorize' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const clientId = text(query.client_id);
    const redirectUri = text(query.redirect_uri);
    const state = text(query.state);
    const client = sandbox.apps.get(clientId);
    if (client?.platform !== 'linkedin') {
      return sendPage(reply, 400, renderErrorPage(`The client_id "${clientId ?? ''}" is not a known application.`));
    }
    if (
      !redirectUri ||
      redirectUri.includes('#') ||
      !URL.canParse(redirectUri) ||
      !sandbox.apps.allowsRedirect(client, redirectUri)
    ) {
      return sendPage(
        reply,
        400,
        renderErrorPage('The redirect_uri does not match the registered value for this application.'),
      );
    }
    const fail = (error: string, description: string) =>
      reply.redirect(redirectWith(redirectUri, { error, error_description: description, state }), 302);
    if (text(query.response_type) !== 'code') {
      return fail('unsupported_response_type', 'The response_type must be "code"');
    }
    const scopes = [...new Set((text(query.scope) ?? '').split(/[ ]+/).filter(Boolean))];
    if (scopes.length === 0) return fail('invalid_request', 'A required parameter "scope" is missing');
    const unknown = scopes.find((scope) => !Object.hasOwn(LINKEDIN_SCOPES, scope));
    if (unknown) return fail('unauthorized_scope_error', `Scope "${unknown}" is not authorized for your application`);
    const member = signedInMember(sandbox);
    if (!member) return sendPage(reply, 500, renderErrorPage('No LinkedIn member is seeded in the sandbox.'));

    const pending = {
      id: randomToken('', 32),
      appId: client.id,
      redirectUri,
      state,
      scopes,
      memberSub: member.sub,
      expiresAt: sandbox.clock.now() + CODE_TTL_MS,
    };
    if (mayAutoApprove(sandbox, pending)) return reply.redirect(approve(sandbox, pending), 302);
    // Abandoned consent pages would otherwise pile up in a long-running sandbox.
    for (const [id, earlier] of sandbox.linkedin.pendingAuthorizations) {
      if (earlier.expiresAt <= sandbox.clock.now()) sandbox.linkedin.pendingAuthorizations.delete(id);
    }
    sandbox.linkedin.pendingAuthorizations.set(pending.id, pending);
    return sendPage(
      reply,
      200,
      renderConsentPage({
        appName: client.name,
        member,
        scopes,
        decisionUrl: `${sandbox.urls.linkedinWww}${DECISION_PATH}`,
        requestId: pending.id,
      }),
    );
  });

  app.post(DECISION_PATH, { config: { endpoint: 'li.oauth.authorize.decision' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const id = text(body.request_id) ?? '';
    const pending = sandbox.linkedin.pendingAuthorizations.get(id);
    if (!pending || pending.expiresAt <= sandbox.clock.now()) {
      return sendPage(reply, 400, renderErrorPage('This authorization request has expired. Please start again.'));
    }
    const action = text(body.action);
    if (action !== 'allow' && action !== 'cancel') {
      return sendPage(reply, 400, renderErrorPage('Choose Allow or Cancel.'));
    }
    sandbox.linkedin.pendingAuthorizations.delete(id);
    return reply.redirect(action === 'allow' ? approve(sandbox, pending) : cancel(pending), 302);
  });
}
