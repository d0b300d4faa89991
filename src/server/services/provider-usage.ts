import { inArray, sql } from 'drizzle-orm';
import type { MetaAppPlatform, UsageReport } from '../../providers/meta-graph/throttle.ts';
import type { ProviderId } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { connectedAccounts, providerUsage } from '../db/schema/index.ts';

/** The latest usage Meta reported for one app or one account, as the admin view shows it. */
export interface ProviderUsage {
  /** Which Meta app: `facebook` (Instagram through Facebook Login and Pages) or `instagram` (Instagram Login). */
  provider: MetaAppPlatform;
  scope: 'app' | 'account';
  appId: string;
  /** The Page or Instagram account id on the platform; null for the app. */
  accountId: string | null;
  label: string;
  /** The highest of Meta's measures (calls, time, CPU time), in percent of the limit. */
  percent: number;
  /** Above this, calls were being slowed down (`META_THROTTLE_PERCENT` of the process that wrote it). */
  thresholdPercent: number;
  /** Until when calls are held back, when that is still ahead (ISO 8601). */
  throttledUntil: string | null;
  updatedAt: string;
}

const PLATFORM_NAMES: Record<MetaAppPlatform, string> = { facebook: 'Facebook app', instagram: 'Instagram app' };
const PLATFORM_PROVIDERS: Record<MetaAppPlatform, ProviderId[]> = {
  facebook: ['instagram', 'facebook_page'],
  instagram: ['instagram_login'],
};

/**
 * Stores a level the throttle reported (`MetaThrottle.onReport`): one row per app or account, an
 * older report never replacing a newer one.
 */
export async function saveUsage(db: Database, report: UsageReport): Promise<void> {
  const values = {
    scope: report.scope,
    platform: report.platform,
    appId: report.appId,
    objectId: report.objectId ?? '',
    percent: Math.round(report.percent),
    thresholdPercent: report.thresholdPercent,
    throttledUntil: report.throttledUntil,
    updatedAt: report.at,
  };
  await db
    .insert(providerUsage)
    .values(values)
    .onConflictDoUpdate({
      target: [providerUsage.scope, providerUsage.appId, providerUsage.objectId],
      set: {
        platform: values.platform,
        percent: values.percent,
        thresholdPercent: values.thresholdPercent,
        throttledUntil: values.throttledUntil,
        updatedAt: values.updatedAt,
      },
      setWhere: sql`${providerUsage.updatedAt} <= excluded.updated_at`,
    });
}

/**
 * The latest usage of every Meta app and account calls were made for, apps first, then the
 * busiest accounts; accounts are named after the connected account when there is one.
 */
export async function currentUsage(db: Database, now: Date = new Date()): Promise<ProviderUsage[]> {
  const rows = await db.select().from(providerUsage);
  const objectIds = [...new Set(rows.map((row) => row.objectId).filter((id) => id !== ''))];
  const accounts = objectIds.length
    ? await db
        .select({
          provider: connectedAccounts.provider,
          externalId: connectedAccounts.externalId,
          displayName: connectedAccounts.displayName,
          username: connectedAccounts.username,
        })
        .from(connectedAccounts)
        .where(inArray(connectedAccounts.externalId, objectIds))
    : [];
  const name = (platform: MetaAppPlatform, objectId: string) => {
    const account = accounts.find(
      (candidate) => candidate.externalId === objectId && PLATFORM_PROVIDERS[platform].includes(candidate.provider),
    );
    return account?.displayName ?? (account?.username ? `@${account.username}` : `Account ${objectId}`);
  };
  return rows
    .map(
      (row): ProviderUsage => ({
        provider: row.platform,
        scope: row.scope,
        appId: row.appId,
        accountId: row.objectId === '' ? null : row.objectId,
        label: row.objectId === '' ? PLATFORM_NAMES[row.platform] : name(row.platform, row.objectId),
        percent: row.percent,
        thresholdPercent: row.thresholdPercent,
        throttledUntil: row.throttledUntil && row.throttledUntil > now ? row.throttledUntil.toISOString() : null,
        updatedAt: row.updatedAt.toISOString(),
      }),
    )
    .sort((a, b) => (a.scope === b.scope ? b.percent - a.percent : a.scope === 'app' ? -1 : 1));
}
