import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { graphErrors, graphParams, presentedToken, requestedGraphVersion } from '../core/graph.ts';
import { meterAppCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import { appFromAppToken, authenticate, requireUserToken, userIdOf } from './auth.ts';
import { parseFields } from './fields.ts';
import { DEFAULT_PAGE_FIELDS, issuePageToken, renderPage, targetsInclude } from './page-objects.ts';

const PAGE_SIZE = 25;
const cursor = (id: string) => Buffer.from(id).toString('base64url');
const success = { success: true };

/** `/me`, `/me/accounts`, `/me/permissions` and de-authorization (reference §2.5, 2.8). */
export async function facebookMeRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get('/me', { config: { endpoint: 'graph.me' } }, async (request, reply) => {
    const { params, record } = authenticate(sandbox, request, reply);
    const fields = parseFields(params.fields, ['id', 'name']);
    if (record.kind === 'facebook_page') {
      const page = sandbox.facebook.pages.get(record.subjectId);
      if (!page) throw graphErrors.invalidToken();
      return renderPage(sandbox, { page, fields, tasks: [], scopes: record.scopes, pageToken: () => record.token });
    }
    const user = sandbox.facebook.users.get(record.subjectId);
    if (!user) throw graphErrors.invalidToken();
    const out: Record<string, string> = {};
    for (const field of fields.keys()) {
      if (field === 'id') out.id = user.id;
      else if (field === 'name') out.name = user.name;
      // Graph leaves email out, without an error, unless the email permission was granted.
      else if (field === 'email') {
        if (record.scopes.includes('email')) out.email = user.email;
      } else throw graphErrors.invalidParameter(`Tried accessing nonexisting field (${field}) on node type (User)`);
    }
    return { ...out, id: user.id };
  });

  app.get('/me/accounts', { config: { endpoint: 'graph.me.accounts' } }, async (request, reply) => {
    const { params, record } = authenticate(sandbox, request, reply);
    requireUserToken(record, 'accounts');
    if (!record.scopes.includes('pages_show_list'))
      throw graphErrors.permission('This endpoint requires the pages_show_list permission.', 10);
    const user = sandbox.facebook.users.get(record.subjectId);
    const fields = parseFields(params.fields, DEFAULT_PAGE_FIELDS);
    const roles = (user?.pageRoles ?? []).filter(
      (role) => sandbox.facebook.pages.has(role.pageId) && targetsInclude(record, role.pageId),
    );
    const limit = Math.min(Math.max(Number.parseInt(params.limit ?? '', 10) || PAGE_SIZE, 1), 100);
    const start = params.after ? roles.findIndex((role) => cursor(role.pageId) === params.after) + 1 : 0;
    const slice = roles.slice(start, start + limit);
    const data = slice.map((role) => {
      const page = sandbox.facebook.pages.get(role.pageId)!;
      return renderPage(sandbox, {
        page,
        fields,
        tasks: role.tasks,
        scopes: record.scopes,
        pageToken: () => issuePageToken(sandbox, record, page).token,
      });
    });
    const first = slice[0];
    const last = slice.at(-1);
    const paging = first && last ? { cursors: { before: cursor(first.pageId), after: cursor(last.pageId) } } : {};
    const hasMore = start + limit < roles.length && last;
    return { data, paging: hasMore ? { ...paging, next: nextPageUrl(sandbox, request, cursor(last.pageId)) } : paging };
  });

  app.get('/me/permissions', { config: { endpoint: 'graph.me.permissions' } }, async (request, reply) => {
    const { record } = authenticate(sandbox, request, reply);
    return {
      data: [
        ...record.scopes.map((permission) => ({ permission, status: 'granted' })),
        ...record.declinedScopes.map((permission) => ({ permission, status: 'declined' })),
      ],
    };
  });

  /** Removing every permission de-authorizes the app: all the user's tokens for it become 190/458. */
  const revokeAll = (appId: string, userId: string) => {
    sandbox.tokens.revokeSubject(
      { appId, subjectId: userId },
      { subcode: 458, message: 'Error validating access token: The user has not authorized application.' },
    );
    return success;
  };
  const deleteAll = { config: { endpoint: 'graph.permissions.delete' } };
  app.delete('/me/permissions', deleteAll, async (request, reply) => {
    const { record } = authenticate(sandbox, request, reply);
    const userId = userIdOf(sandbox, record);
    if (!userId) throw graphErrors.invalidToken();
    return revokeAll(record.appId, userId);
  });
  app.delete('/:id/permissions', deleteAll, async (request, reply) => {
    const { id } = request.params as { id: string };
    const caller = callerFor(sandbox, request, reply);
    if (caller.userId !== undefined && caller.userId !== id)
      throw graphErrors.permission('Cannot remove permissions of another user.', 200);
    if (!sandbox.facebook.users.has(id)) throw graphErrors.unknownObject(id);
    return revokeAll(caller.appId, id);
  });

  app.delete(
    '/me/permissions/:permission',
    { config: { endpoint: 'graph.permissions.delete_one' } },
    async (request, reply) => {
      const { permission } = request.params as { permission: string };
      const { record } = authenticate(sandbox, request, reply);
      const userId = userIdOf(sandbox, record);
      if (!userId) throw graphErrors.invalidToken();
      if (!record.scopes.includes(permission)) return success;
      // Every token the user holds for the app (and the Page tokens made from them) loses the permission.
      const userTokens = new Set(
        sandbox.tokens
          .list()
          .filter((token) => token.appId === record.appId && token.subjectId === userId)
          .map((token) => token.token),
      );
      for (const token of sandbox.tokens.list())
        if (userTokens.has(token.token) || (token.parent && userTokens.has(token.parent)))
          declinePermission(token, permission);
      return success;
    },
  );
}

const declinePermission = (record: TokenRecord, permission: string) => {
  if (!record.scopes.includes(permission)) return;
  record.scopes = record.scopes.filter((scope) => scope !== permission);
  record.declinedScopes = [...new Set([...record.declinedScopes, permission])];
};

/** `DELETE /{user-id}/permissions` takes the user's own token or the app token. */
function callerFor(sandbox: Sandbox, request: FastifyRequest, reply: FastifyReply): { appId: string; userId?: string } {
  const app = appFromAppToken(sandbox, presentedToken(request, graphParams(request)));
  if (app) {
    meterAppCall(sandbox, reply, app.id);
    return { appId: app.id };
  }
  const { record } = authenticate(sandbox, request, reply);
  return { appId: record.appId, userId: userIdOf(sandbox, record) };
}

/** The `paging.next` URL: the same call (version and parameters included) with `after` moved on. */
function nextPageUrl(sandbox: Sandbox, request: FastifyRequest, after: string): string {
  const query = new URLSearchParams(request.query as Record<string, string>);
  query.set('after', after);
  const version = requestedGraphVersion(request);
  return `${sandbox.urls.facebookGraph}${version ? `/${version}` : ''}/me/accounts?${query}`;
}
