import type { MantineColor } from '@mantine/core';
import type { AccountEvent, ConnectedAccount } from '../../../contracts/connected-accounts.ts';

type Provider = ConnectedAccount['provider'];
type Status = ConnectedAccount['status'];

export const PROVIDER_LABELS: Record<Provider, string> = {
  instagram: 'Instagram',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook Page',
  linkedin: 'LinkedIn profile',
  linkedin_org: 'LinkedIn Page',
};

/** Where each provider's tokens come from: "Check the connection with Facebook". */
export const PROVIDER_PLATFORMS: Record<Provider, string> = {
  instagram: 'Facebook',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook',
  linkedin: 'LinkedIn',
  linkedin_org: 'LinkedIn',
};

export const STATUS_BADGES: Record<Status, { label: string; color: MantineColor }> = {
  active: { label: 'Active', color: 'green' },
  expiring: { label: 'Expiring soon', color: 'yellow' },
  needs_reconnect: { label: 'Needs reconnect', color: 'red' },
  disconnected: { label: 'Disconnected', color: 'gray' },
};

/** What each account event means, in words. */
export const EVENT_LABELS: Record<AccountEvent['type'], { label: string; color: MantineColor }> = {
  connected: { label: 'Connected', color: 'green' },
  reconnected: { label: 'Reconnected', color: 'green' },
  refreshed: { label: 'Tokens refreshed', color: 'blue' },
  refresh_failed: { label: 'Refresh failed', color: 'red' },
  validated: { label: 'Connection checked', color: 'blue' },
  needs_reconnect: { label: 'Needs reconnecting', color: 'red' },
  disconnected: { label: 'Disconnected', color: 'gray' },
  revoked_by_provider: { label: 'Access removed on the platform', color: 'red' },
};
