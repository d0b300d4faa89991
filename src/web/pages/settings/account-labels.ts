import type { MantineColor } from '@mantine/core';
import type { AccountEvent, ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import type { ProviderState } from '../../../contracts/providers.ts';

type Provider = ConnectedAccount['provider'];
type Status = ConnectedAccount['status'];

export const PROVIDER_LABELS: Record<Provider, string> = {
  instagram: 'Instagram',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook Page',
  linkedin: 'LinkedIn profile',
  linkedin_org: 'LinkedIn Page',
};

/** Whether a value from the address bar names a provider. */
export const isProviderId = (value: string | null): value is Provider =>
  value !== null && Object.hasOwn(PROVIDER_LABELS, value);

/** Where each provider's tokens come from: "Check the connection with Facebook". */
export const PROVIDER_PLATFORMS: Record<Provider, string> = {
  instagram: 'Facebook',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook',
  linkedin: 'LinkedIn',
  linkedin_org: 'LinkedIn',
};

/** The accessible name of each provider's Connect button: the two Instagram logins read apart. */
export const CONNECT_LABELS: Record<Provider, string> = {
  instagram: 'Connect Instagram account through Facebook Login',
  instagram_login: 'Connect with Instagram Login',
  facebook_page: 'Connect Facebook Pages',
  linkedin: 'Connect LinkedIn profile',
  linkedin_org: 'Connect LinkedIn Pages',
};

const META_PROVIDERS: ReadonlySet<Provider> = new Set(['instagram', 'instagram_login', 'facebook_page']);

/** Meta's connections carry a data access expiry besides the token's; LinkedIn's do not. */
export const isMetaProvider = (provider: Provider): boolean => META_PROVIDERS.has(provider);

/** Whether a provider's connect flow can be used on this instance, in a word. */
export const PROVIDER_STATE_BADGES: Record<ProviderState, { label: string; color: MantineColor }> = {
  configured: { label: 'Ready', color: 'green' },
  sandboxed: { label: 'Sandbox', color: 'cyan' },
  not_configured: { label: 'Not configured', color: 'gray' },
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
