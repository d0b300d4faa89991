import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import type { PostKind } from '../../../contracts/posts.ts';
import type { Platform, ProviderInfo } from '../../../contracts/providers.ts';

/** The platforms in the order the composer lists them (PLATFORMS of the contracts). */
export const PLATFORM_ORDER: readonly Platform[] = ['instagram', 'facebook', 'linkedin'];

export const PLATFORM_NAMES: Record<Platform, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  linkedin: 'LinkedIn',
};

/** The providers by id, as the composer looks them up. */
export type ProviderIndex = ReadonlyMap<ConnectedAccount['provider'], ProviderInfo>;

/** Whether posts can go to the account now: its platform publishes here and its connection works. */
export const isPublishable = (account: ConnectedAccount, providers: ProviderIndex): boolean =>
  Boolean(providers.get(account.provider)?.canPublish) &&
  (account.status === 'active' || account.status === 'expiring');

/** The platforms of these accounts, in the composer's order. */
export function platformsOf(accounts: readonly ConnectedAccount[], providers: ProviderIndex): Platform[] {
  const found = new Set(accounts.map((account) => providers.get(account.provider)?.platform));
  return PLATFORM_ORDER.filter((platform) => found.has(platform));
}

/** The kinds a platform's accounts take (Instagram: four; the others: feed only). */
export function kindsOf(platform: Platform, providers: ProviderIndex): readonly PostKind[] {
  for (const provider of providers.values()) if (provider.platform === platform) return provider.kinds;
  return ['feed'];
}
