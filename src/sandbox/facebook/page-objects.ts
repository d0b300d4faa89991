import { HOUR } from '../core/clock.ts';
import { graphErrors } from '../core/graph.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import type { FieldSelection } from './fields.ts';
import type { FacebookPage } from './model.ts';

/** Fields `/me/accounts` and `GET /{page-id}` return when none are asked for. */
export const DEFAULT_PAGE_FIELDS = ['id', 'name', 'access_token', 'category', 'tasks'];

/** Whether the person picked this Page / Instagram account for the token in the dialog. */
export const targetsInclude = (record: TokenRecord, id: string) => record.targets.includes(id);

/**
 * A Page token derived from a user token (reference §2.5): it never expires when the user token is
 * long-lived, otherwise it lasts an hour (and not beyond the user token).
 */
export function issuePageToken(sandbox: Sandbox, user: TokenRecord, page: FacebookPage): TokenRecord {
  const hourLater = sandbox.clock.now() + HOUR;
  return sandbox.tokens.issue({
    kind: 'facebook_page',
    appId: user.appId,
    subjectId: page.id,
    scopes: [...user.scopes],
    declinedScopes: [...user.declinedScopes],
    targets: [page.id, ...(page.instagramAccountId ? [page.instagramAccountId] : [])].filter((id) =>
      targetsInclude(user, id),
    ),
    expiresAt: user.longLived ? null : Math.min(hourLater, user.expiresAt ?? hourLater),
    dataAccessExpiresAt: user.dataAccessExpiresAt,
    longLived: user.longLived,
    parent: user.token,
  });
}

/**
 * A Page as Graph renders it for `fields`. `tasks` are the user's roles; `access_token` comes from
 * `pageToken` (called only when asked for, as Graph issues Page tokens on demand).
 */
export function renderPage(
  sandbox: Sandbox,
  input: { page: FacebookPage; fields: FieldSelection; tasks: string[]; scopes: string[]; pageToken: () => string },
): Record<string, unknown> {
  const { page, fields, tasks, scopes } = input;
  const out: Record<string, unknown> = {};
  for (const [field, children] of fields) {
    switch (field) {
      case 'id':
        out.id = page.id;
        break;
      case 'name':
        out.name = page.name;
        break;
      case 'category':
        out.category = page.category;
        break;
      case 'tasks':
        out.tasks = tasks;
        break;
      case 'access_token':
        out.access_token = input.pageToken();
        break;
      case 'picture':
        out.picture = { data: { height: 50, width: 50, is_silhouette: false, url: page.pictureUrl } };
        break;
      case 'instagram_business_account': {
        // Missing when no account is linked, and unreadable without instagram_basic (reference §2.5).
        const account = page.instagramAccountId ? sandbox.instagram.accounts.get(page.instagramAccountId) : undefined;
        if (!account || !scopes.includes('instagram_basic')) break;
        const wanted = children ?? new Map([['id', undefined]]);
        const values: Record<string, unknown> = {
          id: account.id,
          username: account.username,
          name: account.name,
          profile_picture_url: account.profilePictureUrl,
          followers_count: account.followersCount,
        };
        out.instagram_business_account = Object.fromEntries(
          [...wanted.keys()].filter((key) => key in values).map((key) => [key, values[key]]),
        );
        break;
      }
      default:
        throw graphErrors.invalidParameter(`Tried accessing nonexisting field (${field}) on node type (Page)`);
    }
  }
  if (!('id' in out)) out.id = page.id;
  return out;
}
