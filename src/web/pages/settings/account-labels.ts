import type { MantineColor } from '@mantine/core';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';

type Provider = ConnectedAccount['provider'];
type Status = ConnectedAccount['status'];

export const PROVIDER_LABELS: Record<Provider, string> = {
  instagram: 'Instagram',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook Page',
  linkedin: 'LinkedIn profile',
  linkedin_org: 'LinkedIn Page',
};

export const STATUS_BADGES: Record<Status, { label: string; color: MantineColor }> = {
  active: { label: 'Active', color: 'green' },
  expiring: { label: 'Expiring soon', color: 'yellow' },
  needs_reconnect: { label: 'Needs reconnect', color: 'red' },
  disconnected: { label: 'Disconnected', color: 'gray' },
};
