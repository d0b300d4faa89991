import type { FastifyInstance, FastifyReply } from 'fastify';
import { MINUTE } from '../core/clock.ts';
import { GRAPH_VERSION } from '../core/graph.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import { DIALOG_CSP } from '../core/html.ts';
import { randomToken } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { renderConsentPage, renderDialogError } from './dialog-page.ts';
import type { FacebookDialogRequest } from './model.ts';
import { ALWAYS_GRANTED, KNOWN_PERMISSIONS, LOGIN_FOR_BUSINESS_PERMISSIONS, parseScope } from './permissions.ts';

/** Authorization codes live about 10 minutes (reference §2.2, uncertainty §10.9). */
export const CODE_TTL_MS = 10 * MINUTE;
/** How long an open consent page can still be submitted. */
const DIALOG_TTL_MS = 30 * MINUTE;

const WWW = SANDBOX_HOSTS.facebookWww.prefix;
const DECISION_PATH = `${WWW}/dialog/oauth/decision`;

type Query = Record<string, string | undefined>;

/** Query and form values as plain strings: a repeated parameter counts as missing rather than as an array. */
const singleValues = (source: unknown): Query =>
  Object.fromEntries(
    Object.entries(source && typeof source === 'object' && !Buffer.isBuffer(source) ? source : {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );

const sendPage = (reply: FastifyReply, status: number, body: string) =>
  reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', DIALOG_CSP)
    .header('cache-control', 'no-store')
    .send(body);

/** `{redirect_uri}?…#_=_`: Facebook appends its own query to any the URI already has, and the `#_=_` fragment. */
const redirectWith = (redirectUri: string, params: Record<string, string | undefined>) => {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}#_=_`;
};

/** www.facebook.com: the Login dialog (reference §2.1–2.2). */
export async function facebookDialogRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const model = sandbox.facebook;

  const showDialog = async (query: Query, reply: FastifyReply) => {
    const client = sandbox.apps.get(query.client_id);
    if (client?.platform !== 'facebook')
      return sendPage(
        reply,
        400,
        renderDialogError('Invalid App ID', 'The provided app ID does not look like a valid app ID.'),
      );
    const redirectUri = query.redirect_uri ?? '';
    if (!sandbox.apps.allowsRedirect(client, redirectUri))
      return sendPage(
        reply,
        400,
        renderDialogError(
          'URL Blocked',
          "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
        ),
      );
    // The sandbox serves the server-side code flow only; `code` is also Facebook's default.
    if ((query.response_type ?? 'code') !== 'code')
      return sendPage(
        reply,
        400,
        renderDialogError('Unsupported response_type', 'The sandbox supports response_type=code only.'),
      );
    const configId = query.config_id || undefined;
    const requested = configId ? LOGIN_FOR_BUSINESS_PERMISSIONS : parseScope(query.scope);
    const invalid = requested.filter((scope) => !KNOWN_PERMISSIONS.has(scope));
    if (invalid.length)
      return sendPage(
        reply,
        400,
        renderDialogError(
          'Invalid Scopes',
          `Invalid Scopes: ${invalid.join(', ')}. This message is only shown to developers.`,
        ),
      );
    const users = [...model.users.values()];
    if (!users.length)
      return sendPage(
        reply,
        400,
        renderDialogError('No sandbox user', 'Seed a Facebook user through the control API first.'),
      );

    const scopes = [...new Set([ALWAYS_GRANTED, ...requested])];
    const request: FacebookDialogRequest = {
      id: randomToken('', 24),
      appId: client.id,
      redirectUri,
      state: query.state,
      scopes,
      configId,
      expiresAt: sandbox.clock.now() + DIALOG_TTL_MS,
    };
    model.dialogs.set(request.id, request);
    const pageIds = new Set(users.flatMap((user) => user.pageRoles.map((role) => role.pageId)));
    const pages = [...pageIds].flatMap((id) => model.pages.get(id) ?? []);
    return sendPage(
      reply,
      200,
      renderConsentPage({
        app: client,
        request,
        users,
        pages,
        instagram: sandbox.instagram.accounts,
        actionUrl: `${sandbox.baseUrl}${DECISION_PATH}`,
      }),
    );
  };

  const dialog = { config: { endpoint: 'fb.www.dialog.oauth' } };
  app.get(`${WWW}/dialog/oauth`, dialog, (request, reply) => showDialog(singleValues(request.query), reply));
  app.get(`${WWW}/:version/dialog/oauth`, dialog, (request, reply) => {
    const { version } = request.params as { version: string };
    if (!GRAPH_VERSION.test(version))
      return sendPage(reply, 404, renderDialogError('Page not found', 'This page isn’t available.'));
    return showDialog(singleValues(request.query), reply);
  });

  app.post(DECISION_PATH, { config: { endpoint: 'fb.www.dialog.oauth.decision' } }, (request, reply) => {
    const form = singleValues(request.body);
    const pending = model.dialogs.get(form.request_id ?? '');
    if (!pending || pending.expiresAt <= sandbox.clock.now())
      return sendPage(
        reply,
        400,
        renderDialogError('Session expired', 'This login request has expired. Please go back and try again.'),
      );
    model.dialogs.delete(pending.id);
    if (form.decision !== 'approve')
      return reply.redirect(
        redirectWith(pending.redirectUri, {
          error: 'access_denied',
          error_code: '200',
          error_description: 'Permissions error',
          error_reason: 'user_denied',
          state: pending.state,
        }),
        302,
      );
    const user = model.users.get(form.user_id ?? '');
    if (!user) return sendPage(reply, 400, renderDialogError('Unknown user', 'Choose a person to continue as.'));

    // Login for Business configurations must be granted in full; classic Login allows partial grants.
    const granted = pending.configId
      ? pending.scopes
      : pending.scopes.filter((scope) => scope === ALWAYS_GRANTED || form[`perm_${scope}`] === 'on');
    const pages = user.pageRoles.flatMap((role) =>
      form[`page_${role.pageId}`] === 'on' ? (model.pages.get(role.pageId) ?? []) : [],
    );
    const code = randomToken('AQ', 96);
    model.codes.set(code, {
      code,
      appId: pending.appId,
      redirectUri: pending.redirectUri,
      userId: user.id,
      scopes: granted,
      declinedScopes: pending.scopes.filter((scope) => !granted.includes(scope)),
      targets: pages.flatMap((page) => [page.id, ...(page.instagramAccountId ? [page.instagramAccountId] : [])]),
      expiresAt: sandbox.clock.now() + CODE_TTL_MS,
      used: false,
    });
    return reply.redirect(redirectWith(pending.redirectUri, { code, state: pending.state }), 302);
  });
}
