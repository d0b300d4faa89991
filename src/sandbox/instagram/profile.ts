import type { Sandbox } from '../core/sandbox.ts';
import type { InstagramAccount } from './model.ts';

/** Fields `GET graph.instagram.com/me` knows (reference §3.4). */
export const PROFILE_FIELDS: Record<string, (account: InstagramAccount, sandbox: Sandbox) => unknown> = {
  id: (account) => account.appScopedId,
  user_id: (account) => account.id,
  username: (account) => account.username,
  name: (account) => account.name,
  account_type: (account) => account.accountType,
  profile_picture_url: (account) => account.profilePictureUrl,
  followers_count: (account) => account.followersCount,
  follows_count: (account) => account.followsCount,
  media_count: (account, sandbox) =>
    [...sandbox.instagram.media.values()].filter((media) => media.accountId === account.id).length,
};
