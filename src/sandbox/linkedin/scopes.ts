/**
 * The scopes the sandbox knows, with the wording LinkedIn's consent screen uses for each
 * (reference §8.3). Anything else is refused at authorize time.
 */
export const LINKEDIN_SCOPES: Record<string, string> = {
  openid: 'Use your name and photo',
  profile: 'Use your name and photo',
  email: 'Use the primary email address associated with your LinkedIn account',
  w_member_social: 'Create, modify, and delete posts, comments, and reactions on your behalf',
  r_member_social: 'Retrieve your posts, comments, reactions, and other engagement data',
  w_organization_social: 'Create, modify, and delete posts, comments, and reactions on behalf of your organizations',
  r_organization_social: "Retrieve your organizations' posts, comments, reactions, and other engagement data",
  rw_organization_admin: "Manage your organizations' pages and retrieve reporting data",
  r_basicprofile: 'Use your basic profile including your name, photo, headline, and public profile URL',
  r_liteprofile: 'Use your name and photo',
  r_emailaddress: 'Use the primary email address associated with your LinkedIn account',
};

/** Scopes that can read what the member or their organizations posted (needed for `GET /rest/images`). */
export const READ_SCOPES = ['r_member_social', 'r_organization_social', 'rw_organization_admin'];

/** Scopes that open the legacy `GET /v2/me`. */
export const LEGACY_PROFILE_SCOPES = ['r_liteprofile', 'r_basicprofile'];

/** Whether two requests ask for the same set of scopes, in any order. */
export const sameScopes = (a: readonly string[], b: readonly string[]) =>
  new Set(a).size === new Set(b).size && a.every((scope) => b.includes(scope));

/** LinkedIn reports scopes comma-separated and sorted (reference §8.1). */
export const scopeString = (scopes: readonly string[]) => [...scopes].sort().join(',');
