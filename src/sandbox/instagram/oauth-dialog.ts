import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxApp } from '../core/apps.ts';
import { HOUR } from '../core/clock.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import { DIALOG_CSP } from '../core/html.ts';
import { randomToken } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { renderConsentPage, renderDialogError } from './dialog-page.ts';
import { DEPRECATED_SCOPES, invalidScopes, parseScopes } from './scopes.ts';

/** Authorization codes live one hour and work once (reference §3.1). */
export const CODE_TTL_MS = HOUR;

/** A problem the dialog reports on its own page: it never redirects to an unverified client. */
class DialogError extends Error {}

interface AuthorizeRequest {
  app: SandboxApp;
  redirectUri: string;
  scopes: string[];
  state?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Validates the authorize parameters exactly as Instagram does before showing anything. */
function validate(sandbox: Sandbox, params: Record<string, unknown>): AuthorizeRequest {
  const app = sandbox.apps.get(text(params.client_id));
  if (app?.platform !== 'instagram') throw new DialogError('Invalid platform app');
  const redirectUri = text(params.redirect_uri) ?? '';
  if (!sandbox.apps.allowsRedirect(app, redirectUri)) throw new DialogError('Invalid redirect_uri');
  if (text(params.response_type) !== 'code') throw new DialogError('Only response_type=code is supported');
  const scopes = parseScopes(text(params.scope));
  if (scopes.length === 0) throw new DialogError('Missing required parameter: scope');
  const invalid = invalidScopes(scopes);
  if (invalid.length) {
    const deprecated = invalid.some((scope) => DEPRECATED_SCOPES.has(scope));
    throw new DialogError(
      `Invalid Scopes: ${invalid.join(', ')}${deprecated ? '. These scope names were deprecated on January 27, 2025; use the instagram_business_* scopes.' : ''}`,
    );
  }
  return { app, redirectUri, scopes, state: text(params.state) };
}

const sendHtml = (reply: FastifyReply, status: number, page: string) =>
  reply
    .status(status)
    .header('content-security-policy', DIALOG_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page);

/** The redirect back: `?code=…&state=…#_` on approval (reference §3.1), the user_denied triple on cancel. */
function redirectBack(redirectUri: string, params: Record<string, string | undefined>, fragment: boolean): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  url.hash = fragment ? '_' : '';
  return url.toString();
}

/**
 * The Instagram Login dialog on www.instagram.com and api.instagram.com (the reference lists both):
 * GET shows the consent page, the form posts back to the same path.
 */
export async function instagramDialogRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  for (const [host, prefix] of [
    ['www', SANDBOX_HOSTS.instagramWww.prefix],
    ['api', SANDBOX_HOSTS.instagramApi.prefix],
  ] as const) {
    app.get(
      `${prefix}/oauth/authorize`,
      { config: { endpoint: `ig.${host}.oauth.authorize` } },
      async (request, reply) => {
        const params = request.query as Record<string, unknown>;
        try {
          const { app: client, redirectUri, scopes, state } = validate(sandbox, params);
          const hidden: Record<string, string> = {
            client_id: client.id,
            redirect_uri: redirectUri,
            response_type: 'code',
            scope: scopes.join(','),
            ...(state === undefined ? {} : { state }),
          };
          const page = renderConsentPage({
            app: client,
            accounts: [...sandbox.instagram.accounts.values()],
            scopes,
            hidden,
            isLocal: (url) => url.startsWith(`${sandbox.baseUrl}/`),
          });
          return sendHtml(reply, 200, page);
        } catch (error) {
          if (error instanceof DialogError) return sendHtml(reply, 400, renderDialogError(error.message));
          throw error;
        }
      },
    );

    app.post(
      `${prefix}/oauth/authorize`,
      { config: { endpoint: `ig.${host}.oauth.decision` } },
      async (request, reply) => {
        const form = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
        try {
          // The hidden fields came back from the browser: check them again rather than trust them.
          const { app: client, redirectUri, scopes, state } = validate(sandbox, form);
          if (text(form.decision) !== 'allow') {
            return reply.redirect(
              redirectBack(
                redirectUri,
                {
                  error: 'access_denied',
                  error_reason: 'user_denied',
                  error_description: 'The user denied your request',
                  state,
                },
                false,
              ),
            );
          }
          const account = sandbox.instagram.accounts.get(text(form.account_id) ?? '');
          if (!account) throw new DialogError('Choose an Instagram professional account to continue');
          const code = randomToken('AQB', 180);
          sandbox.instagram.codes.set(code, {
            code,
            appId: client.id,
            redirectUri,
            accountId: account.id,
            scopes,
            expiresAt: sandbox.clock.now() + CODE_TTL_MS,
            used: false,
          });
          return reply.redirect(redirectBack(redirectUri, { code, state }, true));
        } catch (error) {
          if (error instanceof DialogError) return sendHtml(reply, 400, renderDialogError(error.message));
          throw error;
        }
      },
    );
  }
}
