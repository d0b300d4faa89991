/** Reasons the server records (statusReason, event reasons), in words. Unknown ones are shown tidied up. */
const REASONS: Record<string, string> = {
  token_expired: 'The access token has expired.',
  token_invalid: 'The platform no longer accepts the access token.',
  invalid_token: 'The platform no longer accepts the access token.',
  token_revoked: 'The access token was revoked.',
  refresh_token_invalid: 'The refresh token expired or was revoked.',
  invalid_client: 'The platform did not accept Tether’s app credentials; an administrator needs to check them.',
  password_changed: 'The password of the Facebook account was changed.',
  logged_out: 'The person logged out of Facebook, which ended the session.',
  app_removed: 'Tether was removed from the Facebook account’s apps.',
  user_checkpointed: 'Facebook needs the person to log in and complete a security check.',
  unconfirmed_user: 'The Facebook account is not confirmed yet.',
  lost_page_role: 'The person no longer manages the Facebook Page.',
  insufficient_page_role: 'The person’s role on the Facebook Page does not allow publishing.',
  no_instagram_account: 'The Facebook Page has no Instagram professional account linked.',
  insufficient_organization_role: 'The person’s role on the LinkedIn Page does not allow posting.',
  missing_permission: 'A permission Tether needs was removed.',
  policy_block: 'The platform blocked the request for a policy reason.',
  rate_limited: 'The platform asked Tether to slow down.',
  server_error: 'The platform had a problem answering.',
  temporary_failure: 'The platform had a temporary problem.',
  network_error: 'The platform could not be reached.',
  timeout: 'The platform took too long to answer.',
  unexpected_response: 'The platform answered in an unexpected way.',
};

const tidy = (text: string) => {
  const spaced = text.replaceAll('_', ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/** "missing_permissions:a,b" → "Permissions no longer granted: a, b." and so on. */
export function reasonText(reason: string): string {
  const known = REASONS[reason];
  if (known) return known;
  const [head = '', ...rest] = reason.split(':');
  const detail = rest.join(':').trim();
  if (head === 'missing_permissions') return `Permissions no longer granted: ${detail.split(',').join(', ')}.`;
  if (head === 'graph') return `Facebook reported error ${detail} for the token.`;
  if (head.startsWith('not revoked') && REASONS[detail]) return `Not revoked at the platform: ${REASONS[detail]}`;
  return tidy(reason);
}
