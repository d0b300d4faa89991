import type { GraphObjectReader } from '../core/graph.ts';
import { meterBusinessCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { authorizeAccount } from './auth.ts';
import { graphTimestamp, settle, statusText } from './containers.ts';
import { requestedFields } from './fields.ts';
import type { InstagramAccount, InstagramContainer, InstagramMedia } from './model.ts';
import { PROFILE_FIELDS } from './profile.ts';

const CONTAINER_FIELDS: Record<string, (container: InstagramContainer) => unknown> = {
  id: (container) => container.id,
  status_code: (container) => container.status,
  status: statusText,
  copyright_check_status: (container) => ({
    status: container.status === 'FINISHED' || container.status === 'PUBLISHED' ? 'completed' : 'in_progress',
    matches_found: false,
  }),
};

const MEDIA_FIELDS: Record<string, (media: InstagramMedia, sandbox: Sandbox) => unknown> = {
  id: (media) => media.id,
  permalink: (media) => media.permalink,
  media_type: (media) => media.mediaType,
  media_product_type: (media) => media.mediaProductType,
  timestamp: (media) => graphTimestamp(media.publishedAt),
  caption: (media) => media.caption,
  shortcode: (media) => media.shortcode,
  username: (media, sandbox) => sandbox.instagram.accounts.get(media.accountId)?.username,
  owner: (media) => ({ id: media.accountId }),
};

/** The IG User node read by its professional account id: `id` is that id, not the app-scoped one. */
const ACCOUNT_FIELDS: Record<string, (account: InstagramAccount, sandbox: Sandbox) => unknown> = {
  ...PROFILE_FIELDS,
  id: (account) => account.id,
};

/** Picks the requested fields (Graph answers `id` alone when none are named); absent values are left out. */
function pick<T>(
  fields: Record<string, (item: T, sandbox: Sandbox) => unknown>,
  requested: string[],
  item: T,
  sandbox: Sandbox,
) {
  const out: Record<string, unknown> = {};
  for (const field of requested) {
    const value = fields[field]?.(item, sandbox);
    if (value !== undefined) out[field] = value;
  }
  out.id = fields.id?.(item, sandbox);
  return out;
}

/**
 * `GET /{ig-user-id}`, `GET /{container-id}` (reference §4.3) and `GET /{media-id}` (§4.4) on both
 * Graph hosts, for a token that may read the owning account.
 */
export function instagramGraphReaders(sandbox: Sandbox): GraphObjectReader[] {
  return [
    ({ id, host, params, request, reply }) => {
      const account = sandbox.instagram.accounts.get(id);
      if (!account) return undefined;
      authorizeAccount({ sandbox, request, params, host, accountId: account.id, access: 'basic' });
      meterBusinessCall(sandbox, reply, account.id, 'instagram');
      const requested = requestedFields(params, Object.keys(ACCOUNT_FIELDS), 'IGUser');
      return pick(ACCOUNT_FIELDS, requested, account, sandbox);
    },
    ({ id, host, params, request, reply }) => {
      const container = sandbox.instagram.containers.get(id);
      if (!container) return undefined;
      authorizeAccount({ sandbox, request, params, host, accountId: container.accountId, access: 'basic' });
      meterBusinessCall(sandbox, reply, container.accountId, 'instagram');
      settle(sandbox, container);
      const requested = requestedFields(params, Object.keys(CONTAINER_FIELDS), 'ShadowIGMediaBuilder');
      return pick(CONTAINER_FIELDS, requested, container, sandbox);
    },
    ({ id, host, params, request, reply }) => {
      const media = sandbox.instagram.media.get(id);
      if (!media) return undefined;
      authorizeAccount({ sandbox, request, params, host, accountId: media.accountId, access: 'basic' });
      meterBusinessCall(sandbox, reply, media.accountId, 'instagram');
      const requested = requestedFields(params, Object.keys(MEDIA_FIELDS), 'IGMedia');
      return pick(MEDIA_FIELDS, requested, media, sandbox);
    },
  ];
}
